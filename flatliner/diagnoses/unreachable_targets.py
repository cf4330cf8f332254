"""Targets the model's output cannot produce, whatever the weights.

A sigmoid output lives in (0, 1), tanh in (-1, 1), ReLU in [0, inf), and a softmax
row sums to 1 (a single softmax unit always outputs exactly 1). Targets outside
that range keep the loss away from its minimum for every sample outside it.
"""

from __future__ import annotations

import numpy as np

from flatliner.diagnoses.finding import Finding, Fix
from flatliner.probes.loss_kind import LossKind
from flatliner.probes.targets import TargetStats

# The range each output activation can produce.
RANGES = {
    "sigmoid": (0.0, 1.0),
    "softmax": (0.0, 1.0),
    "tanh": (-1.0, 1.0),
    "relu": (0.0, np.inf),
}
# A share of unreachable targets at or above this is an error: the loss of at
# least a tenth of the samples cannot approach zero. Any smaller share is a
# warning (a few outliers), never silence: one unreachable target is a bug sign.
ERROR_SHARE = 0.1
# Targets within this distance of the range count as inside it (float noise).
MARGIN = 1e-6


def unreachable_targets(
    loss: LossKind,
    activation: str | None,
    output_layer: str | None,
    output_width: int | None,
    y: np.ndarray,
    stats: TargetStats,
) -> Finding | None:
    """Flags an output activation whose range excludes some of the targets.

    Applies to regression losses (any of the ranges above) and to binary
    cross-entropy with a softmax output (multi-hot rows cannot sum to 1). A
    softmax over one unit is flagged whatever the targets: its output is the
    constant 1. Classification losses with targets outside [0, 1] are the
    business of `loss_target_mismatch`. Targets are read from the probe batch only.

    Returns None when every probe target is reachable.
    """
    if activation == "softmax" and output_width == 1:
        return Finding(
            kind="unreachable_targets",
            severity="error",
            summary=(
                f"{output_layer} applies softmax over a single unit, so the model "
                "outputs exactly 1.0 for every input and cannot learn"
            ),
            layer=output_layer,
            evidence={"output_units": 1, "activation": "softmax"},
            threshold="softmax over one unit (always 1)",
            fixes=(
                Fix("sigmoid_output", f"use activation='sigmoid' on {output_layer}"),
                Fix(
                    "widen_output",
                    f"give {output_layer} one unit per class and use "
                    "sparse_categorical_crossentropy",
                ),
            ),
        )
    if activation not in RANGES or loss.from_logits:
        return None
    values = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
    if loss.family == "binary" and activation == "softmax" and stats.multi_hot:
        rows = int(np.sum(values.sum(axis=1) > 1 + MARGIN))
        share = rows / len(values)
        return Finding(
            kind="unreachable_targets",
            severity="error" if share >= ERROR_SHARE else "warning",
            summary=(
                f"{output_layer} applies softmax, whose outputs sum to 1, but "
                f"{share:.0%} of the target rows have more than one label; a "
                "multi-label model needs independent outputs"
            ),
            layer=output_layer,
            evidence={"rows_over_one": rows, "rows": len(values), "share": share},
            threshold=f"any target row summing above 1; error from {ERROR_SHARE:.0%}",
            fixes=(
                Fix("sigmoid_output", f"use activation='sigmoid' on {output_layer}"),
            ),
        )
    if loss.family != "regression":
        return None
    low, high = RANGES[activation]
    outside = (values < low - MARGIN) | (values > high + MARGIN)
    share = float(outside.mean())
    if share == 0.0:
        return None
    reach = f"[{low:g}, {high:g}]" if np.isfinite(high) else f"[{low:g}, inf)"
    return Finding(
        kind="unreachable_targets",
        severity="error" if share >= ERROR_SHARE else "warning",
        summary=(
            f"{output_layer} ends in {activation}, which only outputs values in "
            f"{reach}, but {share:.0%} of the targets lie outside it (targets "
            f"range {stats.minimum:.4g} to {stats.maximum:.4g}); their loss "
            "cannot reach its minimum"
        ),
        layer=output_layer,
        evidence={
            "activation": activation,
            "share_outside": share,
            "target_min": stats.minimum,
            "target_max": stats.maximum,
            "probe_targets": int(values.size),
        },
        threshold=(
            f"any target outside {reach}; error from {ERROR_SHARE:.0%} of targets"
        ),
        fixes=(
            Fix(
                "linear_output",
                f"use activation=None (linear) on {output_layer} for unbounded targets",
                output_layer,
            ),
            Fix(
                "rescale_targets",
                f"or rescale the targets into {reach} and invert it on predictions",
            ),
        ),
    )
