"""Fingerprints of the first batches a fit call trains on.

A fingerprint is a hash of a batch's input bytes (with its shape and dtype), so
two batches get the same fingerprint only when their inputs are identical. They
are taken where flatliner already reads the data (the probe batch of
`flatliner run`), or as a generator hands batches to Keras, never by reading
more than a few extra batches.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

# Batches fingerprinted at most; a few dozen show a repeat without costing a
# noticeable share of any fit (hashing runs at over 1 GB/s).
MAX_FINGERPRINTS = 32


def fingerprint(x: np.ndarray) -> str:
    """A 128-bit hash of an array's bytes, shape and dtype."""
    x = np.ascontiguousarray(x)
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{x.dtype.str}{x.shape}".encode())
    digest.update(memoryview(x).cast("B"))
    return digest.hexdigest()


@dataclass
class BatchFingerprints:
    """Fingerprints of the first batches of a fit's data, in the order served.

    Attributes:
        fingerprints: One per batch seen (at most MAX_FINGERPRINTS).
        batches_per_epoch: How many batches the data says one epoch has
            (len of a PyDataset, a finite tf.data cardinality, rows / batch
            size of arrays), or None when it does not say (generators,
            repeated datasets).
        source: Where they were taken: "arrays" (consecutive rows in chunks of
            the batch size, before Keras shuffles them), "tf.data",
            "PyDataset" or "generator".
    """

    fingerprints: list[str] = field(default_factory=list)
    batches_per_epoch: int | None = None
    source: str = ""

    def add(self, x: np.ndarray | None) -> None:
        """Fingerprints one more batch's inputs (ignored past the maximum, or
        when the inputs are not one array)."""
        if x is None or len(self.fingerprints) >= MAX_FINGERPRINTS:
            return
        self.fingerprints.append(fingerprint(np.asarray(x)))

    @property
    def seen(self) -> int:
        return len(self.fingerprints)

    @property
    def distinct(self) -> int:
        return len(set(self.fingerprints))

    @property
    def first_repeat(self) -> tuple[int, int] | None:
        """(i, j), 0-based: the first batch j whose inputs equal an earlier i's."""
        first: dict[str, int] = {}
        for j, value in enumerate(self.fingerprints):
            if value in first:
                return first[value], j
            first[value] = j
        return None
