import math

import numpy as np
import pytest
from scipy import stats

from flatliner.stats.effect_size import cliffs_delta, cohens_d, cohens_dz


def test_cohens_dz_is_mean_over_sd_of_differences():
    a = np.array([0.1, 0.2, 0.3, 0.4])
    b = np.array([0.2, 0.25, 0.45, 0.5])
    d = b - a
    assert cohens_dz(a, b) == pytest.approx(d.mean() / d.std(ddof=1))


def test_cohens_d_uses_the_pooled_sd():
    a = np.array([1.0, 2.0, 3.0])
    b = np.array([2.0, 4.0, 6.0, 8.0])
    pooled = (2 * a.var(ddof=1) + 3 * b.var(ddof=1)) / 5
    assert cohens_d(a, b) == pytest.approx((b.mean() - a.mean()) / math.sqrt(pooled))


def test_cliffs_delta_is_the_rank_biserial_of_scipy_u():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=6), rng.normal(0.5, 1, 8)
    u = stats.mannwhitneyu(b, a).statistic
    assert cliffs_delta(a, b) == pytest.approx(2 * u / (6 * 8) - 1)


def test_constant_shift_is_infinite_and_no_shift_is_zero():
    assert cohens_dz([0.0, 1.0], [1.0, 2.0]) == math.inf
    assert cohens_dz([0.0, 1.0], [0.0, 1.0]) == 0.0
    assert math.isnan(cohens_dz([0.0], [1.0]))
