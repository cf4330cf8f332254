"""The JSON form of `flatliner run`: schema `flatliner.run/1` (docs/run.md)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from flatliner.scripts.diagnose import ScriptReport
from flatliner.scripts.stability import FitStability

SCHEMA = "flatliner.run/1"


def script_to_dict(
    script: str,
    args: list[str],
    backend: str,
    reports: list[ScriptReport],
    stability: list[FitStability] | None = None,
) -> dict[str, Any]:
    """Every run of the script (one per seed), its fit calls and findings."""
    runs = []
    for report in reports:
        result = report.result
        runs.append(
            {
                "seed": result.seed,
                "exit_code": result.exit_code,
                "error": None
                if result.error is None
                else f"{type(result.error).__name__}: {result.error}",
                "fits": [
                    {
                        "index": f.fit.index,
                        "location": None
                        if f.fit.location is None
                        else f.fit.location.to_dict(),
                        "compile_location": None
                        if f.fit.compile_location is None
                        else f.fit.compile_location.to_dict(),
                        "task": f.task,
                        "epochs_finished": f.fit.training.epochs_finished,
                        "crashed": f.fit.error is not None,
                        "probe": {
                            "samples": f.fit.training.probe.size,
                            "source": f.fit.training.probe.source,
                        },
                        "epochs": [
                            {
                                "epoch": r.epoch,
                                "logs": r.logs,
                                "dead_units": r.dead_units,
                            }
                            for r in f.fit.training.records
                        ],
                        "findings": [lf.to_dict() for lf in f.findings],
                    }
                    for f in report.fits
                ],
                "crash": None if report.crash is None else report.crash.to_dict(),
            }
        )
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "script": script,
        "args": list(args),
        "backend": backend,
        "runs": runs,
    }
    if stability:
        data["stability"] = [
            {
                "fit": s.index,
                "seeds": s.seeds,
                "final_loss": s.final_loss,
                "final_loss_mean": s.loss_mean,
                "final_loss_sd": s.loss_std,
                "final_loss_mean_ci95": (
                    None if s.loss_interval() is None else s.loss_interval().to_dict()
                ),
                "finding_seeds": s.kinds,
                "finding_rate_ci95": {k: list(s.kind_share(k)) for k in s.kinds},
                "stable": s.stable,
            }
            for s in stability
        ]
    return _plain(data)


def _plain(value: Any) -> Any:
    # JSON has no NaN, infinity or NumPy scalars: write plain values, and
    # non-finite numbers as the strings that say what they were.
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    return value
