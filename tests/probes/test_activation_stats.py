import numpy as np
import pytest

from flatliner.probes.activation_stats import count_saturated_units


def test_saturated_sigmoid_units_are_counted_against_a_numpy_reference():
    rng = np.random.default_rng(0)
    pre = rng.normal(0, 1, (200, 6))
    pre[:, :4] *= 100  # four units pushed far into the tails
    out = 1 / (1 + np.exp(-pre))
    counted = count_saturated_units(out, "sigmoid")
    at_edge = (out <= 0.01) | (out >= 0.99)
    assert counted.saturated == int(np.sum(at_edge.mean(axis=0) >= 0.9)) == 4
    assert counted.units == 6
    assert counted.saturated_fraction == pytest.approx(at_edge.mean())


def test_tanh_in_its_linear_range_is_not_saturated():
    out = np.tanh(np.random.default_rng(1).normal(0, 0.5, (100, 8)))
    assert count_saturated_units(out, "tanh").saturated == 0


def test_other_activations_are_refused_with_the_argument_named():
    with pytest.raises(ValueError, match="activation must be 'sigmoid' or 'tanh'"):
        count_saturated_units(np.zeros((2, 2)), "relu")
