"""The verdict of a paired-seed comparison between two variants."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flatliner.data.dataset import Dataset
from flatliner.diagnoses import diagnose_run
from flatliner.diagnoses.finding import Finding
from flatliner.stats.identical_runs import Identity, compare_runs
from flatliner.trials.config import TrainConfig
from flatliner.trials.run import RunResult


@dataclass
class JudgedRun:
    """One run with its findings and, if it ended at chance, what explains it."""

    run: RunResult
    findings: list[Finding]

    @property
    def chance(self) -> Finding | None:
        return next((f for f in self.findings if f.kind == "chance_level"), None)

    @property
    def explanation(self) -> Finding | None:
        """The first dead layer, whose constant output explains a chance-level run."""
        return next((f for f in self.findings if f.kind == "dead_layer"), None)


@dataclass
class Comparison:
    """Paired results of variants A and B over the same seeds.

    Attributes:
        labels: Variant label -> model spec as given.
        seeds: The seeds, in order.
        runs: (label, seed) -> JudgedRun.
        pairs: seed -> how far A and B ended apart with that seed.
        summary: The verdict, one sentence per line.
    """

    labels: dict[str, str]
    seeds: list[int]
    runs: dict[tuple[str, int], JudgedRun]
    pairs: dict[int, Identity]
    summary: list[str] = field(default_factory=list)

    def chance_runs(self) -> list[JudgedRun]:
        return [
            self.runs[(label, seed)]
            for seed in self.seeds
            for label in self.labels
            if self.runs[(label, seed)].chance is not None
        ]


def judge_comparison(
    labels: dict[str, str],
    seeds: list[int],
    runs: dict[tuple[str, int], RunResult],
    dataset: Dataset,
    config: TrainConfig,
) -> Comparison:
    """Judges every run and every seed pair, and writes the verdict."""
    judged = {
        key: JudgedRun(
            run,
            diagnose_run(run, dataset.y_test, dataset.num_classes, config.probe_size),
        )
        for key, run in runs.items()
    }
    a, b = list(labels)
    pairs = {seed: compare_runs(runs[(a, seed)], runs[(b, seed)]) for seed in seeds}
    comparison = Comparison(dict(labels), list(seeds), judged, pairs)
    comparison.summary = _summary(comparison, a, b)
    return comparison


def _summary(c: Comparison, a: str, b: str) -> list[str]:
    lines = []
    n = len(c.seeds)

    # (a) Did A and B train identically, seed by seed?
    same = [s for s in c.seeds if c.pairs[s].identical]
    if len(same) == n:
        lines.append(
            f"{a} ({c.labels[a]}) and {b} ({c.labels[b]}) trained identically in "
            f"all {n} seeds: final weights and every recorded number match exactly. "
            "The difference between them changes nothing on this data."
        )
    else:
        differ = [s for s in c.seeds if s not in same]
        weight = [c.pairs[s].weight_diff for s in differ]
        shown = ", ".join("n/a" if w is None else f"{w:.3g}" for w in weight)
        lines.append(
            f"{a} and {b} trained identically in {len(same)} of {n} seeds; seeds "
            f"{_join(differ)} differ (largest final weight difference: {shown})."
        )

    # (b) Which runs ended at chance level?
    chance = c.chance_runs()
    total = n * len(c.labels)
    if chance:
        by_label = {
            label: [r.run.seed for r in chance if r.run.label == label]
            for label in c.labels
        }
        listed = "; ".join(
            f"{label} seeds {_join(s)}" for label, s in by_label.items() if s
        )
        lines.append(f"{len(chance)} of {total} runs ended at chance level ({listed}).")
    else:
        lines.append(f"No run of {total} ended at chance level.")

    # (c) What explains each chance-level run?
    for judged in chance:
        cause = judged.explanation
        head = f"{judged.run.label} seed {judged.run.seed}: "
        if cause is not None:
            lines.append(head + cause.summary + ".")
        else:
            lines.append(
                head + "no dead layer explains it; the model predicts "
                f"{judged.run.final.classes_predicted} classes on the probe batch."
            )
    return lines


def _join(items: list[Any]) -> str:
    return ", ".join(str(i) for i in items)
