"""Running the fixed models over the same seeds and ranking the fixes."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flatliner.data.dataset import Dataset
from flatliner.diagnoses import diagnose_run
from flatliner.diagnoses.finding import Finding, Fix
from flatliner.errors import FlatlinerError
from flatliner.fixes.fixed_model import fix_label, fixed_spec
from flatliner.fixes.recipes import recipe_for
from flatliner.models.spec import ModelSpec
from flatliner.stats.bootstrap import Interval, paired_bootstrap_ci
from flatliner.stats.identical_runs import compare_runs
from flatliner.stats.metric_comparison import (
    SIGNIFICANT,
    TOO_FEW,
    MetricComparison,
    compare_collapses,
    compare_scores,
)
from flatliner.trials.compare import Progress, run_paired
from flatliner.trials.config import TrainConfig
from flatliner.trials.diagnose import diagnosis_context
from flatliner.trials.run import RunResult, build_model
from flatliner.trials.store import RunStore

logger = logging.getLogger(__name__)

ORIGINAL = "original"

# Verdicts of a fix, in the report's words.
HELPS = "helps"
HURTS = "hurts"
NO_EFFECT = "does not help: no measurable effect"
SAME = "does not help: trains identically to the original"
NOT_APPLIED = "could not be applied"
TOO_FEW_SEEDS = "too few seeds to tell"


@dataclass
class FixOutcome:
    """What one fix did, measured against the original over the same seeds.

    Attributes:
        fix: The fix as the finding suggested it.
        label: Its run label in the store (`remove_activation@d1`).
        verdict: HELPS (the accuracy gain's interval lies above 0 and the
            rank test is significant), HURTS (the same, below 0), NO_EFFECT,
            SAME (trained bit-identically to the original), TOO_FEW_SEEDS (no
            test can reach alpha 0.05 at this many seeds) or NOT_APPLIED.
        gain: Paired bootstrap CI of the final validation accuracy gain.
        accuracy: The statistics of final validation accuracy (fixed - original).
        collapse: Fisher's test on chance-level runs (fixed against original).
        collapsed: Seeds whose fixed run still ended at chance level.
        rescued: Seeds where the original collapsed and the fixed run did not.
        runs: The fixed runs by seed.
        error: Why it could not be applied, for NOT_APPLIED.
    """

    fix: Fix
    label: str
    verdict: str
    gain: Interval | None = None
    accuracy: MetricComparison | None = None
    collapse: MetricComparison | None = None
    collapsed: list[int] = field(default_factory=list)
    rescued: list[int] = field(default_factory=list)
    runs: dict[int, RunResult] = field(default_factory=dict)
    error: str | None = None

    @property
    def ends_collapse(self) -> bool:
        """Ran and no seed of the fixed model ended at chance level."""
        return bool(self.runs) and not self.collapsed

    def to_dict(self) -> dict[str, Any]:
        return {
            "fix": self.fix.to_dict(),
            "label": self.label,
            "verdict": self.verdict,
            "accuracy_gain": None if self.gain is None else self.gain.to_dict(),
            "final_val_accuracy": {
                str(seed): run.final.val_accuracy for seed, run in self.runs.items()
            },
            "collapsed_seeds": self.collapsed,
            "rescued_seeds": self.rescued,
            "ends_collapse": self.ends_collapse,
            "accuracy": None if self.accuracy is None else self.accuracy.to_dict(),
            "collapse": None if self.collapse is None else self.collapse.to_dict(),
            "error": self.error,
        }


@dataclass
class FixReport:
    """The original model's runs and every fix's outcome, best first.

    Attributes:
        model: The model spec as given.
        seeds: The seeds every variant ran with.
        original: The original runs by seed.
        collapsed: Seeds whose original run ended at chance level.
        findings: The findings whose fixes were tried (original runs, all seeds).
        outcomes: Ranked: fixes that ran by mean accuracy gain, then the rest.
        skipped: Suggested fixes with no mechanical recipe.
        original_findings: Each original run's own findings by seed (filled in
            by `fix_study`; empty when the findings were passed in).
    """

    model: str
    seeds: list[int]
    original: dict[int, RunResult]
    collapsed: list[int]
    findings: list[Finding]
    outcomes: list[FixOutcome]
    skipped: list[Fix] = field(default_factory=list)
    original_findings: dict[int, list[Finding]] = field(default_factory=dict)

    def summary(self) -> list[str]:
        """The verdict, one sentence per line."""
        n = len(self.seeds)
        lines = [
            f"original {self.model}: {len(self.collapsed)} of {n} seeds ended at "
            "chance level."
        ]
        if not self.outcomes:
            lines.append("No finding suggested a fix that can be applied mechanically.")
        for rank, outcome in enumerate(self.outcomes, 1):
            head = f"{rank}. {outcome.label}: {outcome.verdict}"
            if outcome.error:
                lines.append(f"{head} ({outcome.error}).")
                continue
            gain = outcome.gain
            text = (
                f"{head}; val accuracy {gain.estimate:+.4f} "
                f"(95% CI {gain.low:+.4f} to {gain.high:+.4f}, {n} seeds)"
            )
            if self.collapsed:
                ended = "ends the collapse in" if outcome.ends_collapse else "leaves"
                if outcome.ends_collapse:
                    text += f"; {ended} all {n} seeds"
                else:
                    text += (
                        f"; {len(outcome.collapsed)} of {n} seeds still at chance "
                        f"(seeds {', '.join(map(str, outcome.collapsed))})"
                    )
            lines.append(text + ".")
        for fix in self.skipped:
            lines.append(f"not tried: {fix.action} has no mechanical recipe.")
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "seeds": self.seeds,
            "original": {
                "final_val_accuracy": {
                    str(s): r.final.val_accuracy for s, r in self.original.items()
                },
                "collapsed_seeds": self.collapsed,
            },
            "findings": [f.to_dict() for f in self.findings],
            "outcomes": [o.to_dict() for o in self.outcomes],
            "skipped": [f.to_dict() for f in self.skipped],
            "summary": self.summary(),
        }


def mechanical_fixes(findings: Sequence[Finding]) -> tuple[list[Fix], list[Fix]]:
    """The findings' fixes, deduplicated in rank order: (with recipe, without)."""
    seen: set[tuple[str, str | None]] = set()
    usable, skipped = [], []
    for finding in findings:
        for fix in finding.fixes:
            key = (fix.action, fix.target)
            if key in seen:
                continue
            seen.add(key)
            (usable if recipe_for(fix) is not None else skipped).append(fix)
    return usable, skipped


# TODO: `diagnose --try-fixes` should call try_fixes with its own findings and
# store; it is wired by the lead once the diagnose command lands (issue 3).
def try_fixes(
    spec: ModelSpec,
    findings: Sequence[Finding],
    dataset: Dataset,
    config: TrainConfig,
    seeds: list[int],
    store: RunStore,
    on_progress: Callable[[Progress], None] | None = None,
) -> FixReport:
    """Applies every mechanical fix of `findings` and measures it over `seeds`.

    The original model runs under the label "original" (the runs `diagnose`
    already made can be in the store), each fix under its own label, all with
    the same seeds; the store skips finished runs, so an interrupted study
    resumes. A fix that does not fit the model (its layer is gone, the model
    is already built) is reported as not applied instead of stopping the study.

    Returns:
        The ranked report; fixes rank by mean gain in final validation
        accuracy, best first.
    """
    usable, skipped = mechanical_fixes(findings)

    # A fix that cannot be built is reported, not trained.
    variants = [(ORIGINAL, spec)]
    failed: list[FixOutcome] = []
    for fix in usable:
        candidate = fixed_spec(spec, fix)
        try:
            build_model(candidate, dataset, seeds[0])
        except FlatlinerError as exc:
            logger.info("fix %s not applicable: %s", fix_label(fix), exc)
            failed.append(FixOutcome(fix, fix_label(fix), NOT_APPLIED, error=str(exc)))
            continue
        variants.append((fix_label(fix), candidate))

    runs = run_paired(variants, dataset, config, seeds, store, on_progress)
    original = {seed: runs[(ORIGINAL, seed)] for seed in seeds}
    chance = {key: _at_chance(run, dataset, config) for key, run in runs.items()}
    collapsed = [s for s in seeds if chance[(ORIGINAL, s)]]

    outcomes = []
    for label, _ in variants[1:]:
        fix = next(f for f in usable if fix_label(f) == label)
        outcomes.append(_outcome(fix, label, seeds, runs, chance, collapsed))
    outcomes.sort(key=lambda o: -o.gain.estimate)
    return FixReport(
        model=spec.name,
        seeds=list(seeds),
        original=original,
        collapsed=collapsed,
        findings=list(findings),
        outcomes=outcomes + failed,
        skipped=skipped,
    )


def fix_study(
    spec: ModelSpec,
    dataset: Dataset,
    config: TrainConfig,
    seeds: list[int],
    store: RunStore,
    on_progress: Callable[[Progress], None] | None = None,
) -> FixReport:
    """Runs the original over `seeds`, diagnoses every run, then tries the fixes.

    Every run is judged with the rules `flatliner diagnose` uses, including
    those that read the compiled model and the data (a from_logits mismatch,
    input scale, a narrow bottleneck). The findings of all seeds are pooled,
    errors first, so a fix suggested by any seed is tried on all of them.
    """
    context, _ = diagnosis_context(spec, dataset, config, seeds[0])
    runs = run_paired([(ORIGINAL, spec)], dataset, config, seeds, store, on_progress)
    by_seed = {
        seed: diagnose_run(runs[(ORIGINAL, seed)], context=context) for seed in seeds
    }
    findings = [f for seed in seeds for f in by_seed[seed]]
    order = {"error": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: order[f.severity])
    report = try_fixes(spec, findings, dataset, config, seeds, store, on_progress)
    report.original_findings = by_seed
    return report


def _outcome(
    fix: Fix,
    label: str,
    seeds: list[int],
    runs: dict[tuple[str, int], RunResult],
    chance: dict[tuple[str, int], bool],
    collapsed: list[int],
) -> FixOutcome:
    before = [runs[(ORIGINAL, s)].final.val_accuracy for s in seeds]
    after = [runs[(label, s)].final.val_accuracy for s in seeds]
    identical = all(
        compare_runs(runs[(ORIGINAL, s)], runs[(label, s)]).identical for s in seeds
    )
    accuracy = compare_scores("final_val_accuracy", before, after, identical=identical)
    collapse = compare_collapses(
        [chance[(ORIGINAL, s)] for s in seeds],
        [chance[(label, s)] for s in seeds],
        identical=identical,
    )
    gain = paired_bootstrap_ci(before, after)
    # A direction needs both a one-sided interval and a significant rank test.
    if identical:
        verdict = SAME
    elif accuracy.verdict == TOO_FEW:
        verdict = TOO_FEW_SEEDS
    elif gain.low > 0 and accuracy.verdict == SIGNIFICANT:
        verdict = HELPS
    elif gain.high < 0 and accuracy.verdict == SIGNIFICANT:
        verdict = HURTS
    else:
        verdict = NO_EFFECT
    still = [s for s in seeds if chance[(label, s)]]
    return FixOutcome(
        fix=fix,
        label=label,
        verdict=verdict,
        gain=gain,
        accuracy=accuracy,
        collapse=collapse,
        collapsed=still,
        rescued=[s for s in collapsed if s not in still],
        runs={s: runs[(label, s)] for s in seeds},
    )


def _at_chance(run: RunResult, dataset: Dataset, config: TrainConfig) -> bool:
    probe = config.probe_samples(len(dataset.y_test))
    findings = diagnose_run(run, dataset.y_test, dataset.num_classes, probe)
    return any(f.kind == "chance_level" for f in findings)
