"""Judging probe records. Every rule returns Finding objects; none measures.

The catalogue: one module per failure kind, each a function
(run, context) -> list[Finding].
"""

from __future__ import annotations

import numpy as np

from flatliner.diagnoses.batch_norm import batch_norm
from flatliner.diagnoses.bottleneck import bottleneck
from flatliner.diagnoses.chance_level import chance_level
from flatliner.diagnoses.collapsed_predictions import collapsed_predictions
from flatliner.diagnoses.context import DiagnosisContext
from flatliner.diagnoses.data_order import data_order
from flatliner.diagnoses.dead_units import dead_units
from flatliner.diagnoses.double_softmax import double_softmax
from flatliner.diagnoses.exploding_gradients import exploding_gradients
from flatliner.diagnoses.finding import Finding, Fix
from flatliner.diagnoses.input_scale import input_scale
from flatliner.diagnoses.learning_rate import learning_rate
from flatliner.diagnoses.loss_mismatch import loss_mismatch
from flatliner.diagnoses.non_finite import non_finite
from flatliner.diagnoses.overfitting import overfitting
from flatliner.diagnoses.saturation import saturation
from flatliner.diagnoses.vanishing_gradients import vanishing_gradients
from flatliner.trials.run import RunResult

__all__ = ["CATALOGUE", "DiagnosisContext", "Finding", "Fix", "diagnose_run"]


def _dead(run: RunResult, context: DiagnosisContext) -> list[Finding]:
    return dead_units(run, context.probe_size, context.num_classes)


def _chance(run: RunResult, context: DiagnosisContext) -> list[Finding]:
    if context.y_val is None:
        return []
    found = chance_level(run, context.y_val, context.num_classes)
    return [] if found is None else [found]


# Kind number (as in the catalogue) -> rule, in reporting order.
CATALOGUE = {
    2: _chance,
    1: _dead,
    3: collapsed_predictions,
    4: double_softmax,
    5: loss_mismatch,
    6: input_scale,
    7: learning_rate,
    8: vanishing_gradients,
    9: exploding_gradients,
    10: non_finite,
    11: saturation,
    12: batch_norm,
    13: data_order,
    14: overfitting,
    15: bottleneck,
}

_ORDER = {"error": 0, "warning": 1, "info": 2}

# Kinds whose evidence a NaN run invalidates.
CONSEQUENCES_OF_NAN = {
    "chance_level",
    "dead_layer",
    "dead_units",
    "collapsed_predictions",
    "vanishing_gradients",
    "exploding_gradients",
    "saturated_units",
    "batch_norm",
    "overfitting",
}


def diagnose_run(
    run: RunResult,
    y_val: np.ndarray | None = None,
    num_classes: int | None = None,
    probe_size: int | None = None,
    *,
    context: DiagnosisContext | None = None,
) -> list[Finding]:
    """Every finding for one finished run, errors first.

    Pass either `context` or the three facts the original rules need
    (`y_val`, `num_classes`, `probe_size`); rules that need more facts than
    given find nothing.
    """
    if context is None:
        if num_classes is None:
            raise ValueError(
                "diagnose_run needs num_classes or a context; received neither."
            )
        context = DiagnosisContext(
            num_classes=num_classes, y_val=y_val, probe_size=probe_size or 0
        )
    findings = []
    for rule in CATALOGUE.values():
        findings.extend(rule(run, context))
    if any(f.kind == "non_finite" for f in findings):
        # Past the first NaN every measurement is NaN or garbage (NaN counts as
        # never active, for one): keep the causes, drop the consequences.
        findings = [f for f in findings if f.kind not in CONSEQUENCES_OF_NAN]
    return sorted(findings, key=lambda f: _ORDER[f.severity])
