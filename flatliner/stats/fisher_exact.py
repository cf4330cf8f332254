"""Fisher's exact test on collapse counts."""

from __future__ import annotations

import math

from flatliner.errors import ConfigError
from flatliner.stats.signed_rank import TestResult

# Tables whose probability is within this relative margin of the observed one
# count as "as extreme" (floating-point ties).
RELATIVE_TOLERANCE = 1e-7


def fisher_exact(
    collapsed_a: int, runs_a: int, collapsed_b: int, runs_b: int
) -> TestResult:
    """Fisher's exact test of whether A and B collapse at different rates.

    The 2x2 table is (collapsed, not collapsed) x (A, B). The statistic is the
    sample odds ratio (inf or 0 when a cell is empty, nan when both variants
    have no runs of one outcome). How to read it: a small two-sided p-value
    says the collapse rates differ by more than the luck of which seeds ran.
    With 5 runs each, 5 of 5 against 0 of 5 gives p = 0.0079; 3 of 5 against
    0 of 5 gives 0.17. `min_p` is the p-value of the most lopsided table with
    the same run counts and the same total collapses.

    Raises:
        ConfigError: for negative counts or more collapses than runs.
    """
    for name, value in (
        ("collapsed_a", collapsed_a),
        ("runs_a", runs_a),
        ("collapsed_b", collapsed_b),
        ("runs_b", runs_b),
    ):
        if not isinstance(value, int) or value < 0:
            raise ConfigError(
                f"{name} must be a non-negative integer; received {value!r}."
            )
    if collapsed_a > runs_a or collapsed_b > runs_b:
        raise ConfigError(
            "collapsed runs cannot exceed runs; received "
            f"{collapsed_a} of {runs_a} and {collapsed_b} of {runs_b}."
        )

    total = runs_a + runs_b
    collapsed = collapsed_a + collapsed_b
    denominator = math.comb(total, collapsed)

    def probability(k: int) -> float:
        # Hypergeometric: k of A's runs among all collapsed runs.
        return math.comb(runs_a, k) * math.comb(runs_b, collapsed - k) / denominator

    low = max(0, collapsed - runs_b)
    high = min(collapsed, runs_a)
    table = {k: probability(k) for k in range(low, high + 1)}
    observed = table[collapsed_a]
    p = sum(v for v in table.values() if v <= observed * (1 + RELATIVE_TOLERANCE))
    extreme = min(table.values())
    min_p = sum(v for v in table.values() if v <= extreme * (1 + RELATIVE_TOLERANCE))

    a_ok, b_ok = runs_a - collapsed_a, runs_b - collapsed_b
    if collapsed_b * a_ok == 0 and collapsed_a * b_ok == 0:
        odds = math.nan
    elif collapsed_b * a_ok == 0:
        odds = math.inf
    else:
        odds = collapsed_a * b_ok / (collapsed_b * a_ok)
    return TestResult(
        float(odds),
        float(min(1.0, p)),
        "exact",
        float(min(1.0, min_p)),
        (runs_a, runs_b),
    )
