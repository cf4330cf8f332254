"""Saturated sigmoid and tanh units on the probe batch."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# How close to its asymptote an output must be to count as saturated: the
# derivative there is below about 1% of its maximum for both functions.
SATURATION_MARGIN = {"sigmoid": 0.01, "tanh": 0.01}
# A unit is saturated when it sits at an asymptote for at least this share of
# probe samples (and positions): it then passes almost no gradient.
SATURATED_SAMPLE_SHARE = 0.9


@dataclass(frozen=True)
class SaturatedUnits:
    """How many units of a sigmoid or tanh layer are stuck at an asymptote.

    `saturated` counts units (last axis) whose output is within 1% of 0 or 1
    (sigmoid) or of -1 or 1 (tanh) on at least 90% of the probe values; their
    derivative is then under about 4% (sigmoid) or 2% (tanh) of its peak.
    `saturated_fraction` is the share of all output values that are saturated.
    """

    saturated: int
    units: int
    saturated_fraction: float


def count_saturated_units(outputs: np.ndarray, activation: str) -> SaturatedUnits:
    """Counts saturated units in a sigmoid or tanh layer's output (batch first).

    Raises:
        ValueError: for an activation other than sigmoid or tanh, or outputs
            without a unit axis.
    """
    if activation not in SATURATION_MARGIN:
        raise ValueError(
            f"activation must be 'sigmoid' or 'tanh'; received {activation!r}."
        )
    if outputs.ndim < 2:
        raise ValueError(
            f"outputs must have a batch axis and a unit axis; received shape "
            f"{outputs.shape}."
        )
    margin = SATURATION_MARGIN[activation]
    units = outputs.shape[-1]
    flat = outputs.reshape(-1, units).astype(np.float64)
    low = 0.0 if activation == "sigmoid" else -1.0
    at_edge = (flat <= low + margin) | (flat >= 1.0 - margin)
    per_unit = at_edge.mean(axis=0)
    return SaturatedUnits(
        saturated=int(np.sum(per_unit >= SATURATED_SAMPLE_SHARE)),
        units=int(units),
        saturated_fraction=float(at_edge.mean()),
    )
