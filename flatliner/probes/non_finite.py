"""Where a NaN or infinity first shows up in the model."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from flatliner.probes.layer_outputs import layer_paths, recording
from flatliner.probes.weights import current_weights, non_finite_variables


@dataclass(frozen=True)
class NonFinite:
    """The first non-finite value seen during training.

    Attributes:
        step: The global training step (1-based, counted over every fit call)
            whose loss was first NaN or infinite.
        epoch: The epoch that step belongs to (1-based).
        tensor: What held it first: "loss", "inputs", "weights" or "output".
        layer: The first layer, in call order, whose output on the probe batch
            is non-finite, if any (None when only the loss is).
        variables: Trainable variables (`d1/kernel`) holding non-finite values.
        input_non_finite: Whether the probe inputs themselves hold NaN or inf.
    """

    step: int
    epoch: int
    tensor: str
    layer: str | None
    variables: list[str]
    input_non_finite: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def locate_non_finite(
    model: Any, x_probe: np.ndarray | None, step: int, epoch: int
) -> NonFinite:
    """Finds which weights and which layer output hold non-finite values now.

    Runs one forward pass on `x_probe` (when given) recording every layer's
    output in call order. Without a probe batch only the weights are checked.
    """
    from keras import ops

    variables = non_finite_variables(model, current_weights(model))
    layer = None
    inputs_bad = bool(x_probe is not None and not np.all(np.isfinite(x_probe)))
    if x_probe is not None:
        paths = layer_paths(model)
        with recording(model) as calls:
            model(x_probe, training=False)
        # `calls` is filled in call order, so the first hit is where it starts.
        for layer_id, seen in calls.items():
            out = seen[0][1]
            try:
                value = np.asarray(ops.convert_to_numpy(out))
            except Exception:  # noqa: BLE001 - non-tensor outputs are skipped
                continue
            if value.dtype.kind == "f" and not np.all(np.isfinite(value)):
                layer = paths.get(layer_id, str(layer_id))
                break
    if inputs_bad:
        tensor = "inputs"
    elif variables:
        tensor = "weights"
    elif layer is not None:
        tensor = "output"
    else:
        tensor = "loss"
    return NonFinite(
        step=step,
        epoch=epoch,
        tensor=tensor,
        layer=layer,
        variables=variables,
        input_non_finite=inputs_bad,
    )
