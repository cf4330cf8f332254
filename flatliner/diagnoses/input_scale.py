"""Input scale: values far from unit scale reach the first layer unnormalized."""

from __future__ import annotations

import math

from flatliner.diagnoses.context import DiagnosisContext
from flatliner.diagnoses.finding import Finding, Fix
from flatliner.trials.run import RunResult

# Default initializers assume inputs of order 1. Beyond this root-mean-square
# value the first layer's pre-activations are an order of magnitude too large.
# The typical value, not the extreme one: a few outliers of standardized data
# reach 10 on a large probe batch without anything being wrong.
MAX_MAGNITUDE = 10.0


def input_scale(run: RunResult, context: DiagnosisContext) -> list[Finding]:
    """Flags inputs that reach the first trainable layer at a large scale.

    Measured on what that layer receives on the probe batch, so a Rescaling or
    Normalization layer in front of it counts as normalizing; falls back to the
    raw training inputs when that was not measured. Raw 0-255 pixels trip it;
    inputs standardized or scaled to [0, 1] do not.
    """
    facts = context.facts
    if facts is not None and facts.first_layer_input is not None:
        low, high, mean, std = facts.first_layer_input
        where = facts.first_layer
    elif context.inputs is not None:
        low, high = context.inputs.minimum, context.inputs.maximum
        mean, std = context.inputs.mean, context.inputs.std
        where = None
    else:
        return []
    typical = math.hypot(mean, std)
    if typical <= MAX_MAGNITUDE:
        return []
    return [
        Finding(
            kind="input_scale",
            severity="warning",
            summary=(
                f"inputs reach {where or 'the first layer'} in [{low:.4g}, "
                f"{high:.4g}] (mean {mean:.4g}, std {std:.4g}) with nothing "
                "normalizing them; default initializers expect values of order 1"
            ),
            layer=where,
            since_epoch=0,
            evidence={
                "min": low,
                "max": high,
                "mean": mean,
                "std": std,
                "root_mean_square": typical,
            },
            threshold=f"root-mean-square input above {MAX_MAGNITUDE:g}",
            fixes=(
                Fix(
                    "rescale_inputs",
                    "scale the inputs to [0, 1] (e.g. divide 0-255 pixels by 255) "
                    "or standardize them",
                ),
                Fix(
                    "add_normalization",
                    "or put a Rescaling or Normalization layer before the first layer",
                    where,
                ),
            ),
        )
    ]
