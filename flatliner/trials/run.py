"""One training run, reproducible from (model, data, config, seed)."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from flatliner.data.dataset import Dataset
from flatliner.errors import FlatlinerError, ModelSpecError, TrainingError
from flatliner.models.spec import ModelSpec
from flatliner.probes.snapshot import LayerInfo, describe_layers
from flatliner.trials.config import TrainConfig

logger = logging.getLogger(__name__)


@dataclass
class EpochRecord:
    """Everything measured at the end of one epoch (epoch 0 is before training).

    Training loss and accuracy are None at epoch 0. `dead_units` maps each ReLU
    layer's path to [never-active units, units]. `metrics` keeps every number
    Keras reported, under Keras's own names.

    Fields after `metrics` were added later and default to empty, so records
    stored before them still load:
        saturated_units: sigmoid/tanh layer path -> [saturated units, units].
        gradient_rms: layer path -> RMS gradient of the loss on the probe batch.
        moving_statistics: normalization layer path -> [max |moving mean|,
            max |moving variance - 1|] (both 0 while the layer never trained).
        train_eval_loss, train_eval_accuracy: evaluate() in inference mode on
            the first eval_batch_size training samples (at most as many as
            there are test samples), against the training-mode
            `loss` and `accuracy` fit reported.
        update_ratios: layer path -> median per-step ||delta W|| / ||W||.
        update_samples: Steps the update ratios were measured on.
        step_losses: A sample of per-step training losses (in step order).
        steps: Training steps in the epoch.
        non_finite: Where the first NaN or infinity appeared (see
            flatliner.probes.non_finite.NonFinite), if it did in this epoch.
    """

    epoch: int
    loss: float | None
    accuracy: float | None
    val_loss: float
    val_accuracy: float
    classes_predicted: int
    class_counts: dict[int, int]
    output_entropy: float
    dead_units: dict[str, list[int]]
    metrics: dict[str, float] = field(default_factory=dict)
    saturated_units: dict[str, list[int]] = field(default_factory=dict)
    gradient_rms: dict[str, float] = field(default_factory=dict)
    moving_statistics: dict[str, list[float]] = field(default_factory=dict)
    train_eval_loss: float | None = None
    train_eval_accuracy: float | None = None
    update_ratios: dict[str, float] = field(default_factory=dict)
    update_samples: int = 0
    step_losses: list[float] = field(default_factory=list)
    steps: int = 0
    non_finite: dict[str, Any] | None = None

    def attach_step_probes(self, probes: Any) -> None:
        """Copies what the Monitor measured during this epoch into the record."""
        self.update_ratios = dict(probes.update_ratios)
        self.update_samples = probes.update_samples
        self.step_losses = list(probes.step_losses)
        self.steps = probes.steps
        self.non_finite = probes.non_finite

    def to_dict(self) -> dict[str, Any]:
        return {
            "epoch": self.epoch,
            "loss": self.loss,
            "accuracy": self.accuracy,
            "val_loss": self.val_loss,
            "val_accuracy": self.val_accuracy,
            "classes_predicted": self.classes_predicted,
            "class_counts": {str(k): v for k, v in self.class_counts.items()},
            "output_entropy": self.output_entropy,
            "dead_units": self.dead_units,
            "metrics": self.metrics,
            "saturated_units": self.saturated_units,
            "gradient_rms": self.gradient_rms,
            "moving_statistics": self.moving_statistics,
            "train_eval_loss": self.train_eval_loss,
            "train_eval_accuracy": self.train_eval_accuracy,
            "update_ratios": self.update_ratios,
            "update_samples": self.update_samples,
            "step_losses": self.step_losses,
            "steps": self.steps,
            "non_finite": self.non_finite,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EpochRecord:
        # Unknown keys (from a newer flatliner) are dropped, missing ones default.
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in data.items() if k in known}
        data["class_counts"] = {int(k): v for k, v in data["class_counts"].items()}
        return cls(**data)


@dataclass
class RunResult:
    """The outcome of training one model with one seed.

    Attributes:
        label: Which variant this is ("A" or "B" in a comparison).
        model: The model spec as given.
        seed: The seed that fixed initial weights and batch order.
        backend: The Keras backend it ran on.
        layers: Every leaf layer and what it computes.
        epochs: One record per epoch, epoch 0 first.
        weights: Final values of every model variable, in model.weights order.
        seconds_per_epoch: Wall time of each epoch's training pass alone.
    """

    label: str
    model: str
    seed: int
    backend: str
    layers: list[LayerInfo]
    epochs: list[EpochRecord]
    weights: list[np.ndarray]
    seconds_per_epoch: list[float]

    @property
    def final(self) -> EpochRecord:
        return self.epochs[-1]

    def layer(self, path: str) -> LayerInfo:
        return next(info for info in self.layers if info.path == path)


def seed_everything(seed: int) -> None:
    """Fixes Python, NumPy and backend randomness, and resets Keras's name state.

    The same state as `keras.utils.set_random_seed(seed)`, which a user's own
    loop calls, without importing TensorFlow off its backend
    (`flatliner.backend.set_random_seed`).
    """
    import keras

    from flatliner.backend import set_random_seed

    keras.utils.clear_session(free_memory=False)
    set_random_seed(seed)
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()


def build_model(spec: ModelSpec, dataset: Dataset, seed: int) -> Any:
    """Builds, checks and (if needed) compiles a fresh model for `dataset`.

    An uncompiled model gets Adam(1e-3), sparse categorical cross-entropy and
    accuracy.

    Raises:
        ModelSpecError: when the factory fails, or the model does not accept the
            data's input shape or has fewer outputs than the data has classes.
    """

    seed_everything(seed)
    model = spec.build(dataset.num_classes)

    # Build on one real sample so that subclassed models create their weights.
    sample = dataset.x_train[:1]
    try:
        out = model(sample, training=False)
    except Exception as exc:  # noqa: BLE001 - any failure here is a shape misfit
        raise ModelSpecError(
            f"model {spec.name!r} does not accept inputs of shape "
            f"{dataset.input_shape} from data {dataset.name!r}: "
            f"{type(exc).__name__}: {_reason(exc)}"
        ) from exc
    out_shape = tuple(getattr(out, "shape", ()))
    if len(out_shape) != 2:
        raise ModelSpecError(
            f"model {spec.name!r} must output (batch, classes); received output "
            f"shape {out_shape} for one sample."
        )
    # One sigmoid-style unit is a valid output for two classes.
    binary = out_shape[1] == 1 and dataset.num_classes == 2
    if out_shape[1] < dataset.num_classes and not binary:
        raise ModelSpecError(
            f"model {spec.name!r} outputs {out_shape[1]} values per sample but "
            f"data {dataset.name!r} has labels 0..{dataset.num_classes - 1}; the "
            f"output layer needs at least {dataset.num_classes} units."
        )

    if not model.compiled:
        model.compile(**default_compile_args())
    return model


def _reason(exc: BaseException) -> str:
    """The line of an exception's message that says what went wrong.

    Keras wraps a layer's error as "Exception encountered when calling
    X.call()." followed by the reason (in terminal bold) and the arguments;
    the reason is what a user needs.
    """
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if line.startswith("Arguments received"):
            break
        if "exception encountered when calling" not in line.lower():
            return line
    return lines[0] if lines else ""


def default_compile_args() -> dict[str, Any]:
    """What an uncompiled model gets: Adam(1e-3), sparse cross-entropy, accuracy."""
    import keras

    return {
        "optimizer": keras.optimizers.Adam(1e-3),
        "loss": keras.losses.SparseCategoricalCrossentropy(),
        "metrics": ["accuracy"],
    }


def train_run(
    spec: ModelSpec,
    dataset: Dataset,
    config: TrainConfig,
    seed: int,
    *,
    label: str = "A",
    on_epoch: Callable[[EpochRecord], None] | None = None,
    preset: str = "standard",
    monitor: Any = None,
) -> RunResult:
    """Trains one model with one seed and measures it after every epoch.

    The seed fixes the initial weights (through Keras's global seed) and the batch
    order (a NumPy permutation per epoch), so two models built the same way with
    the same seed see the same weights and the same batches. A flatliner
    Monitor watches every fit at `preset` ("cheap", "standard" or "full");
    pass `monitor` (one with judge=False) to read its timing afterwards.

    Raises:
        ModelSpecError: when the model cannot be built for the data.
        ConfigError: for an unknown preset.
        TrainingError: when Keras fails while training or measuring (for
            example a loss that does not fit the labels).
    """
    try:
        return _train_run(
            spec,
            dataset,
            config,
            seed,
            label=label,
            on_epoch=on_epoch,
            preset=preset,
            monitor=monitor,
        )
    except (FlatlinerError, KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # noqa: BLE001 - Keras raises anything here
        raise TrainingError(training_failure(exc, spec.name, dataset)) from exc


def training_failure(exc: BaseException, names: str, dataset: Dataset) -> str:
    """One line on a failure inside Keras while training or measuring, with
    what most often causes it, for `TrainingError`."""
    detail = _reason(exc)
    message = (
        f"training {names} on data {dataset.name!r} failed: "
        f"{type(exc).__name__}: {detail}"
    )
    if "shape" in detail.lower():
        message += (
            f". The labels are integers 0..{dataset.num_classes - 1} of shape "
            "(samples,); most often a loss that compares them with the "
            "(samples, classes) "
            "output (mse, mae, categorical_crossentropy) needs one-hot labels: "
            "compile with sparse_categorical_crossentropy, or give a factory "
            "whose model fits the labels."
        )
    return message


def _train_run(
    spec: ModelSpec,
    dataset: Dataset,
    config: TrainConfig,
    seed: int,
    *,
    label: str,
    on_epoch: Callable[[EpochRecord], None] | None,
    preset: str,
    monitor: Any,
) -> RunResult:
    import keras

    from flatliner.monitor import Monitor

    model = build_model(spec, dataset, seed)
    x_probe = dataset.x_test[: config.probe_size]
    # The probe batch lets the Monitor locate the first non-finite layer output.
    monitor = monitor or Monitor(
        probe=(x_probe, dataset.y_test[: config.probe_size]),
        preset=preset,
        judge=False,
    )
    layers = describe_layers(model, x_probe)
    order = np.random.default_rng(seed)

    records = [_measure(model, dataset, config, x_probe, layers, 0, {}, preset=preset)]
    if on_epoch:
        on_epoch(records[0])
    seconds = []
    x_epoch = np.empty_like(dataset.x_train)
    for epoch in range(1, config.epochs + 1):
        # Our own permutation, so batch order depends on the seed alone; the
        # shuffled copy reuses one buffer instead of allocating per epoch.
        perm = order.permutation(len(dataset.x_train))
        np.take(dataset.x_train, perm, axis=0, out=x_epoch)
        start = time.perf_counter()
        history = model.fit(
            x_epoch,
            dataset.y_train[perm],
            batch_size=config.batch_size,
            epochs=1,
            shuffle=False,
            verbose=0,
            callbacks=[monitor],
        )
        seconds.append(time.perf_counter() - start)
        train_logs = {k: float(v[-1]) for k, v in history.history.items()}
        records.append(
            _measure(
                model,
                dataset,
                config,
                x_probe,
                layers,
                epoch,
                train_logs,
                preset=preset,
                step_probes=monitor.epochs[-1],
            )
        )
        logger.info(
            "%s seed %d epoch %d: val_accuracy %.4f (%.1f s)",
            spec.label,
            seed,
            epoch,
            records[-1].val_accuracy,
            seconds[-1],
        )
        if on_epoch:
            on_epoch(records[-1])

    weights = [np.asarray(keras.ops.convert_to_numpy(w)) for w in model.weights]
    return RunResult(
        label=label,
        model=spec.name,
        seed=seed,
        backend=keras.backend.backend(),
        layers=layers,
        epochs=records,
        weights=weights,
        seconds_per_epoch=seconds,
    )


def measure_epoch(
    model: Any,
    dataset: Dataset,
    config: TrainConfig,
    x_probe: np.ndarray,
    layers: list[LayerInfo],
    epoch: int,
    train_logs: dict[str, float],
) -> EpochRecord:
    """The record `train_run` takes after an epoch, for executors that train
    the model some other way and then load its weights into `model`.

    `train_logs` are the training metrics of the epoch under Keras's names
    (empty for epoch 0).
    """
    return _measure(model, dataset, config, x_probe, layers, epoch, train_logs)


def _measure(
    model: Any,
    dataset: Dataset,
    config: TrainConfig,
    x_probe: np.ndarray,
    layers: list[LayerInfo],
    epoch: int,
    train_logs: dict[str, float],
    *,
    preset: str = "standard",
    step_probes: Any = None,
) -> EpochRecord:
    """Evaluates and probes the model after an epoch (epoch 0: before training).

    `step_probes` is what a Monitor gathered during the epoch (a StepProbes),
    copied into the record when given.
    """
    from flatliner.probes.measure import measure_probe
    from flatliner.probes.presets import get_preset

    evaluated = model.evaluate(
        dataset.x_test,
        dataset.y_test,
        batch_size=config.eval_batch_size,
        verbose=0,
        return_dict=True,
    )
    # Inference-mode results on training data, against fit's training-mode ones.
    # One evaluation batch's worth, so the compiled evaluation step is reused.
    n_train = min(config.eval_batch_size, len(dataset.x_test), len(dataset.x_train))
    on_train = model.evaluate(
        dataset.x_train[:n_train],
        dataset.y_train[:n_train],
        batch_size=config.eval_batch_size,
        verbose=0,
        return_dict=True,
    )
    y_probe = dataset.y_test[: config.probe_size]
    measured = measure_probe(model, x_probe, y_probe, layers, get_preset(preset))
    metrics = {k: float(v) for k, v in train_logs.items()}
    metrics.update({f"val_{k}": float(v) for k, v in evaluated.items()})
    record = EpochRecord(
        epoch=epoch,
        loss=train_logs.get("loss"),
        accuracy=_accuracy(train_logs),
        val_loss=float(evaluated["loss"]),
        val_accuracy=float(_accuracy(evaluated) or 0.0),
        classes_predicted=measured["classes_predicted"],
        class_counts=measured["class_counts"],
        output_entropy=measured["output_entropy"],
        dead_units=measured["dead_units"],
        metrics=metrics,
        saturated_units=measured["saturated_units"],
        gradient_rms=measured.get("gradient_rms", {}),
        moving_statistics=measured["moving_statistics"],
        train_eval_loss=float(on_train["loss"]),
        train_eval_accuracy=_accuracy(on_train),
    )
    if step_probes is not None:
        record.attach_step_probes(step_probes)
    return record


def _accuracy(logs: dict[str, float]) -> float | None:
    for key in ("accuracy", "sparse_categorical_accuracy", "acc"):
        if key in logs:
            return float(logs[key])
    return None
