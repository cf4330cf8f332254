"""Judged comparisons built from hand-made runs, for rendering tests."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

from flatliner.diagnoses.comparison import Comparison, judge_comparison
from flatliner.trials.config import TrainConfig
from flatliner.trials.run import RunResult
from tests.diagnoses.runs import balanced_labels, collapsed_run, healthy_run

# A layer name a user could choose, that a careless page would run as markup.
MARKUP = '<img src=x onerror="alert(1)"><b>d1</b>'


def renamed(run: RunResult, old: str, new: str) -> RunResult:
    """The same run with layer `old` called `new` everywhere it appears."""
    layers = [
        dataclasses.replace(info, path=new) if info.path == old else info
        for info in run.layers
    ]
    epochs = [
        dataclasses.replace(
            record,
            dead_units={
                new if k == old else k: v for k, v in record.dead_units.items()
            },
        )
        for record in run.epochs
    ]
    return dataclasses.replace(run, layers=layers, epochs=epochs)


def judged(kind_a: str = "collapsed", kind_b: str = "collapsed", seeds=(0, 1)):
    """A comparison of two variants of the given kinds over `seeds`."""
    makers = {"collapsed": collapsed_run, "healthy": healthy_run}
    runs = {}
    for label, kind in (("A", kind_a), ("B", kind_b)):
        for seed in seeds:
            runs[(label, seed)] = makers[kind](label, seed)
    return judge_runs(runs, list(seeds))


def judge_runs(runs: dict, seeds: list[int], labels=None) -> Comparison:
    data = SimpleNamespace(y_test=balanced_labels(), num_classes=100)
    labels = labels or {
        "A": runs[("A", seeds[0])].model,
        "B": runs[("B", seeds[0])].model,
    }
    return judge_comparison(labels, seeds, runs, data, TrainConfig(epochs=2))
