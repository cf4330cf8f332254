"""Worker processes for the local executor.

Workers start with the spawn context (a fork would copy a running XLA or
TensorFlow runtime), select the Keras backend before importing Keras, and
read the dataset from NumPy files in a temporary folder (memory-mapped), so it
is written once instead of being pickled to every worker. Each worker keeps
its compiled trainers between tasks. A worker that dies takes down only the
runs in flight; everything already returned has been yielded (and stored).
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

import numpy as np

from flatliner.data.dataset import Dataset
from flatliner.executors.base import EpochCallback, RunTask
from flatliner.trials.config import TrainConfig
from flatliner.trials.run import RunResult

logger = logging.getLogger(__name__)

_ARRAYS = ("x_train", "y_train", "x_test", "y_test")

# Per worker process: the dataset and the compiled trainers, kept between tasks.
_WORKER: dict[str, Any] = {}


def run_in_processes(
    tasks: list[RunTask],
    dataset: Dataset,
    config: TrainConfig,
    workers: int,
    group_size: int,
    on_epoch: EpochCallback | None = None,
) -> Iterator[RunResult]:
    """Trains groups of tasks in `workers` spawned processes; yields each run."""
    import multiprocessing

    import keras

    from flatliner.executors.local import plan_groups

    backend = keras.backend.backend()
    with tempfile.TemporaryDirectory(prefix="flatliner-data-") as folder:
        _write_dataset(dataset, Path(folder))
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(backend, folder, _metadata(dataset)),
        ) as pool:
            pending = {}
            for _label, group in plan_groups(tasks, group_size):
                work = [(t.label, t.spec.name, t.seed) for t in group]
                pending[pool.submit(_train, work, config)] = group
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    group = pending.pop(future)
                    by_seed = {task.seed: task for task in group}
                    for run in future.result():
                        if on_epoch:
                            for record in run.epochs:
                                on_epoch(by_seed[run.seed], record)
                        yield run


def _write_dataset(dataset: Dataset, folder: Path) -> None:
    for name in _ARRAYS:
        np.save(folder / f"{name}.npy", getattr(dataset, name))


def _metadata(dataset: Dataset) -> dict[str, Any]:
    return {
        "name": dataset.name,
        "num_classes": dataset.num_classes,
        "scale": dataset.scale,
        "class_names": dataset.class_names,
    }


def _start_worker(backend: str, folder: str, metadata: dict[str, Any]) -> None:
    # The backend must be chosen before anything imports Keras.
    from flatliner.backend import select_backend

    select_backend(backend)
    arrays = {
        name: np.load(Path(folder) / f"{name}.npy", mmap_mode="r") for name in _ARRAYS
    }
    _WORKER["dataset"] = Dataset(**metadata, **arrays)
    _WORKER["trainers"] = {}


def _train(work: list[tuple[str, str, int]], config: TrainConfig) -> list[RunResult]:
    import keras

    from flatliner.executors.base import RunTask
    from flatliner.executors.local import train_groups
    from flatliner.models import resolve_model_spec
    from flatliner.trials.run import train_run

    dataset = _WORKER["dataset"]
    tasks = [
        RunTask(label, resolve_model_spec(name), seed) for label, name, seed in work
    ]
    if keras.backend.backend() != "jax":
        return [
            train_run(t.spec, dataset, config, t.seed, label=t.label) for t in tasks
        ]
    return list(
        train_groups(tasks, dataset, config, len(tasks), trainers=_WORKER["trainers"])
    )
