"""Comparing runs from two executors: weights, records and findings."""

from __future__ import annotations

import numpy as np

from flatliner.diagnoses import diagnose_run
from flatliner.trials.run import RunResult

# Weights whose true gradient is zero or that follow one that has: the conv bias
# in front of BatchNormalization (normalization removes it, so its gradient is
# summation-order noise that Adam scales up to about the learning rate per step)
# and BatchNormalization's moving mean (which averages that bias in).
ZERO_GRADIENT_PATHS = ("conv2d/bias", "batch_normalization/moving_mean")


def weight_differences(a: RunResult, b: RunResult, paths: list[str]) -> dict:
    """Largest absolute difference per variable path."""
    return {
        path: float(np.max(np.abs(x - y)))
        for path, x, y in zip(paths, a.weights, b.weights, strict=True)
    }


def assert_same_run(
    a: RunResult, b: RunResult, paths: list[str], dataset, probe_size: int, atol: float
) -> None:
    """Same seed and layers; weights within `atol` (the zero-gradient ones within
    10 x `atol`); records within float32 noise (validation loss 1e-4, accuracy
    one sample); the same findings (kind, layer, since when, severity)."""
    assert (a.label, a.seed, a.model) == (b.label, b.seed, b.model)
    assert [i.to_dict() for i in a.layers] == [i.to_dict() for i in b.layers]
    for path, diff in weight_differences(a, b, paths).items():
        limit = 10 * atol if path.endswith(ZERO_GRADIENT_PATHS) else atol
        assert diff <= limit, f"{path}: {diff} > {limit}"
    one_sample = 1 / len(dataset.y_test)
    for x, y in zip(a.epochs, b.epochs, strict=True):
        assert x.epoch == y.epoch
        assert x.classes_predicted == y.classes_predicted
        assert x.dead_units == y.dead_units
        assert abs(x.val_loss - y.val_loss) <= 1e-4
        assert abs(x.val_accuracy - y.val_accuracy) <= one_sample + 1e-9

    def judged(run):
        findings = diagnose_run(run, dataset.y_test, dataset.num_classes, probe_size)
        return [(f.kind, f.layer, f.since_epoch, f.severity) for f in findings]

    assert judged(a) == judged(b)


def assert_identical_run(a: RunResult, b: RunResult) -> None:
    """Bit for bit: every weight and every recorded number."""
    for x, y in zip(a.weights, b.weights, strict=True):
        np.testing.assert_array_equal(x, y)
    assert [r.to_dict() for r in a.epochs] == [r.to_dict() for r in b.epochs]
