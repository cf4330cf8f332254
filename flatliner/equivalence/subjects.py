"""What `equivalent` compares: a layer or a model, and how to build it afresh.

A subject is built once per dtype (under that dtype policy) and per backend, so
it is kept as a factory, never as one object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flatliner.errors import CannotCompareError
from flatliner.models.spec import BUILTIN_MODELS, ModelSpec, resolve_model_spec

# The built-in seed models take CIFAR images (their Conv2D states input_shape).
BUILTIN_INPUT_SHAPE = (32, 32, 3)
BUILTIN_CLASSES = 100
# Layer expressions get rows of this many features: the original question's
# probe array had 5 columns.
LAYER_FEATURES = 5


@dataclass(frozen=True)
class Subject:
    """One side of a comparison.

    Attributes:
        label: How the user named it ("ReLU()", "seed-relu", "Dense").
        kind: "layer" or "model".
        factory: Builds a fresh layer or model under the current dtype policy.
        input_shape: Shape of one sample, or None when only data can tell.
        spec: The model spec, for models given by spec (needed by --train).
        serializable: Whether `label` rebuilds it in another process.
    """

    label: str
    kind: str
    factory: Callable[[], Any]
    input_shape: tuple[int, ...] | None
    spec: ModelSpec | None = None
    serializable: bool = True


def is_model_spec(text: str) -> bool:
    """Whether a string names a model (built-in or file.py:factory)."""
    return text in BUILTIN_MODELS or ".py:" in text


def resolve_subject(
    value: Any, argument: str, num_classes: int = BUILTIN_CLASSES
) -> Subject:
    """Turns what the user passed as A or B into a Subject.

    Args:
        value: A layer expression, a model spec string, a keras Layer or Model
            object, or a zero-argument function returning a fresh one.
        argument: "A" or "B", for error messages.
        num_classes: Output width for built-in models (100, CIFAR-100).

    Raises:
        ExpressionError: for a malformed or unsafe expression.
        ModelSpecError: for a model spec that cannot be resolved.
        CannotCompareError: for anything else.
    """
    import keras

    if isinstance(value, str):
        if is_model_spec(value):
            spec = resolve_model_spec(value)
            if value in BUILTIN_MODELS:
                shape = BUILTIN_INPUT_SHAPE
            else:
                # A functional or Sequential model states its input shape.
                shape = _known_input_shape(spec.build(num_classes))
            return Subject(
                value, "model", lambda: spec.build(num_classes), shape, spec=spec
            )
        from flatliner.equivalence.expressions import parse_layer_expression

        factory = parse_layer_expression(value, argument)
        return Subject(value, "layer", factory, (LAYER_FEATURES,))
    if isinstance(value, keras.Model):
        return Subject(
            value.name, "model", _rebuild(value), _known_input_shape(value), None, False
        )
    if isinstance(value, keras.layers.Layer):
        return Subject(
            type(value).__name__,
            "layer",
            _rebuild(value),
            (LAYER_FEATURES,),
            None,
            False,
        )
    if callable(value):
        sample = value()
        kind = "model" if isinstance(sample, keras.Model) else "layer"
        if not isinstance(sample, keras.layers.Layer):
            raise CannotCompareError(
                f"{argument}: a factory must return a keras Layer or Model; received "
                f"{type(sample).__module__}.{type(sample).__qualname__}."
            )
        shape = _known_input_shape(sample) if kind == "model" else (LAYER_FEATURES,)
        label = getattr(value, "__name__", repr(value))
        return Subject(label, kind, value, shape, None, False)
    raise CannotCompareError(
        f"{argument} must be a layer expression, a model spec, a keras Layer or "
        f"Model, or a function returning one; received {type(value).__name__}."
    )


def _rebuild(obj: Any) -> Callable[[], Any]:
    """A factory that rebuilds `obj` from its config under the current policy.

    Falls back to the object itself (then only its own dtype is meaningful)
    when its config does not round-trip.
    """

    def build() -> Any:
        import keras

        config = obj.get_config()
        config.pop("dtype", None)
        try:
            return type(obj).from_config(config)
        except Exception:  # noqa: BLE001 - any class without a usable config
            if isinstance(obj, keras.Model):
                try:
                    return keras.models.clone_model(obj)
                except Exception:  # noqa: BLE001
                    pass
            return obj

    return build


def _known_input_shape(model: Any) -> tuple[int, ...] | None:
    try:
        shape = tuple(model.inputs[0].shape[1:])
    except (AttributeError, IndexError, TypeError, ValueError):
        return None
    return shape if all(isinstance(d, int) for d in shape) else None
