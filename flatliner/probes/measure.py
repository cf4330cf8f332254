"""Everything measured on the probe batch at one point of training."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from flatliner.probes.gradients import gradient_rms, loss_function
from flatliner.probes.normalization import moving_statistics
from flatliner.probes.presets import ProbePreset
from flatliner.probes.snapshot import LayerInfo, take_snapshot

logger = logging.getLogger(__name__)


def measure_probe(
    model: Any,
    x_probe: np.ndarray,
    y_probe: np.ndarray | None,
    layers: list[LayerInfo],
    preset: ProbePreset,
) -> dict[str, Any]:
    """Predicted classes, dead and saturated units, gradient norms and moving
    statistics on the probe batch, keyed by the EpochRecord field they fill.

    Gradient norms need labels and a single compiled loss; without them that
    entry is left out. `probe_loss` and `probe_accuracy` are the loss and
    accuracy on the probe batch (for callers with no validation data).
    """
    snapshot = take_snapshot(model, x_probe, layers)
    measured: dict[str, Any] = {
        "classes_predicted": snapshot.classes.distinct,
        "class_counts": snapshot.classes.counts,
        "output_entropy": snapshot.classes.entropy,
        "dead_units": {p: [d.dead, d.units] for p, d in snapshot.dead.items()},
        "saturated_units": {
            p: [s.saturated, s.units] for p, s in (snapshot.saturated or {}).items()
        },
        "moving_statistics": moving_statistics(model),
    }
    if y_probe is None:
        return measured

    # Loss and accuracy on the probe batch, from the output already captured.
    loss_fn = loss_function(model)
    if loss_fn is not None and snapshot.output is not None:
        from keras import ops

        try:
            value = loss_fn(ops.convert_to_tensor(y_probe), snapshot.output)
            measured["probe_loss"] = float(np.mean(ops.convert_to_numpy(value)))
        except Exception as exc:  # noqa: BLE001 - a loss that rejects labels
            logger.info("probe loss not measured: %s", exc)
    if snapshot.output is not None and y_probe.ndim == 1:
        measured["probe_accuracy"] = float(
            np.mean(snapshot.output.argmax(axis=1) == y_probe)
        )
    if preset.gradients:
        try:
            measured["gradient_rms"] = gradient_rms(model, x_probe, y_probe)
        except Exception as exc:  # noqa: BLE001 - gradients are best effort
            logger.info("gradient norms not measured: %s", exc)
    return measured
