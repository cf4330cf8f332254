"""A regression model no better than predicting the mean of the targets."""

from __future__ import annotations

from flatliner.diagnoses.finding import Finding, Fix
from flatliner.probes.baseline_loss import BaselineLoss

# A model whose loss is at least this fraction of the mean-guess loss has
# learned under 5% of what there is to learn beyond the average.
RATIO_LIMIT = 0.95


def mean_level(baseline: BaselineLoss, loss_name: str, epochs: int) -> Finding | None:
    """Flags a regression whose final loss is no better than the constant mean.

    The regression counterpart of chance level: the loss on the probe batch
    (training data) against the loss of predicting every sample's target as
    the mean target. On training data, a model this close to the mean has not
    even fitted what it saw. Returns None below the limit.
    """
    if baseline.ratio < RATIO_LIMIT:
        return None
    return Finding(
        kind="mean_level",
        severity="error",
        summary=(
            f"after {epochs} epoch{'s' if epochs != 1 else ''} the {loss_name} on "
            f"the training data is {baseline.model_loss:.4g}, no better than "
            f"predicting the mean target ({baseline.mean_loss:.4g}); the model has "
            "learned nothing beyond the average"
        ),
        evidence={
            "model_loss": baseline.model_loss,
            "mean_guess_loss": baseline.mean_loss,
            "ratio": baseline.ratio,
        },
        threshold=f"model loss >= {RATIO_LIMIT:.0%} of the mean-guess loss",
        fixes=(
            Fix("check_other_findings", "fix the other findings of this fit first"),
            Fix("train_longer", "train for more epochs or with a larger learning rate"),
        ),
    )
