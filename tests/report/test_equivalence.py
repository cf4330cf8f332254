"""The JSON and terminal forms of an equivalence result."""

from __future__ import annotations

import io
import json

import numpy as np
from rich.console import Console

from flatliner.equivalence.comparison import compare_arrays
from flatliner.equivalence.verdict import (
    DIFFERENT,
    Check,
    Counterexample,
    EquivalenceResult,
    Trajectory,
)
from flatliner.report.equivalence import (
    equivalence_from_dict,
    equivalence_to_dict,
    print_equivalence,
)


def _different() -> EquivalenceResult:
    a = np.array([[0.0, 7.0, np.nan]], dtype=np.float32)
    b = np.array([[0.0, 6.0, 0.0]], dtype=np.float32)
    check = Check(
        "jax", "float32", "inference", "edge values", 1, "output", compare_arrays(a, b)
    )
    example = Counterexample(
        "jax",
        "float32",
        "inference",
        "output",
        "edge values",
        np.array([0.0, 7.0, -np.inf], dtype=np.float32),
        a[0],
        b[0],
        shrunk=True,
    )
    return EquivalenceResult(
        DIFFERENT,
        "ReLU()",
        "ReLU(max_value=6)",
        "layer",
        ["jax"],
        [check],
        example,
        0,
        ["a note"],
    )


def test_json_has_no_nan_and_round_trips():
    result = _different()
    data = equivalence_to_dict(result)
    text = json.dumps(data, allow_nan=False)
    assert data["counterexample"]["input"] == [0.0, 7.0, "-inf"]
    assert data["counterexample"]["a"][2] == "nan"
    back = equivalence_from_dict(json.loads(text))
    assert back.verdict == DIFFERENT and back.exit_code == 1
    np.testing.assert_array_equal(
        back.counterexample.input, result.counterexample.input
    )
    assert back.checks == result.checks


def test_a_trajectory_with_a_nan_loss_is_valid_json():
    result = _different()
    result.trajectory = Trajectory("tiny", 0, 8, 1, 1, [0.0, np.inf], [np.nan], [1.0])
    text = json.dumps(equivalence_to_dict(result), allow_nan=False)
    back = equivalence_from_dict(json.loads(text))
    assert back.trajectory.max_abs == [0.0, np.inf]
    assert np.isnan(back.trajectory.loss_a[0]) and back.trajectory.parted_at == 1


def test_terminal_shows_the_verdict_and_both_outputs():
    out = io.StringIO()
    print_equivalence(_different(), Console(file=out, width=200))
    text = out.getvalue()
    assert "DIFFERENT" in text
    assert "counterexample (float32, inference mode, output" in text
    assert "shrunk from edge values" in text
    assert "7." in text and "6." in text and "note: a note" in text
