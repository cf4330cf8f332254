"""Reader for the official "python version" CIFAR-10 and CIFAR-100 archives.

Reads the `.tar.gz` directly or its extracted folder, without Keras's download
cache (whose hash check rejects re-packed copies of the same pixels).
"""

from __future__ import annotations

import logging
import pickle
import tarfile
from pathlib import Path

import numpy as np

from flatliner.data.dataset import Dataset, build_dataset
from flatliner.errors import DataError

logger = logging.getLogger(__name__)

# Member names inside each archive's top folder.
_LAYOUTS = {
    "cifar-100-python": {
        "train": ["train"],
        "test": ["test"],
        "meta": "meta",
    },
    "cifar-10-batches-py": {
        "train": [f"data_batch_{i}" for i in range(1, 6)],
        "test": ["test_batch"],
        "meta": "batches.meta",
    },
}


def looks_like_cifar(path: Path) -> bool:
    """True when `path` names a CIFAR python archive or its folder by layout."""
    if path.is_dir():
        return any((path / top).is_dir() or path.name == top for top in _LAYOUTS)
    return path.name.endswith((".tar.gz", ".tgz", ".tar"))


def load_cifar(path: Path, *, label_mode: str = "fine", scale: str = "unit") -> Dataset:
    """Loads CIFAR-10 or CIFAR-100 from the official python-version archive.

    Args:
        path: The `.tar.gz` file, the extracted `cifar-100-python` (or
            `cifar-10-batches-py`) folder, or the folder that holds it.
        label_mode: "fine" (100 classes, default) or "coarse" (20 superclasses);
            CIFAR-100 only.
        scale: "unit" divides pixels by 255 into [0, 1] (default); "raw" keeps 0-255
            as float32.

    Raises:
        DataError: for a missing path, a file that is not a tar archive, an archive
            or folder without the expected members, or arrays of mismatched length.
    """
    if label_mode not in ("fine", "coarse"):
        raise DataError(
            f"label_mode must be 'fine' or 'coarse'; received {label_mode!r}."
        )
    if not path.exists():
        raise DataError(
            f"{path}: no such file or folder; expected the CIFAR python-version "
            "archive (cifar-100-python.tar.gz) or its extracted folder."
        )
    reader = _FolderReader(path) if path.is_dir() else _ArchiveReader(path)
    with reader:
        top = reader.top
        layout = _LAYOUTS[top]
        train = [reader.load(f"{top}/{m}") for m in layout["train"]]
        test = [reader.load(f"{top}/{m}") for m in layout["test"]]
        meta = reader.load(f"{top}/{layout['meta']}")

    # CIFAR-100 has fine and coarse labels; CIFAR-10 one set called `labels`.
    if top == "cifar-100-python":
        label_key = b"fine_labels" if label_mode == "fine" else b"coarse_labels"
        names_key = (
            b"fine_label_names" if label_mode == "fine" else b"coarse_label_names"
        )
    else:
        if label_mode == "coarse":
            raise DataError(
                f"{path}: label_mode='coarse' exists only for CIFAR-100; this is "
                "CIFAR-10."
            )
        label_key, names_key = b"labels", b"label_names"

    x_train, y_train = _stack(path, train, label_key)
    x_test, y_test = _stack(path, test, label_key)
    names = tuple(_decode(n) for n in meta.get(names_key, []))
    x_train, x_test = _scale(x_train, scale), _scale(x_test, scale)
    logger.info("loaded %s from %s", top, path)
    return build_dataset(
        str(path),
        x_train,
        y_train,
        x_test,
        y_test,
        scale=scale,
        num_classes=len(names) or None,
        class_names=names,
    )


def _scale(x: np.ndarray, scale: str) -> np.ndarray:
    if scale == "unit":
        return x.astype(np.float32) / np.float32(255.0)
    if scale == "raw":
        return x.astype(np.float32)
    raise DataError(f"scale must be 'unit' or 'raw'; received {scale!r}.")


def _stack(path: Path, parts: list[dict], label_key: bytes) -> tuple[np.ndarray, ...]:
    xs, ys = [], []
    for part in parts:
        if b"data" not in part or label_key not in part:
            raise DataError(
                f"{path}: a batch lacks b'data' or {label_key!r}; expected the "
                "official python-version pickles."
            )
        data = np.asarray(part[b"data"], dtype=np.uint8)
        if data.ndim != 2 or data.shape[1] != 3072:
            raise DataError(
                f"{path}: b'data' has shape {data.shape}; expected (N, 3072)."
            )
        labels = np.asarray(part[label_key], dtype=np.int64)
        if len(labels) != len(data):
            raise DataError(
                f"{path}: {len(data)} images but {len(labels)} labels in one batch; "
                "expected one label per image."
            )
        # Stored as N x (3 planes of 32x32), row-major: make it channels-last.
        xs.append(data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))
        ys.append(labels)
    return np.concatenate(xs), np.concatenate(ys)


def _decode(name: bytes | str) -> str:
    return name.decode() if isinstance(name, bytes) else str(name)


def _unpickle(path: Path, member: str, raw: bytes) -> dict:
    try:
        return pickle.loads(raw, encoding="bytes")
    except Exception as exc:  # noqa: BLE001 - any unpickling failure is bad data
        raise DataError(
            f"{path}: {member} is not a readable pickle ({exc}); expected the "
            "official python-version CIFAR files."
        ) from None


class _ArchiveReader:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.tar = tarfile.open(path, "r:*")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise DataError(
                f"{path}: not a readable tar archive ({exc}); expected "
                "cifar-100-python.tar.gz as distributed, or its extracted folder."
            ) from None
        try:
            names = set(self.tar.getnames())
        except (tarfile.TarError, OSError, EOFError) as exc:
            self.tar.close()
            raise DataError(
                f"{path}: the archive is truncated or corrupt ({exc}); download "
                "cifar-100-python.tar.gz again, or pass its extracted folder."
            ) from None
        tops = [t for t in _LAYOUTS if f"{t}/{_LAYOUTS[t]['meta']}" in names]
        if not tops:
            self.tar.close()
            raise DataError(
                f"{path}: archive has no cifar-100-python/meta or "
                "cifar-10-batches-py/batches.meta; expected the official "
                "python-version layout."
            )
        self.top = tops[0]
        self.names = names

    def load(self, member: str) -> dict:
        if member not in self.names:
            raise DataError(f"{self.path}: archive lacks {member}; expected it there.")
        try:
            raw = self.tar.extractfile(member).read()
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise DataError(f"{self.path}: cannot read {member} ({exc}).") from None
        return _unpickle(self.path, member, raw)

    def __enter__(self) -> _ArchiveReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.tar.close()


class _FolderReader:
    def __init__(self, path: Path) -> None:
        self.path = path
        # Accept the extracted folder itself or the folder that holds it.
        for top in _LAYOUTS:
            if path.name == top:
                self.root, self.top = path.parent, top
                return
            if (path / top).is_dir():
                self.root, self.top = path, top
                return
        raise DataError(
            f"{path}: folder holds no cifar-100-python/ or cifar-10-batches-py/; "
            "expected the extracted official python-version archive."
        )

    def load(self, member: str) -> dict:
        file = self.root / member
        if not file.is_file():
            raise DataError(f"{self.path}: missing {file}; expected it there.")
        return _unpickle(self.path, member, file.read_bytes())

    def __enter__(self) -> _FolderReader:
        return self

    def __exit__(self, *exc: object) -> None:
        return None
