"""Tiny models in the three forms a fix must handle."""

from __future__ import annotations

import keras

from flatliner.models.spec import ModelSpec


def sequential(num_classes: int = 100) -> keras.Model:
    return keras.Sequential(
        [
            keras.Input((32, 32, 3)),
            keras.layers.Conv2D(4, 3, padding="same", name="conv"),
            keras.layers.ReLU(name="act"),
            keras.layers.Flatten(name="flat"),
            keras.layers.Dense(4, activation="relu", name="d1"),
            keras.layers.Dense(num_classes, activation="softmax", name="d2"),
        ]
    )


def functional(num_classes: int = 100) -> keras.Model:
    inputs = keras.Input((32, 32, 3))
    x = keras.layers.Conv2D(4, 3, padding="same", name="conv")(inputs)
    x = keras.layers.Activation("relu", name="act")(x)
    x = keras.layers.Flatten(name="flat")(x)
    x = keras.layers.Dense(4, activation="relu", name="d1")(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax", name="d2")(x)
    return keras.Model(inputs, outputs)


class Block(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(4, activation="relu")

    def call(self, x):
        return self.dense(x)


class Nested(keras.Model):
    """Subclassed, with the bottleneck inside a nested layer held in a list."""

    def __init__(self, num_classes: int = 100, **kwargs):
        super().__init__(**kwargs)
        self.flatten = keras.layers.Flatten()
        self.blocks = [Block()]
        self.out = keras.layers.Dense(num_classes, activation="softmax")

    def call(self, x):
        return self.out(self.blocks[0](self.flatten(x)))


def spec(name: str, factory) -> ModelSpec:
    return ModelSpec(name, factory, name)
