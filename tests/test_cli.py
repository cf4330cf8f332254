"""The command line, end to end. Slow cases train on the real CIFAR-100."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from flatliner.cli import main

FLATLINER = [sys.executable, "-m", "flatliner"]


def _env(**extra):
    env = dict(os.environ, FLATLINER_NO_DOWNLOAD="1", COLUMNS="160")
    env.pop("KERAS_BACKEND", None)
    env.update(extra)
    return env


def _run(args, timeout=900, **env):
    return subprocess.run(
        FLATLINER + args,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_env(**env),
    )


def test_wrong_data_path_is_a_one_line_error(tmp_path, capsys):
    status = main(
        [
            "compare",
            "seed-relu",
            "seed-activation",
            "--data",
            str(tmp_path / "nowhere.tar.gz"),
            "--seeds",
            "1",
        ]
    )
    err = capsys.readouterr().err.strip()
    assert status == 2
    assert "nowhere.tar.gz': no such file or folder" in err
    assert "\n" not in err
    assert "Traceback" not in err


def test_unknown_model_is_a_one_line_error(capsys):
    status = main(["compare", "seed-relu", "resnet", "--seeds", "1"])
    assert status == 2
    assert "model 'resnet' is neither a built-in name" in capsys.readouterr().err


def test_zero_seeds_is_refused(capsys):
    status = main(["compare", "seed-relu", "seed-activation", "--seeds", "0"])
    assert status == 2
    assert "seeds must be a positive integer; received 0" in capsys.readouterr().err


def test_fix_with_an_unknown_model_is_a_one_line_error(capsys):
    status = main(["fix", "resnet", "--seeds", "1"])
    assert status == 2
    assert "model 'resnet' is neither a built-in name" in capsys.readouterr().err


def test_fix_with_zero_epochs_is_refused(capsys):
    status = main(["fix", "seed-relu", "--epochs", "0"])
    assert status == 2
    assert "epochs must be a positive integer; received 0" in capsys.readouterr().err


def test_demo_without_data_says_how_to_point_at_a_copy(tmp_path):
    result = _run(["demo"], timeout=300, KERAS_HOME=str(tmp_path))
    assert result.returncode == 2
    assert "--data" in result.stderr and "cifar-100-python.tar.gz" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def killed_then_resumed(tmp_path_factory, cifar100_path):
    """Compare 3 seeds on real CIFAR-100; kill it after seed 0; run it again."""
    run_dir = tmp_path_factory.mktemp("runs") / "seed-case"
    out = run_dir.parent / "compare.json"
    args = [
        "compare",
        "seed-relu",
        "seed-activation",
        "--data",
        str(cifar100_path),
        "--seeds",
        "3",
        "--epochs",
        "1",
        "--run-dir",
        str(run_dir),
        "--json",
        str(out),
    ]
    process = subprocess.Popen(
        FLATLINER + args,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Wait until the first seed pair is stored, then kill without warning.
    db = run_dir / "runs.sqlite"
    deadline = time.time() + 600
    first_pair = []
    while time.time() < deadline and process.poll() is None:
        if db.exists():
            with sqlite3.connect(db) as con:
                first_pair = con.execute(
                    "SELECT label, seed, finished_at FROM runs ORDER BY seed, label"
                ).fetchall()
            if len(first_pair) >= 2:
                break
        time.sleep(0.5)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert len(first_pair) >= 2, process.stderr.read()

    resumed = _run(args)
    assert resumed.returncode == 0, resumed.stderr
    with sqlite3.connect(db) as con:
        rows = con.execute(
            "SELECT label, seed, finished_at FROM runs ORDER BY seed, label"
        ).fetchall()
    return {
        "before": first_pair[:2],
        "after": rows,
        "stdout": resumed.stdout,
        "json": json.loads(out.read_text()),
    }


@pytest.mark.slow
def test_resume_skips_the_seed_finished_before_the_kill(killed_then_resumed):
    before, after = killed_then_resumed["before"], killed_then_resumed["after"]
    assert [(label, seed) for label, seed, _ in after] == [
        ("A", 0),
        ("B", 0),
        ("A", 1),
        ("B", 1),
        ("A", 2),
        ("B", 2),
    ]
    # Seed 0's rows were written by the killed process and never rewritten.
    assert after[:2] == before


@pytest.mark.slow
def test_seed_case_compare_names_the_dead_bottleneck(killed_then_resumed):
    report = killed_then_resumed["json"]
    assert report["schema"] == "flatliner.compare/1"
    assert report["backend"] == "jax"

    # (a) A and B trained bit-identically, seed by seed.
    assert all(pair["identical"] for pair in report["pairs"])
    assert all(pair["max_abs_weight_diff"] == 0.0 for pair in report["pairs"])

    # (b) Every run that ends at 1% accuracy is flagged as chance level ...
    runs = report["runs"]
    at_one_percent = [r for r in runs if abs(r["final"]["val_accuracy"] - 0.01) < 0.002]
    assert at_one_percent, "the seed case should collapse on JAX"
    assert all(r["chance_level"] for r in at_one_percent)

    # (c) ... and explained by the dead Dense(4) layer d1.
    explained = {
        (e["label"], e["seed"]): e["finding"] for e in report["verdict"]["explanations"]
    }
    for run in at_one_percent:
        finding = explained[(run["label"], run["seed"])]
        assert finding["kind"] == "dead_layer" and finding["layer"] == "d1"
        assert finding["summary"].startswith("d1 (Dense, 4 units, relu): 4 of 4")
        assert run["final"]["classes_predicted"] == 1
    assert "trained identically in all 3 seeds" in killed_then_resumed["stdout"]

    # (d) Identical training: no statistical test is run.
    assert "no test is needed" in killed_then_resumed["stdout"]
    assert report["verdict"]["trained_identically"]
    assert {s["metric"] for s in report["statistics"]} == {
        "final_val_accuracy",
        "best_val_accuracy",
        "final_val_loss",
        "chance_level_collapse",
    }
    assert all(s["p_value"] is None for s in report["statistics"])
    assert "d1 (Dense, 4 units, relu)" in killed_then_resumed["stdout"]


@pytest.mark.slow
def test_tensorflow_backend_trains_the_pair_identically(cifar100_path, tmp_path):
    out = tmp_path / "tf.json"
    result = _run(
        [
            "compare",
            "seed-relu",
            "seed-activation",
            "--backend",
            "tensorflow",
            "--data",
            str(cifar100_path),
            "--seeds",
            "1",
            "--epochs",
            "1",
            "--run-dir",
            str(tmp_path / "tf"),
            "--json",
            str(out),
        ]
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    assert report["backend"] == "tensorflow"
    assert report["runs"][0]["backend"] == "tensorflow"
    assert report["pairs"][0]["identical"]


def test_unwritable_output_paths_are_refused_before_any_work(tmp_path, capsys):
    status = main(["equiv", "ReLU()", "ReLU()", "--json", str(tmp_path)])
    assert status == 2
    assert "--json" in capsys.readouterr().err
    status = main(
        ["compare", "seed-relu", "seed-activation", "--html", "/proc/flat.html"]
    )
    err = capsys.readouterr().err
    assert status == 2 and "--html /proc/flat.html: cannot write there" in err


def test_brackets_in_an_error_reach_the_user(monkeypatch, capsys):
    # Rich would read "[torch]" in an install hint as markup and drop it.
    from flatliner.errors import ConfigError

    def refuse(requested):
        raise ConfigError("install it with `pip install -e '.[torch]'`")

    monkeypatch.setattr("flatliner.backend.select_backend", refuse)
    status = main(["compare", "seed-relu", "seed-activation", "--seeds", "1"])
    assert status == 2
    assert "pip install -e '.[torch]'" in capsys.readouterr().err


def test_an_interrupted_run_does_not_promise_to_resume():
    from flatliner.cli import _resume_hint

    assert "start over" in _resume_hint("run")
    assert "resume" in _resume_hint("compare")
