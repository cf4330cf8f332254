"""Seed stability of a script: intervals over the seeded reruns."""

from __future__ import annotations

import math

import pytest
from scipy.stats import binomtest

from flatliner.scripts.stability import FitStability


def test_a_kind_in_every_seed_still_has_a_wide_rate_interval():
    entry = FitStability(1, seeds=[0, 1, 2, 3, 4], final_loss=[4.6] * 5)
    entry.kinds["dead_layer"] = [0, 1, 2, 3, 4]
    low, high = entry.kind_share("dead_layer")
    reference = binomtest(5, 5).proportion_ci(0.95, "exact")
    assert (low, high) == pytest.approx((reference.low, reference.high))
    assert high == 1.0 and 0.4 < low < 0.5


def test_a_kind_never_seen_has_zero_lower_bound():
    entry = FitStability(1, seeds=[0, 1, 2], final_loss=[1.0, 1.1, 0.9])
    low, high = entry.kind_share("dead_layer")
    assert low == 0.0 and 0.6 < high < 0.75


def test_loss_interval_needs_two_finite_losses():
    assert FitStability(1, seeds=[0], final_loss=[1.0]).loss_interval() is None
    nan_pair = FitStability(1, seeds=[0, 1], final_loss=[1.0, math.nan])
    assert nan_pair.loss_interval() is None
    entry = FitStability(1, seeds=[0, 1, 2], final_loss=[1.0, 2.0, 3.0])
    interval = entry.loss_interval()
    assert interval.estimate == pytest.approx(2.0)
    assert 1.0 <= interval.low < 2.0 < interval.high <= 3.0
