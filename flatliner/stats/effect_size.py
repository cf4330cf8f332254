"""Effect sizes: how large a difference is, apart from whether it is real."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def cohens_dz(a: Sequence[float], b: Sequence[float]) -> float:
    """Standardized mean paired difference: mean(b - a) / sd(b - a).

    How to read it: 0.2 is small, 0.5 medium, 0.8 large (Cohen). It is what
    the paired power calculation needs. Differences that are all equal and
    non-zero give +-inf (a perfectly consistent shift); all zero give 0. With
    one pair it is nan (no spread to measure).
    """
    diff = np.asarray(b, dtype=float) - np.asarray(a, dtype=float)
    if diff.size < 2:
        return math.nan
    mean = float(diff.mean())
    sd = float(diff.std(ddof=1))
    if sd == 0:
        return 0.0 if mean == 0 else math.copysign(math.inf, mean)
    return mean / sd


def cohens_d(a: Sequence[float], b: Sequence[float]) -> float:
    """Standardized mean difference of unpaired groups, pooled sd (b - a).

    How to read it: as `cohens_dz`, but against the spread of single runs
    instead of the spread of paired differences. nan when a group has fewer
    than 2 runs; +-inf when both groups have no spread but differ.
    """
    x = np.asarray(a, dtype=float)
    y = np.asarray(b, dtype=float)
    if x.size < 2 or y.size < 2:
        return math.nan
    pooled = ((x.size - 1) * x.var(ddof=1) + (y.size - 1) * y.var(ddof=1)) / (
        x.size + y.size - 2
    )
    diff = float(y.mean() - x.mean())
    if pooled == 0:
        return 0.0 if diff == 0 else math.copysign(math.inf, diff)
    return diff / math.sqrt(pooled)


def cliffs_delta(a: Sequence[float], b: Sequence[float]) -> float:
    """P(b > a) - P(b < a) over all (a, b) pairs of runs.

    How to read it: from -1 (every B run below every A run) through 0 (no
    tendency) to +1 (every B run above every A run). It equals the
    rank-biserial correlation of the Mann-Whitney U test, 2U / (n_a n_b) - 1.
    nan for an empty group.
    """
    x = np.asarray(a, dtype=float).ravel()
    y = np.asarray(b, dtype=float).ravel()
    if x.size == 0 or y.size == 0:
        return math.nan
    greater = (y[:, None] > x[None, :]).sum()
    less = (y[:, None] < x[None, :]).sum()
    return float((greater - less) / (x.size * y.size))
