"""Target statistics against plain NumPy."""

from __future__ import annotations

import numpy as np
import pytest

from flatliner.probes.targets import target_stats


def test_continuous_targets_match_numpy():
    y = np.random.default_rng(0).normal(3.0, 2.0, (500, 1))
    stats = target_stats(y)
    assert stats.continuous and not stats.binary
    assert stats.mean == pytest.approx(y.mean())
    assert stats.std == pytest.approx(y.std())
    assert (stats.minimum, stats.maximum) == (y.min(), y.max())


def test_one_hot_and_multi_hot_rows_are_told_apart():
    one_hot = np.eye(3)[[0, 2, 1, 1]]
    multi = np.array([[1, 1, 0], [0, 1, 0]])
    assert target_stats(one_hot).one_hot and not target_stats(one_hot).multi_hot
    assert target_stats(multi).multi_hot and not target_stats(multi).one_hot


def test_class_indices_are_integer_valued():
    stats = target_stats(np.array([0, 3, 2, 3, 1]))
    assert stats.integer_valued and stats.distinct == 4 and stats.width == 1


def test_empty_targets_are_refused():
    with pytest.raises(ValueError, match="targets must have a sample axis"):
        target_stats(np.zeros((0,)))
