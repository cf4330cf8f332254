"""What a report shows, in the order every renderer shows it.

The HTML page and the terminal summary both render a `ReportView`, section by
section in `SECTIONS` order:

1. `verdict`: the verdict lines and every finding, with its evidence;
2. `curves`: validation accuracy and loss per epoch, one line per seed, A and B;
3. `spread`: final validation accuracy of every seed, per variant;
4. `dead_units`: per ReLU layer, the share of never-active units per epoch;
5. `classes`: how often each class is predicted on the probe batch at the end;
6. `gradients`: gradient norm per layer per epoch;
7. `fixes`: the fixes tried, their effect and its interval.

A section renders from what the run store holds. Where the runs carry no data
for it, `ReportView.has(section)` is False and renderers show a short "not
measured in this run" note instead of an empty figure. The fields read are:

- `EpochRecord.val_accuracy`, `val_loss`, `dead_units` ({layer path: [dead,
  units]}) and `class_counts` ({class: probe images}) for sections 2 to 5;
- `EpochRecord.gradient_rms`: {layer path: float}, the root-mean-square loss
  gradient of that layer's weights on the probe batch at the end of the epoch
  (read with getattr, so older stores without it keep rendering);
- `FixEffect` rows passed to `build_view(fixes=...)` for section 7: one per fix
  tried, with the change of final validation accuracy against the unfixed
  model and its confidence interval.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flatliner.diagnoses.comparison import Comparison
from flatliner.diagnoses.finding import Finding
from flatliner.probes.snapshot import LayerInfo
from flatliner.trials.run import EpochRecord, RunResult

if TYPE_CHECKING:
    from flatliner.fixes.trial import FixReport

SECTIONS = (
    "verdict",
    "curves",
    "spread",
    "dead_units",
    "classes",
    "gradients",
    "fixes",
)

TITLES = {
    "verdict": "Verdict and findings",
    "curves": "Training curves per seed",
    "spread": "Final accuracy per variant",
    "dead_units": "Dead units per ReLU layer",
    "classes": "Predicted classes at the end",
    "gradients": "Gradient norms by layer",
    "fixes": "Fixes tried",
}

NOT_MEASURED = "not measured in this run"


@dataclass(frozen=True)
class FixEffect:
    """One fix re-run over seeds, and what it changed.

    Attributes:
        description: The fix in the practitioner's words.
        effect: Mean change of final validation accuracy against the unfixed
            model (positive is better).
        low: Lower end of its confidence interval, or None if not computed.
        high: Upper end of its confidence interval, or None if not computed.
        seeds: How many seeds the fix ran with.
        collapsed: How many of those runs still ended at chance level, if known.
        confidence: The interval's level (default 0.95).
    """

    description: str
    effect: float
    low: float | None = None
    high: float | None = None
    seeds: int = 0
    collapsed: int | None = None
    confidence: float = 0.95


@dataclass(frozen=True)
class FindingGroup:
    """One finding kind on one layer, with every run it was found in."""

    finding: Finding
    runs: list[tuple[str, int, Finding]]


@dataclass
class ReportView:
    """Everything a report shows, gathered from a judged comparison.

    Attributes:
        labels: Variant label -> model as given (user text: escape it).
        seeds: Seeds in order.
        num_classes: K, for the chance lines (1/K and ln K).
        data: The data's name.
        summary: The verdict lines.
        groups: Findings grouped by (kind, layer), errors first.
        runs: (label, seed) -> the run.
        chance: (label, seed) of every run judged at chance level.
        identical: seed -> whether A and B trained identically with it.
        fixes: The fixes tried, best first; empty when none were.
    """

    labels: dict[str, str]
    seeds: list[int]
    num_classes: int
    data: str
    summary: list[str]
    groups: list[FindingGroup]
    runs: dict[tuple[str, int], RunResult]
    chance: set[tuple[str, int]]
    identical: dict[int, bool]
    fixes: list[FixEffect] = field(default_factory=list)

    def ordered_runs(self) -> list[RunResult]:
        return [self.runs[(label, s)] for label in self.labels for s in self.seeds]

    def relu_layers(self) -> list[LayerInfo]:
        """Every layer with dead-unit counts, in model order."""
        return self._layers(lambda r: r.dead_units)

    def gradient_layers(self) -> list[LayerInfo]:
        """Every layer with a gradient norm, in model order."""
        return self._layers(grad_norms)

    def final_accuracy(self, label: str) -> list[float]:
        return [self.runs[(label, s)].final.val_accuracy for s in self.seeds]

    def class_totals(self, label: str) -> list[int]:
        """Probe images predicted as each class at the end, summed over seeds."""
        totals = [0] * self.num_classes
        for seed in self.seeds:
            for cls, count in self.runs[(label, seed)].final.class_counts.items():
                if 0 <= cls < self.num_classes:
                    totals[cls] += count
        return totals

    def has(self, section: str) -> bool:
        """Whether the runs hold data for `section` (else: not measured)."""
        if section == "dead_units":
            return bool(self.relu_layers())
        if section == "gradients":
            return bool(self.gradient_layers())
        if section == "fixes":
            return bool(self.fixes)
        if section == "classes":
            return any(r.final.class_counts for r in self.runs.values())
        return bool(self.runs)

    def _layers(self, values) -> list[LayerInfo]:
        paths: set[str] = set()
        for run in self.runs.values():
            for record in run.epochs:
                paths.update(values(record) or {})
        first = next(iter(self.runs.values()), None)
        known = [] if first is None else [i for i in first.layers if i.path in paths]
        extra = sorted(paths - {i.path for i in known})
        return known + [LayerInfo(p, p, "?", None, None, None) for p in extra]


def grad_norms(record: EpochRecord) -> dict[str, float] | None:
    """The record's per-layer gradient norms, or None where it has none."""
    # The Monitor records the root-mean-square gradient per layer on the probe
    # batch (`gradient_rms`); `grad_norms` is the older name this page read.
    norms = getattr(record, "gradient_rms", None) or getattr(record, "grad_norms", None)
    return dict(norms) if norms else None


def build_view(
    comparison: Comparison,
    *,
    num_classes: int,
    data: str,
    fixes: list[FixEffect] | None = None,
) -> ReportView:
    """Gathers a judged comparison into the sections a report shows."""
    runs = {key: judged.run for key, judged in comparison.runs.items()}
    order = {"error": 0, "warning": 1, "info": 2}

    # One group per (kind, layer): the same dead layer in ten seeds is one
    # finding found ten times, not ten findings.
    grouped: dict[tuple[str, str | None], FindingGroup] = {}
    for label in comparison.labels:
        for seed in comparison.seeds:
            for finding in comparison.runs[(label, seed)].findings:
                key = (finding.kind, finding.layer)
                if key not in grouped:
                    grouped[key] = FindingGroup(finding, [])
                grouped[key].runs.append((label, seed, finding))
    groups = sorted(grouped.values(), key=lambda g: order[g.finding.severity])

    return ReportView(
        labels=dict(comparison.labels),
        seeds=list(comparison.seeds),
        num_classes=num_classes,
        data=data,
        summary=list(comparison.summary),
        groups=groups,
        runs=runs,
        chance={key for key, judged in comparison.runs.items() if judged.chance},
        identical={seed: p.identical for seed, p in comparison.pairs.items()},
        fixes=list(fixes or []),
    )


def spread(values: list[float]) -> dict[str, Any]:
    """Mean, standard deviation (n - 1), min and max, with the run count."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return {"n": 0, "mean": None, "sd": None, "min": None, "max": None}
    return {
        "n": len(finite),
        "mean": statistics.fmean(finite),
        "sd": statistics.stdev(finite) if len(finite) > 1 else None,
        "min": min(finite),
        "max": max(finite),
    }


def fix_effects(report: FixReport) -> list[FixEffect]:
    """The fixes a fix study measured, as report rows, best first.

    Fixes that could not be applied have no effect to show and are left out
    (the terminal and JSON reports list them with the reason).
    """
    rows = []
    for outcome in report.outcomes:
        if outcome.gain is None:
            continue
        rows.append(
            FixEffect(
                description=f"{outcome.fix.description} ({outcome.verdict})",
                effect=outcome.gain.estimate,
                low=outcome.gain.low,
                high=outcome.gain.high,
                seeds=outcome.gain.n,
                collapsed=len(outcome.collapsed),
                confidence=outcome.gain.confidence,
            )
        )
    return rows


def single_model_view(
    model: str,
    runs: dict[int, RunResult],
    findings: dict[int, list[Finding]],
    *,
    num_classes: int,
    data: str,
    summary: list[str],
    extra_findings: list[Finding] | None = None,
    fixes: list[FixEffect] | None = None,
) -> ReportView:
    """Gathers one model's runs (diagnose, fix) into the report's sections.

    `findings` maps each seed to its run's findings; `extra_findings` (pre-flight
    checks, shared by every seed) are shown first, attributed to the first seed.
    The variant's label is the runs' own ("A" from diagnose, "original" from a
    fix study).
    """
    label = next(iter(runs.values())).label if runs else "A"
    order = {"error": 0, "warning": 1, "info": 2}
    seeds = sorted(runs)
    grouped: dict[tuple[str, str | None], FindingGroup] = {}
    for finding in extra_findings or []:
        key = (finding.kind, finding.layer)
        grouped.setdefault(key, FindingGroup(finding, []))
        grouped[key].runs.append((label, seeds[0] if seeds else 0, finding))
    for seed in seeds:
        for finding in findings.get(seed, []):
            key = (finding.kind, finding.layer)
            grouped.setdefault(key, FindingGroup(finding, []))
            grouped[key].runs.append((label, seed, finding))
    groups = sorted(grouped.values(), key=lambda g: order.get(g.finding.severity, 3))
    chance = {
        (label, seed)
        for seed in seeds
        if any(f.kind == "chance_level" for f in findings.get(seed, []))
    }
    return ReportView(
        labels={label: model},
        seeds=seeds,
        num_classes=num_classes,
        data=data,
        summary=list(summary),
        groups=groups,
        runs={(label, seed): run for seed, run in runs.items()},
        chance=chance,
        identical={},
        fixes=list(fixes or []),
    )
