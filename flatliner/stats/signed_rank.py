"""Wilcoxon's signed-rank test on paired scores."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import norm, rankdata

from flatliner.errors import ConfigError

# Up to this many non-zero differences without ties the exact null distribution
# is enumerated; beyond it, or with ties, the normal approximation is used.
EXACT_MAX_N = 50


@dataclass(frozen=True)
class TestResult:
    """A test statistic, its two-sided p-value and how it was computed.

    Attributes:
        statistic: The test's statistic (see each test for which one).
        p_value: Two-sided p-value.
        method: "exact" (the null distribution enumerated) or "normal".
        min_p: The smallest p-value this test can give at these counts: when it
            is above alpha, no data could make the test significant.
        n: The count the test rests on (non-zero pairs, or both group sizes).
    """

    statistic: float
    p_value: float
    method: str
    min_p: float
    n: int | tuple[int, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "statistic": self.statistic,
            "p_value": self.p_value,
            "method": self.method,
            "min_p": self.min_p,
            "n": list(self.n) if isinstance(self.n, tuple) else self.n,
        }


def wilcoxon_signed_rank(a: Sequence[float], b: Sequence[float]) -> TestResult:
    """Wilcoxon's signed-rank test of the paired differences `b - a`.

    The statistic is the smaller of the positive and negative rank sums over
    the non-zero differences (zero differences are dropped, as Wilcoxon did).
    How to read it: a small p-value says the differences lean to one side more
    than a symmetric-around-zero distribution would produce. It tests the sign
    of the differences, not their size. With 5 pairs the smallest possible
    two-sided p-value is 2/32 = 0.0625, so at alpha 0.05 it needs at least 6
    non-zero pairs (see `min_p`). All pairs equal gives p = 1.

    Raises:
        ConfigError: when a and b differ in length or are empty.
    """
    x = np.asarray(a, dtype=float)
    y = np.asarray(b, dtype=float)
    if x.shape != y.shape or x.ndim != 1 or x.size == 0:
        raise ConfigError(
            "a and b must be non-empty 1-D score lists of equal length (paired "
            f"by seed); received lengths {x.size} and {y.size}."
        )

    diff = (y - x)[(y - x) != 0]
    n = int(diff.size)
    if n == 0:
        return TestResult(0.0, 1.0, "exact", 1.0, 0)
    ranks = rankdata(np.abs(diff))
    plus = float(ranks[diff > 0].sum())
    minus = float(ranks[diff < 0].sum())
    statistic = min(plus, minus)
    min_p = min(1.0, 2.0 / 2**n)

    ties = len(np.unique(np.abs(diff))) < n
    if n <= EXACT_MAX_N and not ties:
        counts = _signed_rank_counts(n)
        below = counts[: int(statistic) + 1].sum()
        p = min(1.0, 2.0 * below / 2**n)
        return TestResult(statistic, float(p), "exact", min_p, n)

    # Normal approximation with the tie correction of the variance.
    mean = n * (n + 1) / 4
    _, tie_counts = np.unique(ranks, return_counts=True)
    var = n * (n + 1) * (2 * n + 1) / 24 - (tie_counts**3 - tie_counts).sum() / 48
    z = (statistic - mean) / math.sqrt(var) if var > 0 else 0.0
    p = min(1.0, 2.0 * norm.cdf(z))
    return TestResult(statistic, float(p), "normal", min_p, n)


def _signed_rank_counts(n: int) -> np.ndarray:
    """How many sign assignments of ranks 1..n give each positive rank sum."""
    total = n * (n + 1) // 2
    counts = np.zeros(total + 1, dtype=object)
    counts[0] = 1
    for rank in range(1, n + 1):
        # Each rank either joins the positive sum or does not.
        counts[rank:] = counts[rank:] + counts[:-rank].copy()
    return counts.astype(float)
