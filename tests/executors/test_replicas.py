"""ReplicaTrainer: seeds of one model through one compiled step (JAX)."""

from __future__ import annotations

import pytest

from flatliner.errors import ConfigError
from flatliner.executors.replicas import ReplicaTrainer
from flatliner.models import resolve_model_spec
from flatliner.trials.config import TrainConfig
from flatliner.trials.run import train_run
from tests.executors.same_results import (
    assert_identical_run,
    assert_same_run,
    weight_differences,
)
from tests.helpers import tiny_images

# 72 samples at batch 32: two full batches and a partial one of 8, as fit runs.
CONFIG = TrainConfig(epochs=2, batch_size=32, probe_size=64, eval_batch_size=64)
SEEDS = [0, 1, 2]


@pytest.fixture(scope="module")
def data():
    return tiny_images(n_train=72, n_test=64)


@pytest.fixture(scope="module")
def reference(data):
    spec = resolve_model_spec("seed-relu")
    return {seed: train_run(spec, data, CONFIG, seed) for seed in SEEDS}


def _paths(trainer):
    return [w.path for w in trainer.model.weights]


def test_unrolled_replicas_match_model_fit_bit_for_bit(data, reference):
    trainer = ReplicaTrainer(resolve_model_spec("seed-relu"), data, CONFIG)
    runs = trainer.train([0]) + trainer.train([1, 2])
    for run in runs:
        assert_identical_run(run, reference[run.seed])


@pytest.mark.parametrize("scan", [False, True])
def test_vmapped_replicas_match_within_float32_noise(data, reference, scan):
    # Largest difference seen (200 samples, 2 epochs, 14 Adam steps, 3 seeds):
    # 4e-4 in the conv bias in front of BatchNormalization, whose true gradient
    # is zero, so Adam turns summation-order noise into steps of about the
    # learning rate; 4e-5 in BatchNormalization's moving mean, which averages
    # that bias in; every other weight within 3e-5 (mostly within 1e-6). vmap
    # batches the convolutions and scan fuses the steps differently, so the
    # float32 sums run in another order than in fit.
    trainer = ReplicaTrainer(
        resolve_model_spec("seed-relu"), data, CONFIG, combine="vmap", scan=scan
    )
    for run in trainer.train(SEEDS):
        assert_same_run(run, reference[run.seed], _paths(trainer), data, 64, atol=1e-4)


def test_replicas_keep_their_own_seeds(data):
    trainer = ReplicaTrainer(resolve_model_spec("seed-relu"), data, CONFIG)
    a, b = trainer.train([0, 1])
    diffs = weight_differences(a, b, _paths(trainer))
    assert diffs["seed_model/conv2d/kernel"] > 1e-3
    assert a.seed == 0 and b.seed == 1


def test_relu_and_activation_replicas_train_bit_identically(data):
    # The seed case's finding must survive the executor: same seed, same bits.
    runs = [
        ReplicaTrainer(resolve_model_spec(name), data, CONFIG).train([3])[0]
        for name in ("seed-relu", "seed-activation")
    ]
    assert_identical_run(*runs)


def test_unknown_combine_is_refused(data):
    with pytest.raises(ConfigError, match=r"combine must be one of unroll, vmap; "):
        ReplicaTrainer(resolve_model_spec("seed-relu"), data, CONFIG, combine="pmap")
