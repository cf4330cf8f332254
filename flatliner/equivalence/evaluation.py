"""Running one built layer or model on a batch: its output and its gradients.

Gradients are those of sum(output * cotangent) for a fixed random cotangent,
so every output value contributes with its own weight and no two can cancel
by symmetry. They are taken with respect to the input and to every trainable
variable, with the active backend's own autodiff.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from flatliner.errors import CannotCompareError


@dataclass
class Evaluation:
    """What one subject computed on one batch.

    Attributes:
        output: The output, as a NumPy array in the computation's dtype.
        input_gradient: d(sum(output * cotangent)) / d(input), or None when
            gradients were not asked for.
        weight_gradients: The same with respect to each trainable variable, in
            `trainable_variables` order (zeros for an unused variable).
    """

    output: np.ndarray
    input_gradient: np.ndarray | None = None
    weight_gradients: list[np.ndarray] | None = None

    def quantity(self, name: str) -> np.ndarray:
        """The array compared under `name` ("output", "input gradient", ...)."""
        if name == "output":
            return self.output
        if name == "input gradient":
            return self.input_gradient
        grads = self.weight_gradients or []
        if not grads:
            return np.zeros((0,), dtype=self.output.dtype)
        return np.concatenate([g.reshape(-1) for g in grads])


def has_training_behaviour(obj: Any) -> bool:
    """Whether `obj` or any layer inside it takes a `training` argument."""
    import inspect

    seen = set()
    stack = [obj]
    while stack:
        layer = stack.pop()
        if id(layer) in seen:
            continue
        seen.add(id(layer))
        try:
            if "training" in inspect.signature(layer.call).parameters:
                return True
        except (TypeError, ValueError):
            pass
        stack.extend(getattr(layer, "layers", None) or [])
        stack.extend(getattr(layer, "_layers", None) or [])
    return False


def build_on(obj: Any, sample: np.ndarray) -> np.ndarray:
    """Calls `obj` once on `sample` (creating its variables); returns the output.

    Raises:
        CannotCompareError: when the subject fails on this input.
    """
    try:
        out = obj(sample, training=False)
        _check_single(out)
        return _to_numpy(out)
    except CannotCompareError:
        raise
    except Exception as exc:  # noqa: BLE001 - a subject that fails on the input
        raise _failure(obj, sample, exc) from exc


def evaluate(
    obj: Any, x: np.ndarray, training: bool, gradients: bool, seed: int = 0
) -> Evaluation:
    """Runs `obj` on `x` and, if asked, differentiates it.

    Raises:
        CannotCompareError: when the subject fails on this input or its output
            is not a single tensor.
    """
    import keras

    backend = keras.backend.backend()
    try:
        if not obj.built:
            build_on(obj, x)
        if backend == "jax":
            return _jax(obj, x, training, gradients, seed)
        if not gradients:
            out = obj(x, training=training)
            _check_single(out)
            return Evaluation(_to_numpy(out))
        if backend == "tensorflow":
            return _tensorflow(obj, x, training, seed)
        # TODO: gradients on the torch backend (torch.autograd.grad over the
        # input and variables); until then torch compares outputs only.
        out = obj(x, training=training)
        _check_single(out)
        return Evaluation(_to_numpy(out))
    except CannotCompareError:
        raise
    except Exception as exc:  # noqa: BLE001 - a subject that fails on the input
        raise _failure(obj, x, exc) from exc


def _failure(obj: Any, x: np.ndarray, exc: Exception) -> CannotCompareError:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return CannotCompareError(
        f"{getattr(obj, 'name', type(obj).__name__)} fails on inputs of shape "
        f"{tuple(x.shape)} and dtype {x.dtype}: {type(exc).__name__}: {message}"
    )


def _cotangent(shape: tuple[int, ...], dtype: Any, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


# Models get one compiled function per (model, mode, gradients): JAX then
# compiles each input shape once, where eager execution compiles every
# operation separately. Layers stay eager: their few operations are compiled
# once per process and reused by every fresh layer, which a compiled function
# per layer object would not be.
_COMPILED: dict[tuple[int, bool, bool], tuple[Any, Any]] = {}


def clear_compiled() -> None:
    """Forgets the compiled functions (and the subjects they hold on to)."""
    _COMPILED.clear()


def _jax_function(obj: Any, training: bool, gradients: bool) -> Any:
    import inspect

    import jax

    key = (id(obj), training, gradients)
    if key in _COMPILED and _COMPILED[key][0] is obj:
        return _COMPILED[key][1]

    # stateless_call hands keywords to call() as they are.
    kwargs = {}
    if "training" in inspect.signature(obj.call).parameters:
        kwargs["training"] = training

    def forward(trainable, non_trainable, inputs):
        out, _ = obj.stateless_call(trainable, non_trainable, inputs, **kwargs)
        _check_single(out)
        return out

    def with_gradients(trainable, non_trainable, inputs, cotangent):
        out, pullback = jax.vjp(
            lambda w, x: forward(w, non_trainable, x), trainable, inputs
        )
        weight_grads, input_grad = pullback(cotangent)
        return out, input_grad, weight_grads

    import keras

    function = with_gradients if gradients else forward
    compiled = jax.jit(function) if isinstance(obj, keras.Model) else function
    _COMPILED[key] = (obj, (forward, compiled))
    return forward, compiled


def _jax(obj: Any, x: np.ndarray, training: bool, gradients: bool, seed: int):
    import jax

    trainable = [v.value for v in obj.trainable_variables]
    non_trainable = [v.value for v in obj.non_trainable_variables]
    forward, function = _jax_function(obj, training, gradients)
    if not gradients:
        return Evaluation(_to_numpy(function(trainable, non_trainable, x)))

    # The cotangent comes from NumPy: a JAX random draw would compile its
    # generator once per output shape and dtype, which costs more than the
    # whole comparison of a small layer.
    spec = jax.eval_shape(forward, trainable, non_trainable, x)
    cotangent = _cotangent(spec.shape, spec.dtype, seed)
    out, input_grad, weight_grads = function(trainable, non_trainable, x, cotangent)
    return Evaluation(
        _to_numpy(out),
        _to_numpy(input_grad),
        [_to_numpy(g) for g in weight_grads],
    )


def _tensorflow(obj: Any, x: np.ndarray, training: bool, seed: int) -> Evaluation:
    import tensorflow as tf

    inputs = tf.convert_to_tensor(x)
    variables = [v.value for v in obj.trainable_variables]
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        out = obj(inputs, training=training)
        _check_single(out)
    cotangent = tf.convert_to_tensor(
        _cotangent(tuple(out.shape), out.dtype.as_numpy_dtype, seed)
    )
    grads = tape.gradient(
        out,
        [inputs, *variables],
        output_gradients=cotangent,
        unconnected_gradients=tf.UnconnectedGradients.ZERO,
    )
    return Evaluation(
        _to_numpy(out), _to_numpy(grads[0]), [_to_numpy(g) for g in grads[1:]]
    )


def _check_single(out: Any) -> None:
    if isinstance(out, list | tuple | dict):
        # TODO: compare models with several outputs, output by output.
        raise CannotCompareError(
            "only subjects with a single output tensor can be compared; received "
            f"a {type(out).__name__} of outputs."
        )


def _to_numpy(value: Any) -> np.ndarray:
    import keras

    return np.asarray(keras.ops.convert_to_numpy(value))
