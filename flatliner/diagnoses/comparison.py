"""The verdict of a paired-seed comparison between two variants."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flatliner.data.dataset import Dataset
from flatliner.diagnoses import diagnose_run
from flatliner.diagnoses.finding import Finding
from flatliner.stats.identical_runs import Identity, compare_runs
from flatliner.stats.metric_comparison import (
    MetricComparison,
    compare_collapses,
    compare_scores,
)
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
        statistics: Per metric, the tests and effect sizes of B against A.
        summary: The verdict, one sentence per line.
    """

    labels: dict[str, str]
    seeds: list[int]
    runs: dict[tuple[str, int], JudgedRun]
    pairs: dict[int, Identity]
    statistics: list[MetricComparison] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        """True when A and B trained bit-identically with every seed."""
        return bool(self.pairs) and all(p.identical for p in self.pairs.values())

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
    probe = config.probe_samples(len(dataset.y_test))
    judged = {
        key: JudgedRun(
            run, diagnose_run(run, dataset.y_test, dataset.num_classes, probe)
        )
        for key, run in runs.items()
    }
    a, b = list(labels)
    pairs = {seed: compare_runs(runs[(a, seed)], runs[(b, seed)]) for seed in seeds}
    comparison = Comparison(dict(labels), list(seeds), judged, pairs)
    comparison.statistics = metric_statistics(comparison, a, b)
    comparison.summary = _summary(comparison, a, b)
    return comparison


# The metrics every comparison reports: name, value of a run, higher is better.
METRICS = (
    ("final_val_accuracy", lambda r: r.final.val_accuracy, True),
    (
        "best_val_accuracy",
        lambda r: max(e.val_accuracy for e in r.epochs[1:] or r.epochs),
        True,
    ),
    ("final_val_loss", lambda r: r.final.val_loss, False),
)


def metric_statistics(c: Comparison, a: str, b: str) -> list[MetricComparison]:
    """The statistics of B against A for every metric of METRICS, and collapse."""
    runs_a = [c.runs[(a, s)] for s in c.seeds]
    runs_b = [c.runs[(b, s)] for s in c.seeds]
    stats = [
        compare_scores(
            name,
            [value(j.run) for j in runs_a],
            [value(j.run) for j in runs_b],
            higher_is_better=higher,
            identical=c.identical,
        )
        for name, value, higher in METRICS
    ]
    stats.append(
        compare_collapses(
            [j.chance is not None for j in runs_a],
            [j.chance is not None for j in runs_b],
            identical=c.identical,
        )
    )
    return stats


def _summary(c: Comparison, a: str, b: str) -> list[str]:
    lines = []
    n = len(c.seeds)

    # (a) Did A and B train identically, seed by seed?
    same = [s for s in c.seeds if c.pairs[s].identical]
    if len(same) == n:
        lines.append(
            f"{a} ({c.labels[a]}) and {b} ({c.labels[b]}) trained identically in "
            f"all {n} seeds: final weights and every recorded number match exactly. "
            "The difference between them changes nothing on this data; no test "
            "is needed."
        )
    else:
        differ = [s for s in c.seeds if s not in same]
        weight = [c.pairs[s].weight_diff for s in differ]
        shown = ", ".join("n/a" if w is None else f"{w:.3g}" for w in weight)
        lines.append(
            f"{a} and {b} trained identically in {len(same)} of {n} seeds; seeds "
            f"{_join(differ)} differ (largest final weight difference: {shown})."
        )

    # (b) Is the difference real? Only asked when the runs differ.
    if not c.identical:
        for stat in c.statistics:
            lines.append(_stat_line(stat, a, b))

    # (c) Which runs ended at chance level?
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

    # (d) What explains each chance-level run?
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


def _stat_line(stat: MetricComparison, a: str, b: str) -> str:
    """`final_val_accuracy: B - A = +0.130 [0.12, 0.14], significant (...)`."""
    if stat.metric == "chance_level_collapse":
        head = (
            f"{stat.metric}: {a} {int(sum(stat.a))} of {len(stat.a)} runs, "
            f"{b} {int(sum(stat.b))} of {len(stat.b)}"
        )
    else:
        head = f"{stat.metric}: {b} - {a} = {stat.mean_difference:+.4g}"
        if stat.interval is not None:
            ci = stat.interval
            head += f" (95% CI {ci.low:+.4g} to {ci.high:+.4g})"
    tail = stat.verdict
    if stat.p_value is not None and stat.test is not None:
        tail += f", {stat.test} p = {stat.p_value:.3g}"
    if stat.seeds_for_80_power is not None:
        tail += f"; about {stat.seeds_for_80_power} paired seeds for 80% power"
    return f"{head}: {tail}."
