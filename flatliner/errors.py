"""Errors that flatliner raises for input it can check.

Every error names the argument, the rule it broke, what was received and, where
there is one, how to fix it. They derive from ValueError or TypeError so that
callers who already catch those keep working.
"""

from __future__ import annotations


class FlatlinerError(Exception):
    """Base class of every error flatliner raises on purpose."""


class DataError(FlatlinerError, ValueError):
    """The data argument points at something that cannot be read as a dataset."""


class ModelSpecError(FlatlinerError, ValueError):
    """A model spec cannot be resolved, or its factory misbehaves."""


class ConfigError(FlatlinerError, ValueError):
    """A training or run configuration value is out of range."""


class StoreError(FlatlinerError, ValueError):
    """A run folder exists but belongs to a different configuration."""


class ExpressionError(FlatlinerError, ValueError):
    """A layer expression is malformed or calls something outside the whitelist."""


class CannotCompareError(FlatlinerError, ValueError):
    """Two layers or models cannot be put side by side (inputs, weights, backend)."""


class TrainingError(FlatlinerError, RuntimeError):
    """Training or measuring a model failed inside Keras (for example a loss
    that does not fit the labels)."""
