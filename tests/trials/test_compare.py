"""run_paired: delegating to an executor, storing each run, resuming."""

from __future__ import annotations

import pytest

from flatliner.executors import make_executor
from flatliner.executors.base import Executor
from flatliner.models import resolve_model_spec
from flatliner.trials.compare import run_paired, study_identity
from flatliner.trials.config import TrainConfig
from flatliner.trials.store import RunStore
from tests.executors.same_results import assert_identical_run
from tests.helpers import tiny_images

CONFIG = TrainConfig(epochs=1, batch_size=32, probe_size=64, eval_batch_size=64)


class Counting(Executor):
    """Wraps an executor and records which tasks it was given."""

    name = "counting"

    def __init__(self, inner: Executor) -> None:
        self.inner = inner
        self.given: list[tuple[str, int]] = []

    def run(self, tasks, dataset, config, on_epoch=None):
        self.given += [(t.label, t.seed) for t in tasks]
        yield from self.inner.run(tasks, dataset, config, on_epoch)


def test_interrupted_study_keeps_finished_runs_and_resumes(tmp_path):
    data = tiny_images(n_train=72, n_test=64)
    variants = [
        ("A", resolve_model_spec("seed-relu")),
        ("B", resolve_model_spec("seed-activation")),
    ]
    identity = study_identity([s for _, s in variants], data, CONFIG, "jax")

    # Stop while B seed 0 is being measured: A seed 0 was already stored.
    def stop_at_b0(event):
        if (event.label, event.seed) == ("B", 0):
            raise KeyboardInterrupt

    with RunStore(tmp_path, identity) as store, pytest.raises(KeyboardInterrupt):
        run_paired(variants, data, CONFIG, [0, 1], store, stop_at_b0)
    with RunStore(tmp_path, identity) as store:
        assert store.finished() == {("A", 0)}

    # Rerunning trains only the three missing runs ...
    counting = Counting(make_executor("local", "jax"))
    with RunStore(tmp_path, identity) as store:
        runs = run_paired(variants, data, CONFIG, [0, 1], store, executor=counting)
    assert counting.given == [("B", 0), ("A", 1), ("B", 1)]
    assert set(runs) == {("A", 0), ("B", 0), ("A", 1), ("B", 1)}

    # ... and the study is the one an uninterrupted sequential run gives.
    with RunStore(tmp_path / "sequential", identity) as store:
        reference = run_paired(
            variants,
            data,
            CONFIG,
            [0, 1],
            store,
            executor=make_executor("sequential", "jax"),
        )
    for key, run in runs.items():
        assert_identical_run(run, reference[key])
