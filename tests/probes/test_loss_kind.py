"""Losses are named the same however they were passed to compile."""

from __future__ import annotations

import keras
import pytest

from flatliner.probes.loss_kind import loss_kind


@pytest.mark.parametrize(
    ("loss", "name", "family"),
    [
        ("mse", "mean_squared_error", "regression"),
        (keras.losses.MeanSquaredError(), "mean_squared_error", "regression"),
        (keras.losses.mean_absolute_error, "mean_absolute_error", "regression"),
        (keras.losses.Huber(), "huber", "regression"),
        ("sparse_categorical_crossentropy", None, "sparse_categorical"),
        (keras.losses.CategoricalCrossentropy(), None, "categorical"),
        ("binary_crossentropy", None, "binary"),
        ({"out": "mae"}, "mean_absolute_error", "regression"),
    ],
)
def test_loss_family(loss, name, family):
    kind = loss_kind(loss)
    assert kind.family == family
    if name:
        assert kind.name == name


def test_from_logits_is_read_from_the_loss_object():
    assert loss_kind(
        keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    ).from_logits
    assert not loss_kind("sparse_categorical_crossentropy").from_logits


def test_unknown_loss_is_other():
    def my_loss(y, p):
        return (y - p) ** 4

    assert loss_kind(my_loss).family == "other"
    assert loss_kind(None).family == "other"
