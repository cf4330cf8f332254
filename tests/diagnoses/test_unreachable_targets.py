"""Targets outside the output's range are flagged; reachable ones are not."""

from __future__ import annotations

import numpy as np
import pytest

from flatliner.diagnoses.unreachable_targets import ERROR_SHARE, unreachable_targets
from flatliner.probes.loss_kind import loss_kind
from flatliner.probes.targets import target_stats

RNG = np.random.default_rng(0)
UNBOUNDED = RNG.normal(0, 1, (400, 1))
POSITIVE = np.abs(UNBOUNDED)
UNIT = 1 / (1 + np.exp(-UNBOUNDED))


def judge(activation, y, loss="mse", width=1):
    return unreachable_targets(
        loss_kind(loss), activation, "out", width, y, target_stats(y)
    )


@pytest.mark.parametrize(
    ("activation", "y"),
    [("sigmoid", UNBOUNDED), ("relu", UNBOUNDED), ("tanh", UNBOUNDED * 3)],
)
def test_unbounded_targets_on_a_bounded_output_are_an_error(activation, y):
    finding = judge(activation, y)
    assert finding is not None and finding.severity == "error"
    assert finding.kind == "unreachable_targets" and finding.layer == "out"
    share = finding.evidence["share_outside"]
    low, high = {"sigmoid": (0, 1), "relu": (0, np.inf), "tanh": (-1, 1)}[activation]
    assert share == pytest.approx(np.mean((y < low) | (y > high)))


@pytest.mark.parametrize(
    ("activation", "y"),
    [("sigmoid", UNIT), ("relu", POSITIVE), ("linear", UNBOUNDED), ("tanh", UNIT)],
)
def test_reachable_targets_are_not_flagged(activation, y):
    assert judge(activation, y) is None


def test_a_few_outliers_are_a_warning():
    y = UNIT.copy()
    y[: int(len(y) * ERROR_SHARE / 2)] = 1.5
    assert judge("sigmoid", y).severity == "warning"


def test_softmax_over_one_unit_is_flagged_whatever_the_targets():
    y = (UNBOUNDED > 0).astype(float)
    finding = judge("softmax", y, loss="binary_crossentropy", width=1)
    assert finding.severity == "error" and "single unit" in finding.summary
    assert judge("sigmoid", y, loss="binary_crossentropy", width=1) is None


def test_softmax_for_multi_hot_targets_is_flagged():
    multi = (RNG.normal(size=(200, 4)) > 0).astype(float)
    finding = judge("softmax", multi, loss="binary_crossentropy", width=4)
    assert finding.severity == "error"
    expected = np.mean(multi.sum(axis=1) > 1)
    assert finding.evidence["share"] == pytest.approx(expected)
    assert judge("sigmoid", multi, loss="binary_crossentropy", width=4) is None


def test_logits_losses_are_left_alone():
    import keras

    loss = keras.losses.BinaryCrossentropy(from_logits=True)
    y = (UNBOUNDED > 0).astype(float)
    assert (
        unreachable_targets(loss_kind(loss), "linear", "out", 1, y, target_stats(y))
        is None
    )
