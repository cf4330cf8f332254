"""Factories for the failing and healthy models of the catalogue tests."""

from __future__ import annotations


def dead_bottleneck(variant: str = "dense", bias: float = -100.0, units: int = 4):
    """MLP whose 4-unit ReLU layer starts dead (bias far below its inputs'
    spread); `variant` is how the ReLU is written: "dense" (in the Dense),
    "relu" (a ReLU() layer) or "activation" (Activation('relu')).

    The ReLU-applying layer is named `act` in every variant, so that findings
    name the same path. bias=0 gives the healthy counterpart.
    """
    import keras
    from keras import layers

    init = keras.initializers.Constant(bias)
    model = keras.Sequential([keras.Input((20,)), layers.Dense(32, activation="relu")])
    if variant == "dense":
        model.add(
            layers.Dense(units, activation="relu", bias_initializer=init, name="act")
        )
    else:
        model.add(layers.Dense(units, bias_initializer=init))
        model.add(
            layers.ReLU(name="act")
            if variant == "relu"
            else layers.Activation("relu", name="act")
        )
    model.add(layers.Dense(5, activation="softmax"))
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
