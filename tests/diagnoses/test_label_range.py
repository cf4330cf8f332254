"""Sparse labels beyond the output's units are flagged; labels inside are not."""

from __future__ import annotations

import numpy as np
import pytest

from flatliner.diagnoses.label_range import label_out_of_range
from flatliner.probes.loss_kind import loss_kind
from flatliner.probes.targets import target_stats

SPARSE = loss_kind("sparse_categorical_crossentropy")
LABELS = np.arange(200) % 4


@pytest.mark.parametrize(("labels", "units"), [(LABELS, 3), (LABELS - 1, 4)])
def test_labels_outside_the_units_are_an_error(labels, units):
    finding = label_out_of_range(SPARSE, target_stats(labels), units)
    assert finding.severity == "error"
    assert finding.evidence["label_max"] == labels.max()
    assert finding.evidence["output_units"] == units


def test_labels_inside_the_units_pass():
    assert label_out_of_range(SPARSE, target_stats(LABELS), 4) is None
    assert label_out_of_range(SPARSE, target_stats(LABELS), 10) is None


def test_other_losses_are_not_judged():
    assert label_out_of_range(loss_kind("mse"), target_stats(LABELS), 1) is None
