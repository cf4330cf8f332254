"""Resolving MODEL arguments: built-in names and `file.py:factory` specs."""

from __future__ import annotations

import importlib.util
import logging
import sys
import traceback
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flatliner.errors import FlatlinerError, ModelSpecError

logger = logging.getLogger(__name__)

# Built-in names, each a factory of (num_classes) -> uncompiled model.
BUILTIN_MODELS: dict[str, str] = {
    "seed-relu": "the DESIGN.md seed model with ReLU() after BatchNormalization",
    "seed-activation": "the same model with Activation('relu') instead",
    "seed-relu-as-written": "seed-relu with call(self, x): BatchNormalization "
    "never trains under Keras 3",
    "seed-linear": "seed-relu with no activation on the Dense(4) bottleneck",
    "seed-wide": "seed-relu with Dense(128, relu) instead of Dense(4, relu)",
}


@dataclass(frozen=True)
class ModelSpec:
    """A way to build a fresh model, as the user named it.

    Attributes:
        name: The spec as given (`seed-relu` or `path/to/file.py:factory`).
        factory: Callable taking `num_classes` and returning a Keras model.
        label: Short name for tables (`seed-relu`, `file.py:factory`).
    """

    name: str
    factory: Callable[[int], Any]
    label: str

    def build(self, num_classes: int) -> Any:
        """Calls the factory and checks it returned a Keras model.

        Raises:
            ModelSpecError: when the factory raises or returns something else.
        """
        import keras

        try:
            model = self.factory(num_classes)
        except FlatlinerError:
            # Already says what is wrong (a fix that does not fit the model).
            raise
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - any factory failure
            where = _user_frame(exc)
            raise ModelSpecError(
                f"model factory {self.name!r} raised {type(exc).__name__}: {exc}"
                f"{where}. Fix the factory so that calling it with no arguments "
                "returns a fresh keras.Model."
            ) from exc
        if not isinstance(model, keras.Model):
            raise ModelSpecError(
                f"model factory {self.name!r} must return a keras.Model; received "
                f"{type(model).__module__}.{type(model).__qualname__}."
            )
        previous = _LAST_BUILT.get(self.name)
        if previous is not None and previous() is model:
            raise ModelSpecError(
                f"model factory {self.name!r} returned the same model object as on "
                "its previous call, so every seed would go on training one model "
                "and the seeds would not be independent. Build the model inside "
                "the factory, so that each call returns a new keras.Model."
            )
        _LAST_BUILT[self.name] = weakref.ref(model)
        return model


# The model each spec built last, to catch a factory that hands out one object.
_LAST_BUILT: dict[str, weakref.ref] = {}


def resolve_model_spec(spec: str) -> ModelSpec:
    """Turns a MODEL argument into a ModelSpec without building anything.

    Args:
        spec: A built-in name (see BUILTIN_MODELS) or `path/to/file.py:factory`,
            where `factory()` returns a fresh Keras model, compiled or not.

    Raises:
        ModelSpecError: for an unknown name, a missing file, a file that fails to
            import, or a factory that is missing or not callable.
    """
    if spec in BUILTIN_MODELS:
        return ModelSpec(spec, _builtin_factory(spec), spec)
    if ":" not in spec or not spec.rsplit(":", 1)[0].endswith(".py"):
        raise ModelSpecError(
            f"model {spec!r} is neither a built-in name ({', '.join(BUILTIN_MODELS)}) "
            "nor of the form path/to/file.py:factory."
        )
    file_part, attr = spec.rsplit(":", 1)
    path = Path(file_part).expanduser()
    if not path.is_file():
        raise ModelSpecError(f"model {spec!r}: no such file {path}.")
    module = _import_file(spec, path)
    factory = getattr(module, attr, None)
    if factory is None:
        raise ModelSpecError(
            f"model {spec!r}: {path} defines no {attr!r}; expected a function that "
            "returns a fresh keras.Model."
        )
    if not callable(factory):
        raise ModelSpecError(
            f"model {spec!r}: {attr!r} is a {type(factory).__name__}, not callable; "
            "expected a function that returns a fresh keras.Model."
        )
    return ModelSpec(spec, lambda _num_classes: factory(), f"{path.name}:{attr}")


def _builtin_factory(name: str) -> Callable[[int], Any]:
    def build(num_classes: int) -> Any:
        from flatliner.models.seed_case import SeedModel, SeedModelAsWritten

        if name == "seed-relu":
            return SeedModel("relu", num_classes)
        if name == "seed-activation":
            return SeedModel("activation", num_classes)
        if name == "seed-relu-as-written":
            return SeedModelAsWritten("relu", num_classes)
        if name == "seed-linear":
            return SeedModel("relu", num_classes, bottleneck_activation=None)
        return SeedModel("relu", num_classes, bottleneck=128)

    return build


def _import_file(spec: str, path: Path) -> Any:
    # A private module name per file, so two specs from one file share a module.
    module_name = f"flatliner_user_{abs(hash(str(path.resolve())))}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    import_spec = importlib.util.spec_from_file_location(module_name, path)
    if import_spec is None or import_spec.loader is None:
        raise ModelSpecError(f"model {spec!r}: cannot import {path} as Python.")
    module = importlib.util.module_from_spec(import_spec)
    sys.path.insert(0, str(path.parent.resolve()))
    try:
        import_spec.loader.exec_module(module)
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - any import failure
        # SystemExit too: a model file that calls sys.exit() when imported
        # (a training script given as a factory) must not end flatliner silently.
        raise ModelSpecError(
            f"model {spec!r}: importing {path} raised {type(exc).__name__}: {exc}"
            f"{_user_frame(exc)}."
        ) from exc
    finally:
        sys.path.remove(str(path.parent.resolve()))
    sys.modules[module_name] = module
    return module


def _user_frame(exc: BaseException) -> str:
    """' (at file:line)' for the innermost frame outside Keras and flatliner."""
    import keras

    skip = (
        str(Path(keras.__file__).resolve().parent),
        str(Path(__file__).resolve().parent.parent),
    )
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if not str(Path(frame.filename).resolve()).startswith(skip):
            return f" (at {frame.filename}:{frame.lineno})"
    return ""
