import keras
import pytest
from keras import layers

from flatliner.probes.applied_activation import applied_activation

SHAPE = (None, 4, 4, 3)


def _built(layer, shape=SHAPE):
    layer.build(shape)
    return layer


@pytest.mark.parametrize(
    "layer",
    [
        layers.ReLU(),
        layers.Activation("relu"),
        layers.LeakyReLU(negative_slope=0.0),
        layers.Lambda(lambda t: keras.ops.relu(t)),
        layers.Dense(5, activation="relu"),
        layers.Conv2D(2, 3, activation="relu"),
    ],
    ids=["ReLU", "Activation", "LeakyReLU0", "Lambda", "Dense", "Conv2D"],
)
def test_relu_is_recognised_whatever_the_layer(layer):
    assert applied_activation(_built(layer), SHAPE) == "relu"


@pytest.mark.parametrize(
    "layer",
    [
        layers.ReLU(max_value=6.0),
        layers.ReLU(threshold=1.0),
        layers.LeakyReLU(negative_slope=0.1),
        layers.Activation("gelu"),
    ],
    ids=["relu6", "threshold", "leaky", "gelu"],
)
def test_relu_variants_are_not_relu(layer):
    assert applied_activation(_built(layer), SHAPE) == "other"


@pytest.mark.parametrize(
    "layer, kind",
    [
        (layers.Activation("sigmoid"), "sigmoid"),
        (layers.Activation("tanh"), "tanh"),
        (layers.Dense(5, activation="softmax"), "softmax"),
        (layers.Softmax(), "softmax"),
        (layers.Dense(5), "linear"),
    ],
)
def test_other_activations_are_named(layer, kind):
    assert applied_activation(_built(layer), SHAPE) == kind


@pytest.mark.parametrize(
    "layer",
    [layers.Flatten(), layers.BatchNormalization(), layers.Dropout(0.5)],
)
def test_layers_without_an_activation_get_none(layer):
    assert applied_activation(_built(layer), SHAPE) is None


def test_narrow_inputs_still_tell_sigmoid_from_relu():
    # Two values per sample: the first two test values alone are both "0" after
    # sigmoid and ReLU.
    assert applied_activation(layers.Activation("sigmoid"), (None, 2)) == "sigmoid"
    assert applied_activation(layers.ReLU(), (None, 1)) == "relu"
