"""The callback flatliner attaches to every fit call of a script.

It records what the script rules need: Keras's per-epoch logs and, once before
training and after every epoch, the model measured on the probe batch (dead ReLU
units per layer, the model's output). It uses epoch hooks only, so Keras never
has to hand the model's state back after every batch.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np

from flatliner.probes.dead_units import count_dead_units
from flatliner.probes.layer_outputs import capture
from flatliner.probes.snapshot import LayerInfo, describe_layers
from flatliner.scripts.fit_inputs import ProbeBatch

logger = logging.getLogger(__name__)


@dataclass
class ProbeRecord:
    """The model measured on the probe batch at one point of training.

    Attributes:
        epoch: 0 before training, else the epoch just finished (1-based).
        logs: Keras's epoch logs (empty at epoch 0).
        dead_units: ReLU layer path -> [never-active units, units].
        output: The model's output on the probe batch (None when it is not one
            tensor).
    """

    epoch: int
    logs: dict[str, float]
    dead_units: dict[str, list[int]]
    output: np.ndarray | None


@dataclass
class TrainingRecord:
    """Everything recorded during one fit call (filled in as training runs)."""

    probe: ProbeBatch
    layers: list[LayerInfo] = field(default_factory=list)
    layer_objects: dict[str, Any] = field(default_factory=dict)
    records: list[ProbeRecord] = field(default_factory=list)
    probe_error: str | None = None

    @property
    def final(self) -> ProbeRecord | None:
        return self.records[-1] if self.records else None

    @property
    def epochs_finished(self) -> int:
        return max((r.epoch for r in self.records), default=0)


class ScriptRecorder(keras.callbacks.Callback):
    """Records logs and probe measurements of one fit call into `record`."""

    def __init__(self, record: TrainingRecord) -> None:
        super().__init__()
        self.record = record

    def on_train_begin(self, logs: dict | None = None) -> None:
        probe = self.record.probe
        if probe.x is None or probe.size == 0:
            self.record.probe_error = "no probe batch could be read from the fit data"
            return
        try:
            self.record.layers = describe_layers(self.model, probe.x)
            calls, _ = capture(self.model, probe.x[:1])
            self.record.layer_objects = {c.path: c.layer for c in calls}
        except Exception as exc:  # noqa: BLE001 - measuring must never break fit
            self.record.probe_error = f"{type(exc).__name__}: {exc}"
            logger.info("flatliner could not describe the model's layers: %s", exc)
            return
        self._measure(0, {})

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        numbers = {k: _float(v) for k, v in (logs or {}).items()}
        if self.record.probe_error is not None:
            self.record.records.append(ProbeRecord(epoch + 1, numbers, {}, None))
            return
        self._measure(epoch + 1, numbers)

    def _measure(self, epoch: int, logs: dict[str, float]) -> None:
        relu = {info.path for info in self.record.layers if info.activation == "relu"}
        try:
            calls, output = capture(self.model, self.record.probe.x)
        except Exception as exc:  # noqa: BLE001 - measuring must never break fit
            self.record.probe_error = f"{type(exc).__name__}: {exc}"
            logger.info("flatliner could not measure the probe batch: %s", exc)
            self.record.records.append(ProbeRecord(epoch, logs, {}, None))
            return
        dead = {}
        for call in calls:
            if call.path in relu and call.outputs is not None:
                counted = count_dead_units(call.outputs)
                dead[call.path] = [counted.dead, counted.units]
        self.record.records.append(ProbeRecord(epoch, logs, dead, output))


def _float(value: Any) -> float:
    try:
        return float(np.asarray(value))
    except (TypeError, ValueError):
        return float("nan")
