"""Trajectory equivalence: do A and B train identically from the same seed?

Both models are built with flatliner's run seeding (`trials.run.build_model`:
the same initial weights for the same seed, compiled alike), B is given A's
weights when they line up, and both take the same optimizer steps on the same
batches, in the order `trials.run` would use for that seed. After every step
every weight is compared; the first step after which any differs is where
the trajectories part.
"""

from __future__ import annotations

import logging

import numpy as np

from flatliner.data.dataset import Dataset
from flatliner.equivalence.verdict import Trajectory
from flatliner.equivalence.weights import copy_weights
from flatliner.errors import ConfigError
from flatliner.models.spec import ModelSpec

logger = logging.getLogger(__name__)


def compare_trajectories(
    spec_a: ModelSpec,
    spec_b: ModelSpec,
    dataset: Dataset,
    steps: int,
    batch_size: int = 32,
    seed: int = 0,
) -> Trajectory:
    """Trains A and B side by side for `steps` steps and finds where they part.

    Raises:
        ConfigError: for a non-positive step count or batch size, or more steps
            than one epoch of the training data holds.
        ModelSpecError: when a model cannot be built for the data.
        CannotCompareError: when B's variables do not line up with A's.
    """
    from flatliner.trials.run import build_model

    if steps < 1 or batch_size < 1:
        raise ConfigError(
            "steps and batch_size must be positive; received "
            f"steps={steps}, batch_size={batch_size}."
        )
    if steps * batch_size > len(dataset.x_train):
        raise ConfigError(
            f"steps={steps} of batch_size={batch_size} need {steps * batch_size} "
            f"training samples; data {dataset.name!r} has {len(dataset.x_train)}. "
            "Take fewer steps or smaller batches."
        )

    model_a = build_model(spec_a, dataset, seed)
    model_b = build_model(spec_b, dataset, seed)
    copy_weights(model_a, model_b)

    # The first epoch's batch order of trials.run for this seed.
    order = np.random.default_rng(seed).permutation(len(dataset.x_train))
    max_abs = [_largest_difference(model_a, model_b)]
    loss_a: list[float] = []
    loss_b: list[float] = []
    parted_at = None if max_abs[0] == 0.0 else 0
    for step in range(1, steps + 1):
        rows = order[(step - 1) * batch_size : step * batch_size]
        x, y = dataset.x_train[rows], dataset.y_train[rows]
        loss_a.append(_loss(model_a.train_on_batch(x, y)))
        loss_b.append(_loss(model_b.train_on_batch(x, y)))
        max_abs.append(_largest_difference(model_a, model_b))
        if parted_at is None and max_abs[-1] != 0.0:
            parted_at = step
        logger.info("step %d: largest weight difference %g", step, max_abs[-1])
    return Trajectory(
        data=dataset.name,
        seed=seed,
        batch_size=batch_size,
        steps=steps,
        parted_at=parted_at,
        max_abs=max_abs,
        loss_a=loss_a,
        loss_b=loss_b,
    )


def _largest_difference(model_a, model_b) -> float:
    import keras

    largest = 0.0
    for va, vb in zip(model_a.weights, model_b.weights, strict=True):
        a = np.asarray(keras.ops.convert_to_numpy(va.value), dtype=np.float64)
        b = np.asarray(keras.ops.convert_to_numpy(vb.value), dtype=np.float64)
        same = (a == b) | (np.isnan(a) & np.isnan(b))
        if not same.all():
            gap = np.abs(a - b)[~same]
            finite = gap[np.isfinite(gap)]
            largest = max(largest, float(finite.max()) if finite.size else np.inf)
    return largest


def _loss(value) -> float:
    if isinstance(value, list | tuple):
        value = value[0]
    if isinstance(value, dict):
        value = value.get("loss", next(iter(value.values())))
    return float(value)
