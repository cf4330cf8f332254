"""The output activation is found by evaluation, whatever layer applies it."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from keras import layers

from flatliner.probes.output_activation import output_activation

X = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        ([layers.Dense(2, activation="sigmoid")], "sigmoid"),
        ([layers.Dense(2), layers.Activation("sigmoid")], "sigmoid"),
        ([layers.Dense(2), layers.ReLU()], "relu"),
        ([layers.Dense(2, activation="relu"), layers.Dropout(0.5)], "relu"),
        ([layers.Dense(2)], "linear"),
        ([layers.Dense(2, activation="softmax")], "softmax"),
    ],
)
def test_output_activation(tail, expected):
    model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(4), *tail])
    activation, path = output_activation(model, X)
    assert activation == expected
    assert path is not None
