"""The rules that need no training: judged on the compiled model and the data."""

from __future__ import annotations

import math

from flatliner.diagnoses.bottleneck import bottleneck
from flatliner.diagnoses.context import DiagnosisContext
from flatliner.diagnoses.data_order import data_order
from flatliner.diagnoses.double_softmax import double_softmax
from flatliner.diagnoses.finding import Finding
from flatliner.diagnoses.input_scale import input_scale
from flatliner.diagnoses.loss_mismatch import loss_mismatch
from flatliner.probes.snapshot import LayerInfo
from flatliner.trials.run import EpochRecord, RunResult

STATIC_RULES = (loss_mismatch, double_softmax, input_scale, data_order, bottleneck)


def static_findings(
    layers: list[LayerInfo], context: DiagnosisContext
) -> list[Finding]:
    """Findings known before the first step (kinds 4, 5, 6, 13 and 15)."""
    blank = EpochRecord(
        epoch=0,
        loss=None,
        accuracy=None,
        val_loss=math.nan,
        val_accuracy=math.nan,
        classes_predicted=0,
        class_counts={},
        output_entropy=math.nan,
        dead_units={},
    )
    run = RunResult("A", "", -1, "", layers, [blank], [], [])
    found = []
    for rule in STATIC_RULES:
        found.extend(rule(run, context))
    return found
