"""Exploding gradients: gradient sizes far beyond what a step can absorb."""

from __future__ import annotations

import math

from flatliner.diagnoses.context import DiagnosisContext
from flatliner.diagnoses.finding import Finding, Fix
from flatliner.trials.run import RunResult

# Per-weight RMS gradient above which the gradient has exploded: with the usual
# clipnorm of 1, a layer of even 100 weights has an RMS of at most 0.1, so 10 is
# 100x beyond what clipping would let through.
MAX_RMS = 10.0
# Or growth over training by this factor, from a healthy start.
GROWTH = 1e3


def exploding_gradients(run: RunResult, context: DiagnosisContext) -> list[Finding]:
    """Flags per-weight RMS gradients above 10 (on the probe batch) at any
    measured epoch, or growing more than 1000x from the first measurement."""
    # NaN gradients belong to the non-finite rule; infinity is an explosion.
    records = [
        r
        for r in run.epochs
        if r.gradient_rms and not any(math.isnan(g) for g in r.gradient_rms.values())
    ]
    if not records:
        return []
    start = max(records[0].gradient_rms.values())

    def exploded(record) -> bool:
        peak = max(record.gradient_rms.values())
        return peak > MAX_RMS or (start > 0 and peak / start > GROWTH)

    # The worst epoch: a run that exploded early may end with every unit dead
    # and a gradient of 0.
    worst = max(records, key=lambda r: max(r.gradient_rms.values()))
    if not exploded(worst):
        return []
    top = max(worst.gradient_rms, key=worst.gradient_rms.get)
    peak = worst.gradient_rms[top]
    first = next(r.epoch for r in records if exploded(r))
    return [
        Finding(
            kind="exploding_gradients",
            severity="error",
            summary=(
                f"gradients exploded: {top} has an RMS gradient of {peak:.3g} per "
                f"weight at epoch {worst.epoch} (the largest at the first "
                f"measurement was {start:.3g})"
            ),
            layer=top,
            since_epoch=first,
            evidence={
                "gradient_rms": dict(worst.gradient_rms),
                "initial_max_rms": start,
            },
            threshold=f"RMS gradient > {MAX_RMS:g} or grown > {GROWTH:g}x",
            fixes=(
                Fix("clip_gradients", "clip gradients (clipnorm=1.0)"),
                Fix(
                    "fix_initialization",
                    "use the default Glorot/He initializers, not large ones",
                ),
                Fix("lower_learning_rate", "lower the learning rate"),
                Fix("add_normalization", "add BatchNormalization"),
            ),
        )
    ]
