"""Whether two runs with the same seed trained identically."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from flatliner.trials.run import RunResult


@dataclass(frozen=True)
class Identity:
    """How far apart two runs ended.

    Attributes:
        weight_diff: Largest absolute difference over every final variable, or
            None when the models' variables do not line up (count or shapes).
        record_diff: Largest absolute difference over every recorded number
            (losses, accuracies, dead-unit counts, classes predicted, per epoch).
        identical: True when both are exactly 0: the runs are bit-identical.
    """

    weight_diff: float | None
    record_diff: float

    @property
    def identical(self) -> bool:
        return self.weight_diff == 0.0 and self.record_diff == 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "identical": self.identical,
            "max_abs_weight_diff": self.weight_diff,
            "max_abs_record_diff": self.record_diff,
        }


def compare_runs(a: RunResult, b: RunResult) -> Identity:
    """Largest differences between two runs' final weights and recorded numbers."""
    weight_diff: float | None = None
    shapes_a = [w.shape for w in a.weights]
    if shapes_a == [w.shape for w in b.weights]:
        weight_diff = (
            max(_array_diff(x, y) for x, y in zip(a.weights, b.weights, strict=True))
            if a.weights
            else 0.0
        )
    record_diff = _max_diff(
        [r.to_dict() for r in a.epochs], [r.to_dict() for r in b.epochs]
    )
    return Identity(weight_diff=weight_diff, record_diff=record_diff)


def _max_diff(x: Any, y: Any) -> float:
    # Walk both structures together; a structural mismatch counts as infinite.
    if isinstance(x, dict) and isinstance(y, dict):
        if set(x) != set(y):
            # Layer paths may differ between two variants: compare by position.
            if len(x) != len(y):
                return float("inf")
            return max(
                (_max_diff(u, v) for u, v in zip(x.values(), y.values(), strict=True)),
                default=0.0,
            )
        return max((_max_diff(x[k], y[k]) for k in x), default=0.0)
    if isinstance(x, list) and isinstance(y, list):
        if len(x) != len(y):
            return float("inf")
        return max((_max_diff(u, v) for u, v in zip(x, y, strict=True)), default=0.0)
    if x is None or y is None:
        return 0.0 if x is y else float("inf")
    if isinstance(x, (int, float)) and isinstance(y, (int, float)):
        return _number_diff(float(x), float(y))
    return 0.0 if x == y else float("inf")


def _number_diff(x: float, y: float) -> float:
    # Two runs that both diverged to NaN (or the same infinity) at the same
    # place did the same thing: that is no difference.
    if math.isnan(x) or math.isnan(y):
        return 0.0 if math.isnan(x) and math.isnan(y) else float("inf")
    if x == y:
        return 0.0
    return abs(x - y)


def _array_diff(x: np.ndarray, y: np.ndarray) -> float:
    """Largest absolute difference; NaN against NaN (and equal infinities) is 0."""
    if not x.size:
        return 0.0
    same = (x == y) | (np.isnan(x) & np.isnan(y))
    if same.all():
        return 0.0
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(x.astype(np.float64) - y.astype(np.float64))
    diff = np.where(same, 0.0, diff)
    return float(np.nan_to_num(diff, nan=np.inf).max())
