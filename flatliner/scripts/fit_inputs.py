"""A probe batch drawn from a fit call's own data, without disturbing it.

NumPy arrays are sliced. A tf.data dataset is read through a fresh iterator (the
user's own iteration starts afresh anyway). A PyDataset is indexed. A Python
generator is read once and replaced by a generator that yields that first
batch again before the rest, so training sees exactly what it would have.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

# Batches read at most for a probe batch from a dataset or PyDataset.
MAX_BATCHES = 64


@dataclass
class ProbeBatch:
    """Inputs and targets a fit call trains on, as NumPy (targets may be None).

    Attributes:
        x: The inputs; None when they are not one array (dicts, lists of inputs).
        y: The targets; None when the fit has none or they are not one array.
        source: What the fit received: "arrays", "tf.data", "generator",
            "PyDataset" or "other".
    """

    x: np.ndarray | None
    y: np.ndarray | None
    source: str

    @property
    def size(self) -> int:
        return 0 if self.x is None else len(self.x)


def draw_probe(x: Any, y: Any, max_samples: int) -> tuple[ProbeBatch, Any]:
    """Takes up to `max_samples` samples from a fit's data.

    Returns the probe batch and the `x` to pass on to fit: the same object,
    except for a generator, which is replaced by one that re-yields the batch
    read here. Data it cannot read gives a probe batch of None.
    """
    try:
        return _draw(x, y, max_samples)
    except Exception as exc:  # noqa: BLE001 - probing must never break training
        logger.warning("flatliner could not read a probe batch: %s", exc)
        return ProbeBatch(None, None, "other"), x


def _draw(x: Any, y: Any, max_samples: int) -> tuple[ProbeBatch, Any]:
    if _is_array(x):
        xs = np.asarray(x[:max_samples])
        ys = None if y is None or not _is_array(y) else np.asarray(y[:max_samples])
        return ProbeBatch(xs, ys, "arrays"), x
    if _is_tf_dataset(x):
        batches = []
        # A fresh iterator; at most MAX_BATCHES, so an endless dataset ends.
        for element in x.take(MAX_BATCHES):
            batches.append(_split(element))
            if sum(len(b[0]) for b in batches if b[0] is not None) >= max_samples:
                break
        return _stack(batches, "tf.data", max_samples), x
    if _is_py_dataset(x):
        batches = []
        for i in range(min(len(x), MAX_BATCHES)):
            batches.append(_split(x[i]))
            if sum(len(b[0]) for b in batches if b[0] is not None) >= max_samples:
                break
        return _stack(batches, "PyDataset", max_samples), x
    if isinstance(x, Iterator):
        first = next(x)
        return _stack([_split(first)], "generator", max_samples), _again(first, x)
    return ProbeBatch(None, None, "other"), x


def _again(first: Any, rest: Iterator) -> Iterator:
    # A real generator, not an itertools object: Keras accepts only those.
    yield first
    yield from rest


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
