"""Which loss a model was compiled with, in words the rules use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Canonical loss names (Keras's function names) by the family a rule cares about.
FAMILIES = {
    "sparse_categorical_crossentropy": "sparse_categorical",
    "categorical_crossentropy": "categorical",
    "categorical_focal_crossentropy": "categorical",
    "binary_crossentropy": "binary",
    "binary_focal_crossentropy": "binary",
    "mean_squared_error": "regression",
    "mean_absolute_error": "regression",
    "mean_absolute_percentage_error": "regression",
    "mean_squared_logarithmic_error": "regression",
    "huber": "regression",
    "log_cosh": "regression",
}
_ALIASES = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "huber_loss": "huber",
    "logcosh": "log_cosh",
}


@dataclass(frozen=True)
class LossKind:
    """A compiled loss, named.

    Attributes:
        name: Keras's function name (`mean_squared_error`), or the loss's own
            name when flatliner does not know it.
        family: sparse_categorical, categorical, binary, regression or other.
        from_logits: Whether the loss expects logits rather than probabilities.
    """

    name: str
    family: str
    from_logits: bool = False

    @property
    def classification(self) -> bool:
        return self.family in ("sparse_categorical", "categorical", "binary")


def loss_kind(loss: Any) -> LossKind:
    """Names the loss passed to compile: a string, a function or a Loss object.

    A list or dict of losses (several outputs) is named by its first entry.
    """
    if isinstance(loss, dict):
        loss = next(iter(loss.values()), None)
    if isinstance(loss, (list, tuple)):
        loss = loss[0] if loss else None
    if loss is None:
        return LossKind("none", "other")
    from_logits = bool(getattr(loss, "from_logits", False))
    if isinstance(loss, str):
        name = loss
    else:
        # A Loss object wraps its function in `fn`; a plain function has a name.
        fn = getattr(loss, "fn", loss)
        name = getattr(fn, "__name__", type(loss).__name__)
        if hasattr(loss, "_fn_kwargs"):
            from_logits = bool(loss._fn_kwargs.get("from_logits", from_logits))
    name = _snake(name)
    name = _ALIASES.get(name, name)
    return LossKind(name, FAMILIES.get(name, "other"), from_logits)


def _snake(name: str) -> str:
    if "_" in name or name.islower():
        return name.lower()
    out = []
    for i, char in enumerate(name):
        if char.isupper() and i > 0:
            out.append("_")
        out.append(char.lower())
    return "".join(out)
