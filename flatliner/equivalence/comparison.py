"""Comparing two arrays value by value: equal, within rounding, or different.

Two values are *equal* when they are the same number (+0 and -0 count as the
same, two NaNs count as the same). Two finite values that differ are *within
rounding* when they are at most `max_ulps` units in the last place apart, an
ULP being the spacing of the dtype at the larger of the two magnitudes. Any
other pair is *different*: a NaN or infinity against anything else, or finite
values further apart.

How to read an ULP count: 1 ULP is the smallest difference the dtype can show
at that magnitude, so two correctly rounded results of the same exact value
differ by at most 1, and a short computation done in another order by a few.
Near zero the count misleads: 1e-45 against 0 in float32 is 1 ULP, a flushed
subnormal, while 1e-30 against 0 is millions of ULPs though tiny in absolute
terms. The absolute difference is therefore always reported too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Two faithfully rounded results of a short computation (each within 1 ULP of
# the exact value, plus one more rounding for a reordered sum) stay within 4.
DEFAULT_MAX_ULPS = 4.0


@dataclass(frozen=True)
class Difference:
    """How two arrays of the same shape and dtype compare, value by value.

    Attributes:
        values: How many value pairs were compared.
        different: Pairs neither equal nor within rounding.
        rounding: Pairs that differ by at most max_ulps ULPs.
        max_abs: Largest absolute difference over finite pairs (0.0 if none).
        max_ulps: Largest difference in ULPs over finite pairs.
        first_different: Index (into the arrays) of the first different pair,
            or None.
    """

    values: int
    different: int
    rounding: int
    max_abs: float
    max_ulps: float
    first_different: tuple[int, ...] | None

    @property
    def status(self) -> str:
        if self.different:
            return "different"
        return "rounding" if self.rounding else "equal"


def ulp_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """|a - b| in units of the dtype's spacing at max(|a|, |b|), for finite pairs.

    Non-finite pairs give NaN. `a` and `b` share one dtype (bfloat16 allowed).
    """
    a64 = a.astype(np.float64)
    b64 = b.astype(np.float64)
    larger = np.maximum(np.abs(a64), np.abs(b64)).astype(a.dtype)
    with np.errstate(invalid="ignore", over="ignore"):
        up = np.nextafter(larger, np.array(np.inf, dtype=a.dtype)).astype(np.float64)
        spacing = up - larger.astype(np.float64)
        # At the largest finite value the next number up is infinity.
        down = np.nextafter(larger, np.array(-np.inf, dtype=a.dtype))
        spacing = np.where(
            np.isfinite(spacing), spacing, larger.astype(np.float64) - down
        )
        distance = np.abs(a64 - b64) / spacing
    finite = np.isfinite(a64) & np.isfinite(b64)
    return np.where(finite, distance, np.nan)


def compare_arrays(
    a: np.ndarray, b: np.ndarray, max_ulps: float = DEFAULT_MAX_ULPS
) -> Difference:
    """Compares `a` and `b` value by value (see the module docstring).

    Arrays of different shapes compare as entirely different; arrays of
    different dtypes are compared after casting `b` to `a`'s dtype.
    """
    a = np.asarray(a)
    b = np.asarray(b)
    if a.shape != b.shape:
        return Difference(
            max(a.size, b.size), max(a.size, b.size), 0, np.inf, np.inf, None
        )
    if b.dtype != a.dtype:
        b = b.astype(a.dtype)
    a64 = a.astype(np.float64)
    b64 = b.astype(np.float64)
    with np.errstate(invalid="ignore"):
        gaps = np.abs(a64 - b64)
    equal = (a64 == b64) | (np.isnan(a64) & np.isnan(b64))
    finite = np.isfinite(a64) & np.isfinite(b64)
    ulps = ulp_distance(a, b)
    rounding = ~equal & finite & (ulps <= max_ulps)
    different = ~equal & ~rounding
    pairs = finite & ~equal
    max_abs = float(np.max(gaps[pairs])) if pairs.any() else 0.0
    max_ulp = float(np.max(ulps[pairs])) if pairs.any() else 0.0
    first = None
    if different.any():
        first = tuple(int(i) for i in np.argwhere(different)[0])
    return Difference(
        values=int(a.size),
        different=int(different.sum()),
        rounding=int(rounding.sum()),
        max_abs=max_abs,
        max_ulps=max_ulp,
        first_different=first,
    )
