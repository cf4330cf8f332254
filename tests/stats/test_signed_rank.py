import numpy as np
import pytest
from scipy import stats

from flatliner.stats.signed_rank import wilcoxon_signed_rank


@pytest.mark.parametrize("n", [3, 6, 10, 25])
def test_exact_p_value_matches_scipy(n):
    rng = np.random.default_rng(n)
    a = rng.normal(size=n)
    b = a + rng.normal(0.4, 1.0, n)
    ours = wilcoxon_signed_rank(a, b)
    ref = stats.wilcoxon(b - a, method="exact")
    assert ours.method == "exact"
    assert ours.statistic == ref.statistic
    assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-9)


def test_ties_use_the_normal_approximation_as_scipy_does():
    a = np.zeros(12)
    b = np.array([1, 1, 2, 2, 2, 3, -1, 4, 4, 5, -2, 6], dtype=float)
    ours = wilcoxon_signed_rank(a, b)
    ref = stats.wilcoxon(b, method="asymptotic", correction=False)
    assert ours.method == "normal"
    assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-9)


def test_identical_lists_are_no_difference():
    result = wilcoxon_signed_rank([0.1, 0.2, 0.3], [0.1, 0.2, 0.3])
    assert result.p_value == 1.0


def test_five_pairs_can_never_reach_five_percent():
    result = wilcoxon_signed_rank([0.0] * 5, [1.0, 2.0, 3.0, 4.0, 5.0])
    assert result.p_value == pytest.approx(0.0625)
    assert result.min_p == pytest.approx(0.0625)


def test_far_apart_pairs_are_significant():
    rng = np.random.default_rng(0)
    a = rng.normal(0.01, 0.001, 10)
    result = wilcoxon_signed_rank(a, a + rng.uniform(0.1, 0.2, 10))
    assert result.p_value < 0.01
