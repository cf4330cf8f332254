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
        batch_loss_start, batch_loss_end: Loss on one batch of 32 training
            samples before and after `steps` steps on that batch alone.
        batch_accuracy_end: Accuracy on that batch afterwards.
        zeroed_loss_end: The same steps with every input set to 0: the best
            a model that ignores its input can do on the batch.
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
    repeated = (np.concatenate([x] * steps), np.concatenate([y] * steps))

    model = build_model(spec, dataset, seed)
    init = model.evaluate(
        dataset.x_train[:INIT_SAMPLES],
        dataset.y_train[:INIT_SAMPLES],
        batch_size=config.eval_batch_size,
        verbose=0,
        return_dict=True,
    )
    start = model.evaluate(x, y, batch_size=BATCH, verbose=0, return_dict=True)
    model.fit(*repeated, batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
    end = model.evaluate(x, y, batch_size=BATCH, verbose=0, return_dict=True)

    zeroed = build_model(spec, dataset, seed)
    zeros = np.zeros_like(repeated[0])
    zeroed.fit(zeros, repeated[1], batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
    zero_end = zeroed.evaluate(
        zeros[:BATCH], y, batch_size=BATCH, verbose=0, return_dict=True
    )
    return Preflight(
        init_loss=float(init["loss"]),
        ln_k=math.log(dataset.num_classes),
        batch_loss_start=float(start["loss"]),
        batch_loss_end=float(end["loss"]),
        batch_accuracy_end=float(_accuracy(end)),
        zeroed_loss_end=float(zero_end["loss"]),
        steps=steps,
    )


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
