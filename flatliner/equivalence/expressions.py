"""Layer expressions such as "ReLU()" or "Activation('relu')", parsed safely.

An expression is read with `ast` and interpreted node by node; nothing is ever
passed to `eval`. What may appear:

- a call of a public layer class from `keras.layers`, bare (`ReLU()`) or
  qualified (`layers.ReLU()`, `keras.layers.ReLU()`), with literal arguments
  (numbers, strings, booleans, None, and tuples, lists and dicts of those);
- as an argument, a function from `keras.ops` (`Lambda(ops.relu)`), or a
  one-argument lambda built from `keras.ops` calls, arithmetic and literals
  (`Lambda(lambda x: ops.gelu(x, approximate=True))`);
- on its own, a `keras.ops` function (`ops.relu`), which is wrapped in a Lambda.

Anything else (attribute access outside those two modules, names, subscripts,
comprehensions, dunder names) is refused with an ExpressionError.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Any

from flatliner.errors import ExpressionError

# Layers that read files or wrap foreign code; an expression must not reach them.
_REFUSED_LAYERS = frozenset(
    {"TFSMLayer", "TorchModuleWrapper", "JaxLayer", "FlaxLayer"}
)
_ARITHMETIC = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_MAX_EXPONENT = 16
_MAX_LENGTH = 500
_EXAMPLES = "ReLU(), Activation('relu') or Lambda(ops.relu)"


def parse_layer_expression(text: str, argument: str = "expression") -> Callable:
    """Checks `text` and returns a factory that builds a fresh layer from it.

    The factory takes no arguments and builds the layer under Keras's current
    dtype policy, so one expression can be built once per dtype.

    Args:
        text: The expression, e.g. "ReLU(max_value=6)".
        argument: The argument's name for error messages ("A", "B").

    Raises:
        ExpressionError: for malformed Python, or anything outside keras.layers,
            keras.ops and literals; the message is one line.
    """
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError(
            f"{argument} must be a layer expression such as {_EXAMPLES}; "
            f"received {text!r}."
        )
    if len(text) > _MAX_LENGTH:
        raise ExpressionError(
            f"{argument} is {len(text)} characters long; a layer expression may "
            f"have at most {_MAX_LENGTH}."
        )
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(
            f"{argument}={text!r} is not a valid expression ({exc.msg}); write a "
            f"layer call such as {_EXAMPLES}."
        ) from None
    checker = _Checker(text, argument)
    body = tree.body

    # A bare ops function is a layer too: the Lambda that applies it.
    if not isinstance(body, ast.Call):
        function = checker.ops_function(body)
        return lambda: _layers().Lambda(function)
    layer_class = checker.layer_class(body.func)
    args = [checker.argument_value(node) for node in body.args]
    kwargs = {}
    for keyword in body.keywords:
        if keyword.arg is None:
            checker.refuse(keyword.value, "**keyword unpacking")
        kwargs[keyword.arg] = checker.argument_value(keyword.value)

    def build() -> Any:
        try:
            return layer_class(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - any constructor complaint
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ExpressionError(
                f"{argument}={text!r}: keras.layers.{layer_class.__name__} refused "
                f"these arguments: {message}"
            ) from None

    # Build once now, so that bad arguments fail before any comparison starts.
    build()
    return build


# Whole-number literals are sizes, axes or counts in every layer argument we
# know; above this one a layer would allocate more than the probes ever need
# (Dense(1000000000) asks for a 4 GB kernel per input unit).
MAX_WHOLE_NUMBER = 65_536


def _layers() -> Any:
    from keras import layers

    return layers


def _ops() -> Any:
    from keras import ops

    return ops


class _Checker:
    """Validates nodes and turns the allowed ones into Python values."""

    def __init__(self, text: str, argument: str) -> None:
        self.text = text
        self.argument = argument

    def refuse(self, node: ast.AST, what: str | None = None) -> None:
        shown = what or ast.unparse(node)
        raise ExpressionError(
            f"{self.argument}={self.text!r}: {shown!r} is not allowed; an expression "
            "may only call layers from keras.layers with literal arguments, "
            f"keras.ops functions and one-argument lambdas (e.g. {_EXAMPLES})."
        )

    def _qualified(self, node: ast.AST) -> tuple[str, str] | None:
        """('layers' or 'ops', name) for layers.X, keras.ops.X; None otherwise."""
        if not isinstance(node, ast.Attribute):
            return None
        owner = node.value
        if isinstance(owner, ast.Name) and owner.id in ("layers", "ops"):
            return owner.id, node.attr
        if (
            isinstance(owner, ast.Attribute)
            and owner.attr in ("layers", "ops")
            and isinstance(owner.value, ast.Name)
            and owner.value.id == "keras"
        ):
            return owner.attr, node.attr
        return None

    def layer_class(self, node: ast.AST) -> type:
        import keras

        if isinstance(node, ast.Name):
            module, name = "layers", node.id
        else:
            module, name = self._qualified(node) or (None, None)
        if module != "layers" or name.startswith("_") or name in _REFUSED_LAYERS:
            self.refuse(node)
        found = getattr(keras.layers, name, None)
        if not (isinstance(found, type) and issubclass(found, keras.layers.Layer)):
            raise ExpressionError(
                f"{self.argument}={self.text!r}: keras.layers has no layer named "
                f"{name!r}; write a layer call such as {_EXAMPLES}."
            )
        return found

    def ops_function(self, node: ast.AST) -> Callable:
        module, name = self._qualified(node) or (None, None)
        if module != "ops" or name.startswith("_"):
            self.refuse(node)
        found = getattr(_ops(), name, None)
        if not callable(found) or isinstance(found, type):
            raise ExpressionError(
                f"{self.argument}={self.text!r}: keras.ops has no function named "
                f"{name!r}."
            )
        return found

    def argument_value(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Lambda):
            return self.lambda_function(node)
        if self._qualified(node):
            return self.ops_function(node)
        return self.literal(node)

    def literal(self, node: ast.AST) -> Any:
        allowed = (
            ast.Constant,
            ast.Tuple,
            ast.List,
            ast.Dict,
            ast.UnaryOp,
            ast.Load,
            ast.USub,
            ast.UAdd,
        )
        for child in ast.walk(node):
            if not isinstance(child, allowed):
                self.refuse(node)
            if isinstance(child, ast.UnaryOp) and not isinstance(
                child.operand, ast.Constant
            ):
                self.refuse(node)
        value = ast.literal_eval(node)
        self._check_sizes(value)
        return value

    def _check_sizes(self, value: Any) -> None:
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list | tuple):
            for item in value:
                self._check_sizes(item)
            return
        if isinstance(value, int) and not isinstance(value, bool):
            if abs(value) > MAX_WHOLE_NUMBER:
                raise ExpressionError(
                    f"{self.argument}={self.text!r}: the whole number {value} is "
                    f"larger than {MAX_WHOLE_NUMBER:,}; layer sizes in an "
                    "expression must stay small enough to probe (write a float, "
                    "e.g. 1e9, where a threshold or scale is meant)."
                )

    def lambda_function(self, node: ast.Lambda) -> Callable:
        params = node.args
        if (
            len(params.args) != 1
            or params.posonlyargs
            or params.kwonlyargs
            or params.vararg
            or params.kwarg
            or params.defaults
        ):
            self.refuse(node, "a lambda that does not take exactly one argument")
        return self._compile(node.body, params.args[0].arg)

    def _compile(self, node: ast.AST, param: str) -> Callable:
        """A function of x that computes `node`; only ops calls and arithmetic."""
        if isinstance(node, ast.Name) and node.id == param:
            return lambda x: x
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            if isinstance(node.value, bool):
                self.refuse(node)
            value = node.value
            return lambda x: value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            inner = self._compile(node.operand, param)
            sign = -1 if isinstance(node.op, ast.USub) else 1
            return lambda x: sign * inner(x)
        if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
            if isinstance(node.op, ast.Pow) and not (
                isinstance(node.right, ast.Constant)
                and isinstance(node.right.value, int | float)
                and abs(node.right.value) <= _MAX_EXPONENT
            ):
                self.refuse(node, "** with an exponent other than a small number")
            left = self._compile(node.left, param)
            right = self._compile(node.right, param)
            apply = _ARITHMETIC[type(node.op)]
            return lambda x: apply(left(x), right(x))
        if isinstance(node, ast.Call):
            function = self.ops_function(node.func)
            args = [self._compile(arg, param) for arg in node.args]
            kwargs = {}
            for keyword in node.keywords:
                if keyword.arg is None:
                    self.refuse(keyword.value, "**keyword unpacking")
                kwargs[keyword.arg] = self.literal(keyword.value)
            return lambda x: function(*(arg(x) for arg in args), **kwargs)
        self.refuse(node)
        raise AssertionError("unreachable")  # refuse() always raises
