"""The done criterion: the seed case as a plain script, on the real CIFAR-100."""

from __future__ import annotations

import pytest

from flatliner.scripts.diagnose import diagnose_script
from flatliner.scripts.runner import run_script


@pytest.mark.slow
def test_seed_case_script_names_the_dead_dense4_where_it_is_defined(
    fixture_script, cifar100_path, capsys
):
    script = fixture_script("seed_case.py")
    result = run_script(script, ["--data", str(cifar100_path), "--epochs", "1"])
    assert result.exit_code == 0, result.error
    (fit,) = diagnose_script(result).fits
    assert fit.task == "multi-class (sparse labels)"
    dead = [lf for lf in fit.findings if lf.finding.kind == "dead_layer"]
    assert [lf.finding.layer for lf in dead] == ["d1"]
    located = dead[0]
    assert located.finding.severity == "error"
    assert located.finding.evidence["units"] == 4
    assert located.what == "layer defined"
    assert located.where.file == str(script.resolve())
    lines = script.read_text().splitlines()
    assert "self.d1 = layers.Dense(4" in lines[located.where.line - 1]
    assert "done training" in capsys.readouterr().out
