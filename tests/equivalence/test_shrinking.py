"""Shrinking counterexamples toward simple values."""

from __future__ import annotations

import numpy as np

from flatliner.equivalence.shrinking import shrink_sample


def test_values_that_do_not_matter_become_zero_and_the_rest_whole_numbers():
    def differs(x):
        return bool(np.any(x > 6))

    shrunk = shrink_sample(np.array([0.3, 1e5, -2.5], dtype=np.float32), differs)
    np.testing.assert_array_equal(shrunk, [0.0, 7.0, 0.0])


def test_a_fraction_is_kept_to_one_significant_digit():
    def differs(x):
        return bool(np.any((x > 0) & (x < 1)))

    shrunk = shrink_sample(np.array([0.7312], dtype=np.float64), differs)
    np.testing.assert_array_equal(shrunk, [0.7])


def test_non_finite_values_are_kept_when_they_matter():
    def differs(x):
        return bool(np.any(np.isneginf(x)))

    shrunk = shrink_sample(np.array([3.5, -np.inf]), differs)
    np.testing.assert_array_equal(shrunk, [0.0, -np.inf])


def test_the_budget_bounds_the_evaluations():
    calls = []

    def differs(x):
        calls.append(1)
        return True

    shrink_sample(np.arange(1.5, 40.5), differs, budget=10)
    assert len(calls) == 10


def test_large_samples_are_only_tried_whole():
    def differs(x):
        return bool(np.all(x == 0))

    shrunk = shrink_sample(np.ones((8, 8, 3)), differs)
    assert shrunk.shape == (8, 8, 3) and not shrunk.any()
