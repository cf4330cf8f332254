"""The paired bootstrap confidence interval of a mean difference."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from flatliner.errors import ConfigError


@dataclass(frozen=True)
class Interval:
    """A mean difference with its confidence interval.

    Attributes:
        estimate: Mean of the paired differences b - a.
        low: Lower end of the interval.
        high: Upper end of the interval.
        confidence: Coverage the interval aims at (0.95 by default).
        n: Number of pairs it rests on.
    """

    estimate: float
    low: float
    high: float
    confidence: float
    n: int

    @property
    def excludes_zero(self) -> bool:
        """True when the whole interval lies on one side of 0."""
        return self.low > 0 or self.high < 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "estimate": self.estimate,
            "low": self.low,
            "high": self.high,
            "confidence": self.confidence,
            "n": self.n,
        }


def paired_bootstrap_ci(
    a: Sequence[float],
    b: Sequence[float],
    confidence: float = 0.95,
    resamples: int = 10_000,
    seed: int | None = 0,
) -> Interval:
    """Percentile bootstrap interval of the mean paired difference `b - a`.

    Pairs (a[i], b[i]) share a seed; the pairs are resampled with replacement
    `resamples` times and the interval is the central `confidence` share of the
    resampled means. How to read it: an interval that excludes 0 says the
    difference has a consistent sign over these seeds. With few pairs (under
    about 10) the percentile interval is too narrow: it cannot see seeds unlike
    the ones that ran, so read it together with the run count. All pairs equal
    give a zero-width interval at the common difference.

    Args:
        a, b: Scores of the two variants, one per seed, in the same seed order.
        confidence: Coverage, strictly between 0 and 1 (default 0.95).
        resamples: Bootstrap resamples (default 10,000).
        seed: Seed of the resampling (default 0, so the interval is
            reproducible; None draws fresh randomness).

    Raises:
        ConfigError: when a and b differ in length or are empty, or when
            `confidence` or `resamples` is out of range.
    """
    x = np.asarray(a, dtype=float)
    y = np.asarray(b, dtype=float)
    if x.shape != y.shape or x.ndim != 1 or x.size == 0:
        raise ConfigError(
            "a and b must be non-empty 1-D score lists of equal length (one "
            f"score per seed, paired); received lengths {x.size} and {y.size}."
        )
    if not 0 < confidence < 1:
        raise ConfigError(
            f"confidence must be strictly between 0 and 1; received {confidence!r}."
        )
    if not isinstance(resamples, int) or resamples < 1:
        raise ConfigError(
            f"resamples must be a positive integer; received {resamples!r}."
        )

    diff = y - x
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, diff.size, size=(resamples, diff.size))
    means = diff[picks].mean(axis=1)
    tail = (1 - confidence) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return Interval(
        estimate=float(diff.mean()),
        low=float(low),
        high=float(high),
        confidence=confidence,
        n=int(diff.size),
    )


def mean_bootstrap_ci(
    values: Sequence[float],
    confidence: float = 0.95,
    resamples: int = 10_000,
    seed: int | None = 0,
) -> Interval:
    """Percentile bootstrap interval of the mean of one list of scores.

    The one-sample case of `paired_bootstrap_ci` (each value against 0), for
    the spread of one variant over seeds. The same caveat holds: under about
    10 values the interval is too narrow. Raises what `paired_bootstrap_ci`
    raises.
    """
    return paired_bootstrap_ci([0.0] * len(values), values, confidence, resamples, seed)
