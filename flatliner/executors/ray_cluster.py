"""The Ray executor: every seed is a Ray task on a Ray cluster.

With `address` it joins an existing cluster (`ray.init(address=...)`); without
one it starts a local cluster on this machine. Ray is imported only here and
only when this executor runs (`pip install ray==2.60.0`). The dataset is put in
the object store once; each worker process selects the Keras backend before
importing Keras and keeps its compiled trainer between tasks. A task whose
worker or node dies is retried by Ray (`max_retries`); runs already returned
have been yielded, so the caller stored them.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import Iterator
from typing import Any

from flatliner.data.dataset import Dataset
from flatliner.errors import ConfigError
from flatliner.executors.base import EpochCallback, Executor, RunTask
from flatliner.trials.config import TrainConfig
from flatliner.trials.run import RunResult

logger = logging.getLogger(__name__)

# Per Ray worker process: compiled trainers, kept between tasks.
_TRAINERS: dict[Any, Any] = {}


class RayExecutor(Executor):
    """Runs each task as a Ray task and yields runs as they finish.

    Args:
        address: A Ray cluster to join (`ray://host:10001`, `host:6379` or
            "auto"); None starts a local cluster.
        num_cpus: CPUs of a local cluster (default: all); ignored with
            `address`.
        cpus_per_task: CPUs Ray reserves for each task (default 1).
        max_retries: Times Ray reruns a task whose worker died (default 2).

    Raises:
        ConfigError: when Ray is not installed (on run) or a number is not a
            positive integer.
    """

    name = "ray"

    def __init__(
        self,
        address: str | None = None,
        *,
        num_cpus: int | None = None,
        cpus_per_task: int = 1,
        max_retries: int = 2,
    ) -> None:
        for name, value, low in (
            ("num_cpus", num_cpus, 1),
            ("cpus_per_task", cpus_per_task, 1),
            ("max_retries", max_retries, 0),
        ):
            if value is None:
                continue
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise ConfigError(
                    f"{name} must be an integer of at least {low}; received {value!r}."
                )
        self.address = address
        self.num_cpus = num_cpus
        self.cpus_per_task = cpus_per_task
        self.max_retries = max_retries

    def describe(self) -> str:
        return f"ray ({self.address or 'local cluster'})"

    def run(
        self,
        tasks: list[RunTask],
        dataset: Dataset,
        config: TrainConfig,
        on_epoch: EpochCallback | None = None,
    ) -> Iterator[RunResult]:
        if not tasks:
            return
        ray = _import_ray()
        import keras

        backend = keras.backend.backend()
        if not ray.is_initialized():
            self._connect(ray, backend)
        remote = ray.remote(_train_task).options(
            num_cpus=self.cpus_per_task,
            max_retries=self.max_retries,
            runtime_env={"env_vars": _worker_env(backend)},
        )
        data_ref = ray.put(dataset)
        pending = {
            remote.remote(backend, data_ref, config, t.label, t.spec.name, t.seed): t
            for t in tasks
        }
        while pending:
            done, _ = ray.wait(list(pending), num_returns=1)
            for ref in done:
                task = pending.pop(ref)
                run = ray.get(ref)
                if on_epoch:
                    for record in run.epochs:
                        on_epoch(task, record)
                yield run

    def _connect(self, ray: Any, backend: str) -> None:
        env = {"env_vars": _worker_env(backend)}
        if self.address:
            logger.info("joining the Ray cluster at %s", self.address)
            ray.init(address=self.address, runtime_env=env, log_to_driver=False)
        else:
            logger.info("starting a local Ray cluster")
            ray.init(
                num_cpus=self.num_cpus,
                include_dashboard=False,
                runtime_env=env,
                log_to_driver=False,
            )


def _import_ray() -> Any:
    if importlib.util.find_spec("ray") is None:
        raise ConfigError(
            "executor='ray' needs the ray package, which is not installed; "
            "install it with `pip install ray==2.60.0` or choose another executor."
        )
    import ray

    return ray


def _worker_env(backend: str) -> dict[str, str]:
    return {
        "KERAS_BACKEND": backend,
        "TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "3"),
    }


def _train_task(
    backend: str,
    dataset: Dataset,
    config: TrainConfig,
    label: str,
    spec_name: str,
    seed: int,
) -> RunResult:
    # Runs in a Ray worker: choose the backend before Keras is imported.
    from flatliner.backend import select_backend

    select_backend(backend)
    from flatliner.models import resolve_model_spec
    from flatliner.trials.run import train_run

    spec = resolve_model_spec(spec_name)
    if backend != "jax":
        return train_run(spec, dataset, config, seed, label=label)

    from flatliner.executors.replicas import ReplicaTrainer

    key = (spec_name, dataset.name, dataset.x_train.shape, config)
    if key not in _TRAINERS:
        _TRAINERS.clear()
        _TRAINERS[key] = ReplicaTrainer(spec, dataset, config)
    return _TRAINERS[key].train([seed], label=label)[0]
