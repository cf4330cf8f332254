import numpy as np
import pytest

from flatliner.stats.almost_stochastic_order import aso, violation_ratio

deepsig = pytest.importorskip("deepsig")

# Bootstrap estimates from two independent generators: agree within this.
TOLERANCE = 0.06


@pytest.mark.parametrize(("shift", "n"), [(0.0, 10), (0.3, 10), (0.4, 5)])
def test_eps_min_matches_deepsig(shift, n):
    rng = np.random.default_rng(int(shift * 10) + n)
    a = rng.normal(shift, 1.0, n)
    b = rng.normal(0.0, 1.0, n)
    ours = aso(a, b, resamples=1000, seed=0)
    ref = deepsig.aso(a, b, num_bootstrap_iterations=1000, seed=0, show_progress=False)
    assert ours == pytest.approx(ref, abs=TOLERANCE)


def test_violation_ratio_of_ordered_lists_is_zero_or_one():
    assert violation_ratio([2.0, 3.0, 4.0], [0.0, 1.0, 2.0]) == 0.0
    assert violation_ratio([0.0, 1.0, 2.0], [2.0, 3.0, 4.0]) == 1.0


def test_identical_lists_prefer_neither():
    assert violation_ratio([0.1, 0.2], [0.1, 0.2]) == 0.5


def test_far_apart_lists_give_a_clear_score():
    good = [0.15, 0.14, 0.16, 0.15, 0.15]
    bad = [0.01, 0.0101, 0.01, 0.0099, 0.01]
    assert aso(good, bad) < 0.2
    assert aso(bad, good) > 0.8
