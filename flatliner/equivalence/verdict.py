"""The answer of an equivalence check, and what it rests on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from flatliner.equivalence.comparison import Difference

EQUIVALENT = "EQUIVALENT"
UP_TO_ROUNDING = "EQUIVALENT UP TO ROUNDING"
DIFFERENT = "DIFFERENT"
EXIT_CODES = {EQUIVALENT: 0, UP_TO_ROUNDING: 0, DIFFERENT: 1}
QUANTITIES = ("output", "input gradient", "weight gradients")


@dataclass(frozen=True)
class Check:
    """One comparison: a quantity, on one probe batch, in one dtype and mode."""

    backend: str
    dtype: str
    mode: str
    batch: str
    samples: int
    quantity: str
    difference: Difference


@dataclass(frozen=True)
class Counterexample:
    """An input where A and B differ, with what each computed.

    Attributes:
        input: The (shrunk) sample, or the whole batch when the difference
            needs the batch (e.g. BatchNormalization in training mode).
        a, b: The compared quantity for A and for B on that input.
        shrunk: Whether `input` was simplified from the probe it came from.
        whole_batch: Whether `input` is a batch rather than one sample.
    """

    backend: str
    dtype: str
    mode: str
    quantity: str
    batch: str
    input: np.ndarray
    a: np.ndarray
    b: np.ndarray
    shrunk: bool
    whole_batch: bool = False


@dataclass(frozen=True)
class Trajectory:
    """Training A and B side by side from one seed.

    Attributes:
        steps: Optimizer steps taken by each model.
        parted_at: First step after which their weights differ; None when they
            stayed identical throughout.
        max_abs: Largest absolute weight difference after each step (0 = before).
        loss_a, loss_b: Training loss of each model at each step.
    """

    data: str
    seed: int
    batch_size: int
    steps: int
    parted_at: int | None
    max_abs: list[float]
    loss_a: list[float]
    loss_b: list[float]


@dataclass
class EquivalenceResult:
    """Whether A and B compute the same function, and the evidence.

    Attributes:
        verdict: EQUIVALENT, EQUIVALENT UP TO ROUNDING or DIFFERENT.
        a, b: The two subjects as named.
        kind: "layer" or "model".
        backends: Backends the checks ran on.
        checks: Every comparison made.
        counterexample: For DIFFERENT, the simplest input found.
        weights_copied: Variables copied from A to B before comparing.
        notes: What was skipped or adjusted, and why.
        trajectory: The training comparison, when asked for.
        max_ulps_allowed: The rounding tolerance used.
    """

    verdict: str
    a: str
    b: str
    kind: str
    backends: list[str]
    checks: list[Check]
    counterexample: Counterexample | None
    weights_copied: int
    notes: list[str] = field(default_factory=list)
    trajectory: Trajectory | None = None
    max_ulps_allowed: float = 4.0

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.verdict]

    @property
    def dtypes(self) -> list[str]:
        return _unique(c.dtype for c in self.checks)

    @property
    def modes(self) -> list[str]:
        return _unique(c.mode for c in self.checks)

    @property
    def quantities(self) -> list[str]:
        return _unique(c.quantity for c in self.checks)

    @property
    def inputs(self) -> int:
        """Samples evaluated (each batch once per dtype, mode and backend)."""
        return sum(c.samples for c in self.checks if c.quantity == "output")

    @property
    def max_abs(self) -> float:
        return max((c.difference.max_abs for c in self.checks), default=0.0)

    @property
    def max_ulps(self) -> float:
        return max((c.difference.max_ulps for c in self.checks), default=0.0)

    def largest(self, status: str | None = None) -> Check | None:
        """The check with the largest ULP difference (optionally of a status)."""
        pool = [
            c for c in self.checks if status is None or c.difference.status == status
        ]
        return max(pool, key=lambda c: c.difference.max_ulps, default=None)


def judge(checks: list[Check]) -> str:
    """DIFFERENT if any pair differs, else UP TO ROUNDING if any is within
    rounding, else EQUIVALENT."""
    statuses = {c.difference.status for c in checks}
    if "different" in statuses:
        return DIFFERENT
    if "rounding" in statuses:
        return UP_TO_ROUNDING
    return EQUIVALENT


def _unique(values) -> list[Any]:
    seen: list[Any] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen
