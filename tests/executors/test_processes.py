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


def _seed_pair():
    """Tiny CIFAR-shaped data, the seed case's two variants and their study."""
    data = tiny_images(n_train=72, n_test=64)
    variants = [
        ("A", resolve_model_spec("seed-relu")),
        ("B", resolve_model_spec("seed-activation")),
    ]
    return data, variants, study_identity([s for _, s in variants], data, CONFIG, "jax")


@pytest.mark.slow
def test_killed_worker_loses_only_runs_in_flight_and_rerun_resumes(tmp_path):
    data, variants, identity = _seed_pair()
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


def test_a_worker_exits_when_its_main_process_is_killed(tmp_path):
    # The main process (here a small script) starts a child that watches it,
    # then dies by SIGKILL: the child must not linger as an orphan.
    import subprocess
    import sys
    import time

    script = tmp_path / "main.py"
    script.write_text(
        "import multiprocessing, os, sys, time\n"
        "from flatliner.executors.processes import watch_parent\n"
        "if __name__ == '__main__':\n"
        "    ctx = multiprocessing.get_context('spawn')\n"
        "    child = ctx.Process(target=watch_parent, args=(os.getpid(), 0.1))\n"
        "    child.start()\n"
        "    print(child.pid, flush=True)\n"
        "    time.sleep(60)\n"
    )
    main = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True
    )
    child = int(main.stdout.readline())
    main.kill()
    main.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _running(child):
        time.sleep(0.1)
    assert not _running(child), "the worker outlived its killed main process"


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_data_left_by_a_killed_study_is_removed_and_live_ones_kept(tmp_path):
    import subprocess
    import sys

    from flatliner.executors.processes import DATA_PREFIX, remove_stale_data

    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
    )
    dead = tmp_path / f"{DATA_PREFIX}{int(gone.stdout)}-abc"
    live = tmp_path / f"{DATA_PREFIX}{os.getpid()}-def"
    other = tmp_path / f"{DATA_PREFIX}notapid"
    for folder in (dead, live, other):
        folder.mkdir()
        (folder / "x_train.npy").write_bytes(b"0")
    assert remove_stale_data(str(tmp_path)) == [dead]
    assert not dead.exists() and live.exists() and other.exists()


@pytest.mark.slow
def test_an_interrupt_stops_the_workers_at_once(tmp_path):
    import time

    data, variants, identity = _seed_pair()
    executor = make_executor("local", "jax", workers=2)

    def interrupt(event):
        raise KeyboardInterrupt

    seeds = list(range(6))
    with RunStore(tmp_path, identity) as store, pytest.raises(KeyboardInterrupt):
        run_paired(variants, data, CONFIG, seeds, store, interrupt, executor)
    start = time.monotonic()
    while multiprocessing.active_children() and time.monotonic() - start < 10:
        time.sleep(0.1)
    assert not multiprocessing.active_children()


def test_stopping_the_pool_terminates_a_busy_worker_at_once():
    import time
    from concurrent.futures import ProcessPoolExecutor

    from flatliner.executors.processes import _stop

    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    future = pool.submit(time.sleep, 60)
    while not future.running():
        time.sleep(0.05)
    (worker,) = list(pool._processes.values())
    start = time.monotonic()
    _stop(pool)
    # Read from /proc: the pool's manager thread may reap the worker itself,
    # and then Process.is_alive() can no longer tell.
    while _running(worker.pid) and time.monotonic() - start < 10:
        time.sleep(0.05)
    assert not _running(worker.pid)
    assert time.monotonic() - start < 10
