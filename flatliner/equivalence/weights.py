"""Giving B the weights of A, when their variables line up."""

from __future__ import annotations

from typing import Any

import numpy as np

from flatliner.errors import CannotCompareError


def copy_weights(a: Any, b: Any, a_label: str = "A", b_label: str = "B") -> int:
    """Assigns every variable of A to the variable of B at the same position.

    Variables match when both have as many variables and the shapes agree in
    order; the names do not matter (`ReLU` and `Activation` layers name theirs
    differently).

    Returns:
        The number of variables copied (0 for layers without weights).

    Raises:
        CannotCompareError: saying how the variables differ (count, or the
            first position whose shapes disagree).
    """
    import keras

    a_vars, b_vars = list(a.weights), list(b.weights)
    if len(a_vars) != len(b_vars):
        raise CannotCompareError(
            f"cannot give {b_label} the weights of {a_label}: {a_label} has "
            f"{len(a_vars)} variables ({_shapes(a_vars)}), {b_label} has "
            f"{len(b_vars)} ({_shapes(b_vars)}); compare models whose variables "
            "have the same shapes in the same order."
        )
    for position, (va, vb) in enumerate(zip(a_vars, b_vars, strict=True)):
        if tuple(va.shape) != tuple(vb.shape):
            raise CannotCompareError(
                f"cannot give {b_label} the weights of {a_label}: variable "
                f"{position} is {va.path} {tuple(va.shape)} in {a_label} but "
                f"{vb.path} {tuple(vb.shape)} in {b_label}; compare models whose "
                "variables have the same shapes in the same order."
            )
    for va, vb in zip(a_vars, b_vars, strict=True):
        # Through NumPy, so B owns its copy: a JAX training step donates (and
        # deletes) the buffers of the variables it updates.
        value = np.array(keras.ops.convert_to_numpy(va.value))
        vb.assign(keras.ops.cast(value, vb.dtype))
    return len(a_vars)


def _shapes(variables: list[Any]) -> str:
    shown = ", ".join(str(tuple(v.shape)) for v in variables[:6])
    return shown + (", ..." if len(variables) > 6 else "") if variables else "none"
