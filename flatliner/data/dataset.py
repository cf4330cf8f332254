"""The dataset object every other part of flatliner consumes."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from flatliner.errors import DataError


@dataclass(frozen=True)
class Dataset:
    """Training and test arrays with the facts the probes need.

    Attributes:
        name: What the user called it (a built-in name or a path).
        x_train, y_train, x_test, y_test: Inputs and integer class labels. Labels
            are 1-D int64 arrays; inputs keep their own shape, first axis the sample.
        num_classes: K, the number of classes (max label + 1 unless the source
            states it).
        scale: "unit" when pixels were scaled to [0, 1], "raw" when kept at 0-255,
            "as-stored" for arrays taken unchanged from an .npz file.
        class_names: Optional names, index-aligned with the labels.
    """

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    num_classes: int
    scale: str
    class_names: tuple[str, ...] = field(default=())

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(self.x_train.shape[1:])

    def describe(self) -> str:
        return (
            f"{self.name}: {len(self.x_train)} train / {len(self.x_test)} test, "
            f"inputs {self.input_shape}, {self.num_classes} classes, scale={self.scale}"
        )


def build_dataset(
    name: str,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    *,
    scale: str,
    num_classes: int | None = None,
    class_names: tuple[str, ...] = (),
) -> Dataset:
    """Checks shapes and labels, then returns a Dataset.

    Raises:
        DataError: when lengths differ, labels are not integers in [0, K), or the
            train and test inputs have different shapes. The message names `name`.
    """
    x_train, x_test = np.asarray(x_train), np.asarray(x_test)
    y_train = _as_labels(name, "y_train", y_train)
    y_test = _as_labels(name, "y_test", y_test)

    # Lengths first: every later check indexes by sample.
    for split, x, y in (("train", x_train, y_train), ("test", x_test, y_test)):
        if len(x) != len(y):
            raise DataError(
                f"{name}: x_{split} has {len(x)} samples but y_{split} has {len(y)}; "
                "expected one label per input."
            )
        if len(x) == 0:
            raise DataError(f"{name}: x_{split} is empty; expected at least 1 sample.")
    if x_train.shape[1:] != x_test.shape[1:]:
        raise DataError(
            f"{name}: x_train samples have shape {x_train.shape[1:]} but x_test "
            f"samples have {x_test.shape[1:]}; expected the same shape."
        )

    # NaN or infinite inputs make every loss NaN from the first step on.
    for split, x in (("train", x_train), ("test", x_test)):
        if np.issubdtype(x.dtype, np.floating):
            bad = int(np.size(x) - np.count_nonzero(np.isfinite(x)))
            if bad:
                raise DataError(
                    f"{name}: x_{split} holds {bad} NaN or infinite values; "
                    "expected finite inputs (drop or impute those samples)."
                )

    # Labels must index the classes.
    low = int(min(y_train.min(), y_test.min()))
    high = int(max(y_train.max(), y_test.max()))
    if low < 0:
        raise DataError(f"{name}: labels must be >= 0; received a minimum of {low}.")
    if num_classes is None:
        num_classes = high + 1
    elif high >= num_classes:
        raise DataError(
            f"{name}: labels must be < num_classes={num_classes}; received {high}."
        )
    if num_classes < 2:
        raise DataError(
            f"{name}: the labels hold {num_classes} class; expected at least 2 "
            "(a classifier needs something to tell apart)."
        )
    return Dataset(
        name=name,
        x_train=x_train,
        y_train=y_train,
        x_test=x_test,
        y_test=y_test,
        num_classes=int(num_classes),
        scale=scale,
        class_names=tuple(class_names),
    )


def _as_labels(name: str, key: str, y: np.ndarray) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim == 2 and y.shape[1] > 1 and set(np.unique(y)) <= {0, 1}:
        # One-hot labels: keep the class index.
        y = y.argmax(axis=1)
    if y.ndim != 1:
        raise DataError(
            f"{name}: {key} must be a 1-D array of class indices (or one-hot); "
            f"received shape {y.shape}."
        )
    if not np.issubdtype(y.dtype, np.integer):
        if (
            np.issubdtype(y.dtype, np.floating)
            and np.all(np.isfinite(y))
            and np.all(y == np.round(y))
        ):
            y = y.astype(np.int64)
        else:
            raise DataError(
                f"{name}: {key} must hold integer class labels; received dtype "
                f"{y.dtype} with non-integer values."
            )
    return y.astype(np.int64)
