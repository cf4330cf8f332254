import numpy as np
import pytest
from scipy import stats

from flatliner.errors import ConfigError
from flatliner.stats.bootstrap import paired_bootstrap_ci


def test_interval_matches_scipy_percentile_bootstrap():
    rng = np.random.default_rng(3)
    a = rng.normal(0.10, 0.02, 12)
    b = a + rng.normal(0.03, 0.01, 12)
    ours = paired_bootstrap_ci(a, b, resamples=20_000, seed=1)
    ref = stats.bootstrap(
        (b - a,),
        np.mean,
        confidence_level=0.95,
        n_resamples=20_000,
        method="percentile",
        random_state=np.random.default_rng(2),
    ).confidence_interval
    assert ours.estimate == pytest.approx(np.mean(b - a))
    # Two independent bootstraps: agree to a tenth of the interval's width.
    width = ref.high - ref.low
    assert ours.low == pytest.approx(ref.low, abs=0.1 * width)
    assert ours.high == pytest.approx(ref.high, abs=0.1 * width)


def test_identical_lists_give_zero_width_interval_at_zero():
    scores = [0.1, 0.2, 0.15, 0.3]
    interval = paired_bootstrap_ci(scores, scores)
    assert (interval.low, interval.estimate, interval.high) == (0.0, 0.0, 0.0)
    assert not interval.excludes_zero


def test_far_apart_lists_exclude_zero():
    interval = paired_bootstrap_ci([0.01] * 5, [0.14, 0.15, 0.16, 0.15, 0.14])
    assert interval.excludes_zero
    assert interval.low > 0.1


def test_unequal_lengths_are_refused_with_the_counts():
    with pytest.raises(ConfigError, match="received lengths 1 and 5"):
        paired_bootstrap_ci([0.1], [0.1, 0.2, 0.3, 0.4, 0.5])


def test_mean_interval_of_one_list_brackets_its_mean():
    from flatliner.stats.bootstrap import mean_bootstrap_ci

    values = [4.6, 4.5, 1.2, 4.6, 4.6]
    interval = mean_bootstrap_ci(values, seed=3)
    assert interval.estimate == pytest.approx(np.mean(values))
    assert interval.low < interval.estimate < interval.high
    assert interval.low >= min(values) and interval.high <= max(values)
    assert mean_bootstrap_ci([2.0, 2.0, 2.0]).low == 2.0
