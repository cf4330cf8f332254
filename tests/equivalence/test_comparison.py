"""Value-by-value comparison: equal, within rounding, or different."""

from __future__ import annotations

import ml_dtypes
import numpy as np

from flatliner.equivalence.comparison import compare_arrays, ulp_distance


def test_signed_zeros_and_nans_count_as_equal():
    a = np.array([0.0, np.nan, np.inf, -np.inf, 1.5], dtype=np.float32)
    b = np.array([-0.0, np.nan, np.inf, -np.inf, 1.5], dtype=np.float32)
    difference = compare_arrays(a, b)
    assert difference.status == "equal"
    assert difference.different == 0 and difference.max_abs == 0.0


def test_one_ulp_apart_is_rounding_and_measured_as_one():
    a = np.array([1.0, 1000.0], dtype=np.float32)
    b = np.nextafter(a, np.float32(np.inf))
    difference = compare_arrays(a, b, max_ulps=1)
    assert difference.status == "rounding"
    assert difference.max_ulps == 1.0
    assert difference.max_abs == float(np.spacing(np.float32(1000.0)))


def test_more_ulps_than_allowed_is_different_and_located():
    a = np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float64)
    b = a.copy()
    b[1, 0] += 1e-9
    difference = compare_arrays(a, b, max_ulps=4)
    assert difference.status == "different"
    assert difference.first_different == (1, 0)


def test_nan_against_a_number_is_different():
    difference = compare_arrays(np.array([np.nan]), np.array([0.0]))
    assert difference.status == "different"


def test_bfloat16_ulp_is_its_own_spacing():
    # bfloat16 keeps 7 fraction bits: the spacing at 1 is 2**-7.
    one = np.array([1.0], dtype=ml_dtypes.bfloat16)
    next_up = np.array([1.0 + 2**-7], dtype=ml_dtypes.bfloat16)
    assert ulp_distance(one, next_up)[0] == 1.0


def test_arrays_of_different_shapes_are_entirely_different():
    difference = compare_arrays(np.zeros(3), np.zeros(4))
    assert difference.status == "different"
