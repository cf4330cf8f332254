"""The local executor: group planning and same results as sequential runs."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from flatliner.executors import RunTask, make_executor
from flatliner.executors.local import plan_groups
from flatliner.models import resolve_model_spec
from flatliner.trials.config import TrainConfig
from tests.executors.same_results import assert_identical_run
from tests.helpers import tiny_images

CONFIG = TrainConfig(epochs=1, batch_size=32, probe_size=64, eval_batch_size=64)


def _tasks(seeds):
    specs = {
        "A": resolve_model_spec("seed-relu"),
        "B": resolve_model_spec("seed-activation"),
    }
    return [RunTask(label, specs[label], s) for s in seeds for label in specs]


def test_groups_alternate_variants_so_pairs_complete_early():
    plan = plan_groups(_tasks([0, 1, 2]), group_size=2)
    assert [(label, [t.seed for t in g]) for label, g in plan] == [
        ("A", [0, 1]),
        ("B", [0, 1]),
        ("A", [2]),
        ("B", [2]),
    ]


def test_one_seed_per_group_keeps_the_sequential_order():
    plan = plan_groups(_tasks([4, 5]), group_size=1)
    assert [(label, g[0].seed) for label, g in plan] == [
        ("A", 4),
        ("B", 4),
        ("A", 5),
        ("B", 5),
    ]


@pytest.fixture(scope="module")
def data():
    return tiny_images(n_train=72, n_test=64)


@pytest.fixture(scope="module")
def sequential(data):
    runs = make_executor("sequential", "jax").run(_tasks([0, 1]), data, CONFIG)
    return {(r.label, r.seed): r for r in runs}


@pytest.mark.parametrize("group_size", [1, 2])
def test_local_runs_equal_sequential_runs_bit_for_bit(group_size, data, sequential):
    tasks = _tasks([0, 1])
    events = []
    local = list(
        make_executor("local", "jax", replicas=group_size).run(
            tasks, data, CONFIG, lambda task, record: events.append(task.seed)
        )
    )
    assert sorted((r.label, r.seed) for r in local) == sorted(sequential)
    for run in local:
        assert_identical_run(run, sequential[(run.label, run.seed)])
    # Every run reports epoch 0 and epoch 1.
    assert sorted(events) == [0, 0, 0, 0, 1, 1, 1, 1]


def test_automatic_workers_stay_in_process_for_small_studies(monkeypatch):
    import flatliner.executors.local as local

    monkeypatch.setattr(local, "idle_cores", lambda: 2)
    big = TrainConfig(epochs=1, batch_size=32)
    # Only the size of the training set matters here.
    large_data = SimpleNamespace(x_train=range(32 * 500))
    # Few groups: starting processes would cost more than it saves.
    assert local.auto_workers(_tasks([0]), large_data, big, 1) == 1
    # Many groups of short runs (72 images = 3 steps): in process too.
    assert (
        local.auto_workers(
            _tasks([0, 1, 2]), SimpleNamespace(x_train=range(72)), big, 1
        )
        == 1
    )
    # Many groups of long runs: one worker per core.
    assert local.auto_workers(_tasks([0, 1]), large_data, big, 1) == 2
    # Never more workers than groups.
    monkeypatch.setattr(local, "idle_cores", lambda: 16)
    assert local.auto_workers(_tasks([0, 1]), large_data, big, 1) == 4


def test_an_explicit_worker_count_is_kept():
    executor = make_executor("local", "jax", workers=1)
    assert executor.workers == 1
    assert "chosen by idle cores" in make_executor("local", "jax").describe()


@pytest.mark.parametrize(
    ("busy", "idle"), [(0.0, 2), (0.2, 2), (0.3, 1), (0.5, 1), (1.0, 1)]
)
def test_idle_cores_leave_out_what_other_processes_use(monkeypatch, busy, idle):
    import flatliner.executors.local as local

    # Two cores, `busy` of their time spent by other processes in the window.
    samples = iter([(0, 0), (int(200 * (1 - busy)), 200)])
    monkeypatch.setattr(local, "default_workers", lambda: 2)
    monkeypatch.setattr(local.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(local, "_cpu_times", lambda: next(samples))
    assert local.idle_cores(window=0.0) == idle


def test_idle_cores_read_this_machine():
    import flatliner.executors.local as local

    assert 1 <= local.idle_cores(window=0.05) <= local.default_workers()
    idle, total = local._cpu_times()
    assert 0 <= idle <= total
