"""The diagnosis engine on the TensorFlow and PyTorch backends.

Each backend runs in its own process (Keras fixes its backend at import): a
dead bottleneck must be found, a healthy model must pass, gradient norms and
update ratios must be measured, and a NaN must be located.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

SCRIPT = """
import json, keras
from tests.diagnoses.models import dead_bottleneck
from tests.diagnoses.zoo import blobs, diagnose, mlp

data = blobs(n_train=512, n_val=256)
out = {"backend": keras.backend.backend()}
dead = diagnose(lambda: dead_bottleneck("relu"), data)
healthy = diagnose(lambda: dead_bottleneck("dense", bias=0.0, units=32), data)
nan = diagnose(lambda: mlp((20,), [16], 5, optimizer=keras.optimizers.SGD(1e30)), data)
final = healthy.runs[0].final
out["dead"] = sorted({f.kind for f in dead.findings[0]})
out["dead_layer"] = [f.layer for f in dead.findings[0] if f.kind == "dead_layer"]
out["healthy"] = sorted({f.kind for f in healthy.findings[0] if f.severity != "info"})
out["gradient_rms"] = final.gradient_rms
out["update_ratios"] = final.update_ratios
out["nan"] = [f.evidence for f in nan.findings[0] if f.kind == "non_finite"]
print("RESULT " + json.dumps(out))
"""


def _run(backend: str) -> dict:
    env = dict(os.environ, KERAS_BACKEND=backend, FLATLINER_NO_DOWNLOAD="1")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("RESULT ")]
    assert result.returncode == 0 and lines, result.stderr[-3000:]
    return json.loads(lines[-1][len("RESULT ") :])


@pytest.mark.parametrize("backend", ["tensorflow", "torch"])
def test_backend_finds_what_jax_finds(backend):
    if importlib.util.find_spec(backend) is None:
        pytest.skip(f"{backend} is not installed (./setup.sh --dev installs it)")
    out = _run(backend)
    assert out["backend"] == backend
    assert {"dead_layer", "chance_level", "collapsed_predictions"} <= set(out["dead"])
    assert out["dead_layer"] == ["act"]
    assert out["healthy"] == []
    assert len(out["gradient_rms"]) == 3 and all(
        g > 0 for g in out["gradient_rms"].values()
    )
    assert len(out["update_ratios"]) == 3 and all(
        0 < r < 1 for r in out["update_ratios"].values()
    )
    (nan,) = out["nan"]
    assert nan["tensor"] == "weights" and nan["step"] <= 3
