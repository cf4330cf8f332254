"""Running a training script as `python script.py args...` would.

The script runs in this process with `__name__ == "__main__"`, `sys.argv` set to
the script and its arguments, its folder first on `sys.path`, and the working
directory left as it is. Its output goes where it would; an exception it raises
is printed the way Python prints it and becomes exit status 1; `sys.exit(n)`
becomes exit status n.
"""

from __future__ import annotations

import logging
import runpy
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from flatliner.errors import ConfigError
from flatliner.scripts.fit_hook import (
    CallbackFactory,
    Session,
    default_callbacks,
    watching,
)
from flatliner.scripts.locations import UserCode

logger = logging.getLogger(__name__)


@dataclass
class ScriptResult:
    """How one run of a script ended, and what was recorded on the way.

    Attributes:
        session: The fit calls and source locations recorded.
        exit_code: What `python script.py` would have exited with.
        error: The exception that ended the script, if one did (SystemExit
            excluded).
        seed: The seed set before the script ran, if any.
    """

    session: Session
    exit_code: int
    error: BaseException | None
    seed: int | None = None


def check_script(path: str | Path) -> Path:
    """The script's path, after checking it is a readable Python file.

    Raises:
        ConfigError: when `script` does not exist or is not a file.
    """
    script = Path(path)
    if not script.is_file():
        raise ConfigError(
            f"script must be a Python file to run; received {str(path)!r}, which "
            f"{'is a folder' if script.is_dir() else 'does not exist'}. Pass the "
            "path of your training script, e.g. `flatliner run train.py`."
        )
    return script


def run_script(
    path: str | Path,
    args: list[str] | None = None,
    *,
    seed: int | None = None,
    callbacks_for: CallbackFactory = default_callbacks,
    print_traceback: bool = True,
) -> ScriptResult:
    """Runs the script once with every Keras fit call monitored.

    Args:
        path: The training script.
        args: Its command-line arguments (`sys.argv[1:]` as the script sees it).
        seed: When given, `keras.utils.set_random_seed(seed)` runs first, fixing
            Python's, NumPy's and the backend's random state.
        callbacks_for: Which callbacks each fit call gets.
        print_traceback: Print an uncaught exception to stderr as Python would.

    Raises:
        ConfigError: when the script does not exist.
    """
    import keras

    script = check_script(path)
    user = UserCode(script)
    if seed is not None:
        keras.utils.clear_session(free_memory=False)
        keras.utils.set_random_seed(seed)

    saved_argv, saved_path = sys.argv[:], sys.path[:]
    sys.argv = [str(script), *(args or [])]
    sys.path.insert(0, str(script.resolve().parent))
    error: BaseException | None = None
    exit_code = 0
    with watching(user, callbacks_for) as session:
        try:
            runpy.run_path(str(script), run_name="__main__")
        except SystemExit as exc:
            exit_code = _exit_code(exc.code)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - the script's own crash
            error = exc
            exit_code = 1
            if print_traceback:
                _print_user_traceback(exc)
        finally:
            sys.argv, sys.path[:] = saved_argv, saved_path
    return ScriptResult(session, exit_code, error, seed)


def _exit_code(code: object) -> int:
    # As Python does: None is 0, an integer is itself, anything else is
    # printed to stderr and gives 1.
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _print_user_traceback(exc: BaseException) -> None:
    """The traceback Python would print, without flatliner's own frames."""
    tb = exc.__traceback__
    # Drop the frames of this module and runpy that lead into the script.
    while tb is not None and not _is_script_frame(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    lines = traceback.format_exception(type(exc), exc, tb or exc.__traceback__)
    sys.stderr.write("".join(lines))


def _is_script_frame(filename: str) -> bool:
    return not (
        filename == __file__ or filename.endswith(("runpy.py", "<frozen runpy>"))
    )
