"""The almost-stochastic-order score of Dror, Shlomov and Reichart (2019).

Following del Barrio, Cuesta-Albertos and Matran (2018): for score
distributions F (variant A) and G (variant B) with quantile functions F^-1 and
G^-1, the violation ratio of "A is stochastically larger than B" is

    eps_W(F, G) = integral over {t : F^-1(t) < G^-1(t)} of (F^-1(t) - G^-1(t))^2
                  / integral over (0, 1) of (F^-1(t) - G^-1(t))^2

that is, the share of the squared quantile distance where A falls below B.
0 means A is above B at every quantile (stochastic order); 1 means B is above
A everywhere. Dror et al. bound it from above with a bootstrap: eps_min is the
smallest eps for which "A is almost stochastically larger than B, violating the
order by less than eps" holds at the chosen confidence. That is what `aso`
returns.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.stats import norm

from flatliner.errors import ConfigError


def violation_ratio(a: Sequence[float], b: Sequence[float], dt: float = 0.005) -> float:
    """eps_W of "A is stochastically larger than B" on empirical quantiles.

    The empirical quantile function of n scores is the step function that
    takes the k-th smallest score on ((k-1)/n, k/n]; the integrals are
    midpoint sums over a grid of step `dt`. Two identical score lists have a
    distance of 0; the ratio is then defined as 0.5 (no side is preferred).
    """
    grid = np.arange(dt / 2, 1, dt)
    qa = _quantiles(np.asarray(a, dtype=float), grid)
    qb = _quantiles(np.asarray(b, dtype=float), grid)
    squared = (qa - qb) ** 2
    total = squared.sum()
    if total == 0:
        return 0.5
    return float(squared[qa < qb].sum() / total)


def aso(
    a: Sequence[float],
    b: Sequence[float],
    confidence: float = 0.95,
    resamples: int = 1000,
    dt: float = 0.005,
    seed: int | None = 0,
) -> float:
    """eps_min: how far A is from being stochastically larger than B.

    The violation ratio is bootstrapped (each list resampled with replacement,
    which draws from its empirical quantile function); with
    c = sqrt(n_a * n_b / (n_a + n_b)) and sigma the standard deviation of
    c * (resampled ratio - ratio), eps_min = ratio + sigma / c * z_confidence
    (z_confidence the standard normal quantile, 1.645 at 0.95), clipped to
    [0, 1].

    How to read it: eps_min near 0 says A's scores are above B's almost
    everywhere (A is better, if higher is better); below 0.5 A tends to be
    better; 0.5 is no preference; near 1 B is better. Dror et al. suggest
    calling A better when eps_min < 0.2 (0.5 at the most). It is a score, not
    a p-value, and with under about 5 runs per variant it rests mostly on the
    bootstrap's view of very few points.

    Args:
        a, b: Scores of A and B (any counts, at least one each).
        confidence: Level of the lower bound (default 0.95).
        resamples: Bootstrap resamples (default 1000).
        dt: Grid step of the quantile integrals (default 0.005).
        seed: Seed of the bootstrap (default 0; None draws fresh randomness).

    Raises:
        ConfigError: for an empty list or an out-of-range setting.
    """
    x = np.asarray(a, dtype=float).ravel()
    y = np.asarray(b, dtype=float).ravel()
    if x.size == 0 or y.size == 0:
        raise ConfigError(
            f"a and b must each hold at least one score; received {x.size} and "
            f"{y.size}."
        )
    if not 0 < confidence < 1:
        raise ConfigError(
            f"confidence must be strictly between 0 and 1; received {confidence!r}."
        )
    if not 0 < dt < 1:
        raise ConfigError(f"dt must be strictly between 0 and 1; received {dt!r}.")
    if not isinstance(resamples, int) or resamples < 2:
        raise ConfigError(f"resamples must be an integer >= 2; received {resamples!r}.")

    ratio = violation_ratio(x, y, dt)
    rng = np.random.default_rng(seed)
    samples = np.array(
        [
            violation_ratio(rng.choice(x, size=x.size), rng.choice(y, size=y.size), dt)
            for _ in range(resamples)
        ]
    )
    c = math.sqrt(x.size * y.size / (x.size + y.size))
    sigma = float(np.std(c * (samples - ratio)))
    eps_min = ratio + sigma / c * norm.ppf(confidence)
    return float(np.clip(eps_min, 0.0, 1.0))


def _quantiles(scores: np.ndarray, grid: np.ndarray) -> np.ndarray:
    ordered = np.sort(scores)
    index = np.ceil(grid * ordered.size).astype(int) - 1
    return ordered[np.clip(index, 0, ordered.size - 1)]
