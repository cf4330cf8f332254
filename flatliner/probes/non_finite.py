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
    model: Any,
    x_probe: np.ndarray | None,
    step: int,
    epoch: int,
    last_finite: list[np.ndarray] | None = None,
) -> NonFinite:
    """Finds which weights and which layer output hold non-finite values.

    `last_finite` are trainable weights from before the first non-finite loss
    (the Monitor keeps its latest finite snapshot). With them and a probe
    batch, the forward pass is replayed on those finite weights: a layer whose
    output is non-finite even then produced the value itself ("output");
    when every output is finite, the step's update overflowed the weights
    ("weights"). The model's current weights are restored afterwards.
    Without `last_finite` the current weights are used.
    """
    current = current_weights(model)
    variables = non_finite_variables(model, current)
    inputs_bad = bool(x_probe is not None and not np.all(np.isfinite(x_probe)))
    layer = None
    if x_probe is not None:
        replay = last_finite is not None and all(
            np.all(np.isfinite(w)) for w in last_finite
        )
        if replay:
            _assign(model, last_finite)
        try:
            layer = _first_non_finite_output(model, x_probe)
        finally:
            if replay:
                _assign(model, current)
        if replay and layer is None and variables:
            tensor = "weights"
        elif replay and layer is not None:
            tensor = "output"
        else:
            tensor = "weights" if variables else ("output" if layer else "loss")
    else:
        tensor = "weights" if variables else "loss"
    if inputs_bad:
        tensor = "inputs"
    return NonFinite(
        step=step,
        epoch=epoch,
        tensor=tensor,
        layer=layer,
        variables=variables,
        input_non_finite=inputs_bad,
    )


def _assign(model: Any, weights: list[np.ndarray]) -> None:
    for variable, value in zip(model.trainable_variables, weights, strict=True):
        variable.assign(value)


def _first_non_finite_output(model: Any, x: np.ndarray) -> str | None:
    from keras import ops

    paths = layer_paths(model)
    with recording(model) as calls:
        model(x, training=False)
    # `calls` is filled in call order, so the first hit is where it starts.
    for layer_id, seen in calls.items():
        try:
            value = np.asarray(ops.convert_to_numpy(seen[0][1]))
        except Exception:  # noqa: BLE001 - non-tensor outputs are skipped
            continue
        if value.dtype.kind == "f" and not np.all(np.isfinite(value)):
            return paths.get(layer_id, str(layer_id))
    return None
