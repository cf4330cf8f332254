"""Paired seeds: A and B trained with the same seeds, resuming from the store."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flatliner.data.dataset import Dataset
from flatliner.errors import FlatlinerError, TrainingError
from flatliner.executors.base import Executor
from flatliner.models.spec import ModelSpec
from flatliner.trials.config import TrainConfig
from flatliner.trials.run import EpochRecord, RunResult, training_failure
from flatliner.trials.store import RunStore

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Progress:
    """One event for a progress display: a finished epoch or a skipped run."""

    label: str
    seed: int
    epoch: int
    epochs: int
    skipped: bool
    record: EpochRecord | None


def study_identity(
    specs: list[ModelSpec],
    dataset: Dataset,
    config: TrainConfig,
    backend: str,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What makes two invocations the same study; the store refuses mixing them."""
    return {
        "models": [spec.name for spec in specs],
        "model_sources": [_source_digest(spec.name) for spec in specs],
        "data": dataset.name,
        "data_shape": list(dataset.x_train.shape),
        "num_classes": dataset.num_classes,
        "scale": dataset.scale,
        "config": config.to_dict(),
        "backend": backend,
        **(extra or {}),
    }


def default_run_dir(command: str, identity: dict[str, Any], root: Path) -> Path:
    """`root/<command>-<models>-<hash>`: the same command maps to the same folder."""
    digest = hashlib.sha256(repr(sorted(identity.items())).encode()).hexdigest()[:10]
    names = "-vs-".join(_slug(m) for m in identity["models"])
    return root / f"{command}-{names}-{digest}"


def run_paired(
    variants: list[tuple[str, ModelSpec]],
    dataset: Dataset,
    config: TrainConfig,
    seeds: list[int],
    store: RunStore,
    on_progress: Callable[[Progress], None] | None = None,
    executor: Executor | None = None,
) -> dict[tuple[str, int], RunResult]:
    """Trains every variant with every seed, skipping runs the store already has.

    The runs still missing go to `executor` (default: the local executor) in
    seed order, variants in the given order within a seed, and each finished
    run is stored as soon as the executor returns it: a study killed part-way
    keeps every run returned so far, and rerunning trains only the rest.

    Returns:
        Every run keyed by (label, seed), loaded back from the store.
    """
    from flatliner.executors import RunTask, make_executor

    if executor is None:
        import keras

        executor = make_executor(None, keras.backend.backend())
    done = store.finished()
    tasks = []
    for seed in seeds:
        for label, spec in variants:
            if (label, seed) in done:
                logger.info("%s seed %d already in %s", label, seed, store.folder)
                if on_progress:
                    on_progress(Progress(label, seed, 0, config.epochs, True, None))
                continue
            tasks.append(RunTask(label, spec, seed))

    def report(task: RunTask, record: EpochRecord) -> None:
        if on_progress and record.epoch > 0:
            on_progress(
                Progress(
                    task.label, task.seed, record.epoch, config.epochs, False, record
                )
            )

    logger.info("training %d runs with %s", len(tasks), executor.describe())
    runs = executor.run(tasks, dataset, config, report)
    while True:
        # Only what the executor raises is a training failure; a failing
        # store.save is reported as itself.
        try:
            run = next(runs)
        except StopIteration:
            break
        except (FlatlinerError, BrokenProcessPool):
            raise
        except Exception as exc:  # noqa: BLE001 - Keras raises anything here
            names = ", ".join(spec.name for _, spec in variants)
            raise TrainingError(training_failure(exc, names, dataset)) from exc
        store.save(run)
    return {
        (label, seed): store.load(label, seed)
        for seed in seeds
        for label, _ in variants
    }


def _slug(text: str) -> str:
    return re.sub(
        r"[^A-Za-z0-9_.]+",
        "_",
        Path(text.split(":")[0]).stem if ".py" in text else text,
    )[:40]


def _source_digest(spec_name: str) -> str | None:
    # A factory file's content is part of the study: editing it starts a new one.
    if ":" not in spec_name:
        return None
    path = Path(spec_name.rsplit(":", 1)[0]).expanduser()
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return None
