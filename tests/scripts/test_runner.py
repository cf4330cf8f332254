"""The runner runs a script as python would, and restores Keras afterwards."""

from __future__ import annotations

import os
import textwrap

import keras
import pytest

from flatliner.errors import ConfigError
from flatliner.scripts.runner import run_script


def write(tmp_path, body: str):
    path = tmp_path / "script.py"
    path.write_text(textwrap.dedent(body))
    return path


def test_script_sees_argv_name_and_cwd_as_under_python(tmp_path, capsys):
    script = write(
        tmp_path,
        """
        import os, sys
        print("argv", sys.argv[1:], "name", __name__, "cwd", os.getcwd())
        print("path0", sys.path[0])
        """,
    )
    result = run_script(script, ["--data", "x.npz", "-v"])
    out = capsys.readouterr().out
    assert result.exit_code == 0 and result.error is None
    assert "argv ['--data', 'x.npz', '-v'] name __main__" in out
    assert f"cwd {os.getcwd()}" in out
    assert f"path0 {tmp_path.resolve()}" in out


def test_exit_code_passes_through(tmp_path):
    script = write(tmp_path, "import sys\nsys.exit(3)\n")
    assert run_script(script).exit_code == 3


def test_crash_gives_exit_1_and_python_traceback(tmp_path, capsys):
    script = write(tmp_path, "x = 1\nraise RuntimeError('boom here')\n")
    result = run_script(script)
    err = capsys.readouterr().err
    assert result.exit_code == 1
    assert isinstance(result.error, RuntimeError)
    assert "RuntimeError: boom here" in err
    assert f'File "{script}", line 2' in err
    assert "runpy" not in err


def test_keras_is_restored_after_a_crash(tmp_path):
    fit, compile_, init = (
        keras.Model.fit,
        keras.Model.compile,
        keras.layers.Layer.__init__,
    )
    script = write(
        tmp_path,
        """
        import keras
        assert keras.Model.fit.__name__ == "fit"
        raise ValueError("stop")
        """,
    )
    run_script(script)
    assert keras.Model.fit is fit
    assert keras.Model.compile is compile_
    assert keras.layers.Layer.__init__ is init
    assert "fit" not in keras.Model.__dict__


def test_missing_script_is_refused_with_the_path(tmp_path):
    with pytest.raises(ConfigError, match=r"script must be a Python file.*nope\.py"):
        run_script(tmp_path / "nope.py")


def test_seed_is_set_before_the_script_runs(tmp_path, capsys):
    script = write(tmp_path, "import numpy as np\nprint('draw', np.random.rand())\n")
    run_script(script, seed=7)
    run_script(script, seed=7)
    run_script(script, seed=8)
    draws = [
        line for line in capsys.readouterr().out.splitlines() if line.startswith("draw")
    ]
    assert draws[0] == draws[1] != draws[2]
