"""`flatliner.Monitor`: a Keras callback that measures training as it runs.

It is the one place where per-step probes are gathered: the loss of every
step (checked for NaN and infinity), update-to-weight ratios on a schedule, and,
when given a probe batch, per-epoch activation statistics and gradient norms.
`train_run` attaches it to its own fits; users attach it to theirs:

    monitor = flatliner.Monitor(probe=(x_val[:500], y_val[:500]))
    model.fit(x, y, validation_data=(x_val, y_val), callbacks=[monitor])
    for finding in monitor.findings:
        print(finding.summary)
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import keras
import numpy as np

from flatliner.probes.non_finite import locate_non_finite
from flatliner.probes.presets import ProbePreset, get_preset
from flatliner.probes.weights import (
    current_weights,
    step_losses,
    trainable_layout,
    update_ratios,
)

logger = logging.getLogger(__name__)


@dataclass
class StepProbes:
    """What the Monitor measured during one epoch of training.

    Attributes:
        epoch: The epoch (1-based, counted over every fit call it watched).
        steps: Training steps in the epoch.
        step_losses: One per-step loss out of every `loss_every` (the loss of
            that batch alone, recovered from Keras's running mean).
        update_ratios: Per layer, the median over measured steps of
            ||delta W|| / ||W|| for one step.
        update_samples: How many steps the ratios were measured on.
        non_finite: Where the first NaN or infinity appeared, if it did.
        monitor_seconds: Wall time spent inside the Monitor's hooks on the
            training thread during the epoch (weight copies included; work
            Keras runs in its worker thread and any lost overlap of steps are
            not counted).
    """

    epoch: int
    steps: int = 0
    step_losses: list[float] = field(default_factory=list)
    update_ratios: dict[str, float] = field(default_factory=dict)
    update_samples: int = 0
    non_finite: dict[str, Any] | None = None
    monitor_seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Monitor(keras.callbacks.Callback):
    """Measures a model while it trains and judges the run when it ends.

    Args:
        probe: Optional (x, y) probe batch, e.g. 500 validation samples. With
            it the Monitor also measures dead and saturated units, predicted
            classes and gradient norms after every epoch, and locates the first
            non-finite layer output. Without it only the loss and the weights
            are watched.
        preset: "cheap", "standard" (default) or "full"; see
            flatliner.probes.presets.
        num_classes: K for judging the loss against ln K; default: the width
            of the model's output.
        judge: Whether to run the diagnosis rules when training ends (default
            True). `train_run` turns it off and judges the whole run itself.

    Attributes:
        epochs: One StepProbes per epoch watched.
        records: One EpochRecord per epoch (only when `judge` is True).
        findings: The findings, available after training ends.

    Raises:
        ConfigError: for an unknown preset.
    """

    # Batch-end work only reads the logs Keras hands over, so Keras may run it
    # in a worker thread instead of waiting for every step.
    async_safe = True

    def __init__(
        self,
        probe: tuple[np.ndarray, np.ndarray] | None = None,
        preset: str | ProbePreset = "standard",
        num_classes: int | None = None,
        judge: bool = True,
    ) -> None:
        super().__init__()
        self.preset = get_preset(preset)
        self.probe = None if probe is None else (np.asarray(probe[0]), probe[1])
        self.num_classes = num_classes
        self.judge = judge
        self.epochs: list[StepProbes] = []
        self.records: list[Any] = []
        self.findings: list[Any] = []
        self._lock = threading.Lock()
        self._step = 0
        self._epoch = 0
        self._layout: list[tuple[str, list[int]]] | None = None
        self._before: list[np.ndarray] | None = None
        self._ratios: list[dict[str, float]] = []
        self._running: dict[int, float] = {}
        self._first_non_finite: dict[str, Any] | None = None
        self._steps_before_epoch = 0
        self._layers = None
        self._last_finite: list[np.ndarray] | None = None
        self._seconds = 0.0

    # -- Keras hooks --------------------------------------------------------

    def on_train_begin(self, logs=None) -> None:
        self._layout = trainable_layout(self.model)
        if self.judge and self.probe is not None and self._layers is None:
            from flatliner.probes.snapshot import describe_layers

            self._layers = describe_layers(self.model, self.probe[0])
            self.records.append(self._record(0, {}))

    def on_epoch_begin(self, epoch, logs=None) -> None:
        self._epoch += 1
        self._steps_before_epoch = self._step
        self._running = {}
        self._ratios = []
        self._before = None
        self._seconds = 0.0

    def on_train_batch_begin(self, batch, logs=None) -> None:
        # Runs on the main thread before each step, so the weights read here
        # are exactly those after the previous step.
        start = time.perf_counter()
        self._measure_step()
        self._seconds += time.perf_counter() - start

    def _measure_step(self) -> None:
        if self._before is not None:
            after = current_weights(self.model)
            self._ratios.append(update_ratios(self._before, after, self._layout))
            self._before = None
        self._step += 1
        # The first step of every epoch, then every `update_every` steps.
        in_epoch = self._step - self._steps_before_epoch - 1
        if in_epoch % self.preset.update_every == 0:
            self._before = current_weights(self.model)
            if all(np.all(np.isfinite(w)) for w in self._before):
                self._last_finite = self._before

    def on_train_batch_end(self, batch, logs=None) -> None:
        if not logs or "loss" not in logs:
            return
        # May run in a worker thread, out of order: keep the running mean by
        # batch index and sort it out at the end of the epoch.
        value = float(logs["loss"])
        with self._lock:
            self._running[int(batch)] = value

    def on_epoch_end(self, epoch, logs=None) -> None:
        start = time.perf_counter()
        probes = self._close_epoch()
        probes.monitor_seconds = self._seconds + time.perf_counter() - start
        self.epochs.append(probes)
        if self.judge:
            self.records.append(self._record(self._epoch, logs or {}, probes))

    def on_train_end(self, logs=None) -> None:
        if not self.judge:
            return
        self.findings = self.diagnose()
        for finding in self.findings:
            log = logger.warning if finding.severity != "info" else logger.info
            log("%s: %s", finding.kind, finding.summary)

    # -- results ------------------------------------------------------------

    def diagnose(self) -> list[Any]:
        """Judges what was measured so far; returns findings, errors first."""
        from flatliner.diagnoses import diagnose_run
        from flatliner.diagnoses.context import DiagnosisContext
        from flatliner.probes.model_facts import model_facts
        from flatliner.trials.run import RunResult

        if not self.records:
            return []
        layers = self._layers or []
        k = self.num_classes or _output_width(self.model)
        y_probe = None if self.probe is None else _labels(self.probe[1])
        facts = (
            model_facts(self.model, layers, self.probe[0])
            if self.probe is not None and layers
            else None
        )
        run = RunResult(
            label="A",
            model=self.model.name,
            seed=-1,
            backend=keras.backend.backend(),
            layers=layers,
            epochs=self.records,
            weights=[],
            seconds_per_epoch=[],
        )
        context = DiagnosisContext(
            num_classes=k,
            y_val=y_probe,
            probe_size=0 if self.probe is None else len(self.probe[0]),
            facts=facts,
        )
        return diagnose_run(run, context=context)

    # -- internals ----------------------------------------------------------

    def _close_epoch(self) -> StepProbes:
        if self._before is not None:
            after = current_weights(self.model)
            self._ratios.append(update_ratios(self._before, after, self._layout))
            self._before = None
        with self._lock:
            running = dict(self._running)
        probes = StepProbes(
            epoch=self._epoch, steps=self._step - self._steps_before_epoch
        )

        means = [running[batch] for batch in sorted(running)]
        probes.step_losses = step_losses(means, self.preset.loss_every)
        for batch in sorted(running):
            mean = running[batch]
            if not math.isfinite(mean) and self._first_non_finite is None:
                step = self._steps_before_epoch + batch + 1
                located = locate_non_finite(
                    self.model,
                    None if self.probe is None else self.probe[0],
                    step,
                    self._epoch,
                    last_finite=self._last_finite,
                )
                self._first_non_finite = located.to_dict()
                probes.non_finite = self._first_non_finite
        if self._ratios:
            probes.update_samples = len(self._ratios)
            probes.update_ratios = {
                path: float(np.median([r[path] for r in self._ratios]))
                for path in self._ratios[0]
            }
        return probes

    def _record(self, epoch: int, logs: dict[str, Any], probes=None):
        from flatliner.probes.measure import measure_probe
        from flatliner.trials.run import EpochRecord, _accuracy

        measured = (
            measure_probe(
                self.model,
                self.probe[0],
                _labels(self.probe[1]),
                self._layers or [],
                self.preset,
            )
            if self.probe is not None
            else {}
        )
        # Validation numbers are the probe batch's, so that the chance-level
        # test sees the labels they were measured on; Keras's own val_ metrics
        # stay in `metrics`. Without a probe batch, Keras's are used.
        val_logs = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        val_loss = measured.get("probe_loss", logs.get("val_loss", math.nan))
        val_accuracy = measured.get("probe_accuracy", _accuracy(val_logs))
        if val_accuracy is None:
            val_accuracy = math.nan
        record = EpochRecord(
            epoch=epoch,
            loss=logs.get("loss"),
            accuracy=_accuracy(logs),
            val_loss=float(val_loss),
            val_accuracy=float(val_accuracy),
            classes_predicted=measured.get("classes_predicted", 0),
            class_counts=measured.get("class_counts", {}),
            output_entropy=measured.get("output_entropy", math.nan),
            dead_units=measured.get("dead_units", {}),
            metrics={k: float(v) for k, v in logs.items()},
            saturated_units=measured.get("saturated_units", {}),
            gradient_rms=measured.get("gradient_rms", {}),
            moving_statistics=measured.get("moving_statistics", {}),
        )
        if probes is not None:
            record.attach_step_probes(probes)
        return record


def _output_width(model: Any) -> int:
    shape = getattr(model, "output_shape", None)
    try:
        return int(shape[-1])
    except Exception:  # noqa: BLE001 - subclassed models may have no output_shape
        return 2


def _labels(y: Any) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        return y.argmax(axis=1)
    return y.reshape(-1).astype(np.int64)
