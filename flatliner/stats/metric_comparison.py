"""Every statistic for one metric of A and B, and the verdict they support."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from flatliner.stats.almost_stochastic_order import aso
from flatliner.stats.bootstrap import Interval, paired_bootstrap_ci
from flatliner.stats.effect_size import cliffs_delta, cohens_d, cohens_dz
from flatliner.stats.fisher_exact import fisher_exact
from flatliner.stats.power import seeds_for_power
from flatliner.stats.rank_sum import mann_whitney_u
from flatliner.stats.signed_rank import TestResult, wilcoxon_signed_rank

ALPHA = 0.05

# Verdicts, in the words the report uses.
IDENTICAL = "trained identically seed by seed: no test is needed"
NO_DIFFERENCE = "no difference: the scores are the same"
TOO_FEW = "too few seeds for a verdict"
SIGNIFICANT = "significant"
NOT_SIGNIFICANT = "no significant difference"


@dataclass(frozen=True)
class MetricComparison:
    """The statistics of one metric for variants A and B.

    Attributes:
        metric: The metric's name (`final_val_accuracy`, ...).
        a, b: The scores, one per run, in seed order.
        higher_is_better: Direction of the metric (False for losses).
        paired: True when a[i] and b[i] share a seed.
        verdict: One of the verdict strings of this module.
        test: Which test the verdict rests on ("wilcoxon", "mann_whitney",
            "fisher", or None).
        p_value: That test's two-sided p-value, or None.
        interval: Paired bootstrap CI of mean(b - a), or None if unpaired.
        wilcoxon, mann_whitney, fisher: Each test's result, when it applies.
        aso_a_better, aso_b_better: eps_min of A over B and of B over A, in
            the metric's better direction; below 0.5 favours that variant.
        cohens_dz, cohens_d, cliffs_delta: Effect sizes of b against a.
        seeds_for_80_power: Paired seeds needed to detect the observed
            cohens_dz 80% of the time at alpha 0.05, or None.
    """

    metric: str
    a: list[float]
    b: list[float]
    higher_is_better: bool
    paired: bool
    verdict: str
    test: str | None
    p_value: float | None
    interval: Interval | None = None
    wilcoxon: TestResult | None = None
    mann_whitney: TestResult | None = None
    fisher: TestResult | None = None
    aso_a_better: float | None = None
    aso_b_better: float | None = None
    cohens_dz: float | None = None
    cohens_d: float | None = None
    cliffs_delta: float | None = None
    seeds_for_80_power: int | None = None

    @property
    def mean_difference(self) -> float:
        """mean(b) - mean(a)."""
        return float(np.mean(self.b) - np.mean(self.a))

    def to_dict(self) -> dict[str, Any]:
        def part(value: Any) -> Any:
            return None if value is None else value.to_dict()

        return {
            "metric": self.metric,
            "a": self.a,
            "b": self.b,
            "higher_is_better": self.higher_is_better,
            "paired": self.paired,
            "verdict": self.verdict,
            "test": self.test,
            "p_value": self.p_value,
            "mean_difference": self.mean_difference,
            "bootstrap_ci": part(self.interval),
            "wilcoxon": part(self.wilcoxon),
            "mann_whitney": part(self.mann_whitney),
            "fisher": part(self.fisher),
            "aso_a_better": self.aso_a_better,
            "aso_b_better": self.aso_b_better,
            "cohens_dz": self.cohens_dz,
            "cohens_d": self.cohens_d,
            "cliffs_delta": self.cliffs_delta,
            "seeds_for_80_power": self.seeds_for_80_power,
        }


def compare_scores(
    metric: str,
    a: Sequence[float],
    b: Sequence[float],
    *,
    higher_is_better: bool = True,
    paired: bool = True,
    identical: bool = False,
    alpha: float = ALPHA,
    seed: int | None = 0,
) -> MetricComparison:
    """All statistics of one continuous metric, and the verdict.

    The verdict, in this order: `identical` (the caller found the runs
    bit-identical seed by seed) says no test is needed; equal score lists are
    "no difference"; otherwise the paired Wilcoxon test decides when it can
    reach `alpha` at this many pairs, else the Mann-Whitney test when it can,
    else there are too few seeds for a verdict. Pairing needs equal counts;
    with unequal counts `paired` is ignored.

    Args:
        metric: Name of the metric, for the report.
        a, b: Scores of A and B, one per run (in seed order when paired).
        higher_is_better: False for losses; sets the direction of the ASO scores.
        paired: Whether a[i] and b[i] come from the same seed.
        identical: Whether A and B trained bit-identically with every seed.
        alpha: Significance level (default 0.05).
        seed: Seed of the bootstrap resampling (default 0).
    """
    x = [float(v) for v in a]
    y = [float(v) for v in b]
    paired = paired and len(x) == len(y)
    base = {"metric": metric, "a": x, "b": y, "higher_is_better": higher_is_better}
    base["paired"] = paired
    if identical:
        return MetricComparison(**base, verdict=IDENTICAL, test=None, p_value=None)
    if sorted(x) == sorted(y) and (not paired or x == y):
        return MetricComparison(**base, verdict=NO_DIFFERENCE, test=None, p_value=1.0)

    # Every statistic that applies at these counts.
    wilcoxon = wilcoxon_signed_rank(x, y) if paired else None
    mann_whitney = mann_whitney_u(x, y)
    interval = paired_bootstrap_ci(x, y, seed=seed) if paired else None
    sign = 1.0 if higher_is_better else -1.0
    dz = cohens_dz(x, y) if paired else math.nan
    extra = {
        "interval": interval,
        "wilcoxon": wilcoxon,
        "mann_whitney": mann_whitney,
        "aso_a_better": aso([sign * v for v in x], [sign * v for v in y], seed=seed),
        "aso_b_better": aso([sign * v for v in y], [sign * v for v in x], seed=seed),
        "cohens_dz": None if math.isnan(dz) else dz,
        "cohens_d": _finite_or_none(cohens_d(x, y)),
        "cliffs_delta": _finite_or_none(cliffs_delta(x, y)),
        "seeds_for_80_power": seeds_for_power(dz, alpha) if paired else None,
    }

    # The verdict rests on the strongest test that can reach alpha at all.
    if wilcoxon is not None and wilcoxon.min_p <= alpha:
        test, result = "wilcoxon", wilcoxon
    elif mann_whitney.min_p <= alpha:
        test, result = "mann_whitney", mann_whitney
    else:
        return MetricComparison(
            **base, verdict=TOO_FEW, test=None, p_value=None, **extra
        )
    verdict = SIGNIFICANT if result.p_value < alpha else NOT_SIGNIFICANT
    return MetricComparison(
        **base, verdict=verdict, test=test, p_value=result.p_value, **extra
    )


def compare_collapses(
    a: Sequence[bool],
    b: Sequence[bool],
    *,
    identical: bool = False,
    alpha: float = ALPHA,
) -> MetricComparison:
    """Fisher's exact test on how many runs of A and B ended at chance level.

    Scores are 1 for a collapsed run and 0 otherwise (lower is better). The
    verdict rules are those of `compare_scores`, with Fisher's test in place
    of the rank tests.
    """
    x = [float(bool(v)) for v in a]
    y = [float(bool(v)) for v in b]
    base = {
        "metric": "chance_level_collapse",
        "a": x,
        "b": y,
        "higher_is_better": False,
        "paired": len(x) == len(y),
    }
    if identical:
        return MetricComparison(**base, verdict=IDENTICAL, test=None, p_value=None)
    fisher = fisher_exact(int(sum(x)), len(x), int(sum(y)), len(y))
    if sum(x) == sum(y) and len(x) == len(y):
        return MetricComparison(
            **base, verdict=NO_DIFFERENCE, test="fisher", p_value=1.0, fisher=fisher
        )
    # The most lopsided table with these run counts: all of one side collapsed.
    best = fisher_exact(len(x), len(x), 0, len(y))
    if best.p_value > alpha:
        return MetricComparison(
            **base, verdict=TOO_FEW, test=None, p_value=None, fisher=fisher
        )
    verdict = SIGNIFICANT if fisher.p_value < alpha else NOT_SIGNIFICANT
    return MetricComparison(
        **base, verdict=verdict, test="fisher", p_value=fisher.p_value, fisher=fisher
    )


def _finite_or_none(value: float) -> float | None:
    # JSON-friendly: nan has no meaning to report; infinities are kept.
    return None if math.isnan(value) else value
