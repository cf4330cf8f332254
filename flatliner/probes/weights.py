"""Per-layer weights, read without disturbing training, and update ratios."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from flatliner.probes.layer_outputs import layer_paths, leaf_layers


def trainable_layout(model: Any) -> list[tuple[str, list[int]]]:
    """For each leaf layer with trainable weights: (path, indices of its
    variables in `model.trainable_variables`)."""
    index = {id(v): i for i, v in enumerate(model.trainable_variables)}
    paths = layer_paths(model)
    layout = []
    for layer in leaf_layers(model):
        owned = [index[id(v)] for v in layer.trainable_weights if id(v) in index]
        if owned:
            layout.append((paths.get(id(layer), layer.name), owned))
    return layout


def current_weights(model: Any) -> list[np.ndarray]:
    """The trainable weights as they are now, in `model.trainable_variables` order.

    During `fit` on the JAX backend Keras keeps the newest values in a private
    state and writes them back to the variables only at the end of an epoch;
    they are read from there (without writing back, which would cost a copy of
    every variable per call).
    """
    from keras import ops

    # TODO: `_jax_state` is private Keras API (3.15); if it moves, update ratios
    # measured inside a JAX epoch read stale weights and come out as 0.
    state = getattr(model, "_jax_state", None)
    if state and not getattr(model, "_jax_state_synced", True):
        values = state.get("trainable_variables") or []
        if len(values) == len(model.trainable_variables):
            return [np.asarray(v) for v in values]
    return [
        np.asarray(ops.convert_to_numpy(v.value)) for v in model.trainable_variables
    ]


def update_ratios(
    before: list[np.ndarray],
    after: list[np.ndarray],
    layout: list[tuple[str, list[int]]],
) -> dict[str, float]:
    """||W_after - W_before|| / ||W_before|| per layer, all its weights pooled.

    About 1e-3 per step is the usual healthy size; far above it one step
    rewrites a layer, far below it the layer barely moves. A layer whose weights
    are all zero gets the update's norm instead (a ratio would divide by 0).
    """
    ratios = {}
    for path, indices in layout:
        delta = np.sqrt(
            sum(np.sum((after[i].astype(np.float64) - before[i]) ** 2) for i in indices)
        )
        norm = np.sqrt(sum(np.sum(before[i].astype(np.float64) ** 2) for i in indices))
        ratios[path] = float(delta / norm) if norm > 0 else float(delta)
    return ratios


def non_finite_variables(model: Any, weights: list[np.ndarray]) -> list[str]:
    """Paths (`d1/kernel`) of trainable variables holding NaN or infinity."""
    names = []
    layout = trainable_layout(model)
    owner = {i: path for path, indices in layout for i in indices}
    for i, (variable, value) in enumerate(
        zip(model.trainable_variables, weights, strict=True)
    ):
        if not np.all(np.isfinite(value)):
            short = variable.path.rsplit("/", 1)[-1]
            names.append(f"{owner.get(i, variable.path)}/{short}")
    return names


def step_losses(running_means: list[float], every: int) -> list[float]:
    """Each step's own loss from Keras's running epoch mean, one out of `every`.

    Keras reports the mean loss so far in the epoch; step n's own loss is
    n * mean_n - (n - 1) * mean_(n-1). After a non-finite mean the running
    value is taken as it is.
    """
    losses = []
    previous = 0.0
    for n, mean in enumerate(running_means, start=1):
        loss = n * mean - (n - 1) * previous if math.isfinite(previous) else mean
        previous = mean
        if (n - 1) % every == 0:
            losses.append(float(loss))
    return losses
