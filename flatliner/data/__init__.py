"""Datasets: built-in names, CIFAR python-version archives, and .npz files."""

from __future__ import annotations

from pathlib import Path

from flatliner.data.builtin import BUILTIN_NAMES, load_builtin
from flatliner.data.cifar import load_cifar
from flatliner.data.dataset import Dataset, build_dataset
from flatliner.data.npz import load_npz
from flatliner.errors import DataError

__all__ = ["BUILTIN_NAMES", "Dataset", "build_dataset", "load_dataset"]


def load_dataset(
    spec: str, *, label_mode: str = "fine", scale: str = "unit"
) -> Dataset:
    """Resolves what the user passed as --data into a Dataset.

    Args:
        spec: A built-in name (cifar100, cifar10, mnist, fashion_mnist, digits), a
            path to a CIFAR python-version archive or its extracted folder, or a
            path to an .npz with x_train, y_train, x_test, y_test.
        label_mode: "fine" (default) or "coarse" CIFAR-100 labels; an .npz
            takes its labels as stored, so only "fine" goes with it.
        scale: "unit" for pixels in [0, 1] (default) or "raw" for 0-255.

    Raises:
        DataError: naming the spec and what was expected.
    """
    if scale not in ("unit", "raw"):
        raise DataError(f"scale must be 'unit' or 'raw'; received {scale!r}.")
    if spec in BUILTIN_NAMES:
        return load_builtin(spec, label_mode=label_mode, scale=scale)
    path = Path(spec).expanduser()
    if path.suffix == ".npz":
        if label_mode != "fine":
            raise DataError(
                f"label_mode (--labels) chooses CIFAR-100's label set and applies "
                f"to CIFAR-100 only; an .npz is used with the labels it stores. "
                f"Received label_mode={label_mode!r} with data={spec!r}: drop "
                "--labels, or store the labels you want as y_train and y_test."
            )
        return load_npz(path, scale=scale)
    if not path.exists():
        raise DataError(
            f"data={spec!r}: no such file or folder, and not a built-in name; "
            f"expected one of {', '.join(BUILTIN_NAMES)}, a CIFAR python-version "
            "archive or folder, or an .npz file."
        )
    return load_cifar(path, label_mode=label_mode, scale=scale)
