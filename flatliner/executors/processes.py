"""Worker processes for the local executor.

Workers start with the spawn context (a fork would copy a running XLA or
TensorFlow runtime), select the Keras backend before importing Keras, and
read the dataset from NumPy files in a temporary folder (memory-mapped), so it
is written once instead of being pickled to every worker. Each worker keeps
its compiled trainers between tasks. A worker that dies takes down only the
runs in flight; everything already returned has been yielded (and stored).

Workers ignore SIGINT: on Ctrl-C (or any error) the main process cancels the
queued groups and terminates the workers at once, so the runs in flight are
lost but nothing waits for them. A worker whose main process was killed
outright (kill -9, the OOM killer) notices within a second and exits, and the
data folder such a main process left behind is removed by the next study.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import tempfile
import threading
import time
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
    remove_stale_data()
    with tempfile.TemporaryDirectory(prefix=f"{DATA_PREFIX}{os.getpid()}-") as folder:
        _write_dataset(dataset, Path(folder))
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(backend, folder, _metadata(dataset), os.getpid()),
        )
        try:
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
        except BaseException:
            _stop(pool)
            raise
        pool.shutdown(wait=True)


# Data folders are named flatliner-data-<pid of the main process>-<random>.
DATA_PREFIX = "flatliner-data-"
_DATA_FOLDER = re.compile(re.escape(DATA_PREFIX) + r"(\d+)-")


def remove_stale_data(folder: str | None = None) -> list[Path]:
    """Removes data folders whose main process no longer exists (it was
    killed before it could clean up); returns the folders removed."""
    removed = []
    root = Path(folder or tempfile.gettempdir())
    for path in root.glob(f"{DATA_PREFIX}*"):
        match = _DATA_FOLDER.match(path.name)
        if not match or not path.is_dir() or _alive(int(match.group(1))):
            continue
        shutil.rmtree(path, ignore_errors=True)
        logger.info("removed %s, left by a study that was killed", path)
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancels what is queued and terminates the workers without waiting for
    the runs in flight (they are lost; rerunning trains them)."""
    # ProcessPoolExecutor has no public terminate before Python 3.14, and its
    # shutdown forgets the processes: take them first.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)


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


def _start_worker(
    backend: str, folder: str, metadata: dict[str, Any], parent: int
) -> None:
    # Ctrl-C reaches the whole process group; the main process stops us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=watch_parent, args=(parent,), daemon=True).start()
    # The backend must be chosen before anything imports Keras.
    from flatliner.backend import select_backend

    select_backend(backend)
    arrays = {
        name: np.load(Path(folder) / f"{name}.npy", mmap_mode="r") for name in _ARRAYS
    }
    _WORKER["dataset"] = Dataset(**metadata, **arrays)
    _WORKER["trainers"] = {}


def watch_parent(parent: int, interval: float = 1.0) -> None:
    """Exits this process once `parent` is no longer its parent (the main
    process died without shutting the pool down)."""
    while os.getppid() == parent:
        time.sleep(interval)
    logger.warning("the main process %d is gone; worker %d exits", parent, os.getpid())
    os._exit(1)


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
