"""What nonlinearity a layer applies, found by evaluating it, not by its name.

`ReLU()`, `Activation('relu')`, `LeakyReLU(negative_slope=0)`, a Lambda of
`keras.ops.relu` and `Dense(activation='relu')` all come out as "relu".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

# Values that tell the common activations apart: both signs, zero, values between
# 0 and 1 (a threshold), above 6 (relu6), and large magnitudes.
TEST_VALUES = np.array(
    [-1e5, -123.4, -3.0, -1.0, -0.5, -1e-3, 0.0, 1e-3, 0.5, 1.0, 3.0, 6.5, 123.4, 1e5],
    dtype=np.float32,
)

KNOWN = ("relu", "linear", "sigmoid", "tanh", "softmax")


def _references(v: np.ndarray) -> dict[str, np.ndarray]:
    with np.errstate(over="ignore"):
        return {
            "relu": np.maximum(v, 0),
            "linear": v,
            "sigmoid": 1.0 / (1.0 + np.exp(-v.astype(np.float64))),
            "tanh": np.tanh(v),
        }


def classify_function(fn: Callable[[Any], Any], shape: tuple[int, ...]) -> str:
    """Names the elementwise function `fn` computes on a tensor of `shape`.

    Returns one of KNOWN, or "other" when it matches none of them (leaky ReLU,
    relu6, a threshold, gelu, ...). Softmax is recognised over the last axis.
    """
    from keras import ops

    # A narrow tensor would see only the first test values (two large negatives
    # cannot tell sigmoid from ReLU), so grow the batch axis until all fit.
    per_row = int(np.prod(shape[1:])) if len(shape) > 1 else 1
    if len(shape) > 0 and per_row > 0 and np.prod(shape) < TEST_VALUES.size:
        shape = (-(-TEST_VALUES.size // per_row), *shape[1:])
    size = int(np.prod(shape))
    v = np.resize(TEST_VALUES, size).reshape(shape)
    try:
        out = np.asarray(ops.convert_to_numpy(fn(ops.convert_to_tensor(v))))
    except Exception:  # noqa: BLE001 - a function that rejects the probe is "other"
        return "other"
    if out.shape != v.shape:
        return "other"
    out64 = out.astype(np.float64)
    for kind, expected in _references(v.astype(np.float64)).items():
        if np.allclose(out64, expected, rtol=1e-5, atol=1e-6, equal_nan=True):
            return kind
    shifted = v - v.max(axis=-1, keepdims=True)
    soft = np.exp(shifted.astype(np.float64))
    soft /= soft.sum(axis=-1, keepdims=True)
    if np.allclose(out64, soft, rtol=1e-5, atol=1e-6):
        return "softmax"
    return "other"


def applied_activation(layer: Any, input_shape: tuple[int, ...] | None) -> str | None:
    """The nonlinearity a layer's output ends with, or None if it has none to test.

    Layers with an `activation` attribute (Dense, Conv2D, ...) are judged by it.
    Weightless layers whose output keeps the input's shape (ReLU, Activation,
    LeakyReLU, Lambda, Softmax) are judged by calling them on test values shaped
    like their real input. Anything else (Flatten, pooling, normalization) is None.

    Args:
        layer: A built Keras layer.
        input_shape: The shape of the layer's input on the probe batch, batch axis
            first; None when unknown.
    """
    activation = getattr(layer, "activation", None)
    if callable(activation):
        shape = (1, 8) if input_shape is None else (1, *input_shape[1:])
        return classify_function(activation, shape)
    if layer.weights or input_shape is None:
        return None
    if not _keeps_shape(layer, input_shape):
        return None
    kind = classify_function(
        lambda t: (
            layer(t, training=False)
            if getattr(layer, "_call_has_training_arg", False)
            else layer(t)
        ),
        (1, *input_shape[1:]),
    )
    # A weightless layer that returns its input unchanged (Dropout in inference,
    # identity) applies nothing worth naming.
    return None if kind == "linear" else kind


def _keeps_shape(layer: Any, input_shape: tuple[int, ...]) -> bool:
    try:
        out = layer.compute_output_shape(tuple(input_shape))
    except Exception:  # noqa: BLE001 - layers without shape inference are tested live
        return True
    return tuple(out) == tuple(input_shape)
