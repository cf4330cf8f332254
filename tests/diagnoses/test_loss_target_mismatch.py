"""A loss that does not fit the targets, in both directions."""

from __future__ import annotations

import numpy as np
import pytest

from flatliner.diagnoses.loss_target_mismatch import (
    classification_loss_on_continuous_targets,
    regression_loss_on_class_labels,
)
from flatliner.probes.loss_kind import loss_kind
from flatliner.probes.targets import target_stats

RNG = np.random.default_rng(0)
CONTINUOUS = RNG.normal(0, 1, (300, 1))
UNIT_CONTINUOUS = RNG.random((300, 1))
LABELS = RNG.integers(0, 5, 300)
BINARY = (CONTINUOUS > 0).astype(float)
ONE_HOT = np.eye(5)[LABELS]


@pytest.mark.parametrize(
    ("loss", "y", "severity"),
    [
        ("sparse_categorical_crossentropy", CONTINUOUS, "error"),
        ("binary_crossentropy", CONTINUOUS, "error"),
        ("binary_crossentropy", UNIT_CONTINUOUS, "warning"),
        ("categorical_crossentropy", np.hstack([CONTINUOUS, CONTINUOUS]), "error"),
    ],
)
def test_classification_loss_on_continuous_targets(loss, y, severity):
    finding = classification_loss_on_continuous_targets(
        loss_kind(loss), target_stats(y)
    )
    assert finding is not None and finding.severity == severity


@pytest.mark.parametrize(
    ("loss", "y"),
    [
        ("sparse_categorical_crossentropy", LABELS),
        ("binary_crossentropy", BINARY),
        ("binary_crossentropy", np.round(UNIT_CONTINUOUS * 4) / 4),  # soft labels
        ("categorical_crossentropy", ONE_HOT),
        ("mse", CONTINUOUS),
    ],
)
def test_matching_classification_targets_pass(loss, y):
    assert (
        classification_loss_on_continuous_targets(loss_kind(loss), target_stats(y))
        is None
    )


@pytest.mark.parametrize(
    ("y", "activation"),
    [(ONE_HOT, "linear"), (BINARY, "sigmoid"), (ONE_HOT, "softmax")],
)
def test_regression_loss_on_class_labels_is_a_warning(y, activation):
    finding = regression_loss_on_class_labels(
        loss_kind("mse"), activation, target_stats(y)
    )
    assert finding.severity == "warning"


@pytest.mark.parametrize(
    ("loss", "y", "activation"),
    [
        ("mse", CONTINUOUS, "linear"),
        ("mae", LABELS.astype(float), "linear"),  # counts: a real regression
        ("binary_crossentropy", BINARY, "sigmoid"),
    ],
)
def test_regression_on_real_values_passes(loss, y, activation):
    assert (
        regression_loss_on_class_labels(loss_kind(loss), activation, target_stats(y))
        is None
    )
