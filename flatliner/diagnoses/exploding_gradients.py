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
# Growth alone is no sign: an untrained softmax near uniform has tiny gradients
# (5.7e-4 RMS for a healthy CIFAR-100 CNN) that grow 1000x as it starts to learn.


def exploding_gradients(run: RunResult, context: DiagnosisContext) -> list[Finding]:
    """Flags per-weight RMS gradients above 10 (on the probe batch) at any
    measured epoch."""
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
        return max(record.gradient_rms.values()) > MAX_RMS

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
            threshold=f"RMS gradient > {MAX_RMS:g}",
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
