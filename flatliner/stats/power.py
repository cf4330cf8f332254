"""How many seeds a study needs to see a difference of a given size."""

from __future__ import annotations

import math

from scipy.stats import nct
from scipy.stats import t as student_t

from flatliner.errors import ConfigError

# The search stops here: a difference needing more seeds is reported as such.
MAX_SEEDS = 10_000


def seeds_for_power(
    effect_size: float, alpha: float = 0.05, power: float = 0.8
) -> int | None:
    """Paired seeds a two-sided paired t-test needs to detect `effect_size`.

    `effect_size` is Cohen's d_z (mean paired difference over the sd of the
    differences). The smallest n whose power, from the noncentral t
    distribution with n - 1 degrees of freedom and noncentrality d_z sqrt(n),
    reaches `power` at level `alpha`. How to read it: the number of seeds to
    run so that a real difference of the observed size is found 80% of the
    time. An observed effect from few seeds is itself noisy, so treat the
    number as an order of magnitude. Returns 2 for an infinite effect (a
    perfectly consistent shift) and None for a zero or nan effect, or one
    needing more than MAX_SEEDS seeds.

    Raises:
        ConfigError: when alpha or power is not strictly between 0 and 1.
    """
    for name, value in (("alpha", alpha), ("power", power)):
        if not 0 < value < 1:
            raise ConfigError(
                f"{name} must be strictly between 0 and 1; received {value!r}."
            )
    if effect_size is None or math.isnan(effect_size) or effect_size == 0:
        return None
    d = abs(effect_size)
    if math.isinf(d):
        return 2

    def achieved(n: int) -> float:
        df = n - 1
        crit = student_t.ppf(1 - alpha / 2, df)
        shift = d * math.sqrt(n)
        upper = float(nct.sf(crit, df, shift))
        # The far tail underflows to nan for large shifts; it is then 0.
        lower = float(nct.cdf(-crit, df, shift))
        return upper + (0.0 if math.isnan(lower) else lower)

    # Power grows with n: bisect between 2 and MAX_SEEDS.
    if achieved(MAX_SEEDS) < power:
        return None
    low, high = 2, MAX_SEEDS
    if achieved(low) >= power:
        return low
    while high - low > 1:
        mid = (low + high) // 2
        if achieved(mid) >= power:
            high = mid
        else:
            low = mid
    return high
