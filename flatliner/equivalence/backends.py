"""Running the check on other Keras backends, one subprocess each.

Keras picks its backend once per process, so every backend other than the
active one gets a fresh `python -m flatliner equiv ... --json FILE`; the
results are merged: DIFFERENT on any backend is DIFFERENT overall.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from flatliner.backend import BACKENDS
from flatliner.equivalence.verdict import DIFFERENT, EQUIVALENT, UP_TO_ROUNDING
from flatliner.errors import CannotCompareError, ConfigError

logger = logging.getLogger(__name__)
_PACKAGES = {"jax": "jax", "tensorflow": "tensorflow", "torch": "torch"}
_RANK = {EQUIVALENT: 0, UP_TO_ROUNDING: 1, DIFFERENT: 2}


def installed_backends() -> list[str]:
    """Backends whose package can be imported here."""
    return [b for b in BACKENDS if importlib.util.find_spec(_PACKAGES[b]) is not None]


def requested_backends(backends: str | Sequence[str], active: str) -> list[str]:
    """Resolves "all", "active", "jax,tensorflow" or a list into backend names.

    Raises:
        ConfigError: for an unknown or uninstalled backend.
    """
    if isinstance(backends, str):
        if backends == "all":
            return installed_backends()
        if backends == "active":
            return [active]
        backends = [b.strip() for b in backends.split(",") if b.strip()]
    names = list(backends)
    installed = installed_backends()
    wrong = [b for b in names if b not in installed]
    if wrong or not names:
        raise ConfigError(
            "backends must be 'all', 'active' or a list of installed backends "
            f"({', '.join(installed)}); received {', '.join(names) or 'nothing'}."
        )
    return names


def run_elsewhere(a: Any, b: Any, backends: list[str], **options: Any):
    """Runs the check once per backend in a subprocess and merges the results.

    Raises:
        CannotCompareError: when A or B is not a string (an object cannot be
            sent to another process), or a subprocess could not compare.
    """
    from flatliner.report.equivalence import equivalence_from_dict

    if not (isinstance(a, str) and isinstance(b, str)):
        raise CannotCompareError(
            "checking other backends needs A and B as expressions or model specs "
            "(strings), which a subprocess can rebuild; received "
            f"{type(a).__name__} and {type(b).__name__}."
        )
    results = []
    for backend in backends:
        data = _run_one(a, b, backend, options)
        results.append(equivalence_from_dict(data))
    return merge(results)


def merge(results: list):
    """One result from per-backend results: the worst verdict, all the checks."""
    worst = max(results, key=lambda r: _RANK[r.verdict])
    merged = results[0]
    merged.verdict = worst.verdict
    merged.counterexample = worst.counterexample
    merged.backends = [b for r in results for b in r.backends]
    merged.checks = [c for r in results for c in r.checks]
    merged.notes = _unique(
        [f"{r.backends[0]}: {note}" for r in results for note in r.notes]
    )
    merged.weights_copied = max(r.weights_copied for r in results)
    trajectories = [r.trajectory for r in results if r.trajectory is not None]
    if trajectories:
        parted = [t for t in trajectories if t.parted_at is not None]
        merged.trajectory = parted[0] if parted else trajectories[0]
    return merged


def _run_one(a: str, b: str, backend: str, options: dict[str, Any]) -> dict:
    with tempfile.TemporaryDirectory(prefix="flatliner-equiv-") as folder:
        out = Path(folder) / "result.json"
        command = [
            sys.executable,
            "-m",
            "flatliner",
            "equiv",
            a,
            b,
            "--backend",
            backend,
            "--json",
            str(out),
            "--dtypes",
            ",".join(options["dtypes"]),
            "--samples",
            str(options["samples"]),
            "--max-ulps",
            str(options["max_ulps"]),
            "--seed",
            str(options["seed"]),
        ]
        if not options["gradients"]:
            command.append("--outputs-only")
        if not options["shrink"]:
            command.append("--no-shrink")
        if options["data"] is not None:
            data = options["data"]
            command += ["--data", str(getattr(data, "name", data))]
        if options["train_steps"]:
            command += [
                "--train",
                "--steps",
                str(options["train_steps"]),
                "--batch-size",
                str(options["batch_size"]),
            ]
        env = dict(os.environ, KERAS_BACKEND=backend)
        logger.info("running the check on %s: %s", backend, " ".join(command))
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        if not out.is_file():
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise CannotCompareError(
                f"the check on backend {backend} could not run (exit "
                f"{done.returncode}): {last}"
            )
        return json.loads(out.read_text())


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))
