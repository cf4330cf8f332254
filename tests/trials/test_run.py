import os
import subprocess
import sys

import numpy as np

from flatliner.models import resolve_model_spec
from flatliner.trials.config import TrainConfig
from flatliner.trials.run import train_run
from tests.helpers import tiny_images

CONFIG = TrainConfig(epochs=2, batch_size=32, probe_size=64, eval_batch_size=64)


def test_same_seed_reproduces_the_run_exactly():
    data = tiny_images()
    spec = resolve_model_spec("seed-relu")
    first = train_run(spec, data, CONFIG, seed=3)
    second = train_run(spec, data, CONFIG, seed=3)
    for x, y in zip(first.weights, second.weights, strict=True):
        np.testing.assert_array_equal(x, y)
    assert [r.to_dict() for r in first.epochs] == [r.to_dict() for r in second.epochs]


def test_other_seed_gives_other_weights():
    data = tiny_images()
    spec = resolve_model_spec("seed-relu")
    a = train_run(spec, data, CONFIG, seed=0)
    b = train_run(spec, data, CONFIG, seed=1)
    assert any(
        not np.array_equal(x, y) for x, y in zip(a.weights, b.weights, strict=True)
    )


def test_records_cover_every_epoch_and_every_relu_layer():
    run = train_run(resolve_model_spec("seed-relu"), tiny_images(), CONFIG, seed=0)
    assert [r.epoch for r in run.epochs] == [0, 1, 2]
    assert run.epochs[0].loss is None and run.epochs[1].loss is not None
    relu_layers = [info.path for info in run.layers if info.activation == "relu"]
    assert relu_layers == ["act", "d1"]
    assert set(run.final.dead_units) == {"act", "d1"}
    assert run.final.dead_units["d1"][1] == 4
    assert sum(run.final.class_counts.values()) == 64
    assert len(run.seconds_per_epoch) == 2


def test_relu_and_activation_variants_train_identically():
    data = tiny_images()
    a = train_run(resolve_model_spec("seed-relu"), data, CONFIG, seed=5)
    b = train_run(resolve_model_spec("seed-activation"), data, CONFIG, seed=5)
    for x, y in zip(a.weights, b.weights, strict=True):
        np.testing.assert_array_equal(x, y)


def test_bottleneck_without_activation_has_one_fewer_relu_layer():
    run = train_run(resolve_model_spec("seed-linear"), tiny_images(), CONFIG, seed=0)
    assert [i.path for i in run.layers if i.activation == "relu"] == ["act"]
    assert run.layer("d1").activation == "linear"


def test_seeding_matches_keras_and_does_not_import_tensorflow_on_jax():
    # A JAX run gets the initial weights keras.utils.set_random_seed gives a
    # user, without paying for a TensorFlow import.
    code = """
import sys
import numpy as np
import keras
from flatliner.trials.run import seed_everything
from flatliner.models import resolve_model_spec
seed_everything(3)
a = resolve_model_spec("seed-relu").build(10)
a(np.zeros((1, 32, 32, 3), "float32"))
assert "tensorflow" not in sys.modules, "seeding imported TensorFlow"
keras.utils.clear_session(free_memory=False)
keras.utils.set_random_seed(3)
b = resolve_model_spec("seed-relu").build(10)
b(np.zeros((1, 32, 32, 3), "float32"))
for x, y in zip(a.weights, b.weights, strict=True):
    assert np.array_equal(np.asarray(x.value), np.asarray(y.value)), x.path
print("OK")
"""
    env = dict(os.environ, KERAS_BACKEND="jax")
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "OK" in done.stdout


def _mse_on_labels(num_classes):
    import keras

    model = keras.Sequential(
        [
            keras.Input((32, 32, 3)),
            keras.layers.Flatten(),
            keras.layers.Dense(num_classes, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    return model


def test_a_loss_that_does_not_fit_the_labels_is_a_one_line_training_error():
    import pytest

    from flatliner.errors import TrainingError
    from flatliner.models.spec import ModelSpec
    from flatliner.trials.compare import run_paired
    from flatliner.trials.store import RunStore

    spec = ModelSpec("mse.py:factory", _mse_on_labels, "mse.py:factory")
    data = tiny_images(n_train=64, n_test=32, classes=10)
    with pytest.raises(TrainingError, match=r"sparse_categorical_crossentropy"):
        train_run(spec, data, CONFIG, 0)
    # The same through an executor that does not use train_run.
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder, RunStore(Path(folder), {}) as store:
        with pytest.raises(TrainingError, match=r"mse.py:factory.*Incompatible"):
            run_paired([("A", spec)], data, CONFIG, [0], store)


def test_a_model_that_does_not_fit_the_inputs_is_told_why():
    import keras
    import pytest

    from flatliner.errors import ModelSpecError
    from flatliner.models.spec import ModelSpec
    from flatliner.trials.run import build_model

    def mnist_mlp(_k):
        return keras.Sequential(
            [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)]
        )

    spec = ModelSpec("mlp.py:factory", mnist_mlp, "mlp.py:factory")
    with pytest.raises(ModelSpecError) as caught:
        build_model(spec, tiny_images(n_train=8, n_test=8, classes=10), 0)
    # The reason, not Keras's "Exception encountered when calling ...".
    assert "expected axis -1 of input shape to have value 784" in str(caught.value)
    assert "\x1b" not in str(caught.value)


def test_a_store_that_fails_is_not_reported_as_a_training_failure(monkeypatch):
    import tempfile
    from pathlib import Path

    import pytest

    from flatliner.trials.compare import run_paired
    from flatliner.trials.store import RunStore

    def full_disk(run):
        raise OSError(28, "No space left on device")

    data = tiny_images(n_train=64, n_test=32, classes=10)
    spec = resolve_model_spec("seed-relu")
    with tempfile.TemporaryDirectory() as folder, RunStore(Path(folder), {}) as store:
        monkeypatch.setattr(store, "save", full_disk)
        with pytest.raises(OSError, match="No space left"):
            run_paired([("A", spec)], data, CONFIG, [0], store)
