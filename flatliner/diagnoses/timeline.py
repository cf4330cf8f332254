"""Reading a run's epoch records over time, shared by the rules."""

from __future__ import annotations

from collections.abc import Callable

from flatliner.trials.run import EpochRecord, RunResult


def trained(run: RunResult) -> list[EpochRecord]:
    """Records after training started (epoch >= 1), or all when there are none."""
    return [r for r in run.epochs if r.epoch > 0] or list(run.epochs)


def since(records: list[EpochRecord], holds: Callable[[EpochRecord], bool]) -> int:
    """The first epoch from which `holds` is true up to the last record."""
    first = records[-1].epoch
    for record in reversed(records):
        if not holds(record):
            break
        first = record.epoch
    return first
