"""Every fit call is monitored, the user's callbacks kept, creation sites found."""

from __future__ import annotations

import contextlib
import io
import textwrap

import pytest

from flatliner.scripts.recorder import ScriptRecorder
from flatliner.scripts.runner import run_script

SCRIPT = """
import keras
import numpy as np
from keras import layers

class Count(keras.callbacks.Callback):
    epochs = 0
    def on_epoch_end(self, epoch, logs=None):
        Count.epochs += 1

class Scaled(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
    def call(self, x):
        return x * 2.0

x = np.random.default_rng(0).normal(size=(64, 3)).astype("float32")
y = x.sum(axis=1, keepdims=True)
model = keras.Sequential([keras.Input(shape=(3,)), Scaled(), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=2, verbose=0, callbacks=[Count()])
model.fit(x, y, epochs=1, verbose=0)
print("count", Count.epochs)
"""


def line_of(snippet: str, body: str = SCRIPT) -> int:
    """1-based line of the first line containing `snippet`."""
    lines = textwrap.dedent(body).splitlines()
    return next(i for i, line in enumerate(lines, start=1) if snippet in line)


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    """The script above, run once for all tests here; (path, result, stdout)."""
    path = tmp_path_factory.mktemp("fit_hook") / "train.py"
    path.write_text(textwrap.dedent(SCRIPT))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = run_script(path)
    return path, result, out.getvalue()


def test_every_fit_call_is_recorded_where_it_was_made(ran):
    path, result, _ = ran
    fits = result.session.fits
    assert [f.index for f in fits] == [1, 2]
    assert [f.location.line for f in fits] == [
        line_of("callbacks=[Count()]"),
        line_of("epochs=1"),
    ]
    assert all(f.location.file == str(path.resolve()) for f in fits)
    assert [f.training.epochs_finished for f in fits] == [2, 1]


def test_user_callbacks_keep_running_beside_flatliners(ran):
    _, result, out = ran
    assert "count 2" in out
    assert all(
        isinstance(cb, ScriptRecorder)
        for f in result.session.fits
        for cb in f.callbacks
    )


def test_layers_and_compile_are_located_at_their_lines(ran):
    _, result, _ = ran
    session = result.session
    model = session.fits[0].model
    lines = {
        type(layer).__name__: session.layer_site(layer).line for layer in model.layers
    }
    # The subclass is found where it is created, not at its super().__init__
    # line inside the class.
    built = line_of("model = keras.Sequential")
    assert lines == {"Scaled": built, "Dense": built}
    assert session.fits[0].compile_location.line == line_of("model.compile")
    assert "model.compile" in session.fits[0].compile_location.code


def test_probe_batch_comes_from_the_fit_arrays(ran):
    _, result, _ = ran
    probe = result.session.fits[0].training.probe
    assert probe.source == "arrays"
    assert probe.x.shape == (64, 3) and probe.y.shape == (64, 1)


CRASHING = """
import keras
import numpy as np

def batches():
    rng = np.random.default_rng(0)
    for step in range(100):
        if step == 12:
            raise OSError("disk went away")
        x = rng.normal(size=(8, 3)).astype("float32")
        yield x, x.sum(axis=1, keepdims=True)

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(batches(), steps_per_epoch=5, epochs=4, verbose=0)
"""


def test_a_crash_inside_fit_keeps_the_epochs_before_it(tmp_path, capsys):
    from flatliner.scripts.diagnose import diagnose_script

    path = tmp_path / "crashing.py"
    path.write_text(textwrap.dedent(CRASHING))
    result = run_script(path, print_traceback=False)
    assert result.exit_code == 1 and isinstance(result.error, OSError)
    (fit,) = result.session.fits
    assert fit.error is result.error
    # 12 batches: epochs 1 and 2 finished, the crash came in epoch 3.
    assert fit.training.epochs_finished == 2
    (report,) = diagnose_script(result).fits
    crash = report.findings[0].finding
    assert crash.kind == "crash" and "disk went away" in crash.summary
