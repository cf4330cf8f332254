"""Files written atomically: a reader sees the old file or the new one, never
half of one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


@contextmanager
def atomic_file(
    path: Path, mode: str = "w", *, encoding: str | None = "utf-8", sync: bool = False
) -> Iterator[IO]:
    """Yields a handle to a temporary file beside `path` and, when the block
    ends without an error, renames it over `path` (else removes it).

    The file gets the permissions a plain `open` would give it under the
    current umask (a temporary file alone would be readable by its owner
    only). `sync` flushes it to disk before the rename.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding) as handle:
            yield handle
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
