"""Exploding gradients: gradient sizes far beyond what a step can absorb."""

from __future__ import annotations

import math

from flatliner.diagnoses.context import DiagnosisContext
from flatliner.diagnoses.finding import Finding, Fix
from flatliner.diagnoses.timeline import since, trained
from flatliner.trials.run import RunResult

# Per-weight RMS gradient above which the gradient has exploded: with the usual
# clipnorm of 1, a layer of even 100 weights has an RMS of at most 0.1, so 10 is
# 100x beyond what clipping would let through.
MAX_RMS = 10.0
# Or growth over training by this factor, from a healthy start.
GROWTH = 1e3


def exploding_gradients(run: RunResult, context: DiagnosisContext) -> list[Finding]:
    """Flags per-weight RMS gradients above 10 (on the probe batch), or growing
    more than 1000x from initialization to the end of the run."""
    records = [r for r in run.epochs if r.gradient_rms]
    if not records:
        return []
    final = records[-1]
    top = max(final.gradient_rms, key=final.gradient_rms.get)
    peak = final.gradient_rms[top]
    start = max(records[0].gradient_rms.values())
    grew = start > 0 and math.isfinite(peak) and peak / start > GROWTH
    if not (peak > MAX_RMS or not math.isfinite(peak) or grew):
        return []
    first = since(
        trained(run) if len(records) > 1 else records,
        lambda r: bool(r.gradient_rms) and max(r.gradient_rms.values()) > MAX_RMS,
    )
    return [
        Finding(
            kind="exploding_gradients",
            severity="error",
            summary=(
                f"gradients exploded: {top} has an RMS gradient of {peak:.3g} per "
                f"weight (at initialization the largest was {start:.3g})"
            ),
            layer=top,
            since_epoch=first,
            evidence={
                "gradient_rms": dict(final.gradient_rms),
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
