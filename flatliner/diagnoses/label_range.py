"""Class labels beyond the output's units."""

from __future__ import annotations

from flatliner.diagnoses.finding import Finding, Fix
from flatliner.probes.loss_kind import LossKind
from flatliner.probes.targets import TargetStats


def label_out_of_range(
    loss: LossKind,
    stats: TargetStats,
    output_units: int | None,
    output_layer: str | None = None,
) -> Finding | None:
    """Flags sparse class indices outside 0 .. output_units - 1.

    Depending on the backend such labels crash fit (TensorFlow) or are silently
    scored against no class at all (JAX one-hot encodes them as all zeros), so
    the model never learns them. Reads the probe batch only: a label beyond
    the units that appears only later in the data is missed. The finding
    points at `output_layer` when given.
    """
    if loss.family != "sparse_categorical" or output_units is None:
        return None
    if not stats.integer_valued or stats.width != 1:
        return None
    if stats.minimum >= 0 and stats.maximum < output_units:
        return None
    return Finding(
        kind="label_out_of_range",
        severity="error",
        summary=(
            f"class labels run from {stats.minimum:g} to {stats.maximum:g} but the "
            f"output has {output_units} units (indices 0 to {output_units - 1}); "
            "labels outside that are never learned"
        ),
        layer=output_layer,
        evidence={
            "label_min": stats.minimum,
            "label_max": stats.maximum,
            "output_units": output_units,
        },
        threshold="a sparse label below 0 or at least the number of output units",
        fixes=(
            Fix(
                "match_classes",
                f"give the output layer {int(stats.maximum) + 1} units, or renumber "
                "the labels from 0",
            ),
        ),
    )
