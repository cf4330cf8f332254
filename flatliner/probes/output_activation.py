"""What the model's output layer applies: the last activation in call order."""

from __future__ import annotations

from typing import Any

import numpy as np

from flatliner.probes.applied_activation import applied_activation
from flatliner.probes.layer_outputs import layer_paths, leaf_layers, recording


def output_activation(model: Any, x: np.ndarray) -> tuple[str | None, str | None]:
    """(activation, layer path) of the last layer that shapes the output.

    Layers are taken in the order the forward pass calls them; trailing layers
    that apply nothing (Flatten, Reshape, Dropout) are skipped. A layer with
    weights and no activation counts as "linear". Returns (None, None) when the
    model's layers cannot be traced.
    """
    from keras import ops

    paths = layer_paths(model)
    with recording(model) as calls:
        model(x[:2], training=False)
    layers = {id(layer): layer for layer in leaf_layers(model)}
    for layer_id in reversed(list(calls)):
        layer = layers[layer_id]
        inputs = calls[layer_id][0][0]
        try:
            shape = tuple(ops.shape(inputs))
        except Exception:  # noqa: BLE001 - a non-tensor input has no shape to test
            shape = None
        kind = applied_activation(layer, shape)
        if kind is not None:
            return kind, paths.get(layer_id, layer.name)
        if layer.weights:
            return "linear", paths.get(layer_id, layer.name)
    return None, None
