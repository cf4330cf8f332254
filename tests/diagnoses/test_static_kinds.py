"""Kinds known before training: double softmax, loss/output/label mismatch,
input scale, data order. Cases a-d and g of the issue, rebuilt small."""

import dataclasses
import math

import numpy as np
import pytest

from flatliner.data.dataset import build_dataset
from flatliner.fixes.recipes import RECIPES
from tests.diagnoses.zoo import CONFIG, blobs, checks, diagnose, kinds, mlp

ONE_EPOCH = CONFIG.__class__(epochs=1, batch_size=32, probe_size=128)


def _sce(**kwargs):
    import keras

    return keras.losses.SparseCategoricalCrossentropy(**kwargs)


# a. raw 0-255 pixels into an MLP 128-128-10.


def test_raw_pixels_trip_input_scale():
    raw = blobs(features=784, classes=10, shape=(28, 28, 1), scale=255.0)
    found = diagnose(lambda: mlp((28, 28, 1), [128, 128], 10), raw, ONE_EPOCH)
    (finding,) = [f for f in found.findings[0] if f.kind == "input_scale"]
    # What the first Dense receives on the probe batch: the raw values.
    probe = raw.x_test[: ONE_EPOCH.probe_size]
    assert finding.evidence["max"] == pytest.approx(float(probe.max()))
    assert finding.evidence["std"] == pytest.approx(float(probe.std()), rel=1e-4)
    # `flatliner fix` can try the first fix (a new user found it "not tried").
    assert finding.fixes[0].action in RECIPES
    assert finding.layer is not None


def test_unit_scaled_pixels_and_a_rescaling_layer_do_not():
    import keras

    unit = blobs(features=784, classes=10, shape=(28, 28, 1), scale=1.0)
    assert "input_scale" not in kinds(
        diagnose(lambda: mlp((28, 28, 1), [128, 128], 10), unit, ONE_EPOCH)
    )

    def rescaled():
        model = keras.Sequential(
            [
                keras.Input((28, 28, 1)),
                keras.layers.Rescaling(1 / 255),
                keras.layers.Flatten(),
                keras.layers.Dense(10, activation="softmax"),
            ]
        )
        model.compile("adam", "sparse_categorical_crossentropy")
        return model

    raw = blobs(features=784, classes=10, shape=(28, 28, 1), scale=255.0)
    assert "input_scale" not in kinds(diagnose(rescaled, raw, ONE_EPOCH))


def test_a_few_large_values_in_standardized_data_do_not():
    # Blobs with spread 3: the probe batch holds values beyond 10, but their
    # typical size is of order 1-3, which default initializers handle.
    base = blobs(features=10, classes=4)
    spread = dataclasses.replace(
        base, x_train=base.x_train * 3.5, x_test=base.x_test * 3.5
    )
    probe = spread.x_test[: ONE_EPOCH.probe_size]
    assert np.abs(probe).max() > 10 > np.hypot(probe.mean(), probe.std())
    assert "input_scale" not in kinds(
        diagnose(lambda: mlp((10,), [16], 4), spread, ONE_EPOCH)
    )


# b. a 27-class softmax under a from_logits=True loss.


def test_softmax_under_from_logits_is_double_softmax_with_its_loss_floor():
    data = blobs(n_train=2048, features=40, classes=27)
    found = diagnose(
        lambda: mlp((40,), [64], 27, loss=_sce(from_logits=True)), data, CONFIG
    )
    (finding,) = [f for f in found.findings[0] if f.kind == "double_softmax"]
    floor = math.log(math.e + 26) - 1
    assert finding.evidence["loss_floor"] == pytest.approx(floor)
    assert round(floor, 4) == 2.3575
    final = found.runs[0].final
    assert final.loss >= floor - 1e-4
    assert [f.action in RECIPES for f in finding.fixes] == [True, True]


def test_linear_output_under_from_logits_is_not():
    data = blobs(features=40, classes=27)
    found = diagnose(
        lambda: mlp((40,), [64], 27, output="linear", loss=_sce(from_logits=True)),
        data,
        ONE_EPOCH,
    )
    assert "double_softmax" not in kinds(found)
    assert "loss_mismatch" not in kinds(found)


# c. a binary task with Dense(1, softmax).


def test_softmax_over_one_unit_is_a_loss_mismatch():
    import keras

    data = blobs(classes=2)

    def model(activation):
        return lambda: mlp(
            (20,),
            [16],
            1,
            output=activation,
            loss=keras.losses.BinaryCrossentropy(),
        )

    assert "softmax_one_unit" in checks(
        diagnose(model("softmax"), data, ONE_EPOCH), "loss_mismatch"
    )
    assert "loss_mismatch" not in kinds(diagnose(model("sigmoid"), data, ONE_EPOCH))


# d. 24 classes with a Dense(3) output.


def test_labels_beyond_output_width_skip_training():
    data = blobs(classes=24)
    found = diagnose(lambda: mlp((20,), [32], 3), data, ONE_EPOCH)
    assert found.runs == {} and found.skipped_training
    (finding,) = [f for f in found.preflight if f.kind == "loss_mismatch"]
    assert finding.evidence == {
        "check": "labels_beyond_output",
        "max_label": 23,
        "output_units": 3,
    }


def test_wide_enough_output_trains():
    found = diagnose(lambda: mlp((20,), [16], 24), blobs(classes=24), ONE_EPOCH)
    assert 0 in found.runs and "loss_mismatch" not in kinds(found)


# g. 5 classes stored class by class, split like validation_split=0.2.


def _sorted_split(shuffle: bool):
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(5), 200)
    x = rng.normal(size=(1000, 20)).astype("float32") + y[:, None]
    if shuffle:
        order = rng.permutation(1000)
        x, y = x[order], y[order]
    # Keras's validation_split takes the last 20% before any shuffling.
    return build_dataset(
        "sorted", x[:800], y[:800], x[800:], y[800:], scale="as-stored", num_classes=5
    )


def test_validation_split_of_sorted_data_is_a_data_order_error():
    found = diagnose(lambda: mlp((20,), [16], 5), _sorted_split(False), ONE_EPOCH)
    (finding,) = [f for f in found.findings[0] if f.kind == "data_order"]
    assert finding.evidence["val_classes_unseen"] == [4]
    assert found.runs[0].final.val_accuracy == 0.0


def test_shuffled_split_has_no_data_order_finding():
    found = diagnose(lambda: mlp((20,), [16], 5), _sorted_split(True), ONE_EPOCH)
    assert "data_order" not in kinds(found)
