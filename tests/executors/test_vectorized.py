"""The vectorized executor on the real seed case: same findings as sequential."""

from __future__ import annotations

import pytest

from flatliner.executors import RunTask, make_executor
from flatliner.models import resolve_model_spec
from flatliner.trials.config import TrainConfig
from tests.executors.same_results import assert_same_run

CONFIG = TrainConfig(epochs=1)


@pytest.mark.slow
def test_vmapped_seed_case_gives_the_sequential_findings(cifar100):
    # One epoch of the seed model on CIFAR-100, seeds 0 and 1, as vmapped
    # replicas and as model.fit. Largest weight difference seen: the conv bias
    # in front of BatchNormalization (zero true gradient, see same_results).
    spec = resolve_model_spec("seed-relu")
    tasks = [RunTask("A", spec, seed) for seed in (0, 1)]
    reference = {
        r.seed: r
        for r in make_executor("sequential", "jax").run(tasks, cifar100, CONFIG)
    }
    vectorized = make_executor("vectorized", "jax", replicas=2)
    runs = list(vectorized.run(tasks, cifar100, CONFIG))
    paths = [f"seed_model/{p}" for p in _PATHS]
    for run in runs:
        assert_same_run(
            run, reference[run.seed], paths, cifar100, CONFIG.probe_size, atol=1e-3
        )


_PATHS = (
    "conv2d/kernel",
    "conv2d/bias",
    "batch_normalization/gamma",
    "batch_normalization/beta",
    "batch_normalization/moving_mean",
    "batch_normalization/moving_variance",
    "dense/kernel",
    "dense/bias",
    "dense_1/kernel",
    "dense_1/bias",
)
