"""Pre-flight probes: seconds of checks on fresh models before real training."""

from __future__ import annotations

import logging
import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from flatliner.data.dataset import Dataset
from flatliner.diagnoses.finding import Finding
from flatliner.models.spec import ModelSpec
from flatliner.trials.config import TrainConfig
from flatliner.trials.run import build_model

logger = logging.getLogger(__name__)

# One batch, trained on alone for this many steps: enough for the seed models
# (even the 4-unit bottleneck) to halve its loss with Adam(1e-3).
BATCH = 32
STEPS = 200
INIT_SAMPLES = 1000


@dataclass(frozen=True)
class Preflight:
    """What the pre-flight probes measured.

    Attributes:
        init_loss: Loss of a fresh model on the first 1000 training samples.
        ln_k: ln K, the loss of a uniform guess.
        batch_loss_start, batch_loss_end: Training loss on one batch of 32
            training samples at the first and at the last of `steps` steps on
            that batch alone (training mode, as the optimizer sees it).
        batch_accuracy_end: Training accuracy on that batch at the last step.
        zeroed_loss_end: The same with every input set to 0: the best a
            model that ignores its input can do on the batch.
        steps: Steps trained on the batch (default 200).
    """

    init_loss: float
    ln_k: float
    batch_loss_start: float
    batch_loss_end: float
    batch_accuracy_end: float
    zeroed_loss_end: float
    steps: int = STEPS

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def measure_preflight(
    spec: ModelSpec,
    dataset: Dataset,
    config: TrainConfig,
    seed: int,
    steps: int = STEPS,
) -> Preflight:
    """Runs the pre-flight probes on fresh models built with `seed`."""
    x, y = dataset.x_train[:BATCH], dataset.y_train[:BATCH]

    model = build_model(spec, dataset, seed)
    init = model.evaluate(
        dataset.x_train[:INIT_SAMPLES],
        dataset.y_train[:INIT_SAMPLES],
        batch_size=config.eval_batch_size,
        verbose=0,
        return_dict=True,
    )
    start, end = _fit_one_batch(model, x, y, steps)
    zeroed = build_model(spec, dataset, seed)
    _, zero_end = _fit_one_batch(zeroed, np.zeros_like(x), y, steps)
    return Preflight(
        init_loss=float(init["loss"]),
        ln_k=math.log(dataset.num_classes),
        batch_loss_start=start["loss"],
        batch_loss_end=end["loss"],
        batch_accuracy_end=_accuracy(end),
        zeroed_loss_end=zero_end["loss"],
        steps=steps,
    )


def _fit_one_batch(
    model: Any, x: np.ndarray, y: np.ndarray, steps: int
) -> tuple[dict[str, float], dict[str, float]]:
    """Trains `steps` steps on the batch (x, y) alone; returns the training
    logs of the first step and of the last.

    Both are the loss training sees (training mode, before that step's
    update), not an evaluate() afterwards: in inference mode a model with
    BatchNormalization is scored with moving statistics that still lag the
    batch's after 200 steps, and dropout is off, so a model that fits the
    batch can look as if it did not.
    """

    def one_step() -> dict[str, float]:
        history = model.fit(x, y, batch_size=len(x), epochs=1, verbose=0)
        return {k: float(v[-1]) for k, v in history.history.items()}

    first = one_step()
    if steps > 2:
        repeated = (
            np.concatenate([x] * (steps - 2)),
            np.concatenate([y] * (steps - 2)),
        )
        model.fit(*repeated, batch_size=len(x), epochs=1, shuffle=False, verbose=0)
    last = one_step() if steps > 1 else first
    return first, last


def run_preflight(
    spec: ModelSpec, dataset: Dataset, config: TrainConfig, seed: int
) -> list[Finding]:
    """Measures the pre-flight probes and judges them."""
    from flatliner.diagnoses.preflight import judge_preflight

    measured = measure_preflight(spec, dataset, config, seed)
    logger.info("pre-flight: %s", measured)
    return judge_preflight(measured)


def _accuracy(logs: dict[str, float]) -> float:
    for key in ("accuracy", "sparse_categorical_accuracy", "acc"):
        if key in logs:
            return float(logs[key])
    return math.nan
