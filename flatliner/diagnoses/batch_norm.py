"""Normalization layers that never trained, and a train/inference gap."""

from __future__ import annotations

import math

from flatliner.diagnoses.context import DiagnosisContext
from flatliner.diagnoses.finding import Finding, Fix
from flatliner.diagnoses.timeline import trained
from flatliner.trials.run import RunResult

# Training-mode accuracy (what fit reports) above the inference-mode accuracy
# on the same kind of data by this much, absolute and relative, is a gap.
GAP_ABSOLUTE = 0.1
GAP_RELATIVE = 2.0


def batch_norm(run: RunResult, context: DiagnosisContext) -> list[Finding]:
    """Two checks on layers with moving mean and variance.

    Never trained: after at least one epoch the moving mean is still exactly 0
    and the variance exactly 1, so the layer never ran in training mode (a
    subclassed model's `call` that does not pass `training` on, under Keras 3)
    and never normalizes. Gap: the training-mode accuracy fit reported is over
    0.1 above, and over twice, the inference-mode accuracy of evaluate() on
    training samples: the moving statistics do not match the batches.
    """
    records = trained(run)
    final = records[-1]
    if final.epoch == 0 or not final.moving_statistics:
        return []
    findings = []
    for path, (mean_dev, var_dev) in final.moving_statistics.items():
        if mean_dev == 0.0 and var_dev == 0.0:
            findings.append(
                Finding(
                    kind="batch_norm",
                    severity="warning",
                    summary=(
                        f"{path}: moving mean and variance are still exactly 0 "
                        f"and 1 after {final.epoch} epoch(s): the layer never ran "
                        "in training mode, so it never normalizes"
                    ),
                    layer=path,
                    since_epoch=records[0].epoch,
                    evidence={
                        "check": "never_trained",
                        "max_abs_moving_mean": mean_dev,
                        "max_abs_moving_variance_minus_1": var_dev,
                    },
                    threshold="moving statistics unchanged from initialization",
                    fixes=(
                        Fix(
                            "pass_training",
                            f"declare call(self, x, training=None) and call "
                            f"self.{path}(x, training=training)",
                            path,
                        ),
                    ),
                )
            )
    train_acc, eval_acc = final.accuracy, final.train_eval_accuracy
    if (
        train_acc is not None
        and eval_acc is not None
        and math.isfinite(train_acc)
        and train_acc - eval_acc > GAP_ABSOLUTE
        and train_acc > GAP_RELATIVE * eval_acc
    ):
        findings.append(
            Finding(
                kind="batch_norm",
                severity="warning",
                summary=(
                    f"training-mode accuracy {train_acc:.4f} but evaluate() on "
                    f"training samples gives {eval_acc:.4f}: the normalization "
                    "layers' moving statistics do not match training batches"
                ),
                since_epoch=final.epoch,
                evidence={
                    "check": "train_inference_gap",
                    "train_accuracy": train_acc,
                    "evaluate_accuracy_on_train": eval_acc,
                },
                threshold=(
                    f"gap > {GAP_ABSOLUTE} and training accuracy > "
                    f"{GAP_RELATIVE:g}x evaluate accuracy"
                ),
                fixes=(
                    Fix("larger_batches", "use larger batches (e.g. 64+)"),
                    Fix(
                        "momentum",
                        "lower BatchNormalization momentum (e.g. 0.9) so moving "
                        "statistics keep up",
                    ),
                ),
            )
        )
    return findings
