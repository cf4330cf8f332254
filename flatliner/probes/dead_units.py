"""Units of a ReLU layer that are never active on the probe batch."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DeadUnits:
    """How many units of one ReLU layer never fire on the probe batch.

    A unit is the last axis of the output (a Dense unit or a conv channel). It is
    "never active" when its output is exactly 0 for every probe sample and, for
    conv layers, every position. On a small probe batch a rarely active unit can
    look dead, so read `dead` together with the probe size.
    """

    dead: int
    units: int
    active_fraction: float

    @property
    def all_dead(self) -> bool:
        return self.units > 0 and self.dead == self.units


def count_dead_units(outputs: np.ndarray) -> DeadUnits:
    """Counts never-active units in a ReLU layer's output (batch axis first)."""
    if outputs.ndim < 2:
        raise ValueError(
            f"outputs must have a batch axis and a unit axis; received shape "
            f"{outputs.shape}."
        )
    units = outputs.shape[-1]
    per_unit_max = outputs.reshape(-1, units).max(axis=0)
    dead = int(np.sum(~(per_unit_max > 0)))
    return DeadUnits(
        dead=dead, units=int(units), active_fraction=float(np.mean(outputs > 0))
    )
