"""Choosing the Keras backend before Keras is imported."""

from __future__ import annotations

import importlib.util
import os
import sys

from flatliner.errors import ConfigError

BACKENDS = ("jax", "tensorflow", "torch")
DEFAULT_BACKEND = "jax"
_PACKAGES = {"jax": "jax", "tensorflow": "tensorflow", "torch": "torch"}
_EXTRAS = {
    "jax": "pip install -e .",
    "tensorflow": "pip install -e '.[tensorflow]'",
    "torch": "pip install -e '.[torch]'",
}


def select_backend(requested: str | None) -> str:
    """Sets KERAS_BACKEND: the request, else KERAS_BACKEND, else JAX.

    Also quiets TensorFlow's C++ start-up chatter unless the user set its level.

    Raises:
        ConfigError: for an unknown backend, one whose package is not installed,
            or a request that contradicts a Keras already imported.
    """
    backend = requested or os.environ.get("KERAS_BACKEND") or DEFAULT_BACKEND
    if backend not in BACKENDS:
        raise ConfigError(
            f"backend must be one of {', '.join(BACKENDS)}; received {backend!r}."
        )
    if importlib.util.find_spec(_PACKAGES[backend]) is None:
        raise ConfigError(
            f"backend={backend!r} needs the {_PACKAGES[backend]} package, which is "
            f"not installed; install it with `{_EXTRAS[backend]}` or choose another "
            "backend."
        )
    if "keras" in sys.modules:
        import keras

        if keras.backend.backend() != backend:
            raise ConfigError(
                f"backend={backend!r} was requested but Keras is already running "
                f"on {keras.backend.backend()!r}; set KERAS_BACKEND before "
                "importing keras."
            )
    os.environ["KERAS_BACKEND"] = backend
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return backend
