"""Modified copies of a model: one layer swapped for another before it is built.

Two model forms are supported:

- Subclassed models whose layers are attributes set in `__init__` (`self.d1 =
  Dense(4)`, also inside nested layers and lists: `block.conv`, `blocks[2]`).
  The factory builds a fresh, unbuilt model; the attribute is replaced before
  the first call, so `call` uses the new layer and later layers build for its
  output shape.
- Functional and Sequential models: cloned with `keras.models.clone_model`,
  every layer rebuilt from its config and the target replaced.

A layer created inside `call`, or a subclassed model that keeps layers in
another structure (a dict), cannot be swapped: `LayerNotFound` says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flatliner.errors import FlatlinerError
from flatliner.probes.layer_outputs import layer_paths

_PART = re.compile(r"^(?P<attr>[A-Za-z_][A-Za-z0-9_]*)(\[(?P<index>\d+)\])?$")


class LayerNotFound(FlatlinerError, ValueError):
    """The fix's target layer cannot be found or replaced in a fresh model."""


def find_layer(model: Any, path: str) -> Any:
    """The layer at `path` (attribute path or layer name) in `model`.

    Raises:
        LayerNotFound: when no layer has that path.
    """
    for layer_id, layer_path in layer_paths(model).items():
        if layer_path == path:
            return next(
                layer
                for layer in model._flatten_layers(include_self=False, recursive=True)
                if id(layer) == layer_id
            )
    raise LayerNotFound(
        f"target layer {path!r} is not in the model built by the factory; its "
        f"layers are {', '.join(sorted(set(layer_paths(model).values())))}; pass "
        "one of them as the fix's target."
    )


def swap_layer(model: Any, path: str, replace: Callable[[Any], Any]) -> Any:
    """A model like `model` with the layer at `path` replaced by `replace(layer)`.

    Args:
        model: A fresh model from the factory (subclassed models unbuilt).
        path: The layer's path as the probes name it (`d1`, `block.conv`, or
            the layer name for Functional and Sequential models).
        replace: Gets the old layer, returns the new one (unbuilt).

    Returns:
        The same object with the attribute replaced (subclassed models) or a
        clone (Functional and Sequential models), compiled as `model` was.

    Raises:
        LayerNotFound: when the layer is not there or cannot be replaced.
    """
    import keras

    old = find_layer(model, path)
    if isinstance(model, keras.Sequential) or _is_functional(model):
        return _swap_in_graph(model, old, replace)
    new = replace(old)
    _share_initializers(old, new)
    return _swap_attribute(model, path, old, new)


def _share_initializers(old: Any, new: Any) -> None:
    # An unseeded Keras initializer draws its seed when it is created, so a
    # layer created later would start elsewhere. The old layer is never built:
    # give its initializers to the new one, and the seed fixes the same start.
    for name, value in vars(old).items():
        if name.endswith("_initializer") and hasattr(new, name):
            setattr(new, name, value)


def _is_functional(model: Any) -> bool:
    from keras.src.models.functional import Functional

    return isinstance(model, Functional)


def _swap_in_graph(model: Any, old: Any, replace: Callable[[Any], Any]) -> Any:
    import keras

    def clone(layer: Any) -> Any:
        if layer is old:
            return replace(layer)
        return type(layer).from_config(layer.get_config())

    copy = keras.models.clone_model(model, clone_function=clone)

    # Clones draw fresh initial weights; start every layer whose shapes still
    # match from the original's, so the seed fixes the same starting point.
    originals = model._flatten_layers(include_self=False, recursive=True)
    clones = copy._flatten_layers(include_self=False, recursive=True)
    for before, after in zip(originals, clones, strict=False):
        weights = before.get_weights()
        shapes = [w.shape for w in weights]
        if weights and shapes == [tuple(w.shape) for w in after.weights]:
            after.set_weights(weights)
    if getattr(model, "compiled", False):
        copy.compile_from_config(model.get_compile_config())
    return copy


# TODO: layers kept in a dict attribute, or created inside call(), cannot be
# swapped; such models get "could not be applied" for every layer fix.
def _swap_attribute(model: Any, path: str, old: Any, new: Any) -> Any:
    if getattr(model, "built", False) and model.weights:
        raise LayerNotFound(
            f"cannot swap layer {path!r}: the factory returned a model that is "
            "already built; return an unbuilt subclassed model, or a Functional "
            "or Sequential one."
        )

    # Walk to the owner of the last part of the path.
    owner = model
    parts = path.split(".")
    for part in parts[:-1]:
        owner = _get(owner, part, path)
    match = _PART.match(parts[-1])
    if match is None or not hasattr(owner, match["attr"]):
        raise LayerNotFound(
            f"cannot swap layer {path!r}: it is not an attribute of the model "
            "(layers created in call() or kept in a dict cannot be replaced)."
        )
    attr, index = match["attr"], match["index"]
    value = getattr(owner, attr)
    if index is not None:
        items = list(value)
        items[int(index)] = new
        new_value: Any = items
    else:
        new_value = new

    # Untrack the old layer so it leaves the model's layer list, then set the
    # new one in its place: the list's order is the order of model.weights.
    tracked = getattr(owner, "_layers", None)
    position = next((i for i, layer in enumerate(tracked or []) if layer is old), None)
    tracker = getattr(owner, "_tracker", None)
    if tracker is not None:
        tracker.untrack(old)
    delattr(owner, attr)
    setattr(owner, attr, new_value)
    if position is not None and tracked is not None and tracked[-1] is new:
        tracked.insert(position, tracked.pop())
    return model


def _get(owner: Any, part: str, path: str) -> Any:
    match = _PART.match(part)
    if match is None or not hasattr(owner, match["attr"]):
        raise LayerNotFound(f"cannot swap layer {path!r}: no attribute {part!r}.")
    value = getattr(owner, match["attr"])
    return value if match["index"] is None else value[int(match["index"])]
