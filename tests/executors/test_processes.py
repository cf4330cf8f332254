"""Local worker processes: same runs as in-process, and a killed worker loses
only the runs in flight."""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures.process import BrokenProcessPool

import pytest

from flatliner.executors import make_executor
from flatliner.models import resolve_model_spec
from flatliner.trials.compare import run_paired, study_identity
from flatliner.trials.config import TrainConfig
from flatliner.trials.store import RunStore
from tests.executors.same_results import assert_identical_run
from tests.helpers import tiny_images

CONFIG = TrainConfig(epochs=1, batch_size=32, probe_size=64, eval_batch_size=64)
SEEDS = [0, 1]


@pytest.mark.slow
def test_killed_worker_loses_only_runs_in_flight_and_rerun_resumes(tmp_path):
    data = tiny_images(n_train=72, n_test=64)
    variants = [
        ("A", resolve_model_spec("seed-relu")),
        ("B", resolve_model_spec("seed-activation")),
    ]
    identity = study_identity([s for _, s in variants], data, CONFIG, "jax")
    workers = make_executor("local", "jax", workers=2)

    # As soon as the first run comes back, kill every worker without warning.
    def kill_workers(event):
        for child in multiprocessing.active_children():
            os.kill(child.pid, signal.SIGKILL)

    with RunStore(tmp_path, identity) as store, pytest.raises(BrokenProcessPool):
        run_paired(variants, data, CONFIG, SEEDS, store, kill_workers, workers)
    with RunStore(tmp_path, identity) as store:
        kept = store.finished()
    # The run whose result reached the parent was stored before the kill.
    assert 1 <= len(kept) < 4

    with RunStore(tmp_path, identity) as store:
        resumed = run_paired(variants, data, CONFIG, SEEDS, store, None, workers)
    with RunStore(tmp_path / "sequential", identity) as store:
        reference = run_paired(
            variants,
            data,
            CONFIG,
            SEEDS,
            store,
            None,
            make_executor("sequential", "jax"),
        )
    # Workers run the same compiled step as in-process training: bit for bit.
    for key, run in resumed.items():
        assert_identical_run(run, reference[key])
