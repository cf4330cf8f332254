"""A regression no better than the mean is flagged; one that learned is not."""

from __future__ import annotations

import numpy as np

from flatliner.diagnoses.mean_level import mean_level
from flatliner.probes.baseline_loss import baseline_loss

Y = np.random.default_rng(0).normal(0, 1, (300, 1)).astype("float32")


def test_mean_prediction_is_an_error():
    stuck = np.full_like(Y, Y.mean()) + 1e-3
    finding = mean_level(baseline_loss("mse", Y, stuck), "mean_squared_error", 3)
    assert finding.severity == "error" and finding.evidence["ratio"] >= 0.95


def test_learned_predictions_pass():
    learned = Y + np.random.default_rng(1).normal(0, 0.3, Y.shape).astype("float32")
    assert mean_level(baseline_loss("mse", Y, learned), "mse", 3) is None
