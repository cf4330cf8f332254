"""The shape of the per-step training loss: its level, its jumps, its spikes.

The curve is what the Monitor keeps of each step's own loss (one step out of
the preset's `loss_every`). Its numbers are robust (medians and ranks), since
the loss of a single batch is heavy-tailed: with small batches one hard sample
can multiply a step's loss without anything being wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# Fewest finite samples for a level and a typical jump (20 in the judged half).
MIN_SAMPLES = 40
# Samples before a point that define "the recent curve" for a spike; spikes are
# looked for only in curves of at least twice as many samples.
TRAILING = 50
# A sample is high when it exceeds this quantile of the trailing samples.
HIGH_QUANTILE = 0.9


@dataclass(frozen=True)
class LossCurve:
    """Robust statistics of a per-step loss curve.

    Attributes:
        samples: Finite samples in the curve (non-finite ones are left out;
            they belong to the non-finite rule).
        level: Median loss over the second half of the curve, where the
            first fast fall is over.
        jump: Median |L[t] - L[t-1]| between consecutive samples of the second
            half. For independent batch noise of spread s it is about 0.95 s;
            it misleads when samples are so far apart that the trend between
            two of them is larger than the noise.
        longest_high_run: The length of the longest stretch of consecutive
            samples each above the 90% quantile of the `TRAILING` samples
            before the stretch and above 1.5x their median. Independent batch
            noise, whatever its distribution, puts a sample above its trailing
            90% quantile with probability about 0.1 (about 0.15 once the
            quantile is itself estimated from 50 samples), so k in a row has
            probability about 0.15**k: a long stretch means the model itself got
            worse for a while (a spike), not an unlucky batch.
        run_start: Where that stretch starts (sample index), or None.
        peak: The largest sample in that run (None without one).
        baseline: The trailing median before that run (None without one).
    """

    samples: int
    level: float
    jump: float
    longest_high_run: int
    run_start: int | None
    peak: float | None
    baseline: float | None


def loss_curve(losses: list[float]) -> LossCurve | None:
    """Measures a per-step loss curve; None with fewer than MIN_SAMPLES finite
    samples. Curves shorter than 2 * TRAILING get no spike statistics
    (longest_high_run 0)."""
    values = np.asarray([v for v in losses if v is not None and math.isfinite(v)])
    if len(values) < MIN_SAMPLES:
        return None

    # Level and typical jump on the settled half of the curve.
    half = values[len(values) // 2 :]
    level = float(np.median(half))
    jump = float(np.median(np.abs(np.diff(half))))

    # Runs of samples above the recent curve's upper tail. During a run the
    # window stays the one before it began, so a spike is not compared with
    # itself.
    best, best_start, start, length = 0, None, 0, 0
    end = len(values) if len(values) >= 2 * TRAILING else TRAILING
    for t in range(TRAILING, end):
        if length == 0:
            start = t
            window = values[t - TRAILING : t]
            bar = max(np.quantile(window, HIGH_QUANTILE), 1.5 * np.median(window))
        if values[t] > bar:
            length += 1
            if length > best:
                best, best_start = length, start
        else:
            length = 0
    peak = baseline = None
    if best_start is not None:
        peak = float(values[best_start : best_start + best].max())
        baseline = float(np.median(values[best_start - TRAILING : best_start]))
    return LossCurve(
        samples=len(values),
        level=level,
        jump=jump,
        longest_high_run=best,
        run_start=best_start,
        peak=peak,
        baseline=baseline,
    )
