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


def set_random_seed(seed: int) -> None:
    """The state `keras.utils.set_random_seed(seed)` sets: Python, NumPy, the
    backend and Keras's global seed, so the weights built next are the ones a
    user's own seeded code gets.

    keras.utils.set_random_seed also seeds TensorFlow whenever it is
    installed, which imports it: about 3-5 s on the JAX or PyTorch backend,
    paid once per process. Off TensorFlow (and unless something already
    imported it, as a tf.data pipeline does) the same state is set without it,
    through private Keras names; if a Keras release moves them, this falls back
    to keras.utils.set_random_seed and pays the import.
    """
    import random

    import keras
    import numpy as np

    if keras.backend.backend() == "tensorflow" or "tensorflow" in sys.modules:
        keras.utils.set_random_seed(seed)
        return
    try:
        from keras.src.backend.common import global_state
        from keras.src.random import seed_generator
        from keras.src.utils.rng_utils import GLOBAL_RANDOM_SEED
    except ImportError:  # pragma: no cover - a Keras that moved its internals
        keras.utils.set_random_seed(seed)
        return
    global_state.set_global_attribute(GLOBAL_RANDOM_SEED, seed)
    global_state.set_global_attribute(seed_generator.GLOBAL_SEED_GENERATOR, None)
    random.seed(seed)
    np.random.seed(seed)
    if keras.backend.backend() == "torch":
        import torch

        torch.manual_seed(seed)
