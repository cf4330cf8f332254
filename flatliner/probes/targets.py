"""What the targets of a fit look like: their values, scale and structure."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TargetStats:
    """Summary of a target array (samples first) on the probe batch.

    Attributes:
        samples: Number of target rows measured.
        width: Values per sample (1 for a vector of labels or one output).
        integer_valued: Every value is a whole number.
        distinct: Number of distinct values (all columns together).
        minimum, maximum, mean, std: Over all values.
        binary: Every value is 0 or 1.
        one_hot: Rows of width > 1 with exactly one 1 and zeros elsewhere.
        multi_hot: Binary rows of width > 1 where some row has more than one 1.
    """

    samples: int
    width: int
    integer_valued: bool
    distinct: int
    minimum: float
    maximum: float
    mean: float
    std: float
    binary: bool
    one_hot: bool
    multi_hot: bool

    @property
    def continuous(self) -> bool:
        """Values that are not class labels: fractional, or too many to be."""
        return not self.integer_valued

    def share_outside(self, low: float, high: float, values: np.ndarray) -> float:
        """Fraction of `values` outside [low, high]."""
        return float(np.mean((values < low) | (values > high))) if values.size else 0.0


def target_stats(y: np.ndarray) -> TargetStats:
    """Measures a target array; NaNs are ignored."""
    y = np.asarray(y)
    if y.ndim == 0 or len(y) == 0:
        raise ValueError(
            f"targets must have a sample axis with samples; received shape {y.shape}."
        )
    values = y.astype(np.float64).reshape(len(y), -1)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        finite = np.zeros(1)
    width = values.shape[1]
    integer = bool(np.all(finite == np.round(finite)))
    binary = bool(np.all((finite == 0) | (finite == 1)))
    row_ones = (values == 1).sum(axis=1)
    return TargetStats(
        samples=len(values),
        width=width,
        integer_valued=integer,
        distinct=int(len(np.unique(finite))),
        minimum=float(finite.min()),
        maximum=float(finite.max()),
        mean=float(finite.mean()),
        std=float(finite.std()),
        binary=binary,
        one_hot=width > 1 and binary and bool(np.all(row_ones == 1)),
        multi_hot=width > 1 and binary and bool(np.any(row_ones > 1)),
    )
