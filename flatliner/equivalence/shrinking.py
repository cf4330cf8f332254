"""Shrinking a counterexample toward simple values.

A sample on which two functions differ is simplified one value at a time,
keeping each change only if the functions still differ: first 0, then the
smallest whole number (found by bisection between 0 and the value, rounded),
then the value with one, two or three significant digits. Samples larger than
`ELEMENTWISE_LIMIT` values (images) are only tried as a whole: all zeros, all
ones, all minus ones.

Bisection assumes that if n differs, so does every larger whole number of the
same sign up to the value; when that is false the result is still a
counterexample, just maybe not the smallest one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np

logger = logging.getLogger(__name__)

ELEMENTWISE_LIMIT = 64
DEFAULT_BUDGET = 300


def shrink_sample(
    sample: np.ndarray,
    differs: Callable[[np.ndarray], bool],
    budget: int = DEFAULT_BUDGET,
) -> np.ndarray:
    """Returns a simpler sample on which `differs` still holds.

    Args:
        sample: One sample (no batch axis) on which `differs(sample)` is True.
        differs: Evaluates both functions on a sample, True when they differ.
        budget: Most calls of `differs` (default 300).
    """
    calls = 0

    def still_differs(candidate: np.ndarray) -> bool:
        nonlocal calls
        if calls >= budget:
            return False
        calls += 1
        return bool(differs(candidate))

    current = np.array(sample, copy=True)
    dtype = current.dtype
    if current.size > ELEMENTWISE_LIMIT:
        for value in (0.0, 1.0, -1.0):
            candidate = np.full(current.shape, value).astype(dtype)
            if still_differs(candidate):
                return candidate
        return current

    flat = current.reshape(-1)
    for i in range(flat.size):
        for value in _simpler_values(float(flat[i]), flat, i, still_differs):
            flat[i] = value
    logger.info("shrinking took %d evaluations", calls)
    return flat.reshape(current.shape)


def _simpler_values(
    value: float,
    flat: np.ndarray,
    i: int,
    still_differs: Callable[[np.ndarray], bool],
):
    """Yields each accepted simplification of flat[i]; the last one sticks."""
    dtype = flat.dtype

    def accept(candidate: float) -> bool:
        trial = flat.copy()
        trial[i] = np.asarray(candidate).astype(dtype)
        if trial[i] == flat[i] and not (np.isnan(trial[i]) or np.isnan(flat[i])):
            return False
        return still_differs(trial)

    if value == 0.0:
        return
    if accept(0.0):
        yield 0.0
        return
    if not np.isfinite(value):
        return

    # The smallest whole number of the same sign that still differs.
    whole = float(np.round(value))
    if whole != 0.0 and np.isfinite(np.asarray(whole).astype(dtype)):
        if whole == value or accept(whole):
            low, high = 0, int(abs(whole))
            sign = 1.0 if whole > 0 else -1.0
            while high - low > 1:
                middle = (low + high) // 2
                if accept(sign * middle):
                    high = middle
                else:
                    low = middle
            if sign * high != value:
                yield sign * high
            return

    # Otherwise the fewest significant digits that still differ.
    for digits in (1, 2, 3):
        candidate = float(f"{value:.{digits - 1}e}")
        if candidate != value and accept(candidate):
            yield candidate
            return
