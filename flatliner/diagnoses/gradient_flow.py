"""Helpers for the vanishing and exploding gradient rules."""

from __future__ import annotations

from flatliner.trials.run import EpochRecord


def first_and_last(record: EpochRecord) -> tuple[str, float, str, float] | None:
    """(first layer, its RMS gradient, last layer, its RMS) in layer order.

    Layers with an RMS of exactly 0 (dead or unused) are left out. None when
    fewer than two layers have gradients.
    """
    rms = [(p, g) for p, g in record.gradient_rms.items() if g > 0]
    if len(rms) < 2:
        return None
    (first, g_first), (last, g_last) = rms[0], rms[-1]
    return first, g_first, last, g_last
