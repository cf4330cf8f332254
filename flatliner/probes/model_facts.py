"""What a compiled model is set up to do: its loss, output and optimizer.

Facts are read from the compiled model and from what its layers compute on the
probe batch, never from layer names.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from flatliner.probes.layer_outputs import layer_paths, leaf_layers, recording
from flatliner.probes.snapshot import LayerInfo

# Loss families by what they expect, keyed by class or function name.
_LOSS_FAMILIES = {
    "sparsecategoricalcrossentropy": "sparse_categorical",
    "sparse_categorical_crossentropy": "sparse_categorical",
    "categoricalcrossentropy": "categorical",
    "categorical_crossentropy": "categorical",
    "binarycrossentropy": "binary",
    "binary_crossentropy": "binary",
    "binaryfocalcrossentropy": "binary",
    "binary_focal_crossentropy": "binary",
    "categoricalfocalcrossentropy": "categorical",
    "categorical_focal_crossentropy": "categorical",
}


@dataclass(frozen=True)
class ModelFacts:
    """The loss, output and optimizer of a compiled model.

    Attributes:
        loss: The loss's class or function name, or None.
        loss_family: "sparse_categorical", "categorical", "binary" or "other".
        from_logits: Whether the loss expects logits (False when it has no
            such setting).
        output_activation: What the last activation-applying layer computes
            (softmax, sigmoid, relu, linear, ...), by evaluation.
        output_layer: That layer's path.
        output_units: Width of the model's output.
        optimizer: The optimizer's class name, or None.
        learning_rate: Its learning rate at the start, when it is a number.
        first_layer: Path of the first layer with trainable weights that is not
            a normalization layer.
        first_layer_input: [min, max, mean, std] of what that layer receives on
            the probe batch: the input scale after any normalization in front.
    """

    loss: str | None
    loss_family: str
    from_logits: bool
    output_activation: str | None
    output_layer: str | None
    output_units: int | None
    optimizer: str | None
    learning_rate: float | None
    first_layer: str | None
    first_layer_input: list[float] | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def model_facts(model: Any, layers: list[LayerInfo], x_probe: np.ndarray) -> ModelFacts:
    """Reads the facts of a compiled, built model (see ModelFacts)."""
    loss = getattr(model, "loss", None)
    loss_name = None
    from_logits = False
    if isinstance(loss, str):
        loss_name = loss
    elif loss is not None and not isinstance(loss, (list, tuple, dict)):
        loss_name = getattr(loss, "__name__", None) or type(loss).__name__
        from_logits = bool(getattr(loss, "from_logits", False))
    family = _LOSS_FAMILIES.get((loss_name or "").lower(), "other")

    output = next((info for info in reversed(layers) if info.activation), None)
    optimizer = getattr(model, "optimizer", None)
    first_path, first_stats = _first_layer_input(model, x_probe[:256])
    out_units = layers[-1].units if layers else None
    return ModelFacts(
        loss=loss_name,
        loss_family=family,
        from_logits=from_logits,
        output_activation=None if output is None else output.activation,
        output_layer=None if output is None else output.path,
        output_units=out_units,
        optimizer=None if optimizer is None else type(optimizer).__name__,
        learning_rate=_learning_rate(optimizer),
        first_layer=first_path,
        first_layer_input=first_stats,
    )


def _learning_rate(optimizer: Any) -> float | None:
    from keras import ops

    rate = getattr(optimizer, "learning_rate", None)
    try:
        return float(ops.convert_to_numpy(rate))
    except Exception:  # noqa: BLE001 - a schedule or a missing rate is unknown
        return None


def _first_layer_input(model: Any, x: np.ndarray) -> tuple[str | None, list | None]:
    from keras import ops

    paths = layer_paths(model)
    by_id = {id(layer): layer for layer in leaf_layers(model)}
    with recording(model) as calls:
        model(x, training=False)
    for layer_id, seen in calls.items():
        layer = by_id[layer_id]
        normalizes = hasattr(layer, "moving_mean") or hasattr(layer, "epsilon")
        if not layer.trainable_weights or normalizes:
            continue
        try:
            value = np.asarray(ops.convert_to_numpy(seen[0][0]), dtype=np.float64)
        except Exception:  # noqa: BLE001 - a non-tensor input cannot be measured
            return paths.get(layer_id), None
        return paths.get(layer_id), [
            float(value.min()),
            float(value.max()),
            float(value.mean()),
            float(value.std()),
        ]
    return None, None
