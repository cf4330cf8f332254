"""The JSON form of a comparison (schema `flatliner.compare/1`, docs/json-schema.md)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from flatliner.data.dataset import Dataset
from flatliner.diagnoses.comparison import Comparison
from flatliner.files import atomic_file
from flatliner.trials.config import TrainConfig

SCHEMA = "flatliner.compare/1"


def comparison_to_dict(
    comparison: Comparison,
    dataset: Dataset,
    config: TrainConfig,
    backend: str,
    run_dir: Path | None,
) -> dict[str, Any]:
    """Everything the terminal report shows, as plain JSON-ready data."""
    runs = []
    for seed in comparison.seeds:
        for label in comparison.labels:
            judged = comparison.runs[(label, seed)]
            run = judged.run
            runs.append(
                {
                    "label": label,
                    "seed": seed,
                    "model": run.model,
                    "backend": run.backend,
                    "final": run.final.to_dict(),
                    "epochs": [r.to_dict() for r in run.epochs],
                    "seconds_per_epoch": run.seconds_per_epoch,
                    "layers": [info.to_dict() for info in run.layers],
                    "chance_level": judged.chance is not None,
                    "findings": [f.to_dict() for f in judged.findings],
                }
            )
    return _finite(
        {
            "schema": SCHEMA,
            "variants": {
                label: {"model": spec} for label, spec in comparison.labels.items()
            },
            "data": {
                "name": dataset.name,
                "num_classes": dataset.num_classes,
                "train_samples": len(dataset.x_train),
                "val_samples": len(dataset.x_test),
                "probe_samples": config.probe_samples(len(dataset.x_test)),
                "input_shape": list(dataset.input_shape),
                "scale": dataset.scale,
            },
            "config": config.to_dict(),
            "backend": backend,
            "seeds": comparison.seeds,
            "run_dir": None if run_dir is None else str(run_dir),
            "runs": runs,
            "pairs": [
                {"seed": seed, **comparison.pairs[seed].to_dict()}
                for seed in comparison.seeds
            ],
            "statistics": [stat.to_dict() for stat in comparison.statistics],
            "verdict": {
                "identical_seeds": sum(p.identical for p in comparison.pairs.values()),
                "trained_identically": comparison.identical,
                "seeds": len(comparison.seeds),
                "chance_level_runs": [
                    {"label": j.run.label, "seed": j.run.seed}
                    for j in comparison.chance_runs()
                ],
                "explanations": [
                    {
                        "label": j.run.label,
                        "seed": j.run.seed,
                        "finding": None
                        if j.explanation is None
                        else j.explanation.to_dict(),
                    }
                    for j in comparison.chance_runs()
                ],
                "summary": comparison.summary,
            },
        }
    )


def write_json(data: dict[str, Any], path: Path) -> None:
    """Writes `data` atomically: a reader never sees a half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path) as handle:
        json.dump(data, handle, indent=2, allow_nan=False)
        handle.write("\n")


def _finite(value: Any) -> Any:
    # JSON has no NaN or infinity: write them as strings that say what they were.
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value
