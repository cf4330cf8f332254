"""A probe batch drawn from a fit call's own data, without disturbing it.

NumPy arrays are sliced. A tf.data dataset is read through a fresh iterator (the
user's own iteration starts afresh anyway). A PyDataset is indexed. A Python
generator is read once and replaced by a generator that yields that first
batch again before the rest, so training sees exactly what it would have.

The batches read are also fingerprinted (flatliner.probes.batch_fingerprints),
so that a data source serving one batch again and again shows: a dataset or
PyDataset is read for at least MIN_FINGERPRINTED batches (a few more than the
probe needs only when its batches are large), and a generator's batches are
fingerprinted as it hands them to Keras, without reading ahead.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from flatliner.probes.batch_fingerprints import MAX_FINGERPRINTS, BatchFingerprints

logger = logging.getLogger(__name__)

# Batches read at most for a probe batch from a dataset or PyDataset.
MAX_BATCHES = 64
# Batches of a dataset or PyDataset read at least, for their fingerprints.
MIN_FINGERPRINTED = 4
# Keras's batch size when fit is given none.
DEFAULT_BATCH_SIZE = 32


@dataclass
class ProbeBatch:
    """Inputs and targets a fit call trains on, as NumPy (targets may be None).

    Attributes:
        x: The inputs; None when they are not one array (dicts, lists of inputs).
        y: The targets; None when the fit has none or they are not one array.
        source: What the fit received: "arrays", "tf.data", "generator",
            "PyDataset" or "other".
        batches: Fingerprints of the first batches (filled in during training
            for a generator).
    """

    x: np.ndarray | None
    y: np.ndarray | None
    source: str
    batches: BatchFingerprints = field(default_factory=BatchFingerprints)

    @property
    def size(self) -> int:
        return 0 if self.x is None else len(self.x)


def draw_probe(
    x: Any, y: Any, max_samples: int, batch_size: int | None = None
) -> tuple[ProbeBatch, Any]:
    """Takes up to `max_samples` samples from a fit's data.

    Returns the probe batch and the `x` to pass on to fit: the same object,
    except for a generator, which is replaced by one that re-yields the batch
    read here (and fingerprints the first batches it hands on). Data it cannot
    read gives a probe batch of None. `batch_size` is fit's (default 32); it
    cuts array inputs into batches for their fingerprints.
    """
    try:
        return _draw(x, y, max_samples, batch_size or DEFAULT_BATCH_SIZE)
    except Exception as exc:  # noqa: BLE001 - probing must never break training
        logger.warning("flatliner could not read a probe batch: %s", exc)
        return ProbeBatch(None, None, "other"), x


def _draw(x: Any, y: Any, max_samples: int, batch_size: int) -> tuple[ProbeBatch, Any]:
    if _is_array(x):
        xs = np.asarray(x[:max_samples])
        ys = None if y is None or not _is_array(y) else np.asarray(y[:max_samples])
        probe = ProbeBatch(xs, ys, "arrays")
        # Consecutive rows as fit would batch them unshuffled; full batches only.
        probe.batches = BatchFingerprints(
            batches_per_epoch=-(-len(x) // batch_size), source="arrays"
        )
        for start in range(0, len(xs) - batch_size + 1, batch_size):
            probe.batches.add(xs[start : start + batch_size])
        return probe, x
    if _is_tf_dataset(x):
        # A fresh iterator; at most MAX_BATCHES, so an endless dataset ends.
        probe = _read(iter(x.take(MAX_BATCHES)), "tf.data", max_samples)
        probe.batches.batches_per_epoch = _cardinality(x)
        return probe, x
    if _is_py_dataset(x):
        count = _length(x)
        indexes = range(MAX_BATCHES if count is None else min(count, MAX_BATCHES))
        probe = _read((x[i] for i in indexes), "PyDataset", max_samples)
        probe.batches.batches_per_epoch = count
        return probe, x
    if isinstance(x, Iterator):
        first = next(x)
        probe = _stack([_split(first)], "generator", max_samples)
        probe.batches = BatchFingerprints(source="generator")
        return probe, _again(first, x, probe.batches)
    return ProbeBatch(None, None, "other"), x


def _read(elements: Iterator, source: str, max_samples: int) -> ProbeBatch:
    """Batches for the probe until `max_samples`, fingerprinting at least
    MIN_FINGERPRINTED (and at most MAX_FINGERPRINTS) of them."""
    batches = []
    fingerprints = BatchFingerprints(source=source)
    samples = 0
    for element in elements:
        pair = _split(element)
        fingerprints.add(pair[0])
        if samples < max_samples:
            batches.append(pair)
            samples += 0 if pair[0] is None else len(pair[0])
        if samples >= max_samples and fingerprints.seen >= MIN_FINGERPRINTED:
            break
    probe = _stack(batches, source, max_samples)
    probe.batches = fingerprints
    return probe


def _again(first: Any, rest: Iterator, batches: BatchFingerprints) -> Iterator:
    # A real generator, not an itertools object: Keras accepts only those.
    # Fingerprints are taken as batches pass, so nothing is read ahead.
    watching = True
    for element in itertools.chain((first,), rest):
        if watching and batches.seen < MAX_FINGERPRINTS:
            try:
                batches.add(_split(element)[0])
            except Exception as exc:  # noqa: BLE001 - must never break fit
                logger.info("flatliner stopped fingerprinting batches: %s", exc)
                watching = False
        yield element


def _cardinality(dataset: Any) -> int | None:
    try:
        count = int(dataset.cardinality())
    except Exception:  # noqa: BLE001 - an old or unusual dataset type
        return None
    # Negative: infinite (a .repeat()) or unknown.
    return count if count >= 0 else None


def _length(data: Any) -> int | None:
    try:
        return int(len(data))
    except Exception:  # noqa: BLE001 - PyDatasets without a length are endless
        return None


def _is_array(value: Any) -> bool:
    return (
        hasattr(value, "shape")
        and hasattr(value, "__getitem__")
        and not (_is_tf_dataset(value))
    )


def _is_tf_dataset(value: Any) -> bool:
    return type(value).__module__.startswith("tensorflow") and hasattr(value, "take")


def _is_py_dataset(value: Any) -> bool:
    try:
        from keras.utils import PyDataset
    except ImportError:  # pragma: no cover - every supported Keras has it
        return False
    return isinstance(value, PyDataset)


def _split(element: Any) -> tuple[np.ndarray | None, np.ndarray | None]:
    """(x, y) of one batch as NumPy; a batch without targets gives y None."""
    if isinstance(element, (tuple, list)):
        x = element[0]
        y = element[1] if len(element) > 1 else None
    else:
        x, y = element, None
    return _numpy(x), _numpy(y)


def _numpy(value: Any) -> np.ndarray | None:
    if value is None or isinstance(value, (dict, list, tuple)):
        return None
    if hasattr(value, "numpy"):
        value = value.numpy()
    return np.asarray(value)


def _stack(
    batches: list[tuple[np.ndarray | None, np.ndarray | None]],
    source: str,
    max_samples: int,
) -> ProbeBatch:
    xs = [b[0] for b in batches]
    ys = [b[1] for b in batches]
    x = None if not xs or any(v is None for v in xs) else np.concatenate(xs)
    y = None if not ys or any(v is None for v in ys) else np.concatenate(ys)
    if x is not None:
        x = x[:max_samples]
    if y is not None:
        y = y[:max_samples]
    return ProbeBatch(x, y, source)
