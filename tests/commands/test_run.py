"""`flatliner run` on the command line: pass-through, report, seeds, errors."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from flatliner.cli import main

FIXTURES = Path(__file__).parents[1] / "scripts" / "fixtures"


def test_report_names_the_fault_and_its_line(capsys):
    script = FIXTURES / "multiclass_sparse.py"
    code = main(["run", str(script), "--fault", "dead", "--epochs", "2"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "final accuracy" in out  # the script's own output, on stdout
    assert "flatliner" not in out  # the report keeps off the script's stdout
    assert "error dead_layer" in err
    lines = script.read_text().splitlines()
    line = next(i for i, t in enumerate(lines, 1) if 'Dense(16, activation="relu"' in t)
    assert f"multiclass_sparse.py:{line}" in err.replace("\n", "")
    assert "layer defined at" in err


def test_script_exit_code_and_crash_pass_through(tmp_path, capsys):
    script = tmp_path / "bad.py"
    script.write_text("print('before')\nraise KeyError('nope')\n")
    assert main(["run", str(script)]) == 1
    out, err = capsys.readouterr()
    assert "before" in out
    assert "KeyError: 'nope'" in err
    assert "outside any fit call" in err
    assert "bad.py:2" in err


def test_seeds_rerun_the_script_and_report_stability(tmp_path, capsys):
    script = tmp_path / "train.py"
    script.write_text(
        textwrap.dedent(
            """
            import keras, numpy as np
            x = np.random.normal(size=(64, 3)).astype("float32")
            y = x.sum(axis=1, keepdims=True)
            model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
            model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
            model.fit(x, y, epochs=2, verbose=0)
            print("x0", float(x[0, 0]))
            """
        )
    )
    report = tmp_path / "out.json"
    args = ["run", "--seeds", "2", "--first-seed", "5", "--json", str(report)]
    assert main([*args, str(script)]) == 0
    out, err = capsys.readouterr()
    draws = [line for line in out.splitlines() if line.startswith("x0")]
    assert len(draws) == 2 and draws[0] != draws[1]
    assert "seed 5" in err and "seed 6" in err
    assert "Stability over 2 seeds" in err
    assert "fit #1: final loss" in err and "over 2 runs" in err
    assert "mean final loss: 95% bootstrap interval" in err
    data = json.loads(report.read_text())
    assert data["schema"] == "flatliner.run/1"
    assert [run["seed"] for run in data["runs"]] == [5, 6]
    assert data["runs"][0]["fits"][0]["epochs_finished"] == 2
    assert data["stability"][0]["seeds"] == [5, 6]


def test_missing_script_is_a_clear_error(tmp_path, capsys):
    assert main(["run", str(tmp_path / "none.py")]) == 2
    err = capsys.readouterr().err
    assert "script must be a Python file" in err and "none.py" in err


def test_zero_seeds_are_refused(capsys):
    script = FIXTURES / "binary.py"
    assert main(["run", "--seeds", "0", str(script)]) == 2
    assert "--seeds must be at least 1" in capsys.readouterr().err


def test_seeds_overridden_by_the_script_are_pointed_out(capsys):
    script = FIXTURES / "crash_halfway.py"
    assert main(["run", "--seeds", "2", str(script)]) == 1
    err = capsys.readouterr().err
    assert "every seed ended with the same loss" in err
