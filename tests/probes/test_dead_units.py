import numpy as np
import pytest

from flatliner.probes.dead_units import count_dead_units


def test_counts_match_a_numpy_reference():
    rng = np.random.default_rng(0)
    out = np.maximum(rng.normal(size=(50, 6, 6, 8)), 0)
    out[..., [1, 5]] = 0.0
    result = count_dead_units(out)
    reference = int(np.sum(out.reshape(-1, 8).max(axis=0) <= 0))
    assert result.dead == reference == 2
    assert result.units == 8
    assert result.active_fraction == pytest.approx(np.mean(out > 0))


def test_all_dead_dense_layer():
    result = count_dead_units(np.zeros((1000, 4)))
    assert result.all_dead and result.dead == 4


def test_unit_active_on_one_sample_is_alive():
    out = np.zeros((100, 3))
    out[57, 2] = 1e-6
    assert count_dead_units(out).dead == 2


def test_rejects_outputs_without_a_unit_axis():
    with pytest.raises(ValueError, match="received shape \\(5,\\)"):
        count_dead_units(np.zeros(5))
