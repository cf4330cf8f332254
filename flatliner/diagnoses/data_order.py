"""Data order: validation data whose classes the training data lacks."""

from __future__ import annotations

from flatliner.diagnoses.context import DiagnosisContext
from flatliner.diagnoses.finding import Finding, Fix
from flatliner.trials.run import RunResult

# Class-mix overlap (sum of min shares) under which the two splits are from
# different distributions; a random split of any dataset is near 1.
MIN_OVERLAP = 0.5


def data_order(run: RunResult, context: DiagnosisContext) -> list[Finding]:
    """Flags training and validation labels whose class mixes barely overlap.

    The usual cause is `validation_split` on data stored class by class: Keras
    takes the last samples before any shuffling, so validation holds classes
    that training never sees and validation accuracy is 0.
    """
    # TODO: detect the same batch served again and again (needs a per-batch
    # fingerprint from the Monitor); only the split's class mixes are judged.
    labels = context.labels
    if labels is None or labels.overlap >= MIN_OVERLAP:
        return []
    unseen = labels.val_classes_unseen
    return [
        Finding(
            kind="data_order",
            severity="error",
            summary=(
                f"training and validation class mixes overlap by only "
                f"{labels.overlap:.0%}; validation classes {unseen[:10]} never "
                "appear in training (a validation split of unshuffled data)"
            ),
            since_epoch=0,
            evidence={
                "overlap": labels.overlap,
                "val_classes_unseen": unseen,
                "longest_label_run_share": labels.longest_run_share,
            },
            threshold=f"class-mix overlap < {MIN_OVERLAP:.0%}",
            fixes=(
                Fix(
                    "shuffle_before_split",
                    "shuffle the data before taking the validation split (Keras's "
                    "validation_split takes the last samples unshuffled)",
                ),
            ),
        )
    ]
