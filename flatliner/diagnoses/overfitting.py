"""Overfitting: validation loss rising while training loss falls (information)."""

from __future__ import annotations

import math

from flatliner.diagnoses.context import DiagnosisContext
from flatliner.diagnoses.finding import Finding, Fix
from flatliner.diagnoses.timeline import trained
from flatliner.trials.run import RunResult

# Validation loss this far above its best, over at least two epochs of rising.
RISE = 0.05


def overfitting(run: RunResult, context: DiagnosisContext) -> list[Finding]:
    """Information when validation loss rose for the last two epochs to over 5%
    above its minimum while training loss kept falling."""
    records = [
        r
        for r in trained(run)
        if r.loss is not None and math.isfinite(r.val_loss) and math.isfinite(r.loss)
    ]
    if len(records) < 3:
        return []
    a, b, c = records[-3:]
    best = min(r.val_loss for r in records)
    rising = a.val_loss < b.val_loss < c.val_loss and c.val_loss > (1 + RISE) * best
    if not (rising and a.loss > b.loss > c.loss):
        return []
    best_epoch = min(records, key=lambda r: r.val_loss).epoch
    return [
        Finding(
            kind="overfitting",
            severity="info",
            summary=(
                f"validation loss rose from {best:.4f} (epoch {best_epoch}) to "
                f"{c.val_loss:.4f} while training loss fell to {c.loss:.4f}"
            ),
            since_epoch=b.epoch,
            evidence={"best_val_loss": best, "best_epoch": best_epoch},
            threshold=f"val loss rising 2 epochs and > {RISE:.0%} above its best",
            fixes=(
                Fix("early_stopping", f"stop at epoch {best_epoch} (EarlyStopping)"),
                Fix("regularize", "add dropout, weight decay or data augmentation"),
            ),
        )
    ]
