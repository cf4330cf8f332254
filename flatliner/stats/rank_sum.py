"""The Mann-Whitney U test on two unpaired groups of scores."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.stats import norm, rankdata

from flatliner.errors import ConfigError
from flatliner.stats.signed_rank import TestResult

# Without ties and with both groups up to this size the exact null
# distribution is counted; otherwise the normal approximation is used.
EXACT_MAX_N = 20


def mann_whitney_u(a: Sequence[float], b: Sequence[float]) -> TestResult:
    """Mann-Whitney U test of whether scores of B tend to differ from A's.

    The statistic is U of B: the number of (a, b) pairs with b > a, ties
    counting one half. It ignores which seed produced which score, so it also
    works for different run counts. How to read it: a small p-value says one
    variant's scores tend to lie above the other's. U / (n_a * n_b) is the
    probability that a random B run beats a random A run. With 1 run against 5
    the smallest possible two-sided p-value is 2/6 = 0.33: no verdict is
    possible (see `min_p`).

    Raises:
        ConfigError: when either group is empty.
    """
    x = np.asarray(a, dtype=float).ravel()
    y = np.asarray(b, dtype=float).ravel()
    if x.size == 0 or y.size == 0:
        raise ConfigError(
            "a and b must each hold at least one score; received "
            f"{x.size} and {y.size}."
        )
    n, m = int(x.size), int(y.size)
    ranks = rankdata(np.concatenate([x, y]))
    u_b = float(ranks[n:].sum() - m * (m + 1) / 2)
    min_p = min(1.0, 2.0 / math.comb(n + m, n))

    mean = n * m / 2
    ties = len(np.unique(ranks)) < n + m
    if not ties and max(n, m) <= EXACT_MAX_N:
        counts = _u_counts(n, m)
        total = counts.sum()
        low = min(u_b, n * m - u_b)
        p = min(1.0, 2.0 * counts[: int(low) + 1].sum() / total)
        return TestResult(u_b, float(p), "exact", min_p, (n, m))

    # Normal approximation with tie correction and continuity correction.
    _, tie_counts = np.unique(ranks, return_counts=True)
    size = n + m
    var = (
        n
        * m
        / 12
        * ((size + 1) - (tie_counts**3 - tie_counts).sum() / (size * (size - 1)))
    )
    if var <= 0:
        return TestResult(u_b, 1.0, "normal", min_p, (n, m))
    z = (abs(u_b - mean) - 0.5) / math.sqrt(var)
    p = min(1.0, 2.0 * norm.sf(max(z, 0.0)))
    return TestResult(u_b, float(p), "normal", min_p, (n, m))


def _u_counts(n: int, m: int) -> np.ndarray:
    """How many orderings of n and m distinct values give each value of U."""
    # counts[i][j][u]: arrangements of i values of one group and j of the other.
    table = [[None] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 or j == 0:
                row = np.zeros(i * j + 1, dtype=object)
                row[0] = 1
                table[i][j] = row
                continue
            row = np.zeros(i * j + 1, dtype=object)
            # The largest value is from group 2 (adds i to U) or from group 1.
            from_b = table[i][j - 1]
            row[i : i + from_b.size] += from_b
            from_a = table[i - 1][j]
            row[: from_a.size] += from_a
            table[i][j] = row
    return table[n][m].astype(float)
