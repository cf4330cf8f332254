"""Hand-built RunResults for judging tests (no training needed)."""

from __future__ import annotations

import math

import numpy as np

from flatliner.probes.snapshot import LayerInfo
from flatliner.trials.run import EpochRecord, RunResult

LAYERS = [
    LayerInfo("act", "re_lu", "ReLU", 4, "relu", (32, 32, 4)),
    LayerInfo("d1", "dense", "Dense", 4, "relu", (4,)),
    LayerInfo("d2", "dense_1", "Dense", 100, "softmax", (100,)),
]


def record(epoch, val_accuracy, val_loss, d1_dead, classes=1, act_dead=0):
    return EpochRecord(
        epoch=epoch,
        loss=None if epoch == 0 else val_loss,
        accuracy=None if epoch == 0 else val_accuracy,
        val_loss=val_loss,
        val_accuracy=val_accuracy,
        classes_predicted=classes,
        class_counts={0: 1000} if classes == 1 else {i: 1 for i in range(classes)},
        output_entropy=math.log(100),
        dead_units={"act": [act_dead, 4], "d1": [d1_dead, 4]},
    )


def collapsed_run(label="A", seed=0):
    return RunResult(
        label=label,
        model="seed-relu",
        seed=seed,
        backend="jax",
        layers=LAYERS,
        epochs=[
            record(0, 0.0103, 4.609, 0, classes=10),
            record(1, 0.0100, 4.6052, 4),
            record(2, 0.0100, 4.6052, 4),
        ],
        weights=[np.zeros((3, 3)), np.ones(4)],
        seconds_per_epoch=[2.0, 2.0],
    )


def healthy_run(label="A", seed=0):
    return RunResult(
        label=label,
        model="seed-wide",
        seed=seed,
        backend="jax",
        layers=LAYERS,
        epochs=[
            record(0, 0.0103, 4.609, 0, classes=10),
            record(1, 0.12, 3.8, 0, classes=90),
            record(2, 0.15, 3.6, 1, classes=95),
        ],
        weights=[np.zeros((3, 3)), np.ones(4)],
        seconds_per_epoch=[2.0, 2.0],
    )


def balanced_labels(n=10000, k=100):
    return np.arange(n) % k
