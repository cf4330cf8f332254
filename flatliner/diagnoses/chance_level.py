"""Chance level: a run whose validation results are what guessing would give."""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import binomtest

from flatliner.diagnoses.finding import Finding
from flatliner.trials.run import EpochRecord, RunResult

# Accuracy is "indistinguishable" from a chance rate when a two-sided exact
# binomial test on the validation set cannot reject it at this level.
ACCURACY_ALPHA = 0.01
# Loss is "close to ln K" within this fraction of ln K: a model this close has
# gained under 2% of the information needed to tell the classes apart.
LOSS_RELATIVE_TOLERANCE = 0.02


def chance_rates(y_val: np.ndarray, num_classes: int) -> dict[str, float]:
    """Accuracies that need no learning: uniform guessing and the majority class."""
    shares = np.bincount(y_val, minlength=num_classes) / len(y_val)
    return {"uniform": 1.0 / num_classes, "majority": float(shares.max())}


def at_chance(
    record: EpochRecord, y_val: np.ndarray, num_classes: int
) -> tuple[bool, dict[str, float]]:
    """Whether one epoch's validation results are at chance, and the numbers why."""
    n = len(y_val)
    hits = int(round(record.val_accuracy * n))
    rates = chance_rates(y_val, num_classes)
    p_values = {
        name: float(binomtest(hits, n, min(max(rate, 1e-12), 1 - 1e-12)).pvalue)
        for name, rate in rates.items()
    }
    ln_k = math.log(num_classes)
    loss_gap = abs(record.val_loss - ln_k) / ln_k
    accuracy_at_chance = max(p_values.values()) >= ACCURACY_ALPHA
    evidence = {
        "val_accuracy": record.val_accuracy,
        "chance_accuracy": rates["uniform"],
        "majority_share": rates["majority"],
        "binomial_p": max(p_values.values()),
        "reference": max(p_values, key=p_values.get),
        "val_loss": record.val_loss,
        "ln_k": ln_k,
        "loss_gap_fraction": loss_gap,
        "val_samples": n,
    }
    return accuracy_at_chance and loss_gap <= LOSS_RELATIVE_TOLERANCE, evidence


def chance_level(run: RunResult, y_val: np.ndarray, num_classes: int) -> Finding | None:
    """Flags a run that ends at chance level.

    The last epoch is at chance when its validation accuracy is indistinguishable
    from 1/K or from the majority-class share (exact binomial test, alpha 0.01,
    on the whole validation set) and its validation loss is within 2% of ln K.
    On a tiny validation set the test has little power: with under a few hundred
    samples, "at chance" means "not shown to be better than chance".

    Returns None when the run ends above chance.
    """
    records = [r for r in run.epochs if r.epoch > 0] or run.epochs
    flags = [at_chance(r, y_val, num_classes)[0] for r in records]
    if not flags[-1]:
        return None
    since = records[-1].epoch
    for record, flag in zip(reversed(records), reversed(flags), strict=True):
        if not flag:
            break
        since = record.epoch
    _, evidence = at_chance(records[-1], y_val, num_classes)
    evidence["classes_predicted"] = records[-1].classes_predicted
    return Finding(
        kind="chance_level",
        severity="error",
        summary=(
            f"validation accuracy {evidence['val_accuracy']:.4f} is chance level: "
            f"{_reference(evidence)} and the loss {evidence['val_loss']:.4f} sits "
            f"at ln K = {evidence['ln_k']:.4f}"
        ),
        since_epoch=since,
        evidence=evidence,
        threshold=(
            f"binomial test p >= {ACCURACY_ALPHA} against 1/K or the majority share, "
            f"and |val_loss - ln K| <= {LOSS_RELATIVE_TOLERANCE:.0%} of ln K"
        ),
    )


def _reference(evidence: dict) -> str:
    """Which chance accuracy the test could not tell the run from, in words."""
    p = f"binomial p = {evidence['binomial_p']:.2g} on {evidence['val_samples']}"
    if evidence["reference"] == "majority" and (
        evidence["majority_share"] > evidence["chance_accuracy"]
    ):
        return (
            f"not shown above the majority-class share "
            f"{evidence['majority_share']:.4f} ({p} samples; 1/K = "
            f"{evidence['chance_accuracy']:.4f})"
        )
    return (
        f"indistinguishable from 1/K = {evidence['chance_accuracy']:.4f} ({p} samples)"
    )
