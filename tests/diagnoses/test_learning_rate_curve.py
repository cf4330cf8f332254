"""Kind 7 from the per-step loss curve: spikes and oscillation.

Synthetic curves pin the rule's arithmetic; short real trainings pin that a
rate too high is found and sane rates, at large and small batches, are not.
"""

import math

import numpy as np
import pytest

from flatliner.diagnoses.context import DiagnosisContext
from flatliner.diagnoses.learning_rate import learning_rate, spike_length
from flatliner.probes.loss_curve import loss_curve
from flatliner.trials.run import EpochRecord, RunResult
from tests.diagnoses.zoo import blobs, mlp, spec

LN_5 = math.log(5)


def _record(epoch, losses, val_loss=LN_5):
    return EpochRecord(
        epoch=epoch,
        loss=None if epoch == 0 else float(np.mean(losses)),
        accuracy=None,
        val_loss=val_loss,
        val_accuracy=0.5,
        classes_predicted=5,
        class_counts={},
        output_entropy=1.0,
        dead_units={},
        step_losses=[float(v) for v in losses],
    )


def _run(curve, epochs=2, initial=LN_5):
    parts = np.array_split(np.asarray(curve), epochs)
    records = [_record(0, [], initial)]
    records += [_record(e, part) for e, part in enumerate(parts, 1)]
    return RunResult("A", "m", 0, "jax", [], records, [], [])


def _judge(curve, **kwargs):
    return learning_rate(_run(curve, **kwargs), DiagnosisContext(num_classes=5))


def _falling(n, rng, sigma=0.3, start=LN_5, end=0.5):
    """A healthy curve: an exponential fall from `start` to `end`, times
    log-normal batch noise of spread `sigma`."""
    trend = end + (start - end) * np.exp(-np.arange(n) / (n / 6))
    return trend * np.exp(rng.normal(0.0, sigma, n) - sigma**2 / 2)


def test_required_spike_length_keeps_one_false_alarm_in_a_hundred_curves():
    assert spike_length(100) == 5 and spike_length(2000) == 7
    for n in (100, 400, 2000):
        k = spike_length(n)
        assert n * 0.15**k <= 0.01 < n * 0.15 ** (k - 1)


def test_loss_curve_measures_level_and_jump_like_numpy():
    rng = np.random.default_rng(0)
    values = rng.uniform(0.5, 1.5, 60)
    curve = loss_curve(list(values) + [math.nan])
    half = values[30:]
    assert curve.samples == 60
    assert curve.level == pytest.approx(np.median(half))
    assert curve.jump == pytest.approx(np.median(np.abs(np.diff(half))))
    # Too short for spikes (under 100 samples), and under 40: not measured.
    assert curve.longest_high_run == 0
    assert loss_curve(list(values[:39])) is None


def test_a_rise_that_lasts_is_a_spike():
    rng = np.random.default_rng(1)
    curve = _falling(400, rng)
    curve[300:310] *= 4.0
    (finding,) = _judge(curve)
    assert finding.kind == "learning_rate_high"
    assert "spiked" in finding.summary and finding.since_epoch == 2
    assert finding.evidence["spike_samples"] >= spike_length(400)


def test_the_same_rise_for_fewer_samples_than_noise_explains_is_not():
    rng = np.random.default_rng(1)
    curve = _falling(400, rng)
    curve[300 : 300 + spike_length(400) - 2] *= 4.0
    assert _judge(curve) == []


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("sigma", [0.3, 1.5])
def test_heavy_tailed_batch_noise_is_neither_spike_nor_oscillation(seed, sigma):
    # sigma 1.5: log-normal losses whose 99% quantile is 30x their median, like
    # the per-sample losses of batch size 1.
    curve = _falling(2000, np.random.default_rng(seed), sigma=sigma, end=0.2)
    assert _judge(curve) == []


def test_jumps_as_large_as_the_progress_are_oscillation():
    rng = np.random.default_rng(2)
    # Fell from ln 5 = 1.61 to about 1.2 while consecutive steps differ by ~0.5.
    curve = np.abs(1.2 + rng.normal(0.0, 0.5, 200))
    (finding,) = _judge(curve)
    assert "oscillates" in finding.summary
    assert finding.evidence["median_jump"] >= 0.5 * (
        LN_5 - finding.evidence["loss_level"]
    )


def test_a_loss_flat_at_chance_is_not_oscillation():
    # Nothing learned (progress ~0), but the loss barely moves: not a rate
    # too high; the chance-level and learning-rate-low rules speak instead.
    rng = np.random.default_rng(3)
    curve = LN_5 + rng.normal(0.0, 0.02, 200)
    assert _judge(curve) == []


def test_divergence_is_still_reported_first():
    curve = np.full(200, 5.0)
    (finding,) = _judge(curve)
    assert "diverged" in finding.summary


# -- real training ---------------------------------------------------------


@pytest.fixture(scope="module")
def overlapping():
    # Overlapping classes: the loss settles near 0.5, not at 0, so a rate too
    # high has room to make it bounce.
    return blobs(n_train=2048, n_val=256, features=20, classes=5, separation=0.5)


def _diagnose(optimizer, data, batch_size=32, epochs=3):
    from flatliner.trials.config import TrainConfig
    from flatliner.trials.diagnose import diagnose_model

    config = TrainConfig(
        epochs=epochs, batch_size=batch_size, probe_size=128, eval_batch_size=256
    )
    found = diagnose_model(
        spec(lambda: mlp((20,), [64], 5, optimizer=optimizer())),
        data,
        config,
        [0],
        preflight=False,
        preset="full",
    )
    return [f for f in found.findings[0] if f.kind == "learning_rate_high"]


def test_sgd_at_4_oscillates_without_diverging_or_going_non_finite(overlapping):
    import keras

    # Seed 0: the loss bounces around 2.05, above its 1.88 at initialization
    # but under the 1.5x that counts as diverged (seeds 1 and 2 diverge).
    (finding,) = _diagnose(lambda: keras.optimizers.SGD(4.0), overlapping)
    assert "oscillates" in finding.summary
    evidence = finding.evidence
    assert evidence["curve_samples"] == 3 * 64
    assert (
        evidence["initial_loss"]
        < evidence["loss_level"]
        < 1.5 * evidence["initial_loss"]
    )
    assert evidence["median_jump"] > 0.1 * evidence["loss_level"]


@pytest.mark.parametrize(
    ("optimizer", "batch_size", "epochs"),
    [("adam", 32, 3), ("sgd", 32, 3), ("adam", 4, 1)],
    ids=["adam-1e-3", "sgd-0.1", "adam-1e-3-batch-4"],
)
def test_sane_rates_at_large_and_small_batches_are_not_too_high(
    overlapping, optimizer, batch_size, epochs
):
    import keras

    make = {
        "adam": lambda: keras.optimizers.Adam(1e-3),
        "sgd": lambda: keras.optimizers.SGD(0.1),
    }[optimizer]
    assert _diagnose(make, overlapping, batch_size, epochs) == []
