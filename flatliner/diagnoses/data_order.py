"""Data order: validation data whose classes the training data lacks, and the
same batch served again and again."""

from __future__ import annotations

from flatliner.diagnoses.context import DiagnosisContext
from flatliner.diagnoses.finding import Finding, Fix
from flatliner.probes.batch_fingerprints import BatchFingerprints
from flatliner.trials.run import RunResult

# Class-mix overlap (sum of min shares) under which the two splits are from
# different distributions; a random split of any dataset is near 1.
MIN_OVERLAP = 0.5
# Fewest batches fingerprinted to judge repeats: one batch served three times
# in a row is no coincidence of real data (fingerprints match only for
# byte-identical inputs).
MIN_BATCHES = 3


def data_order(run: RunResult, context: DiagnosisContext) -> list[Finding]:
    """Flags training and validation labels whose class mixes barely overlap.

    The usual cause is `validation_split` on data stored class by class: Keras
    takes the last samples before any shuffling, so validation holds classes
    that training never sees and validation accuracy is 0.
    """
    found = repeated_batches(context.batches)
    labels = context.labels
    if labels is None or labels.overlap >= MIN_OVERLAP:
        return [] if found is None else [found]
    unseen = labels.val_classes_unseen
    return ([] if found is None else [found]) + [
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


def repeated_batches(batches: BatchFingerprints | None) -> Finding | None:
    """Flags a data source that serves the same batch again and again.

    Judged on the fingerprints of the first batches (at least 3): an error when
    every one of them is the same batch (a PyDataset whose `__getitem__`
    ignores its index, a generator that yields one batch forever, a tf.data
    pipeline with `.take(1).repeat()`); a warning when fewer of them differ
    than the data's own batches per epoch allow (a repeat inside one epoch,
    such as an index taken modulo 2). A small dataset that repeats after its
    last batch is not flagged, and neither is data whose length is unknown
    unless every batch seen is one. For arrays the batches are consecutive
    rows cut at the batch size, as fit would take them unshuffled. Real data
    of exactly one batch, repeated on purpose, is flagged too.
    """
    if batches is None or batches.seen < MIN_BATCHES:
        return None
    seen, distinct = batches.seen, batches.distinct
    per_epoch = batches.batches_per_epoch
    evidence = {
        "batches_fingerprinted": seen,
        "distinct_batches": distinct,
        "batches_per_epoch": per_epoch,
        "source": batches.source,
    }
    if distinct == 1:
        if per_epoch == 1:
            return None
        summary = (
            f"the first {seen} batches of the training data ({batches.source}) "
            "are one and the same batch: the model trains on it again and again "
            "and learns nothing about the rest of the data"
        )
        severity, threshold = "error", f"all of >= {MIN_BATCHES} batches identical"
    elif per_epoch is not None and distinct < min(seen, per_epoch):
        i, j = batches.first_repeat
        summary = (
            f"of the first {seen} batches of the training data "
            f"({batches.source}) only {distinct} differ, though one epoch has "
            f"{per_epoch}: batch {j + 1} repeats batch {i + 1}'s inputs"
        )
        evidence["first_repeat"] = [i + 1, j + 1]
        severity = "warning"
        threshold = "distinct batches < batches seen, within one epoch"
    else:
        return None
    return Finding(
        kind="repeated_batches",
        severity=severity,
        summary=summary,
        since_epoch=0,
        evidence=evidence,
        threshold=threshold,
        fixes=(
            Fix(
                "serve_each_batch",
                "make the data source return batch `index` (PyDataset "
                "__getitem__), advance through the data (generator), or drop "
                ".take(1) before .repeat() (tf.data)",
            ),
        ),
    )
