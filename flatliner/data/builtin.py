"""Built-in dataset names, found locally or fetched through Keras's own cache."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np

from flatliner.data.dataset import Dataset, build_dataset
from flatliner.errors import DataError

logger = logging.getLogger(__name__)

BUILTIN_NAMES = ("cifar100", "cifar10", "mnist", "fashion_mnist", "digits")

# Folder (or archive) names that Keras's own download leaves in its cache.
_CACHED = {
    "cifar100": ("cifar-100-python", "cifar-100-python.tar.gz"),
    "cifar10": ("cifar-10-batches-py", "cifar-10-batches-py.tar.gz"),
}


def keras_cache_dir() -> Path:
    """The folder where Keras caches downloaded datasets (honours KERAS_HOME)."""
    home = os.environ.get("KERAS_HOME") or os.path.join(
        os.path.expanduser("~"), ".keras"
    )
    return Path(home) / "datasets"


def load_builtin(name: str, *, label_mode: str, scale: str) -> Dataset:
    """Loads a built-in dataset by name.

    CIFAR-10 and CIFAR-100 are read from Keras's cache folder when a copy is there
    (without Keras's hash check); otherwise each dataset comes through its
    `keras.datasets` loader, which downloads it once. `digits` needs scikit-learn.

    Raises:
        DataError: when the download fails, naming where to put a local copy.
    """
    from flatliner.data.cifar import load_cifar

    # A copy already in the cache folder needs no network.
    for candidate in _CACHED.get(name, ()):
        path = keras_cache_dir() / candidate
        if path.exists():
            try:
                dataset = load_cifar(path, label_mode=label_mode, scale=scale)
            except DataError as exc:
                logger.warning("ignoring unreadable cached copy: %s", exc)
                continue
            return _renamed(dataset, name)

    if name == "digits":
        return _load_digits(scale)
    return _load_with_keras(name, label_mode=label_mode, scale=scale)


def _renamed(dataset: Dataset, name: str) -> Dataset:
    return build_dataset(
        name,
        dataset.x_train,
        dataset.y_train,
        dataset.x_test,
        dataset.y_test,
        scale=dataset.scale,
        num_classes=dataset.num_classes,
        class_names=dataset.class_names,
    )


def _load_with_keras(name: str, *, label_mode: str, scale: str) -> Dataset:
    import keras

    archive = _CACHED.get(name, (f"{name} archive",))[-1]
    if os.environ.get("FLATLINER_NO_DOWNLOAD"):
        raise DataError(
            f"data={name!r}: no local copy in {keras_cache_dir()} and downloads are "
            f"off (FLATLINER_NO_DOWNLOAD is set). Pass a local copy with --data "
            f"PATH (for example --data path/to/{archive})."
        )

    loader = getattr(keras.datasets, name)
    kwargs = {"label_mode": label_mode} if name == "cifar100" else {}
    if name != "cifar100" and label_mode != "fine":
        raise DataError(
            f"label_mode={label_mode!r} applies to cifar100 only; received it with "
            f"data={name!r}."
        )
    try:
        (x_train, y_train), (x_test, y_test) = loader.load_data(**kwargs)
    except Exception as exc:  # noqa: BLE001 - any download failure means the same
        raise DataError(
            f"data={name!r}: could not download it through keras.datasets ({exc}). "
            f"Pass a local copy with --data PATH (for example --data "
            f"path/to/{archive}), or place it in {keras_cache_dir()}."
        ) from None
    if scale not in ("unit", "raw"):
        raise DataError(f"scale must be 'unit' or 'raw'; received {scale!r}.")
    divisor = np.float32(255.0 if scale == "unit" else 1.0)
    return build_dataset(
        name,
        x_train.astype(np.float32) / divisor,
        y_train,
        x_test.astype(np.float32) / divisor,
        y_test,
        scale=scale,
    )


def _load_digits(scale: str) -> Dataset:
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise DataError(
            "data='digits' needs scikit-learn; install it with "
            "`pip install scikit-learn`, or pass another dataset."
        ) from None
    digits = load_digits()
    x = digits.images.astype(np.float32)[..., None]  # 8x8, values 0-16
    if scale == "unit":
        x = x / np.float32(16.0)
    y = digits.target.astype(np.int64)
    # A fixed split: the last 297 images (about a sixth) are the test set.
    return build_dataset(
        "digits", x[:1500], y[:1500], x[1500:], y[1500:], scale=scale, num_classes=10
    )
