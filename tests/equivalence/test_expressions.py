"""Layer expressions: what is accepted, and what is refused in one line."""

from __future__ import annotations

import keras
import pytest

from flatliner.equivalence.expressions import parse_layer_expression
from flatliner.errors import ExpressionError


@pytest.mark.parametrize(
    ("text", "layer_class"),
    [
        ("ReLU()", keras.layers.ReLU),
        ("Activation('relu')", keras.layers.Activation),
        ("layers.ReLU(max_value=6)", keras.layers.ReLU),
        ("keras.layers.LeakyReLU(negative_slope=0)", keras.layers.LeakyReLU),
        ("Lambda(ops.relu)", keras.layers.Lambda),
        ("keras.ops.relu", keras.layers.Lambda),
        ("Lambda(lambda x: ops.gelu(x, approximate=True))", keras.layers.Lambda),
        ("Dense(3, use_bias=False, kernel_initializer='ones')", keras.layers.Dense),
    ],
)
def test_whitelisted_expressions_build_fresh_layers(text, layer_class):
    factory = parse_layer_expression(text)
    first, second = factory(), factory()
    assert isinstance(first, layer_class)
    assert first is not second


def test_a_lambda_computes_what_it_says():
    import numpy as np

    layer = parse_layer_expression("Lambda(lambda x: -2 * ops.relu(x) + 1)")()
    out = keras.ops.convert_to_numpy(layer(np.array([[-1.0, 0.0, 3.0]])))
    np.testing.assert_array_equal(out, [[1.0, 1.0, -5.0]])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os').system('true')", "is not allowed"),
        ("ReLU().__class__", "is not allowed"),
        ("os.system('true')", "is not allowed"),
        ("Lambda(lambda x: open('/etc/passwd'))", "is not allowed"),
        ("Lambda(lambda x: x.__class__)", "is not allowed"),
        ("Lambda(lambda x: ops.relu(x) ** 999999)", "exponent"),
        ("ReLU(max_value=[i for i in range(3)])", "is not allowed"),
        ("ReLU(**{'max_value': 6})", "keyword unpacking"),
        ("TFSMLayer('/tmp/model')", "is not allowed"),
        ("ReLU(", "is not a valid expression"),
        ("Relu()", "keras.layers has no layer named 'Relu'"),
        ("ops.no_such_op", "keras.ops has no function named 'no_such_op'"),
        ("ReLU(max_value='six')", "refused these arguments"),
        ("", "must be a layer expression"),
        ("Dense(1000000000)", "whole number 1000000000 is larger than 65,536"),
        ("Reshape((100000, 100000))", "whole number 100000 is larger"),
    ],
)
def test_malformed_or_unsafe_expressions_are_one_line_errors(text, message):
    with pytest.raises(ExpressionError, match=message) as caught:
        parse_layer_expression(text, "A")
    assert "\n" not in str(caught.value)
