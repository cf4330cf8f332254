"""The local executor (the default): compile once, reuse the step for every seed.

On JAX each variant's model is built and its training step traced and compiled
once (`ReplicaTrainer`); every seed then only loads its own initial weights, and
seeds train in unrolled groups of `group_size` replicas per step. With
`workers` above 1, tasks go to that many worker processes (spawn context, each
selecting the backend before importing Keras), each compiling once and
training its share. On TensorFlow and PyTorch it trains the seeds one after
another with `train_run`.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator

from flatliner.data.dataset import Dataset
from flatliner.errors import ConfigError
from flatliner.executors.base import EpochCallback, Executor, RunTask
from flatliner.trials.config import TrainConfig
from flatliner.trials.run import RunResult, train_run

logger = logging.getLogger(__name__)

# Seeds per compiled step on a CPU. On the shared 2-core machine two unrolled
# replicas were 1.2x faster per run than one at a load average near 2, and 1.5x
# slower at a load average near 10 (XLA's threads then fight the other
# processes), so the default is one seed per step; --replicas 2 is the choice
# on an idle machine. One per step also keeps A and B of a seed back to back.
DEFAULT_GROUP_SIZE = 1

# Worker processes when --workers is not given: one per idle core, but only
# for a study big enough to repay starting them (each worker imports Keras,
# maps the data and compiles its own step: about 5-10 s). On the 2-core
# machine two workers trained the seed case 1.37x faster than one process
# (6.4 s per run-epoch each, side by side, against 4.4 s alone).
AUTO_WORKERS_MIN_GROUPS = 4
AUTO_WORKERS_MIN_STEPS = 500


class LocalExecutor(Executor):
    """Trains on this machine, compiling each variant's step once.

    Args:
        group_size: Seeds of one variant per compiled step (JAX only; default
            DEFAULT_GROUP_SIZE). Groups alternate between variants so that an
            interrupted study keeps complete pairs for the earlier seeds.
        workers: Worker processes. None (the default) picks one per idle
            core when the study has at least AUTO_WORKERS_MIN_GROUPS groups
            of at least AUTO_WORKERS_MIN_STEPS training steps per run, and
            trains in this process otherwise (see `auto_workers`).

    Raises:
        ConfigError: when `group_size` or `workers` is not a positive integer.
    """

    name = "local"

    def __init__(
        self, group_size: int | None = None, workers: int | None = None
    ) -> None:
        group_size = DEFAULT_GROUP_SIZE if group_size is None else group_size
        for name, value in (
            ("replicas (--replicas, seeds per step)", group_size),
            ("workers (--workers)", workers),
        ):
            if name.startswith("workers") and value is None:
                continue
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(
                    f"{name} must be a positive integer; received {value!r}."
                )
        self.group_size = group_size
        self.workers = workers

    def describe(self) -> str:
        seeds = f"{self.group_size} seed{'s' if self.group_size != 1 else ''} per step"
        if self.workers is None:
            return f"local ({seeds}, worker processes chosen by idle cores)"
        plural = "es" if self.workers != 1 else ""
        return f"local ({seeds}, {self.workers} process{plural})"

    def run(
        self,
        tasks: list[RunTask],
        dataset: Dataset,
        config: TrainConfig,
        on_epoch: EpochCallback | None = None,
    ) -> Iterator[RunResult]:
        import keras

        if not tasks:
            return
        workers = self.workers
        if workers is None:
            workers = auto_workers(tasks, dataset, config, self.group_size)
            logger.info("local executor: %d worker process(es)", workers)
        if workers > 1:
            from flatliner.executors.processes import run_in_processes

            yield from run_in_processes(
                tasks, dataset, config, workers, self.group_size, on_epoch
            )
            return
        if keras.backend.backend() != "jax":
            # TODO: reuse one compiled tf.function / torch model across seeds on
            # the other backends too; for now they pay a build per seed.
            logger.info("local executor on %s: one run at a time", keras.backend)
            for task in tasks:
                yield train_run(
                    task.spec,
                    dataset,
                    config,
                    task.seed,
                    label=task.label,
                    on_epoch=_bind(on_epoch, task),
                )
            return
        yield from train_groups(tasks, dataset, config, self.group_size, on_epoch)


def train_groups(
    tasks: list[RunTask],
    dataset: Dataset,
    config: TrainConfig,
    group_size: int,
    on_epoch: EpochCallback | None = None,
    *,
    combine: str = "unroll",
    trainers: dict | None = None,
) -> Iterator[RunResult]:
    """Trains `tasks` in groups of one variant's seeds, one trainer per variant.

    `trainers` (label -> ReplicaTrainer) lets a caller keep compiled trainers
    between calls, as worker processes do.
    """
    from flatliner.executors.replicas import ReplicaTrainer

    trainers = {} if trainers is None else trainers
    for label, group in plan_groups(tasks, group_size):
        spec = group[0].spec
        key = (label, spec.name)
        if key not in trainers:
            trainers[key] = ReplicaTrainer(spec, dataset, config, combine=combine)
        by_seed = {task.seed: task for task in group}

        def report(seed, record, by_seed=by_seed) -> None:
            if on_epoch:
                on_epoch(by_seed[seed], record)

        yield from trainers[key].train(
            [task.seed for task in group], label=label, on_epoch=report
        )


def plan_groups(
    tasks: list[RunTask], group_size: int
) -> list[tuple[str, list[RunTask]]]:
    """Splits tasks into groups of one label, alternating labels group by group.

    Within a label the given seed order is kept; the first group of every label
    comes before the second group of any, so pairs complete early.
    """
    by_label: dict[str, list[RunTask]] = {}
    for task in tasks:
        by_label.setdefault(task.label, []).append(task)
    chunks = {
        label: [items[i : i + group_size] for i in range(0, len(items), group_size)]
        for label, items in by_label.items()
    }
    plan = []
    for round_ in range(max(len(c) for c in chunks.values())):
        for label, label_chunks in chunks.items():
            if round_ < len(label_chunks):
                plan.append((label, label_chunks[round_]))
    return plan


def auto_workers(
    tasks: list[RunTask], dataset: Dataset, config: TrainConfig, group_size: int
) -> int:
    """Worker processes for `tasks` when the user did not choose: one per
    idle core (at most one per group) for a study of at least
    AUTO_WORKERS_MIN_GROUPS groups whose runs take at least
    AUTO_WORKERS_MIN_STEPS training steps each; else 1 (this process)."""
    groups = len(plan_groups(tasks, group_size))
    steps = -(-len(dataset.x_train) // config.batch_size) * config.epochs
    if groups < AUTO_WORKERS_MIN_GROUPS or steps < AUTO_WORKERS_MIN_STEPS:
        return 1
    return max(1, min(idle_cores(), groups))


def idle_cores(window: float = 0.5) -> int:
    """Usable cores that other processes are not keeping busy, measured over
    `window` seconds (at least 1).

    On a crowded machine a second worker only competes with the others: on
    the shared 2-core machine at a load average near 6.5, two workers made
    the seed-case benchmark 1.24x the user loop against 1.37-1.52x for one
    process at loads of 2-14. The load average lags by a minute (it still
    counts a process that just finished), so this samples /proc/stat instead.
    Niced work counts as busy: it yields only to processes of its own cgroup,
    and other users' jobs usually run in cgroups of their own (measured here:
    a nice-10 test suite kept 94% of a core against two workers at nice 0).
    Where /proc/stat is missing, every usable core counts as idle.
    """
    cores = default_workers()
    first = _cpu_times()
    if first is None:
        return cores
    time.sleep(window)
    second = _cpu_times()
    if second is None:  # pragma: no cover - /proc/stat vanished
        return cores
    idle = second[0] - first[0]
    total = second[1] - first[1]
    if total <= 0:
        return cores
    machine = os.cpu_count() or cores
    return max(1, min(cores, int(idle / total * machine + 0.5)))


def _cpu_times() -> tuple[int, int] | None:
    """(idle, total) jiffies of all CPUs from /proc/stat."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    if len(fields) < 5:
        return None
    # user nice system idle iowait irq softirq steal guest guest_nice; the
    # guest times are already inside user and nice.
    total = sum(fields[:8])
    return fields[3] + fields[4], total


def default_workers() -> int:
    """Usable CPU cores (the affinity mask where the OS reports one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _bind(on_epoch: EpochCallback | None, task: RunTask):
    def report(record) -> None:
        if on_epoch:
            on_epoch(task, record)

    return report
