"""`flatliner equiv` from the command line: exit codes, errors, JSON."""

from __future__ import annotations

import json

import pytest

from flatliner.cli import main


def test_equivalent_layers_exit_0(capsys):
    status = main(["equiv", "ReLU()", "Activation('relu')", "--dtypes", "float32"])
    out = capsys.readouterr().out
    assert status == 0
    assert "EQUIVALENT" in out and "float32" in out


def test_different_layers_exit_1_with_a_counterexample(tmp_path, capsys):
    report = tmp_path / "equiv.json"
    status = main(
        [
            "equiv",
            "ReLU()",
            "ReLU(max_value=6)",
            "--dtypes",
            "float32",
            "--json",
            str(report),
        ]
    )
    out = capsys.readouterr().out
    assert status == 1
    assert "DIFFERENT" in out and "counterexample" in out
    data = json.loads(report.read_text())
    assert data["schema"] == "flatliner.equiv/1"
    assert data["verdict"] == "DIFFERENT" and data["exit_code"] == 1
    assert max(data["counterexample"]["input"]) == 7.0


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("__import__('os').system('true')", "is not allowed"),
        ("ReLU(", "is not a valid expression"),
        ("Activation(lambda x: exec('1'))", "is not allowed"),
    ],
)
def test_malformed_or_unsafe_expressions_exit_2_in_one_line(
    expression, message, capsys
):
    status = main(["equiv", "ReLU()", expression])
    err = capsys.readouterr().err.strip()
    assert status == 2
    assert message in err
    assert "\n" not in err and "Traceback" not in err


def test_train_without_data_exits_2(capsys):
    status = main(["equiv", "seed-relu", "seed-activation", "--train"])
    assert status == 2
    assert "--train needs --data" in capsys.readouterr().err


def test_unknown_dtype_exits_2(capsys):
    status = main(["equiv", "ReLU()", "ReLU()", "--dtypes", "float8"])
    assert status == 2
    assert "dtypes must be a non-empty list of float32" in capsys.readouterr().err
