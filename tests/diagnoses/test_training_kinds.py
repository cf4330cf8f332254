"""Kinds judged from training: learning rate (case e), vanishing (case f) and
exploding gradients, non-finite values, saturation, normalization that never
trained. Each has a failing model and a healthy counterpart."""

import pytest

from tests.diagnoses.zoo import CONFIG, blobs, diagnose, kinds, mlp


@pytest.fixture(scope="module")
def images():
    return blobs(n_train=768, features=784, classes=10, shape=(28, 28, 1))


@pytest.fixture(scope="module")
def healthy(images):
    return diagnose(lambda: mlp((28, 28, 1), [128], 10), images)


def _cnn(optimizer):
    import keras
    from keras import layers

    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(8, 3, activation="relu"),
            layers.MaxPooling2D(4),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer, "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def test_healthy_mlp_raises_nothing_above_information(healthy):
    assert [f.kind for f in healthy.findings[0] if f.severity != "info"] == []
    ratios = healthy.runs[0].final.update_ratios
    assert ratios and all(1e-4 < r < 1e-1 for r in ratios.values())


def test_adadelta_at_1e_3_is_a_learning_rate_too_low(images):
    import keras

    found = diagnose(lambda: _cnn(keras.optimizers.Adadelta(1e-3)), images)
    (finding,) = [f for f in found.findings[0] if f.kind == "learning_rate_low"]
    assert max(finding.evidence["update_ratios"].values()) < 1e-4
    assert "learning_rate_low" not in kinds(
        diagnose(lambda: _cnn(keras.optimizers.Adam(1e-3)), images)
    )


def test_adam_at_half_is_a_learning_rate_too_high(images, healthy):
    import keras

    found = diagnose(
        lambda: mlp((28, 28, 1), [128], 10, optimizer=keras.optimizers.Adam(0.5)),
        images,
    )
    assert "learning_rate_high" in kinds(found)
    assert "learning_rate_high" not in kinds(healthy)


def test_four_sigmoid_layers_of_500_have_vanishing_gradients(images, healthy):
    found = diagnose(lambda: mlp((28, 28, 1), [500] * 4, 10, "sigmoid"), images)
    (finding,) = [f for f in found.findings[0] if f.kind == "vanishing_gradients"]
    assert finding.evidence["first_to_last_ratio"] < 1e-2
    relu = diagnose(lambda: mlp((28, 28, 1), [500] * 4, 10, "relu"), images)
    assert "vanishing_gradients" not in kinds(relu)


def test_large_initial_weights_under_logits_explode(images, healthy):
    import keras

    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    found = diagnose(
        lambda: mlp(
            (28, 28, 1),
            [64] * 4,
            10,
            output="linear",
            loss=loss,
            kernel_initializer=keras.initializers.RandomNormal(stddev=3.0),
        ),
        images,
    )
    (finding,) = [f for f in found.findings[0] if f.kind == "exploding_gradients"]
    assert max(finding.evidence["gradient_rms"].values()) > 10
    assert "exploding_gradients" not in kinds(healthy)


def test_log_of_negative_values_is_located_in_its_layer(images, healthy):
    import keras
    from keras import layers, ops

    def model():
        m = keras.Sequential(
            [
                keras.Input((28, 28, 1)),
                layers.Flatten(),
                layers.Dense(32),
                layers.Lambda(lambda t: ops.log(t), name="log"),
                layers.Dense(10, activation="softmax"),
            ]
        )
        m.compile("adam", "sparse_categorical_crossentropy")
        return m

    found = diagnose(model, images)
    (finding,) = [f for f in found.findings[0] if f.kind == "non_finite"]
    assert finding.evidence["step"] == 1 and finding.evidence["epoch"] == 1
    assert finding.layer == "log" and finding.evidence["tensor"] == "output"
    assert "non_finite" not in kinds(healthy)


def test_overflowing_weights_are_blamed_on_the_weights(images):
    import keras

    found = diagnose(
        lambda: mlp((28, 28, 1), [64], 10, optimizer=keras.optimizers.SGD(1e30)),
        images,
    )
    (finding,) = [f for f in found.findings[0] if f.kind == "non_finite"]
    assert finding.evidence["tensor"] == "weights"
    assert finding.evidence["variables"]
    # Consequences of NaN (dead units, collapse) are not reported beside it.
    assert "dead_layer" not in kinds(found)


def test_tanh_units_with_huge_weights_saturate(images, healthy):
    import keras

    big = keras.initializers.RandomNormal(stddev=3.0)
    found = diagnose(
        lambda: mlp((28, 28, 1), [64], 10, "tanh", kernel_initializer=big), images
    )
    (finding,) = [f for f in found.findings[0] if f.kind == "saturated_units"]
    assert finding.evidence["saturated_units"] > 32
    plain = diagnose(lambda: mlp((28, 28, 1), [64], 10, "tanh"), images)
    assert "saturated_units" not in kinds(plain)


def test_batch_norm_that_never_trains_is_found_by_its_moving_statistics():
    from flatliner.models import resolve_model_spec
    from flatliner.trials.diagnose import diagnose_model
    from tests.helpers import tiny_images

    data = tiny_images()
    config = CONFIG.__class__(epochs=1, batch_size=32, probe_size=64)
    found = {
        name: diagnose_model(
            resolve_model_spec(name), data, config, [0], preflight=False
        )
        for name in ("seed-relu-as-written", "seed-relu")
    }
    (finding,) = [
        f for f in found["seed-relu-as-written"].findings[0] if f.kind == "batch_norm"
    ]
    assert finding.layer == "bn" and finding.evidence["check"] == "never_trained"
    assert "batch_norm" not in kinds(found["seed-relu"])
