"""One measurement of a model on the fixed probe batch."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from flatliner.probes.activation_stats import SaturatedUnits, count_saturated_units
from flatliner.probes.applied_activation import applied_activation
from flatliner.probes.dead_units import DeadUnits, count_dead_units
from flatliner.probes.layer_outputs import capture
from flatliner.probes.predicted_classes import PredictedClasses, predicted_classes


@dataclass(frozen=True)
class LayerInfo:
    """What a layer is, in the words a finding uses.

    Attributes:
        path: The attribute path (`d1`) or layer name a user would recognise.
        name: The Keras layer name (`dense_1`).
        class_name: The layer's class (`Dense`).
        units: Size of the output's last axis (units or channels), if known.
        activation: What the layer applies, by evaluation: relu, linear, sigmoid,
            tanh, softmax, other, or None when it applies no activation to test.
        output_shape: Output shape on the probe batch, batch axis excluded.
    """

    path: str
    name: str
    class_name: str
    units: int | None
    activation: str | None
    output_shape: tuple[int, ...] | None

    def describe(self) -> str:
        """`d1 (Dense, 4 units, relu)`."""
        parts = [self.class_name]
        if self.units is not None:
            parts.append(f"{self.units} units")
        if self.activation:
            parts.append(self.activation)
        return f"{self.path} ({', '.join(parts)})"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["output_shape"] = list(self.output_shape) if self.output_shape else None
        return data


@dataclass(frozen=True)
class Snapshot:
    """Probe measurements at one point of training.

    Attributes:
        classes: Classes predicted on the probe batch.
        dead: For every layer that applies a ReLU, keyed by LayerInfo.path.
        saturated: For every layer that applies a sigmoid or tanh (not the
            output layer, whose saturation is confidence), keyed by path.
        output: The model's output on the probe batch.
    """

    classes: PredictedClasses
    dead: dict[str, DeadUnits]
    saturated: dict[str, SaturatedUnits] | None = None
    output: np.ndarray | None = None


def describe_layers(model: Any, x_probe: np.ndarray) -> list[LayerInfo]:
    """Names every leaf layer and what it computes, from one forward pass."""
    infos = []
    calls, _ = capture(model, x_probe[:8])
    for call in calls:
        in_shape = None if call.inputs is None else tuple(call.inputs.shape)
        out_shape = None if call.outputs is None else tuple(call.outputs.shape)
        infos.append(
            LayerInfo(
                path=call.path,
                name=call.layer.name,
                class_name=type(call.layer).__name__,
                units=None if not out_shape or len(out_shape) < 2 else out_shape[-1],
                activation=applied_activation(call.layer, in_shape),
                output_shape=None if out_shape is None else out_shape[1:],
            )
        )
    return infos


def take_snapshot(model: Any, x_probe: np.ndarray, layers: list[LayerInfo]) -> Snapshot:
    """Measures predicted classes, dead ReLU units and saturated sigmoid and tanh
    units on the probe batch."""
    relu_paths = {info.path for info in layers if info.activation == "relu"}
    squashing = {
        info.path: info.activation
        for info in layers[:-1]
        if info.activation in ("sigmoid", "tanh")
    }
    calls, output = capture(model, x_probe)
    dead = {
        call.path: count_dead_units(call.outputs)
        for call in calls
        if call.path in relu_paths and call.outputs is not None
    }
    saturated = {
        call.path: count_saturated_units(call.outputs, squashing[call.path])
        for call in calls
        if call.path in squashing
        and call.outputs is not None
        and call.outputs.ndim >= 2
    }
    if output is None or output.ndim != 2:
        raise ValueError(
            "the model's output must be one (samples, classes) tensor; received "
            f"{'a non-tensor' if output is None else f'shape {output.shape}'}."
        )
    return Snapshot(
        classes=predicted_classes(output),
        dead=dead,
        saturated=saturated,
        output=output,
    )
