"""`flatliner diagnose`, end to end. The slow case trains on the real CIFAR-100."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import numpy as np
import pytest

from flatliner.cli import main

FLATLINER = [sys.executable, "-m", "flatliner"]

FACTORIES = """
import keras


def dead():
    model = keras.Sequential([
        keras.Input((20,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(4, activation="relu", name="d1",
                           bias_initializer=keras.initializers.Constant(-100.0)),
        keras.layers.Dense(5, activation="softmax"),
    ])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def healthy():
    model = keras.Sequential([
        keras.Input((20,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(5, activation="softmax"),
    ])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
"""


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("diagnose")
    rng = np.random.default_rng(0)
    centers = rng.normal(size=(5, 20)) * 2
    y = rng.integers(0, 5, 768)
    x = (centers[y] + rng.normal(size=(768, 20))).astype("float32")
    data = folder / "blobs.npz"
    np.savez(data, x_train=x[:512], y_train=y[:512], x_test=x[512:], y_test=y[512:])
    models = folder / "models.py"
    models.write_text(FACTORIES)
    return folder, data, models


def _diagnose(files, factory, *extra):
    folder, data, models = files
    out = folder / f"{factory}.json"
    status = main(
        [
            "diagnose",
            f"{models}:{factory}",
            "--data",
            str(data),
            "--epochs",
            "2",
            "--probe-size",
            "128",
            "--run-dir",
            str(folder / f"runs-{factory}"),
            "--json",
            str(out),
            *extra,
        ]
    )
    return status, json.loads(out.read_text())


def test_dead_layer_is_reported_in_the_terminal_and_json(files, capsys):
    status, report = _diagnose(files, "dead")
    text = capsys.readouterr().out
    assert status == 1  # an error-level finding
    assert report["schema"] == "flatliner.diagnose/1"
    kinds = {f["kind"]: f for f in report["findings"]}
    assert kinds["dead_layer"]["layer"] == "d1"
    assert kinds["dead_layer"]["seeds"] == [0]
    assert "chance_level" in kinds
    assert "d1 (Dense, 4 units, relu): 4 of 4 units never active" in text
    assert "fix 1:" in text
    assert "an overhead ratio of 1." in text


def test_healthy_model_exits_zero_with_no_warning(files, capsys):
    status, report = _diagnose(files, "healthy", "--no-preflight")
    assert status == 0
    assert [f for f in report["findings"] if f["severity"] != "info"] == []
    assert report["runs"][0]["final"]["val_accuracy"] > 0.5


def test_try_fixes_reuses_the_diagnosed_runs_and_ranks_every_fix(files, capsys):
    folder, _, _ = files
    page = folder / "dead.html"
    status, report = _diagnose(
        files,
        "dead",
        "--seeds",
        "2",
        "--no-preflight",
        "--try-fixes",
        "--html",
        str(page),
        "--run-dir",
        str(folder / "runs-fixes"),
    )
    text = capsys.readouterr().out
    assert status == 1
    fixes = report["fixes"]
    assert fixes["seeds"] == [0, 1]
    tried = {o["fix"]["action"] for o in fixes["outcomes"]}
    assert {"remove_activation", "leaky_relu", "widen_layer"} <= tried
    assert all(o["verdict"] for o in fixes["outcomes"])
    # The diagnosed runs are stored as the fix study's originals, so the study
    # finds them instead of training the original a second time.
    with sqlite3.connect(folder / "runs-fixes" / "runs.sqlite") as db:
        labels = {row[0] for row in db.execute("SELECT DISTINCT label FROM runs")}
    assert "original" in labels and "A" not in labels
    assert "Trying 4 fixes" in text
    html = page.read_text()
    assert "not measured in this run" not in html.split("Fixes tried")[-1][:400]
    assert "remove" in html.lower()


def test_unknown_preset_is_a_usage_error(files, capsys):
    folder, data, models = files
    with pytest.raises(SystemExit):
        main(["diagnose", f"{models}:dead", "--data", str(data), "--preset", "x"])
    assert "invalid choice: 'x'" in capsys.readouterr().err


@pytest.mark.slow
def test_seed_relu_on_cifar100_names_the_dead_bottleneck(cifar100_path, tmp_path):
    out = tmp_path / "diagnose.json"
    env = dict(os.environ, FLATLINER_NO_DOWNLOAD="1", COLUMNS="160")
    env.pop("KERAS_BACKEND", None)
    result = subprocess.run(
        FLATLINER
        + [
            "diagnose",
            "seed-relu",
            "--data",
            str(cifar100_path),
            "--epochs",
            "1",
            "--seeds",
            "1",
            "--no-preflight",
            "--run-dir",
            str(tmp_path / "runs"),
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    assert result.returncode == 1, result.stderr
    report = json.loads(out.read_text())
    kinds = {f["kind"]: f for f in report["findings"]}
    assert kinds["dead_layer"]["layer"] == "d1"
    assert kinds["dead_layer"]["summary"].startswith(
        "d1 (Dense, 4 units, relu): 4 of 4"
    )
    assert "chance_level" in kinds
    # Nothing about the activation layer after BatchNormalization.
    assert all(f["layer"] != "act" for f in report["findings"])
    assert "d1 (Dense, 4 units, relu)" in result.stdout
