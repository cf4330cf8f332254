"""The sequential executor: one run after another, plain model.fit semantics.

Every seed builds, compiles and fits its own model (`train_run`), on any
backend. It is the reference the other executors are tested against.
"""

from __future__ import annotations

from collections.abc import Iterator

from flatliner.data.dataset import Dataset
from flatliner.executors.base import EpochCallback, Executor, RunTask
from flatliner.trials.config import TrainConfig
from flatliner.trials.run import RunResult, train_run


class SequentialExecutor(Executor):
    """Trains the tasks in the given order, each with `train_run`."""

    name = "sequential"

    def run(
        self,
        tasks: list[RunTask],
        dataset: Dataset,
        config: TrainConfig,
        on_epoch: EpochCallback | None = None,
    ) -> Iterator[RunResult]:
        for task in tasks:

            def report(record, task=task) -> None:
                if on_epoch:
                    on_epoch(task, record)

            yield train_run(
                task.spec,
                dataset,
                config,
                task.seed,
                label=task.label,
                on_epoch=report,
            )
