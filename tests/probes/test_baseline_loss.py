"""The loss of a constant mean guess equals the target variance under MSE."""

from __future__ import annotations

import numpy as np
import pytest

from flatliner.probes.baseline_loss import baseline_loss


def test_mse_mean_guess_is_the_variance():
    rng = np.random.default_rng(0)
    y = rng.normal(2.0, 3.0, (400, 1)).astype("float32")
    result = baseline_loss("mse", y, y + 0.1)
    assert result.mean_loss == pytest.approx(float(y.var()), rel=1e-4)
    assert result.model_loss == pytest.approx(0.01, rel=1e-3)
    assert result.ratio < 0.01


def test_predicting_the_mean_has_ratio_one():
    y = np.arange(10, dtype="float32").reshape(-1, 1)
    result = baseline_loss("mae", y, np.full_like(y, y.mean()))
    assert result.ratio == pytest.approx(1.0)
