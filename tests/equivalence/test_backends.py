"""The issue's cases on TensorFlow and across backends, and the seed models on
the real CIFAR-100 (slow: each runs a fresh process per backend).

Models that compute different functions part at step 1: see the fast
tests/equivalence/test_trajectories.py (tiny models, tiny data).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# Runs in a subprocess with KERAS_BACKEND=tensorflow; prints one JSON object.
TENSORFLOW_SCRIPT = """
import json, sys
import numpy as np
import flatliner
from tests.equivalence.cases import *

data = sys.argv[1]
out = {}
for other in RELU_FAMILY[1:]:
    out[other] = flatliner.equivalent(RELU_FAMILY[0], other).verdict
leaky = flatliner.equivalent("ReLU()", LEAKY_ZERO, gradients=False)
x = leaky.counterexample.input.astype(np.float64)
out["leaky at -inf"] = [leaky.verdict, bool(np.isneginf(x).any()),
                        bool(np.isnan(leaky.counterexample.b.astype(float)).any())]
six = flatliner.equivalent("ReLU()", "ReLU(max_value=6)")
out["max_value=6"] = [six.verdict, float(six.counterexample.input.max())]
one = flatliner.equivalent("ReLU()", "ReLU(threshold=1.0)")
a, b = one.counterexample.a.astype(float), one.counterexample.b.astype(float)
xs = one.counterexample.input.astype(float)[a != b]
out["threshold=1.0"] = [one.verdict, bool(((xs > 0) & (xs < 1)).all())]
out["softmax"] = flatliner.equivalent("Softmax()", "Activation('softmax')").verdict
gelu = flatliner.equivalent(GELU_EXACT, GELU_TANH, gradients=False)
out["gelu"] = [gelu.verdict, max(c.difference.max_abs for c in gelu.checks
                                 if c.dtype == "float64")]
out["tenth"] = flatliner.equivalent(TIMES_TENTH, OVER_TEN, gradients=False).verdict
seed = flatliner.equivalent("seed-relu", "seed-activation", dtypes=["float32"],
                            data=data, train_steps=10)
out["seed models"] = [seed.verdict, seed.modes, seed.trajectory.parted_at,
                      seed.trajectory.steps]
print(json.dumps(out))
"""


def _env(**extra):
    env = dict(os.environ, FLATLINER_NO_DOWNLOAD="1", COLUMNS="160")
    env.pop("KERAS_BACKEND", None)
    env.update(extra)
    return env


@pytest.mark.slow
def test_the_issue_cases_hold_on_tensorflow(cifar100_path):
    done = subprocess.run(
        [sys.executable, "-c", TENSORFLOW_SCRIPT, str(cifar100_path)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
        env=_env(KERAS_BACKEND="tensorflow"),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["Activation('relu')"] == "EQUIVALENT"
    assert out["Lambda(ops.relu)"] == "EQUIVALENT"
    assert out["leaky at -inf"] == ["DIFFERENT", True, True]
    assert out["max_value=6"] == ["DIFFERENT", 7.0]
    assert out["threshold=1.0"] == ["DIFFERENT", True]
    assert out["softmax"] == "EQUIVALENT"
    assert out["gelu"][0] == "DIFFERENT" and 1e-4 < out["gelu"][1] < 1e-3
    assert out["tenth"] == "EQUIVALENT UP TO ROUNDING"
    assert out["seed models"] == ["EQUIVALENT", ["inference", "training"], None, 10]


@pytest.mark.slow
def test_backends_all_checks_jax_and_tensorflow_in_subprocesses(tmp_path):
    report = tmp_path / "all.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "flatliner",
            "equiv",
            "ReLU()",
            "Activation('relu')",
            "--backends",
            "all",
            "--json",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
        env=_env(),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    data = json.loads(report.read_text())
    assert data["verdict"] == "EQUIVALENT"
    assert {"jax", "tensorflow"} <= set(data["backends"])
    assert {c["backend"] for c in data["checks"]} == set(data["backends"])


@pytest.mark.slow
def test_seed_models_are_equivalent_as_models_and_trajectories(cifar100_path, tmp_path):
    report = tmp_path / "seed.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "flatliner",
            "equiv",
            "seed-relu",
            "seed-activation",
            "--data",
            str(cifar100_path),
            "--train",
            "--steps",
            "20",
            "--dtypes",
            "float32,bfloat16",
            "--json",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
        env=_env(),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    data = json.loads(report.read_text())
    assert data["verdict"] == "EQUIVALENT"
    assert data["weights_copied"] == 10
    assert data["modes"] == ["inference", "training"]
    assert data["trajectory"]["parted_at"] is None
    assert data["trajectory"]["max_abs"] == [0.0] * 21
    assert "identical" in done.stdout
