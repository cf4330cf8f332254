"""The vectorized executor: N replicas of one model in one jitted step (JAX).

Every seed of a variant is one replica: its own initial weights, batch order,
optimizer state and BatchNormalization statistics, all stacked on a leading
replica axis and trained by `jax.vmap` of Keras's stateless train step. On a
GPU the per-replica convolutions become one grouped convolution, which is
native there; on a CPU XLA runs grouped convolutions slowly, so the local
executor is faster on a CPU (this one is chosen automatically on a GPU).
"""

from __future__ import annotations

from collections.abc import Iterator

from flatliner.data.dataset import Dataset
from flatliner.errors import ConfigError
from flatliner.executors.base import EpochCallback, Executor, RunTask
from flatliner.executors.local import train_groups
from flatliner.trials.config import TrainConfig
from flatliner.trials.run import RunResult

DEFAULT_REPLICAS = 64


class VectorizedExecutor(Executor):
    """Trains up to `replicas` seeds of a variant at once with jax.vmap.

    Args:
        replicas: Most seeds per vmapped step (default 64); a variant with
            fewer seeds runs them all in one group.

    Raises:
        ConfigError: when `replicas` is not a positive integer, or (when run)
            the backend is not JAX.
    """

    name = "vectorized"

    def __init__(self, replicas: int | None = None) -> None:
        replicas = DEFAULT_REPLICAS if replicas is None else replicas
        if not isinstance(replicas, int) or isinstance(replicas, bool) or replicas < 1:
            raise ConfigError(
                f"replicas must be a positive integer; received {replicas!r}."
            )
        self.replicas = replicas

    def describe(self) -> str:
        return f"vectorized (up to {self.replicas} replicas per step)"

    def run(
        self,
        tasks: list[RunTask],
        dataset: Dataset,
        config: TrainConfig,
        on_epoch: EpochCallback | None = None,
    ) -> Iterator[RunResult]:
        yield from train_groups(
            tasks, dataset, config, self.replicas, on_epoch, combine="vmap"
        )
