"""Statistics of the inputs and labels a model is trained on."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class InputStats:
    """Range, mean and spread of the input values (all features pooled).

    Measured on at most `sample` training inputs (the first ones), which is
    enough for range and scale; a rare outlier beyond them is missed.
    """

    minimum: float
    maximum: float
    mean: float
    std: float
    non_finite: int
    samples: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class LabelStats:
    """Label range and per-class shares of training and validation labels.

    Attributes:
        num_classes: K as the data states it.
        train_range, val_range: Smallest and largest label.
        train_shares, val_shares: Share of each class 0..K-1.
        overlap: Sum over classes of min(train share, val share): 1 when both
            splits have the same class mix, 0 when no class is in both.
        val_classes_unseen: Validation classes absent from the training labels.
        longest_run_share: Longest run of one repeated label in the training
            labels as stored, as a share of the training set: a few samples'
            worth for shuffled data, about one class's share for data sorted
            class by class.
    """

    num_classes: int
    train_range: tuple[int, int]
    val_range: tuple[int, int]
    train_shares: list[float]
    val_shares: list[float]
    overlap: float
    val_classes_unseen: list[int]
    longest_run_share: float

    @property
    def majority_share(self) -> float:
        return max(self.val_shares) if self.val_shares else 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["train_range"] = list(self.train_range)
        data["val_range"] = list(self.val_range)
        return data


def input_statistics(x: np.ndarray, sample: int = 2000) -> InputStats:
    """Range, mean and standard deviation of the first `sample` inputs."""
    part = np.asarray(x[:sample], dtype=np.float64)
    finite = np.isfinite(part)
    values = part[finite]
    if values.size == 0:
        values = np.zeros(1)
    return InputStats(
        minimum=float(values.min()),
        maximum=float(values.max()),
        mean=float(values.mean()),
        std=float(values.std()),
        non_finite=int(part.size - finite.sum()),
        samples=int(len(part)),
    )


def label_statistics(
    y_train: np.ndarray, y_val: np.ndarray, num_classes: int
) -> LabelStats:
    """Class shares of both splits, their overlap, and how the labels are ordered.

    Labels must be integer class indices (not one-hot). Labels outside 0..K-1
    are counted in the ranges but not in the shares.
    """
    y_train = np.asarray(y_train).astype(np.int64).ravel()
    y_val = np.asarray(y_val).astype(np.int64).ravel()
    k = max(int(num_classes), 1)

    def shares(y: np.ndarray) -> np.ndarray:
        inside = y[(y >= 0) & (y < k)]
        counts = np.bincount(inside, minlength=k).astype(np.float64)
        return counts / max(len(y), 1)

    train, val = shares(y_train), shares(y_val)
    unseen = [int(c) for c in np.flatnonzero((val > 0) & (train == 0))]
    return LabelStats(
        num_classes=k,
        train_range=(int(y_train.min()), int(y_train.max())),
        val_range=(int(y_val.min()), int(y_val.max())),
        train_shares=[float(s) for s in train],
        val_shares=[float(s) for s in val],
        overlap=float(np.minimum(train, val).sum()),
        val_classes_unseen=unseen,
        longest_run_share=_longest_run(y_train) / max(len(y_train), 1),
    )


def _longest_run(y: np.ndarray) -> int:
    if len(y) == 0:
        return 0
    change = np.flatnonzero(np.diff(y) != 0)
    bounds = np.concatenate(([-1], change, [len(y) - 1]))
    return int(np.diff(bounds).max())
