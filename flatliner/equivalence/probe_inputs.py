"""Inputs that two equivalent functions must agree on.

Three sources, each a named batch so that a counterexample can say where it
came from: the original question's 3x5 array (for 5-feature layers), the edge
values of each dtype, random inputs at scales 1e-3 to 1e11, and real samples
from the data when given.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DTYPES = ("float32", "float64", "float16", "bfloat16")
SCALES = (1e-3, 1.0, 1e3, 1e5, 1e8, 1e11)
# The 3x5 probe array of the question that started flatliner (ReLU() against
# Activation('relu')): its values 0, -1, -100, -123213, 1e5 and 1.0023432e11,
# with the remaining places filled by values of our own around 0 and 6.
QUESTION_ARRAY = np.array(
    [
        [0.0, -1.0, -100.0, -123213.0, 1e5],
        [1.0023432e11, 1.0, 0.5, -0.5, 3.0],
        [-3.0, 7.0, -7.0, 100.0, 123213.0],
    ]
)
EDGE_NAMES = (
    "+0",
    "-0",
    "smallest subnormal",
    "-smallest subnormal",
    "largest finite",
    "-largest finite",
    "+inf",
    "-inf",
    "NaN",
)


@dataclass(frozen=True)
class ProbeBatch:
    """One batch of probe inputs, already in the dtype it is evaluated in."""

    name: str
    x: np.ndarray


def numpy_dtype(dtype: str) -> np.dtype:
    """The NumPy dtype for a Keras dtype name (bfloat16 through ml_dtypes)."""
    if dtype == "bfloat16":
        import ml_dtypes

        return np.dtype(ml_dtypes.bfloat16)
    return np.dtype(dtype)


def finfo(dtype: str):
    """np.finfo for any of DTYPES, bfloat16 included."""
    if dtype == "bfloat16":
        import ml_dtypes

        return ml_dtypes.finfo(ml_dtypes.bfloat16)
    return np.finfo(np.dtype(dtype))


def edge_values(dtype: str) -> np.ndarray:
    """+0, -0, +-smallest subnormal, +-largest finite, +inf, -inf, NaN."""
    info = finfo(dtype)
    tiny = float(info.smallest_subnormal)
    big = float(info.max)
    values = [0.0, -0.0, tiny, -tiny, big, -big, np.inf, -np.inf, np.nan]
    return np.array(values, dtype=np.float64).astype(numpy_dtype(dtype))


def probe_batches(
    input_shape: tuple[int, ...],
    dtype: str,
    *,
    seed: int = 0,
    rows: int = 8,
    data: np.ndarray | None = None,
) -> list[ProbeBatch]:
    """Every probe batch for one sample shape and dtype.

    Random batches are standard normal values times the scale; a scale whose
    values would overflow the dtype (1e5 and up in float16) is left out, as the
    edge batch already holds the largest finite value and infinities.

    Args:
        input_shape: Shape of one sample (no batch axis).
        dtype: One of DTYPES.
        seed: Fixes the random batches (default 0).
        rows: Samples per random batch (default 8).
        data: Real samples (first axis the sample), used as one more batch.
    """
    target = numpy_dtype(dtype)
    limit = float(finfo(dtype).max)
    rng = np.random.default_rng(seed)
    batches = []
    if tuple(input_shape) == QUESTION_ARRAY.shape[1:]:
        batches.append(
            ProbeBatch("question's 3x5 array", _cast(QUESTION_ARRAY, target))
        )

    # Each edge value fills one sample, and sits alone in a random one, so that
    # functions that mix a sample's values (softmax) are probed both ways.
    edges = edge_values(dtype)
    size = int(np.prod(input_shape))
    filled = np.repeat(edges.astype(np.float64)[:, None], size, axis=1)
    alone = rng.standard_normal((len(edges), size))
    alone[:, 0] = edges.astype(np.float64)
    edge_x = np.concatenate([filled, alone]).reshape((-1, *input_shape))
    batches.append(ProbeBatch("edge values", _cast(edge_x, target)))

    for scale in SCALES:
        if scale * 10 > limit:
            continue
        x = rng.standard_normal((rows, *input_shape)) * scale
        batches.append(ProbeBatch(f"random, scale {scale:g}", _cast(x, target)))
    if data is not None and len(data):
        batches.append(ProbeBatch("data", _cast(np.asarray(data), target)))
    return batches


def _cast(x: np.ndarray, target: np.dtype) -> np.ndarray:
    with np.errstate(over="ignore"):
        return np.asarray(x, dtype=np.float64).astype(target)
