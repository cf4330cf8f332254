import numpy as np
import pytest

from flatliner.probes.model_facts import model_facts
from flatliner.probes.snapshot import describe_layers


def _facts(model):
    x = np.random.default_rng(0).normal(size=(16, 6)).astype("float32") * 50
    return model_facts(model, describe_layers(model, x), x)


@pytest.mark.parametrize("separate_layer", [False, True])
def test_output_activation_is_found_by_evaluation_not_by_class(separate_layer):
    import keras
    from keras import layers

    head = (
        [layers.Dense(3), layers.Softmax()]
        if separate_layer
        else [layers.Dense(3, activation="softmax")]
    )
    model = keras.Sequential([keras.Input((6,)), layers.Dense(4), *head])
    model.compile(
        keras.optimizers.SGD(0.05),
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    facts = _facts(model)
    assert facts.output_activation == "softmax"
    assert facts.loss_family == "sparse_categorical" and facts.from_logits
    assert facts.optimizer == "SGD" and facts.learning_rate == pytest.approx(0.05)
    assert facts.output_units == 3


def test_first_layer_input_is_measured_after_a_rescaling_layer():
    import keras
    from keras import layers

    model = keras.Sequential(
        [keras.Input((6,)), layers.Rescaling(0.01), layers.Dense(2, name="first")]
    )
    model.compile("adam", "binary_crossentropy")
    facts = _facts(model)
    assert facts.first_layer == "first"
    assert facts.loss_family == "binary" and not facts.from_logits
    x = np.random.default_rng(0).normal(size=(16, 6)).astype("float32") * 50
    assert facts.first_layer_input[1] == pytest.approx(float(x.max()) * 0.01, rel=1e-5)
