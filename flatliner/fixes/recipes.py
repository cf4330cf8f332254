"""The registry of mechanical fixes: one recipe per Fix action.

A recipe turns a fresh model from the factory into the fixed model, for one
Fix (its `target` names the layer, where it has one). A new finding kind that
suggests a new action adds one `Recipe` to RECIPES; `recipe_for` finds it.
Parameters are the recipes' defaults (widen to 128 units or 4x, learning rate
divided by 10, SGD(0.01), inputs divided by 255, leaky ReLU slope 0.2).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flatliner.diagnoses.finding import Fix
from flatliner.errors import FlatlinerError
from flatliner.fixes.layer_swap import find_layer, swap_layer

# TODO: a Fix carries no parameters, so every recipe uses the defaults below;
# a finding that knows a better width or learning rate cannot say so yet.
# Widening goes to at least this many units (the seed case's Dense(128)).
WIDEN_MIN_UNITS = 128
WIDEN_FACTOR = 4
LEARNING_RATE_DIVISOR = 10.0
SGD_LEARNING_RATE = 0.01
RESCALE = 1.0 / 255.0

# Layers that only apply an activation: a fix replaces the whole layer.
ACTIVATION_LAYERS = ("ReLU", "Activation", "LeakyReLU", "ELU", "PReLU", "Softmax")


class FixNotApplicable(FlatlinerError, ValueError):
    """A fix cannot be applied mechanically to this model."""


@dataclass(frozen=True)
class Recipe:
    """How to apply one fix action to a fresh model.

    Attributes:
        action: The Fix action it handles (`remove_activation`, ...).
        apply: (model, fix) -> fixed model. The model comes fresh from the
            factory; the result may be the same object, changed.
        needs_target: Whether the fix must name a layer.
        what: The change, in words, with the recipe's parameters.
    """

    action: str
    apply: Callable[[Any, Fix], Any]
    needs_target: bool
    what: str


def recipe_for(fix: Fix) -> Recipe | None:
    """The recipe for `fix.action`, or None when it cannot be applied mechanically."""
    return RECIPES.get(fix.action)


def apply_fix(model: Any, fix: Fix) -> Any:
    """Applies `fix` to a fresh model and returns the fixed model.

    Raises:
        FixNotApplicable: for an action without a recipe, a missing target, or
            a layer the recipe cannot change.
    """
    recipe = recipe_for(fix)
    if recipe is None:
        raise FixNotApplicable(
            f"fix action {fix.action!r} has no mechanical recipe; known actions: "
            f"{', '.join(RECIPES)}."
        )
    if recipe.needs_target and not fix.target:
        raise FixNotApplicable(
            f"fix {fix.action!r} needs a target layer; received target=None."
        )
    return recipe.apply(model, fix)


# --- layer recipes -----------------------------------------------------------


def _remove_activation(model: Any, fix: Fix) -> Any:
    import keras

    def replace(layer: Any) -> Any:
        if type(layer).__name__ in ACTIVATION_LAYERS:
            return keras.layers.Identity(name=layer.name)
        return _with_config(layer, fix, activation="linear")

    return swap_layer(model, fix.target, replace)


def _leaky_relu(model: Any, fix: Fix) -> Any:
    import keras

    def replace(layer: Any) -> Any:
        if type(layer).__name__ in ACTIVATION_LAYERS:
            return keras.layers.Activation("leaky_relu", name=layer.name)
        return _with_config(layer, fix, activation="leaky_relu")

    return swap_layer(model, fix.target, replace)


def _widen_layer(model: Any, fix: Fix) -> Any:
    def replace(layer: Any) -> Any:
        config = layer.get_config()
        key = "units" if "units" in config else "filters"
        if key not in config:
            raise FixNotApplicable(
                f"fix 'widen_layer' needs a layer with units or filters; "
                f"{fix.target!r} is a {type(layer).__name__}."
            )
        width = max(WIDEN_MIN_UNITS, WIDEN_FACTOR * int(config[key]))
        return _with_config(layer, fix, **{key: width})

    return swap_layer(model, fix.target, replace)


def _global_pooling(model: Any, fix: Fix) -> Any:
    import keras

    def replace(layer: Any) -> Any:
        if type(layer).__name__ != "Flatten":
            raise FixNotApplicable(
                f"fix 'global_pooling' replaces a Flatten layer; {fix.target!r} is "
                f"a {type(layer).__name__}."
            )
        return keras.layers.GlobalAveragePooling2D(name=layer.name)

    return swap_layer(model, fix.target, replace)


def _with_config(layer: Any, fix: Fix, **changes: Any) -> Any:
    config = layer.get_config()
    missing = [key for key in changes if key not in config]
    if missing:
        raise FixNotApplicable(
            f"fix {fix.action!r} cannot change {', '.join(missing)} of "
            f"{fix.target!r}, a {type(layer).__name__}."
        )
    config.update(changes)
    return type(layer).from_config(config)


# --- training recipes ----------------------------------------------------------


def _lower_learning_rate(model: Any, fix: Fix) -> Any:
    import keras

    config = _compile_config(model)
    optimizer = keras.optimizers.deserialize(config["optimizer"])
    settings = optimizer.get_config()
    settings["learning_rate"] = float(settings["learning_rate"]) / LEARNING_RATE_DIVISOR
    config["optimizer"] = keras.optimizers.serialize(
        type(optimizer).from_config(settings)
    )
    return _compile(model, config)


def _change_optimizer(model: Any, fix: Fix) -> Any:
    import keras

    config = _compile_config(model)
    config["optimizer"] = keras.optimizers.serialize(
        keras.optimizers.SGD(learning_rate=SGD_LEARNING_RATE)
    )
    return _compile(model, config)


def _flip_from_logits(model: Any, fix: Fix) -> Any:
    return _set_from_logits(model, fix, lambda current: not current)


def _from_logits_true(model: Any, fix: Fix) -> Any:
    return _set_from_logits(model, fix, lambda _: True)


def _from_logits_false(model: Any, fix: Fix) -> Any:
    return _set_from_logits(model, fix, lambda _: False)


def _set_from_logits(model: Any, fix: Fix, new: Callable[[bool], bool]) -> Any:
    import keras

    config = _compile_config(model)
    loss = keras.losses.get(config["loss"])
    if isinstance(loss, str) or not hasattr(loss, "get_config"):
        loss = keras.losses.get({"class_name": _loss_class(config["loss"], fix.action)})
    settings = loss.get_config()
    if "from_logits" not in settings:
        raise FixNotApplicable(
            f"fix {fix.action!r} needs a loss with from_logits; the model's "
            f"loss is {type(loss).__name__}."
        )
    settings["from_logits"] = new(settings["from_logits"])
    config["loss"] = keras.losses.serialize(type(loss).from_config(settings))
    return _compile(model, config)


def _rescale_inputs(model: Any, fix: Fix) -> Any:
    import keras

    config = _compile_config(model)
    wrapped = keras.Sequential(
        [keras.layers.Rescaling(RESCALE, name="rescale_inputs"), model]
    )
    return _compile(wrapped, config)


def _compile_config(model: Any) -> dict[str, Any]:
    """The model's compile settings, or flatliner's defaults for an uncompiled one."""
    import keras

    if getattr(model, "compiled", False):
        return dict(model.get_compile_config())
    from flatliner.trials.run import default_compile_args

    args = default_compile_args()
    return {
        "optimizer": keras.optimizers.serialize(args["optimizer"]),
        "loss": keras.losses.serialize(args["loss"]),
        "metrics": args["metrics"],
    }


def _compile(model: Any, config: dict[str, Any]) -> Any:
    model.compile_from_config(config)
    return model


def _loss_class(name: Any, action: str) -> str:
    # A loss given by function name: its class carries from_logits.
    names = {
        "sparse_categorical_crossentropy": "SparseCategoricalCrossentropy",
        "categorical_crossentropy": "CategoricalCrossentropy",
        "binary_crossentropy": "BinaryCrossentropy",
    }
    if name not in names:
        raise FixNotApplicable(
            f"fix {action!r} needs a cross-entropy loss; received loss {name!r}."
        )
    return names[name]


def _recipes(*recipes: Recipe) -> dict[str, Recipe]:
    return {recipe.action: recipe for recipe in recipes}


RECIPES: dict[str, Recipe] = _recipes(
    Recipe("remove_activation", _remove_activation, True, "no activation (linear)"),
    # The output-layer form the loss and target rules suggest.
    Recipe("linear_output", _remove_activation, True, "output made linear"),
    Recipe("leaky_relu", _leaky_relu, True, "leaky_relu (slope 0.2)"),
    Recipe(
        "widen_layer",
        _widen_layer,
        True,
        f"{WIDEN_FACTOR}x the units, at least {WIDEN_MIN_UNITS}",
    ),
    Recipe("global_pooling", _global_pooling, True, "GlobalAveragePooling2D"),
    Recipe(
        "lower_learning_rate",
        _lower_learning_rate,
        False,
        f"learning rate / {LEARNING_RATE_DIVISOR:g}",
    ),
    Recipe("change_optimizer", _change_optimizer, False, "SGD(0.01)"),
    Recipe("flip_from_logits", _flip_from_logits, False, "from_logits flipped"),
    # The actions the loss rules suggest for a from_logits mismatch.
    Recipe("from_logits_true", _from_logits_true, False, "from_logits=True"),
    Recipe("from_logits_false", _from_logits_false, False, "from_logits=False"),
    Recipe("rescale_inputs", _rescale_inputs, False, "inputs x 1/255"),
)

__all__ = ["RECIPES", "FixNotApplicable", "Recipe", "apply_fix", "find_layer"]
