import numpy as np
import pytest

from flatliner.probes.weights import update_ratios


def test_update_ratio_pools_a_layers_weights_like_numpy():
    rng = np.random.default_rng(0)
    before = [rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(4, 2))]
    after = [w + 1e-3 * rng.normal(size=w.shape) for w in before]
    layout = [("d1", [0, 1]), ("d2", [2])]
    ratios = update_ratios(before, after, layout)
    delta = np.sqrt(sum(np.sum((after[i] - before[i]) ** 2) for i in (0, 1)))
    norm = np.sqrt(sum(np.sum(before[i] ** 2) for i in (0, 1)))
    assert ratios["d1"] == pytest.approx(delta / norm)
    assert ratios["d2"] == pytest.approx(
        np.linalg.norm(after[2] - before[2]) / np.linalg.norm(before[2])
    )


def test_all_zero_weights_give_the_update_norm_not_a_division_by_zero():
    ratios = update_ratios([np.zeros(3)], [np.ones(3)], [("b", [0])])
    assert ratios["b"] == pytest.approx(np.sqrt(3))
