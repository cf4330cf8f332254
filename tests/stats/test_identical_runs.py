import numpy as np

from flatliner.stats.identical_runs import compare_runs
from tests.diagnoses.runs import collapsed_run, healthy_run


def test_same_run_is_identical():
    identity = compare_runs(collapsed_run("A"), collapsed_run("B"))
    assert identity.identical
    assert identity.weight_diff == 0.0 and identity.record_diff == 0.0


def test_one_weight_differing_is_reported_with_its_size():
    b = collapsed_run("B")
    b.weights[1] = b.weights[1] + np.array([0, 0, 2.5e-7, 0])
    identity = compare_runs(collapsed_run("A"), b)
    assert not identity.identical
    assert (
        identity.weight_diff == np.float64(2.5e-7).item()
        or abs(identity.weight_diff - 2.5e-7) < 1e-12
    )


def test_different_records_are_not_identical():
    identity = compare_runs(collapsed_run(), healthy_run())
    assert not identity.identical
    assert identity.record_diff > 0.1


def test_mismatched_weight_shapes_give_none():
    b = collapsed_run("B")
    b.weights = [np.zeros(2)]
    assert compare_runs(collapsed_run(), b).weight_diff is None


def test_two_runs_that_both_diverged_to_nan_the_same_way_are_identical():
    from flatliner.stats.identical_runs import _array_diff, _number_diff

    x = np.array([1.0, np.nan, np.inf], dtype=np.float32)
    assert _array_diff(x, x.copy()) == 0.0
    assert _number_diff(float("nan"), float("nan")) == 0.0
    # NaN on one side only is as different as it gets.
    assert _array_diff(x, np.array([1.0, 2.0, np.inf], np.float32)) == np.inf
    assert _number_diff(float("nan"), 1.0) == float("inf")
    assert _array_diff(np.array([1.0, 2.0]), np.array([1.0, 2.5])) == 0.5
