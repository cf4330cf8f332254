"""The model that started flatliner, as the practitioner wrote it.

A subclassed keras.Model: Conv2D(4) -> BatchNormalization -> ReLU -> Flatten ->
Dense(4, relu) -> Dense(K, softmax). `input_shape=` is passed to the Conv2D as in
the original, where a subclassed model ignores it. The two variants differ only in
the activation layer after the normalization: `ReLU()` or `Activation('relu')`.

`training` is passed on to BatchNormalization, as tf.keras of 2020 effectively
did; without it Keras 3 runs the layer in inference mode during fit (see
`SeedModelAsWritten`).
"""

from __future__ import annotations

import keras
from keras import layers

VARIANTS = ("relu", "activation")


class SeedModel(keras.Model):
    """The DESIGN.md seed model.

    Args:
        activation: "relu" for `ReLU()`, "activation" for `Activation('relu')`.
        num_classes: Width of the softmax output (100 for CIFAR-100).
        bottleneck: Units in the ReLU Dense layer (4 in the original).
        bottleneck_activation: Activation of that layer ("relu" in the original).
    """

    def __init__(
        self,
        activation: str = "relu",
        num_classes: int = 100,
        bottleneck: int = 4,
        bottleneck_activation: str | None = "relu",
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        if activation not in VARIANTS:
            raise ValueError(
                f"activation must be one of {VARIANTS}; received {activation!r}."
            )
        self.conv = layers.Conv2D(
            4, (3, 3), padding="same", activation="linear", input_shape=(32, 32, 3)
        )
        self.bn = layers.BatchNormalization()
        self.act = layers.ReLU() if activation == "relu" else layers.Activation("relu")
        self.flatten = layers.Flatten()
        self.d1 = layers.Dense(bottleneck, activation=bottleneck_activation)
        self.d2 = layers.Dense(num_classes, activation="softmax")

    def call(self, x, training=None):
        x = self.conv(x)
        x = self.bn(x, training=training)
        x = self.act(x)
        x = self.flatten(x)
        x = self.d1(x)
        return self.d2(x)


class SeedModelAsWritten(SeedModel):
    """The seed model with `call(self, x)` exactly as in the question.

    Keras 3 then runs BatchNormalization in inference mode during fit, so its
    moving statistics never leave 0 and 1.
    """

    def call(self, x):
        x = self.conv(x)
        x = self.bn(x)
        x = self.act(x)
        x = self.flatten(x)
        x = self.d1(x)
        return self.d2(x)


def seed_model(activation: str, num_classes: int = 100) -> keras.Model:
    """Builds an uncompiled seed model (the factory behind `seed-relu` and friends)."""
    return SeedModel(activation=activation, num_classes=num_classes)
