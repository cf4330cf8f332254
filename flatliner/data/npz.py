"""Reader for `.npz` files holding x_train, y_train, x_test and y_test."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from flatliner.data.dataset import Dataset, build_dataset
from flatliner.errors import DataError

REQUIRED_KEYS = ("x_train", "y_train", "x_test", "y_test")


def load_npz(path: Path, *, scale: str = "unit") -> Dataset:
    """Loads a dataset saved with `np.savez(path, x_train=..., ...)`.

    Integer (uint8) inputs are divided by 255 under scale="unit" (the default) and
    kept as float32 0-255 under "raw"; float inputs are used as stored whatever
    the scale, since their range is the user's choice.

    Raises:
        DataError: for a missing file, a file that is not an .npz, missing keys,
            object arrays, or mismatched lengths.
    """
    if scale not in ("unit", "raw"):
        raise DataError(f"scale must be 'unit' or 'raw'; received {scale!r}.")
    if not path.is_file():
        raise DataError(
            f"{path}: no such file; expected an .npz holding "
            f"{', '.join(REQUIRED_KEYS)}."
        )
    try:
        with np.load(path, allow_pickle=False) as archive:
            missing = [k for k in REQUIRED_KEYS if k not in archive.files]
            if missing:
                raise DataError(
                    f"{path}: missing {', '.join(missing)}; expected keys "
                    f"{', '.join(REQUIRED_KEYS)} (found {', '.join(archive.files)})."
                )
            arrays = {k: archive[k] for k in REQUIRED_KEYS}
    except DataError:
        raise
    except (ValueError, OSError, zipfile.BadZipFile) as exc:
        raise DataError(
            f"{path}: not a readable .npz file ({exc}); expected np.savez output "
            f"with {', '.join(REQUIRED_KEYS)}."
        ) from None

    # Scale integer pixels; floats are already in the user's chosen range.
    used_scale = scale
    for key in ("x_train", "x_test"):
        x = arrays[key]
        if np.issubdtype(x.dtype, np.integer):
            x = x.astype(np.float32)
            arrays[key] = x / np.float32(255.0) if scale == "unit" else x
        elif np.issubdtype(x.dtype, np.floating):
            arrays[key] = x.astype(np.float32)
            used_scale = "as-stored"
        else:
            raise DataError(f"{path}: {key} has dtype {x.dtype}; expected numbers.")
    return build_dataset(str(path), **arrays, scale=used_scale)
