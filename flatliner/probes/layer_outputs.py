"""Capturing what every layer receives and returns on a probe batch.

Works for Sequential, functional and subclassed models alike: each leaf layer's
`call` is wrapped for the duration of one forward pass, so layers are seen by what
they compute, whatever the model's structure.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class LayerCall:
    """One layer's input and output on the probe batch (NumPy, first call only)."""

    layer: Any
    path: str
    inputs: np.ndarray | None
    outputs: np.ndarray | None


def leaf_layers(model: Any) -> list[Any]:
    """Layers that hold no sub-layers, in the order Keras tracks them."""
    layers = model._flatten_layers(include_self=False, recursive=True)
    return [layer for layer in layers if not list(layer._flatten_layers(False, False))]


def layer_paths(model: Any) -> dict[int, str]:
    """Maps id(layer) to the name a user would recognise.

    For subclassed models that is the attribute a layer was stored under
    (`d1`, `block.conv`); otherwise the layer's own name.
    """
    paths: dict[int, str] = {}

    def walk(owner: Any, prefix: str) -> None:
        for attr, value in vars(owner).items():
            if attr.startswith("_"):
                continue
            items = value if isinstance(value, (list, tuple)) else [value]
            for i, item in enumerate(items):
                if not hasattr(item, "_flatten_layers") or id(item) in paths:
                    continue
                suffix = f"[{i}]" if isinstance(value, (list, tuple)) else ""
                paths[id(item)] = f"{prefix}{attr}{suffix}"
                walk(item, f"{prefix}{attr}{suffix}.")

    walk(model, "")
    for layer in model._flatten_layers(include_self=False, recursive=True):
        paths.setdefault(id(layer), layer.name)
    return paths


@contextmanager
def recording(model: Any) -> Iterator[dict[int, list]]:
    """Within the block, every leaf layer call appends (inputs, outputs)."""
    calls: dict[int, list] = {}
    originals = {}
    for layer in leaf_layers(model):
        originals[id(layer)] = (layer, layer.__dict__.get("call"))
        layer.call = _recorder(layer, layer.call, calls)
    try:
        yield calls
    finally:
        for layer, original in originals.values():
            if original is None:
                del layer.__dict__["call"]
            else:
                layer.call = original


def _recorder(layer: Any, call: Any, calls: dict[int, list]) -> Any:
    def recorded_call(*args: Any, **kwargs: Any) -> Any:
        out = call(*args, **kwargs)
        calls.setdefault(id(layer), []).append((args[0] if args else None, out))
        return out

    return recorded_call


def capture(model: Any, x: np.ndarray) -> tuple[list[LayerCall], np.ndarray | None]:
    """Runs `model(x, training=False)` once; returns each leaf layer's call and the
    model's output.

    Layers that were not called (unused) are left out. Inputs and outputs that are
    not single tensors are stored as None.
    """
    from keras import ops

    paths = layer_paths(model)
    with recording(model) as calls:
        model_output = model(x, training=False)
    captured = []
    for layer in leaf_layers(model):
        if id(layer) not in calls:
            continue
        inputs, outputs = calls[id(layer)][0]
        captured.append(
            LayerCall(
                layer=layer,
                path=paths.get(id(layer), layer.name),
                inputs=_to_numpy(ops, inputs),
                outputs=_to_numpy(ops, outputs),
            )
        )
    return captured, _to_numpy(ops, model_output)


def _to_numpy(ops: Any, value: Any) -> np.ndarray | None:
    if value is None or isinstance(value, (list, tuple, dict)):
        return None
    try:
        return np.asarray(ops.convert_to_numpy(value))
    except Exception:  # noqa: BLE001 - a non-tensor value is simply not recorded
        return None
