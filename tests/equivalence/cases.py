"""The issue's cases, shared by the JAX tests and the TensorFlow subprocess."""

from __future__ import annotations

RELU_FAMILY = ("ReLU()", "Activation('relu')", "Lambda(ops.relu)")
LEAKY_ZERO = "LeakyReLU(negative_slope=0)"
GELU_EXACT = "Activation('gelu')"
GELU_TANH = "Lambda(lambda x: ops.gelu(x, approximate=True))"
# x * 0.1 and x / 10 are one function in exact arithmetic; 0.1 is not exact
# in binary, so the two round differently for some x.
TIMES_TENTH = "Lambda(lambda x: x * 0.1)"
OVER_TEN = "Lambda(lambda x: x / 10)"

# A tiny model file for model-level tests: two factories that differ only in
# how the activation after BatchNormalization is written, one that differs in
# what it computes, and one whose variables do not line up.
TINY_MODELS = """
import keras
from keras import layers


def _model(activation, units=4):
    return keras.Sequential(
        [
            keras.Input((6,)),
            layers.Dense(units),
            layers.BatchNormalization(),
            activation,
            layers.Dense(3, activation="softmax"),
        ]
    )


def relu():
    return _model(layers.ReLU())


def activation():
    return _model(layers.Activation("relu"))


def tanh():
    return _model(layers.Activation("tanh"))


def wide():
    return _model(layers.ReLU(), units=5)
"""
