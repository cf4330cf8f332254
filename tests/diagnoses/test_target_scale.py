"""Unnormalised regression targets: far from unit scale is flagged."""

from __future__ import annotations

import numpy as np
import pytest

from flatliner.diagnoses.target_scale import SCALE_LIMIT, unnormalised_targets
from flatliner.probes.loss_kind import loss_kind
from flatliner.probes.targets import target_stats

Z = np.random.default_rng(0).normal(0, 1, (300, 1))


@pytest.mark.parametrize("y", [Z * 1000, Z + 5000, Z * (SCALE_LIMIT * 2)])
def test_large_targets_are_a_warning(y):
    finding = unnormalised_targets(loss_kind("mse"), target_stats(y))
    assert finding.severity == "warning"
    assert finding.evidence["target_std"] == pytest.approx(y.std())


@pytest.mark.parametrize("y", [Z, Z * 3 + 2])
def test_unit_scale_targets_pass(y):
    assert unnormalised_targets(loss_kind("mse"), target_stats(y)) is None


def test_classification_losses_are_not_judged():
    labels = np.arange(300) % 50
    assert (
        unnormalised_targets(
            loss_kind("sparse_categorical_crossentropy"), target_stats(labels)
        )
        is None
    )
