"""Where in the user's script something was written: file and line.

While a script runs, layer creation, `compile` and `fit` are wrapped; each wrapper
walks the call stack outwards to the first frame that lies in the user's own code
and records that frame's file and line.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

# Frames in these folders are never the user's code: the standard library, the
# installed packages (Keras, TensorFlow, ...) and flatliner itself.
_PACKAGE_DIR = str(Path(__file__).resolve().parents[1])
_LIBRARY_DIRS = tuple(
    {
        str(Path(p).resolve())
        for key in ("stdlib", "platstdlib", "purelib", "platlib")
        if (p := sysconfig.get_paths().get(key))
    }
)


@dataclass(frozen=True)
class SourceLocation:
    """A file and line in the user's code, and the code on that line."""

    file: str
    line: int
    code: str = ""

    def __str__(self) -> str:
        return f"{self.short_file}:{self.line}"

    @property
    def short_file(self) -> str:
        """The file relative to the working directory when it lies below it."""
        try:
            relative = os.path.relpath(self.file)
        except ValueError:  # another drive on Windows
            return self.file
        return self.file if relative.startswith(os.pardir) else relative

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "code": self.code}


class UserCode:
    """Decides which stack frames belong to the user's code.

    A frame is the user's when its file is the script itself or lies in the
    script's folder (its own helper modules), and is not inside an installed
    package, the standard library or flatliner.

    Args:
        script: Path of the script being run.
    """

    def __init__(self, script: str | Path) -> None:
        self.script = str(Path(script).resolve())
        self.folder = str(Path(self.script).parent)
        self._cache: dict[str, bool] = {}

    def owns(self, filename: str) -> bool:
        """Whether code in `filename` is the user's."""
        known = self._cache.get(filename)
        if known is not None:
            return known
        path = str(Path(filename).resolve()) if not filename.startswith("<") else ""
        mine = bool(path) and (
            path == self.script
            or (
                path.startswith(self.folder + os.sep)
                and not path.startswith(_PACKAGE_DIR + os.sep)
                and not any(path.startswith(d + os.sep) for d in _LIBRARY_DIRS)
                and f"{os.sep}site-packages{os.sep}" not in path
            )
        )
        self._cache[filename] = mine
        return mine

    def caller(
        self, frame: FrameType | None = None, skip_self: Any = None
    ) -> SourceLocation | None:
        """The innermost frame of the user's code on the stack, or None.

        Args:
            frame: Where to start walking outwards (default: the caller).
            skip_self: An object under construction; frames whose `self` is this
                object are skipped, so that a layer subclass defined in the
                script is located where it is created, not at its own
                `super().__init__()` line.
        """
        frame = frame or sys._getframe(1)
        while frame is not None:
            if self.owns(frame.f_code.co_filename) and (
                skip_self is None or frame.f_locals.get("self") is not skip_self
            ):
                return SourceLocation(
                    frame.f_code.co_filename, frame.f_lineno, _line(frame)
                )
            frame = frame.f_back
        return None


def _line(frame: FrameType) -> str:
    import linecache

    return linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
