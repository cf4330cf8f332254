"""Collapsed predictions: the model answers one (or almost one) class."""

from __future__ import annotations

import numpy as np

from flatliner.diagnoses.context import DiagnosisContext
from flatliner.diagnoses.finding import Finding, Fix
from flatliner.diagnoses.timeline import since, trained
from flatliner.trials.run import EpochRecord, RunResult

# Share of probe samples given the single most predicted class above which the
# predictions have collapsed: at most one sample in ten gets any other answer.
DOMINANT_SHARE = 0.9


def _top_share(record: EpochRecord) -> float:
    total = sum(record.class_counts.values())
    return max(record.class_counts.values()) / total if total else 0.0


def collapsed_predictions(run: RunResult, context: DiagnosisContext) -> list[Finding]:
    """Flags a run whose predictions on the probe batch are (nearly) one class.

    Collapse is when one class takes at least 90% of the probe batch's
    predictions, with K >= 2. The accuracy of such a model is then the share of
    that class in the data, which the evidence gives beside the accuracy.
    """
    records = trained(run)
    final = records[-1]
    if context.num_classes < 2 or not final.class_counts:
        return []
    if _top_share(final) < DOMINANT_SHARE:
        return []
    top = max(final.class_counts, key=final.class_counts.get)
    evidence = {
        "classes_predicted": final.classes_predicted,
        "top_class": top,
        "top_class_prediction_share": _top_share(final),
        "val_accuracy": final.val_accuracy,
        "probe_samples": sum(final.class_counts.values()),
    }
    if context.y_val is not None and len(context.y_val):
        evidence["top_class_val_share"] = float(np.mean(context.y_val == top))
    first = since(
        records, lambda r: bool(r.class_counts) and _top_share(r) >= DOMINANT_SHARE
    )
    return [
        Finding(
            kind="collapsed_predictions",
            severity="error",
            summary=(
                f"the model predicts class {top} for "
                f"{evidence['top_class_prediction_share']:.0%} of probe samples "
                f"({final.classes_predicted} distinct "
                f"{'class' if final.classes_predicted == 1 else 'classes'}); its "
                "accuracy is that class's share of the data"
            ),
            since_epoch=first,
            evidence=evidence,
            threshold=f"one class takes >= {DOMINANT_SHARE:.0%} of predictions",
            fixes=(
                Fix(
                    "check_dead_layers",
                    "look for a dead or constant layer before the output (a "
                    "constant input to the classifier gives one answer)",
                ),
                Fix(
                    "lower_learning_rate",
                    "lower the learning rate so early steps do not push the "
                    "output to the majority class",
                ),
            ),
        )
    ]
