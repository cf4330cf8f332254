"""flatliner.Monitor on a user's own model.fit."""

import logging
import math

import numpy as np
import pytest

import flatliner
from tests.diagnoses.models import dead_bottleneck
from tests.diagnoses.zoo import blobs


@pytest.fixture(scope="module")
def data():
    return blobs(n_train=512, n_val=256)


def _fit(model, data, monitor, epochs=2):
    import keras

    keras.utils.set_random_seed(0)
    return model.fit(
        data.x_train,
        data.y_train,
        validation_data=(data.x_test, data.y_test),
        batch_size=32,
        epochs=epochs,
        verbose=0,
        callbacks=[monitor],
    )


def test_monitor_returns_findings_as_objects_and_logs_them(data, caplog):
    import keras

    keras.utils.set_random_seed(0)
    model = dead_bottleneck("relu")
    monitor = flatliner.Monitor(probe=(data.x_test[:128], data.y_test[:128]))
    with caplog.at_level(logging.WARNING, logger="flatliner.monitor"):
        _fit(model, data, monitor)
    kinds = {f.kind for f in monitor.findings}
    assert {"dead_layer", "chance_level", "collapsed_predictions"} <= kinds
    assert all(isinstance(f, flatliner.diagnoses.Finding) for f in monitor.findings)
    assert any("dead_layer" in r.getMessage() for r in caplog.records)
    assert [r.epoch for r in monitor.records] == [0, 1, 2]


def test_monitor_on_a_healthy_fit_finds_nothing_above_information(data):
    import keras

    keras.utils.set_random_seed(0)
    model = dead_bottleneck("dense", bias=0.0, units=32)
    monitor = flatliner.Monitor(probe=(data.x_test[:128], data.y_test[:128]))
    history = _fit(model, data, monitor)
    assert [f.kind for f in monitor.findings if f.severity != "info"] == []
    assert history.history["val_accuracy"][-1] > 0.5


def test_step_losses_are_the_losses_of_single_batches(data):
    """Recovered from Keras's running mean: the first step's loss equals the
    loss of the first batch before training, measured directly."""
    import keras

    keras.utils.set_random_seed(0)
    model = dead_bottleneck("dense", bias=0.0, units=32)
    first = model.evaluate(
        data.x_train[:32], data.y_train[:32], verbose=0, return_dict=True
    )["loss"]
    monitor = flatliner.Monitor(preset="full", judge=False)
    model.fit(
        data.x_train,
        data.y_train,
        batch_size=32,
        epochs=1,
        shuffle=False,
        verbose=0,
        callbacks=[monitor],
    )
    (epoch,) = monitor.epochs
    assert epoch.steps == 16 and len(epoch.step_losses) == 16
    assert epoch.step_losses[0] == pytest.approx(first, rel=1e-4)
    # The running mean Keras reports is the mean of the recovered losses.
    assert np.mean(epoch.step_losses) == pytest.approx(
        model.history.history["loss"][-1], rel=1e-4
    )
    # One measured step per 20 ("full"), one ratio per layer with weights.
    assert epoch.update_samples == 1 and len(epoch.update_ratios) == 3
    assert 0 < epoch.update_ratios["act"] < 1
    assert 0 < epoch.monitor_seconds < 60


def test_first_non_finite_step_is_reported_without_a_probe_batch(data):
    import keras

    keras.utils.set_random_seed(0)
    model = dead_bottleneck("dense", bias=0.0, units=32)
    model.compile(keras.optimizers.SGD(1e30), "sparse_categorical_crossentropy")
    monitor = flatliner.Monitor()
    _fit(model, data, monitor, epochs=1)
    (finding,) = [f for f in monitor.findings if f.kind == "non_finite"]
    assert finding.evidence["step"] == monitor.epochs[0].non_finite["step"]
    assert finding.evidence["step"] <= 3
    assert finding.evidence["tensor"] == "weights"
    assert math.isnan(monitor.records[-1].loss)


def test_unknown_preset_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="preset must be one of cheap, standard"):
        flatliner.Monitor(preset="fast")
