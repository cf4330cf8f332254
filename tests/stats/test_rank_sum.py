import numpy as np
import pytest
from scipy import stats

from flatliner.errors import ConfigError
from flatliner.stats.rank_sum import mann_whitney_u


@pytest.mark.parametrize(("n", "m"), [(1, 5), (5, 5), (4, 9), (12, 15)])
def test_exact_p_value_matches_scipy(n, m):
    rng = np.random.default_rng(n * 100 + m)
    a = rng.normal(size=n)
    b = rng.normal(0.5, 1.0, m)
    ours = mann_whitney_u(a, b)
    ref = stats.mannwhitneyu(b, a, method="exact")
    assert ours.method == "exact"
    assert ours.statistic == ref.statistic
    assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-9)


def test_ties_use_the_normal_approximation_as_scipy_does():
    a = [0.01, 0.01, 0.01, 0.02, 0.05]
    b = [0.01, 0.05, 0.08, 0.08, 0.09, 0.12]
    ours = mann_whitney_u(a, b)
    ref = stats.mannwhitneyu(b, a, method="asymptotic", use_continuity=True)
    assert ours.method == "normal"
    assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-9)


def test_one_run_against_five_cannot_reach_a_verdict():
    result = mann_whitney_u([0.5], [0.01, 0.02, 0.03, 0.04, 0.05])
    assert result.min_p == pytest.approx(2 / 6)
    assert result.p_value > 0.05


def test_far_apart_groups_are_significant():
    result = mann_whitney_u([0.01] * 2 + [0.011] * 3, [0.14, 0.15, 0.16, 0.17, 0.18])
    assert result.p_value < 0.05


def test_empty_group_is_refused():
    with pytest.raises(ConfigError, match="received 0 and 2"):
        mann_whitney_u([], [1.0, 2.0])
