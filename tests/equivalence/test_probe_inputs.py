"""Probe inputs: edge values, scales, the question's array."""

from __future__ import annotations

import numpy as np
import pytest

from flatliner.equivalence.probe_inputs import (
    DTYPES,
    QUESTION_ARRAY,
    edge_values,
    finfo,
    probe_batches,
)


@pytest.mark.parametrize("dtype", DTYPES)
def test_edge_values_are_the_dtypes_own(dtype):
    values = edge_values(dtype).astype(np.float64)
    info = finfo(dtype)
    assert values[0] == 0 and not np.signbit(values[0])
    assert values[1] == 0 and np.signbit(values[1])
    assert values[2] == float(info.smallest_subnormal)
    assert values[4] == float(info.max)
    assert np.isposinf(values[6]) and np.isneginf(values[7]) and np.isnan(values[8])


def test_layers_get_the_question_array_and_every_scale_in_float32():
    batches = probe_batches((5,), "float32", rows=4)
    names = [b.name for b in batches]
    assert names[0] == "question's 3x5 array"
    np.testing.assert_array_equal(batches[0].x, QUESTION_ARRAY.astype(np.float32))
    assert "random, scale 1e+11" in names
    assert all(b.x.dtype == np.float32 for b in batches)


def test_float16_leaves_out_scales_that_overflow():
    names = [b.name for b in probe_batches((5,), "float16")]
    assert "random, scale 1000" in names
    assert "random, scale 100000" not in names


def test_models_get_data_and_no_question_array():
    data = np.zeros((3, 4, 4, 3))
    batches = probe_batches((4, 4, 3), "bfloat16", data=data)
    assert batches[-1].name == "data" and batches[-1].x.shape == (3, 4, 4, 3)
    assert "question's 3x5 array" not in [b.name for b in batches]
