"""The loss a model reaches on the probe batch, and the loss of a constant guess."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class BaselineLoss:
    """The model's loss on the probe batch next to predicting the target mean.

    Attributes:
        model_loss: Mean loss of the model's predictions.
        mean_loss: Mean loss of predicting the per-column mean of the targets
            for every sample: what a model that learned nothing but the average
            reaches. For MAE the median would do slightly better.
    """

    model_loss: float
    mean_loss: float

    @property
    def ratio(self) -> float:
        """model_loss / mean_loss: 1 or more means nothing beyond the mean."""
        return self.model_loss / self.mean_loss if self.mean_loss > 0 else np.inf


def baseline_loss(loss: Any, y: np.ndarray, predictions: np.ndarray) -> BaselineLoss:
    """Evaluates the compiled loss on the model's predictions and on the mean.

    Args:
        loss: What the model was compiled with (a name, function or Loss).
        y: Probe targets, samples first.
        predictions: The model's output on the same samples.

    Raises:
        ValueError: when the loss cannot be evaluated on these shapes.
    """
    import keras
    from keras import ops

    fn = keras.losses.get(loss) if isinstance(loss, str) else loss
    y = np.asarray(y, dtype=np.float32).reshape(predictions.shape)
    constant = np.broadcast_to(y.mean(axis=0, keepdims=True), y.shape)

    def mean_loss(pred: np.ndarray) -> float:
        value = fn(ops.convert_to_tensor(y), ops.convert_to_tensor(pred))
        return float(np.mean(ops.convert_to_numpy(value)))

    return BaselineLoss(
        model_loss=mean_loss(predictions.astype(np.float32)),
        mean_loss=mean_loss(np.ascontiguousarray(constant, dtype=np.float32)),
    )
