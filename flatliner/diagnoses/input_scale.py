"""Input scale: values far from unit scale reach the first layer unnormalized."""

from __future__ import annotations

from flatliner.diagnoses.context import DiagnosisContext
from flatliner.diagnoses.finding import Finding, Fix
from flatliner.trials.run import RunResult

# Default initializers assume inputs of order 1. Beyond this magnitude (or
# spread) the first layer's pre-activations are an order of magnitude too large.
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
    magnitude = max(abs(low), abs(high))
    if magnitude <= MAX_MAGNITUDE and std <= MAX_MAGNITUDE:
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
            evidence={"min": low, "max": high, "mean": mean, "std": std},
            threshold=f"|value| or std above {MAX_MAGNITUDE:g}",
            fixes=(
                Fix(
                    "scale_inputs",
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
