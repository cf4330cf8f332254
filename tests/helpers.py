"""Small builders shared by tests: tiny datasets and tiny archives."""

from __future__ import annotations

import io
import pickle
import tarfile
from pathlib import Path

import numpy as np

from flatliner.data.dataset import Dataset, build_dataset


def tiny_images(
    n_train: int = 256, n_test: int = 128, classes: int = 100, seed: int = 0
) -> Dataset:
    """Random 32x32x3 images in [0, 1] with random labels (CIFAR-shaped)."""
    rng = np.random.default_rng(seed)
    return build_dataset(
        "tiny",
        rng.random((n_train, 32, 32, 3), dtype=np.float32),
        rng.integers(0, classes, n_train),
        rng.random((n_test, 32, 32, 3), dtype=np.float32),
        rng.integers(0, classes, n_test),
        scale="unit",
        num_classes=classes,
    )


def write_cifar100_archive(
    path: Path,
    n_train: int = 20,
    n_test: int = 10,
    drop: str | None = None,
    label_count: int | None = None,
) -> Path:
    """Writes a miniature cifar-100-python.tar.gz with the official layout.

    `drop` leaves one member out; `label_count` writes that many fine labels
    for the training batch (to make lengths disagree).
    """
    rng = np.random.default_rng(0)

    def batch(n: int, labels: int | None = None) -> bytes:
        return pickle.dumps(
            {
                b"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
                b"fine_labels": list(rng.integers(0, 100, labels or n)),
                b"coarse_labels": list(rng.integers(0, 20, labels or n)),
            }
        )

    members = {
        "cifar-100-python/train": batch(n_train, label_count),
        "cifar-100-python/test": batch(n_test),
        "cifar-100-python/meta": pickle.dumps(
            {
                b"fine_label_names": [f"c{i}".encode() for i in range(100)],
                b"coarse_label_names": [f"s{i}".encode() for i in range(20)],
            }
        ),
    }
    with tarfile.open(path, "w:gz") as tar:
        for name, raw in members.items():
            if name.endswith(drop or "\0"):
                continue
            info = tarfile.TarInfo(name)
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
    return path
