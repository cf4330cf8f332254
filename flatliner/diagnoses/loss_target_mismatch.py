"""A loss that does not match the targets: classification on continuous values,
regression on class labels."""

from __future__ import annotations

from flatliner.diagnoses.finding import Finding, Fix
from flatliner.probes.loss_kind import LossKind
from flatliner.probes.targets import TargetStats

# Binary cross-entropy on targets in [0, 1] is legitimate for soft labels; it is
# a regression in disguise when most targets are fractional and they take more
# distinct values than a few label-smoothing levels would.
SOFT_LABEL_LEVELS = 10


def classification_loss_on_continuous_targets(
    loss: LossKind, stats: TargetStats
) -> Finding | None:
    """Flags a cross-entropy loss given targets that are not class labels.

    Sparse categorical cross-entropy needs whole-number class indices; binary
    cross-entropy needs targets in [0, 1]; categorical cross-entropy needs rows
    that are probability distributions. Binary cross-entropy on fractional
    targets inside [0, 1] with more than 10 distinct values is a warning (it may
    be a regression). Reads the probe batch only.
    """
    problem = None
    severity = "error"
    if loss.family == "sparse_categorical" and stats.continuous:
        problem = "sparse_categorical_crossentropy needs whole-number class indices"
    elif loss.family == "binary" and (stats.minimum < 0 or stats.maximum > 1):
        problem = "binary_crossentropy needs targets between 0 and 1"
    elif loss.family == "binary" and stats.continuous:
        if stats.distinct <= SOFT_LABEL_LEVELS:
            return None
        problem = (
            "binary_crossentropy treats them as probabilities of a label, which "
            "is a regression in disguise"
        )
        severity = "warning"
    elif (
        loss.family == "categorical"
        and stats.width > 1
        and (stats.minimum < 0 or stats.continuous and stats.maximum > 1)
    ):
        problem = "categorical_crossentropy needs rows that are probabilities"
    if problem is None:
        return None
    return Finding(
        kind="classification_loss_on_continuous_targets",
        severity=severity,
        summary=(
            f"the loss is {loss.name} but the targets are continuous values "
            f"({stats.minimum:.4g} to {stats.maximum:.4g}, {stats.distinct} distinct "
            f"on the probe batch); {problem}"
        ),
        evidence={
            "loss": loss.name,
            "target_min": stats.minimum,
            "target_max": stats.maximum,
            "distinct_targets": stats.distinct,
        },
        threshold="targets that are not class labels for this loss",
        fixes=(
            Fix(
                "regression_loss",
                "for a regression, compile with loss='mse' (or 'mae', 'huber') and a "
                "linear output",
            ),
        ),
    )


def regression_loss_on_class_labels(
    loss: LossKind, activation: str | None, stats: TargetStats
) -> Finding | None:
    """Flags a regression loss trained on class labels.

    The targets count as class labels when they are one-hot rows, or whole
    numbers predicted by a softmax or sigmoid output (a classifier's output).
    Whole-number targets with a linear output (counts, ratings) are a real
    regression and are left alone. Severity warning: it can train, but slowly
    and into the wrong geometry (class 3 is not "between" 2 and 4).
    """
    if loss.family != "regression":
        return None
    labels = stats.one_hot or (
        stats.integer_valued and activation in ("softmax", "sigmoid")
    )
    if not labels:
        return None
    kind = "one-hot rows" if stats.one_hot else f"{stats.distinct} whole-number values"
    return Finding(
        kind="regression_loss_on_class_labels",
        severity="warning",
        summary=(
            f"the loss is {loss.name}, a regression loss, but the targets are class "
            f"labels ({kind}) and the output is {activation}; a regression loss "
            "gives weak gradients to a saturated output and treats classes as "
            "ordered numbers"
        ),
        evidence={
            "loss": loss.name,
            "output_activation": activation,
            "distinct_targets": stats.distinct,
            "one_hot": stats.one_hot,
        },
        threshold="regression loss with one-hot targets, or whole-number targets "
        "on a softmax/sigmoid output",
        fixes=(
            Fix(
                "crossentropy_loss",
                "compile with binary_crossentropy (0/1 or multi-hot targets), "
                "categorical_crossentropy (one-hot) or "
                "sparse_categorical_crossentropy (class indices)",
            ),
        ),
    )
