"""Fixes proven by re-running: apply a finding's fixes to copies of the model.

`recipes` holds one entry per mechanical fix action (a new finding kind adds
entries there); `layer_swap` builds modified copies of a model; `fixed_model`
turns a fix into a model spec; `trial` runs the fixed models over the same
seeds and ranks them by measured effect.
"""

from flatliner.fixes.recipes import RECIPES, Recipe, recipe_for
from flatliner.fixes.trial import FixOutcome, FixReport, fix_study, try_fixes

__all__ = [
    "RECIPES",
    "FixOutcome",
    "FixReport",
    "Recipe",
    "fix_study",
    "recipe_for",
    "try_fixes",
]
