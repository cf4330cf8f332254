"""The Ray executor on a local Ray cluster started by the test (never another
address): same runs as sequential training."""

from __future__ import annotations

import pytest

from flatliner.executors import RunTask, make_executor
from flatliner.models import resolve_model_spec
from flatliner.trials.config import TrainConfig
from tests.executors.same_results import assert_identical_run
from tests.helpers import tiny_images

CONFIG = TrainConfig(epochs=1, batch_size=32, probe_size=64, eval_batch_size=64)


@pytest.fixture(scope="module")
def local_ray():
    ray = pytest.importorskip("ray")
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        runtime_env={"env_vars": {"KERAS_BACKEND": "jax"}},
    )
    yield ray
    ray.shutdown()


@pytest.mark.slow
def test_ray_tasks_equal_sequential_runs_bit_for_bit(local_ray):
    data = tiny_images(n_train=72, n_test=64)
    spec = resolve_model_spec("seed-relu")
    tasks = [RunTask("A", spec, seed) for seed in (0, 1, 2)]
    reference = {
        r.seed: r for r in make_executor("sequential", "jax").run(tasks, data, CONFIG)
    }
    seen = []
    runs = list(
        make_executor("ray", "jax").run(
            tasks, data, CONFIG, lambda task, record: seen.append(task.seed)
        )
    )
    assert sorted(r.seed for r in runs) == [0, 1, 2]
    for run in runs:
        assert_identical_run(run, reference[run.seed])
    assert sorted(seen) == [0, 0, 1, 1, 2, 2]
