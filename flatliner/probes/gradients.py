"""Per-layer gradient norms of the loss on the probe batch."""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from flatliner.probes.weights import trainable_layout


def loss_function(model: Any) -> Any:
    """The compiled loss as a callable (y_true, y_pred) -> loss, or None.

    Only a single loss is supported; a model compiled with a list or dict of
    losses gets None, and no gradient norms are measured.
    """
    import keras

    loss = getattr(model, "loss", None)
    if loss is None or isinstance(loss, (list, tuple, dict)):
        return None
    try:
        return keras.losses.get(loss) if isinstance(loss, str) else loss
    except ValueError:
        return None


def gradient_rms(model: Any, x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Root-mean-square gradient of the loss per layer, on (x, y).

    The model runs in inference mode (training=False), so normalization layers
    use their moving statistics and no moving statistic changes. The RMS is the
    gradient's norm over all of a layer's trainable weights divided by the root
    of their count, so that wide and narrow layers compare. Returns {} when the
    model has no single compiled loss.
    """
    import keras

    loss_fn = loss_function(model)
    if loss_fn is None or not model.trainable_variables:
        return {}
    backend = keras.backend.backend()
    if backend == "jax":
        grads = _jax_grads(model, loss_fn, x, y)
    elif backend == "tensorflow":
        grads = _tf_grads(model, loss_fn, x, y)
    elif backend == "torch":
        grads = _torch_grads(model, loss_fn, x, y)
    else:  # pragma: no cover - the backends flatliner supports are above
        return {}
    result = {}
    for path, indices in trainable_layout(model):
        squares = sum(float(np.sum(grads[i].astype(np.float64) ** 2)) for i in indices)
        count = sum(grads[i].size for i in indices)
        result[path] = float(np.sqrt(squares / max(count, 1)))
    return result


def _jax_grads(model, loss_fn, x, y) -> list[np.ndarray]:
    from keras import ops

    trainable = [v.value for v in model.trainable_variables]
    frozen = [v.value for v in model.non_trainable_variables]
    x, y = ops.convert_to_tensor(x), ops.convert_to_tensor(y)
    grads = _jax_grad_function(model, loss_fn)(trainable, frozen, x, y)
    return [np.asarray(g) for g in grads]


# One compiled gradient function per model and loss: measuring every epoch
# then costs one call instead of tracing the model op by op each time.
_JAX_GRAD_FUNCTIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _jax_grad_function(model, loss_fn):
    import jax
    from keras import ops

    cached = _JAX_GRAD_FUNCTIONS.get(model)
    if cached is not None and cached[0] is loss_fn:
        return cached[1]

    def loss(trainable, frozen, x, y):
        y_pred, _ = model.stateless_call(trainable, frozen, x, training=False)
        return ops.mean(loss_fn(y, y_pred))

    function = jax.jit(jax.grad(loss))
    _JAX_GRAD_FUNCTIONS[model] = (loss_fn, function)
    return function


def _tf_grads(model, loss_fn, x, y) -> list[np.ndarray]:
    import tensorflow as tf

    with tf.GradientTape() as tape:
        value = tf.reduce_mean(loss_fn(y, model(x, training=False)))
    grads = tape.gradient(value, model.trainable_variables)
    return [
        np.zeros(v.shape, np.float32) if g is None else np.asarray(g)
        for v, g in zip(model.trainable_variables, grads, strict=True)
    ]


def _torch_grads(model, loss_fn, x, y) -> list[np.ndarray]:
    import torch
    from keras import ops

    params = [v.value for v in model.trainable_variables]
    value = ops.mean(
        loss_fn(
            ops.convert_to_tensor(y), model(ops.convert_to_tensor(x), training=False)
        )
    )
    grads = torch.autograd.grad(value, params, allow_unused=True)
    return [
        np.zeros(tuple(p.shape), np.float32) if g is None else g.detach().cpu().numpy()
        for p, g in zip(params, grads, strict=True)
    ]
