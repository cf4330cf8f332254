"""`equivalent` on the issue's cases (JAX; tests/equivalence/test_backends.py
runs them on TensorFlow)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import erf

from flatliner.equivalence import (
    DIFFERENT,
    EQUIVALENT,
    UP_TO_ROUNDING,
    equivalent,
)
from flatliner.equivalence.probe_inputs import DTYPES, QUESTION_ARRAY, probe_batches
from flatliner.errors import CannotCompareError
from tests.equivalence.cases import (
    GELU_EXACT,
    GELU_TANH,
    LEAKY_ZERO,
    OVER_TEN,
    RELU_FAMILY,
    TIMES_TENTH,
    TINY_MODELS,
)

jax = pytest.importorskip("jax")


@pytest.fixture(scope="module", autouse=True)
def x64():
    # float64 on JAX needs 64-bit mode (the CLI sets JAX_ENABLE_X64=1).
    previous = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", True)
    yield
    jax.config.update("jax_enable_x64", previous)


@pytest.mark.parametrize("other", RELU_FAMILY[1:])
def test_relu_activation_relu_and_lambda_relu_are_equivalent(other):
    result = equivalent(RELU_FAMILY[0], other)
    assert result.verdict == EQUIVALENT
    assert result.exit_code == 0
    assert result.dtypes == list(DTYPES)
    assert {"output", "input gradient"} <= set(result.quantities)
    batches = {c.batch for c in result.checks}
    assert "question's 3x5 array" in batches and "edge values" in batches


def test_relu_on_the_question_array_matches_numpy():
    # The reference the verdicts rest on: ReLU of the question's array.
    import keras

    layer = keras.layers.ReLU()
    out = keras.ops.convert_to_numpy(layer(QUESTION_ARRAY.astype("float32")))
    np.testing.assert_array_equal(out, np.maximum(QUESTION_ARRAY, 0).astype("float32"))


def test_leaky_relu_with_zero_slope_differs_at_minus_infinity():
    # 0 * -inf is NaN: LeakyReLU(negative_slope=0) is not ReLU at -inf.
    result = equivalent("ReLU()", LEAKY_ZERO, gradients=False)
    assert result.verdict == DIFFERENT
    example = result.counterexample
    where = np.isneginf(example.input.astype(np.float64))
    assert where.any()
    assert np.all(example.a.astype(np.float64)[where] == 0.0)
    assert np.all(np.isnan(example.b.astype(np.float64)[where]))
    # Where the probes are finite (the question's array overflows float16),
    # the outputs agree.
    differing = {
        c.batch
        for c in result.checks
        if c.difference.status != "equal" and c.dtype in ("float32", "float64")
    }
    assert differing == {"edge values"}


def test_relu_max_value_6_differs_above_6():
    result = equivalent("ReLU()", "ReLU(max_value=6)")
    assert result.verdict == DIFFERENT
    assert result.exit_code == 1
    example = result.counterexample
    assert example.shrunk and example.quantity == "output"
    x = example.input.astype(np.float64)
    # Shrunk to one non-zero value: the smallest whole number above 6.
    assert np.count_nonzero(x) == 1
    value = x[np.nonzero(x)][0]
    assert value == 7.0
    assert example.a.astype(np.float64).max() == value
    assert example.b.astype(np.float64).max() == 6.0


def test_relu_threshold_1_differs_between_0_and_1():
    result = equivalent("ReLU()", "ReLU(threshold=1.0)")
    assert result.verdict == DIFFERENT
    x = result.counterexample.input.astype(np.float64)
    a = result.counterexample.a.astype(np.float64)
    b = result.counterexample.b.astype(np.float64)
    differs = a != b
    assert differs.any()
    assert np.all((x[differs] > 0) & (x[differs] < 1))
    np.testing.assert_array_equal(a[differs], x[differs])
    np.testing.assert_array_equal(b[differs], 0.0)


def test_softmax_layer_and_activation_are_equivalent():
    result = equivalent("Softmax()", "Activation('softmax')")
    assert result.verdict == EQUIVALENT


def test_gelu_tanh_approximation_differs_by_its_approximation_error():
    # The tanh form approximates erf-GELU to about 1e-3 in absolute terms: far
    # more than rounding in float32 and float64 (thousands and trillions of
    # ULPs), so the verdict is DIFFERENT, with the size of the difference.
    result = equivalent(GELU_EXACT, GELU_TANH, gradients=False)
    assert result.verdict == DIFFERENT
    x = result.counterexample.input.astype(np.float64)
    assert np.all(np.isfinite(x))

    # The largest float64 difference equals a NumPy reference on the same inputs.
    def exact(v):
        return 0.5 * v * (1 + erf(v / np.sqrt(2)))

    def tanh_form(v):
        return 0.5 * v * (1 + np.tanh(np.sqrt(2 / np.pi) * (v + 0.044715 * v**3)))

    inputs = np.concatenate(
        [b.x.reshape(-1) for b in probe_batches((5,), "float64", seed=0)]
    )
    inputs = inputs[np.isfinite(inputs) & (np.abs(inputs) < 1e100)]
    with np.errstate(all="ignore"):
        reference = np.nanmax(np.abs(exact(inputs) - tanh_form(inputs)))
    measured = max(
        c.difference.max_abs
        for c in result.checks
        if c.dtype == "float64" and c.quantity == "output"
    )
    assert measured == pytest.approx(reference, rel=1e-6)
    assert 1e-4 < measured < 1e-3


def test_times_a_tenth_and_over_ten_are_equivalent_up_to_rounding():
    result = equivalent(TIMES_TENTH, OVER_TEN, gradients=False)
    assert result.verdict == UP_TO_ROUNDING
    assert result.exit_code == 0
    assert 0 < result.largest("rounding").difference.max_ulps <= 1


def test_a_tighter_ulp_budget_turns_rounding_into_a_difference():
    result = equivalent(TIMES_TENTH, OVER_TEN, gradients=False, max_ulps=0.25)
    assert result.verdict == DIFFERENT


def test_identical_expressions_are_equivalent():
    result = equivalent("ReLU(max_value=6)", "ReLU(max_value=6)")
    assert result.verdict == EQUIVALENT


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory):
    path = tmp_path_factory.mktemp("models") / "tiny.py"
    path.write_text(TINY_MODELS)
    return path


def test_models_written_two_ways_are_equivalent_in_both_modes(tiny_models):
    result = equivalent(
        f"{tiny_models}:relu", f"{tiny_models}:activation", dtypes=["float32"]
    )
    assert result.verdict == EQUIVALENT
    assert result.weights_copied == 8  # Dense 2, BatchNormalization 4, Dense 2
    assert result.modes == ["inference", "training"]
    assert "weight gradients" in result.quantities


def test_models_that_compute_differently_are_different(tiny_models):
    result = equivalent(
        f"{tiny_models}:relu", f"{tiny_models}:tanh", dtypes=["float32"]
    )
    assert result.verdict == DIFFERENT
    assert result.counterexample.quantity == "output"


def test_models_whose_variables_do_not_line_up_are_refused(tiny_models):
    with pytest.raises(CannotCompareError, match=r"variable 0 .* \(6, 4\) .* \(6, 5\)"):
        equivalent(f"{tiny_models}:relu", f"{tiny_models}:wide", dtypes=["float32"])


def test_a_layer_against_a_model_is_refused(tiny_models):
    with pytest.raises(CannotCompareError, match="compare two layers or two models"):
        equivalent("ReLU()", f"{tiny_models}:relu")


def test_layer_objects_compare_like_their_expressions():
    import keras

    result = equivalent(
        keras.layers.ReLU(), keras.layers.Activation("relu"), dtypes=["float32"]
    )
    assert result.verdict == EQUIVALENT
    assert (result.a, result.b) == ("ReLU", "Activation")


def test_other_backends_need_expressions_or_specs():
    import keras

    with pytest.raises(CannotCompareError, match="needs A and B as expressions"):
        equivalent(keras.layers.ReLU(), "ReLU()", backends="jax,tensorflow")
