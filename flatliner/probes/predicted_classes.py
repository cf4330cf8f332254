"""Which classes the model predicts on the probe batch."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PredictedClasses:
    """The distinct classes the model's argmax picks on the probe batch.

    `counts` maps class index to how many probe samples got it; `distinct` is how
    many classes appear at all (1 means the model answers the same for every
    input). `entropy` is the mean entropy of the output distribution in nats.
    """

    distinct: int
    counts: dict[int, int]
    entropy: float


def predicted_classes(probabilities: np.ndarray) -> PredictedClasses:
    """Summarises a (samples, classes) output of probabilities or logits.

    A single-unit output is read as the probability (or logit) of class 1.
    """
    if probabilities.ndim != 2:
        raise ValueError(
            f"probabilities must be (samples, classes); received shape "
            f"{probabilities.shape}."
        )
    p = probabilities.astype(np.float64)
    if p.shape[1] == 1:
        # One unit: the probability of class 1 (or its logit, when outside
        # [0, 1]); expand to two columns so both read like a softmax.
        q = p[:, 0]
        if np.any(q < 0) or np.any(q > 1):
            q = 1.0 / (1.0 + np.exp(-q))
        p = np.stack([1.0 - q, q], axis=1)
    labels, counts = np.unique(p.argmax(axis=1), return_counts=True)
    if np.any(p < 0) or not np.allclose(p.sum(axis=1), 1.0, atol=1e-3):
        # Logits: turn them into probabilities before measuring entropy.
        p = np.exp(p - p.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
    entropy = float(np.mean(-np.sum(p * np.log(np.clip(p, 1e-12, 1.0)), axis=1)))
    return PredictedClasses(
        distinct=int(len(labels)),
        counts={int(k): int(v) for k, v in zip(labels, counts, strict=True)},
        entropy=entropy,
    )
