"""An output that ignores the input is flagged; a varying one is not."""

from __future__ import annotations

import numpy as np

from flatliner.diagnoses.constant_output import constant_output


def test_identical_rows_are_an_error():
    out = np.tile([[0.2, 0.8]], (50, 1))
    finding = constant_output(out)
    assert finding.severity == "error" and finding.evidence["output_spread"] < 1e-12


def test_varying_rows_pass():
    out = np.random.default_rng(0).random((50, 2))
    assert constant_output(out) is None


def test_too_little_to_judge():
    assert constant_output(None) is None
    assert constant_output(np.ones((1, 3))) is None
