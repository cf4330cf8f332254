"""Loss, output and labels that do not fit together."""

from __future__ import annotations

from flatliner.diagnoses.context import DiagnosisContext
from flatliner.diagnoses.finding import Finding, Fix
from flatliner.trials.run import RunResult

CROSS_ENTROPY = ("sparse_categorical", "categorical", "binary")


def loss_mismatch(run: RunResult, context: DiagnosisContext) -> list[Finding]:
    """Checks the compiled loss against the output layer and the labels.

    Each check is a finding of its own, all known before training:
    labels beyond the output width (sparse cross-entropy then reads outside the
    output: NaN or garbage loss); integer labels under a categorical
    (one-hot) loss; binary cross-entropy on a multi-class softmax (its
    "accuracy" is binary accuracy per output unit, inflated toward 1 - 1/K); a
    softmax over one unit (always 1); a ReLU or linear output under a
    cross-entropy that expects probabilities; negative targets under a ReLU
    output.
    """
    facts, labels = context.facts, context.labels
    if facts is None:
        return []
    found = []
    out = facts.output_layer
    width = facts.output_units
    top_label = None if labels is None else labels.train_range[1]
    if labels is not None:
        top_label = max(labels.train_range[1], labels.val_range[1])

    if (
        width is not None
        and top_label is not None
        and facts.loss_family in ("sparse_categorical", "categorical")
        and top_label >= width
    ):
        found.append(
            _finding(
                "labels_beyond_output",
                "error",
                f"labels go up to {top_label} but the output has {width} units; "
                f"sparse cross-entropy then reads outside the output (NaN or "
                f"meaningless loss)",
                out,
                {"max_label": top_label, "output_units": width},
                "max label >= output units",
                Fix(
                    "widen_output",
                    f"give {out} {top_label + 1} units (one per class)",
                    out,
                ),
            )
        )
    if facts.loss_family == "categorical" and labels is not None:
        found.append(
            _finding(
                "sparse_labels_categorical_loss",
                "error",
                f"the loss {facts.loss} expects one-hot labels but the labels are "
                "class indices",
                None,
                {"loss": facts.loss, "label_range": list(labels.train_range)},
                "integer labels under a categorical (one-hot) loss",
                Fix(
                    "sparse_loss",
                    "use SparseCategoricalCrossentropy, or one-hot encode the labels",
                ),
            )
        )
    if (
        facts.loss_family == "binary"
        and facts.output_activation == "softmax"
        and (width or 0) > 1
    ):
        found.append(
            _finding(
                "binary_loss_multiclass",
                "error",
                f"binary cross-entropy on a {width}-class softmax: it scores each "
                "output unit as a separate yes/no, so the reported accuracy is "
                f"inflated toward 1 - 1/{width}",
                out,
                {"loss": facts.loss, "output_units": width},
                "binary loss with a softmax over more than one unit",
                Fix(
                    "categorical_loss",
                    "use (sparse) categorical cross-entropy for one class per sample",
                ),
            )
        )
    if facts.output_activation == "softmax" and width == 1:
        found.append(
            _finding(
                "softmax_one_unit",
                "error",
                f"{out} applies softmax over a single unit: its output is always "
                "1, so every sample is predicted the positive class and nothing "
                "is learned",
                out,
                {"output_units": 1, "output_activation": "softmax"},
                "softmax over one unit",
                Fix(
                    "sigmoid_output",
                    f"use sigmoid on {out} with binary cross-entropy (or 2 "
                    "softmax units with sparse cross-entropy)",
                    out,
                ),
            )
        )
    if (
        facts.loss_family in CROSS_ENTROPY
        and not facts.from_logits
        and facts.output_activation in ("relu", "linear")
    ):
        found.append(
            _finding(
                "unbounded_output_cross_entropy",
                "error",
                f"{out} outputs {facts.output_activation} values but {facts.loss} "
                "expects probabilities (from_logits=False): values are clipped "
                "into (0, 1) and gradients vanish outside it",
                out,
                {
                    "output_activation": facts.output_activation,
                    "from_logits": False,
                },
                "a ReLU or linear output under a probability cross-entropy",
                Fix(
                    "from_logits_true",
                    "compile the loss with from_logits=True (keep the output linear)",
                ),
            )
        )
    if (
        facts.output_activation == "relu"
        and labels is not None
        and labels.train_range[0] < 0
    ):
        found.append(
            _finding(
                "negative_targets_relu",
                "error",
                f"targets go down to {labels.train_range[0]} but {out} applies a "
                "ReLU, which cannot output a negative value",
                out,
                {"min_target": labels.train_range[0]},
                "negative targets under a ReLU output",
                Fix("linear_output", f"make {out} linear", out),
            )
        )
    return found


def blocks_training(findings: list[Finding]) -> bool:
    """Whether a finding makes training pointless (it would fail or give NaN)."""
    blocking = {"labels_beyond_output", "sparse_labels_categorical_loss"}
    return any(f.evidence.get("check") in blocking for f in findings)


def _finding(check, severity, summary, layer, evidence, threshold, fix) -> Finding:
    return Finding(
        kind="loss_mismatch",
        severity=severity,
        summary=summary,
        layer=layer,
        since_epoch=0,
        evidence={"check": check, **evidence},
        threshold=threshold,
        fixes=(fix,),
    )
