"""The executor interface: how the runs of a study get trained.

An executor takes the runs still missing from a study and yields each finished
RunResult as soon as it is complete, so that the caller can store it before the
next one finishes. Whatever the executor, a run is defined by (model, data,
config, seed) alone: the same task gives the same weights up to float32
rounding and the same findings.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flatliner.data.dataset import Dataset
from flatliner.models.spec import ModelSpec
from flatliner.trials.config import TrainConfig
from flatliner.trials.run import EpochRecord, RunResult


@dataclass(frozen=True)
class RunTask:
    """One run to train: a variant's label and model spec, and a seed."""

    label: str
    spec: ModelSpec
    seed: int


# Called with the task and each epoch's record (epoch 0 included) as it is
# measured; executors that train elsewhere call it when the run comes back.
EpochCallback = Callable[[RunTask, EpochRecord], None]


class Executor(ABC):
    """Trains runs and yields each RunResult once it is complete.

    Subclasses set `name` (what `--executor` accepts) and implement `run`. The
    order in which results come back is the executor's choice; a result that
    has been yielded is final, and an interrupted `run` loses only the runs it
    had not yet yielded.
    """

    name: str = ""

    @abstractmethod
    def run(
        self,
        tasks: list[RunTask],
        dataset: Dataset,
        config: TrainConfig,
        on_epoch: EpochCallback | None = None,
    ) -> Iterator[RunResult]:
        """Trains every task; yields each finished run."""

    def describe(self) -> str:
        """A short line for logs and reports: the executor and its settings."""
        return self.name
