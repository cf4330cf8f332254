"""A fix as a model spec: the factory's fresh model, with the fix applied."""

from __future__ import annotations

from typing import Any

from flatliner.diagnoses.finding import Fix
from flatliner.fixes.recipes import apply_fix
from flatliner.models.spec import ModelSpec


def fix_label(fix: Fix) -> str:
    """`remove_activation@d1`, or the action alone for model-wide fixes."""
    return fix.action if not fix.target else f"{fix.action}@{fix.target}"


def fixed_spec(spec: ModelSpec, fix: Fix) -> ModelSpec:
    """A spec whose factory builds `spec`'s model and applies `fix` to it.

    Each call builds a fresh model, so every seed gets its own copy and the
    original factory is never changed. Errors from the recipe (a fix that does
    not fit the model) surface when the model is built.
    """

    def factory(num_classes: int) -> Any:
        return apply_fix(spec.factory(num_classes), fix)

    label = f"{spec.label}+{fix_label(fix)}"
    return ModelSpec(f"{spec.name} + {fix_label(fix)}", factory, label)
