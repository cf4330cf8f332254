"""Regression targets far from the scale a fresh network outputs."""

from __future__ import annotations

from flatliner.diagnoses.finding import Finding, Fix
from flatliner.probes.loss_kind import LossKind
from flatliner.probes.targets import TargetStats

# Keras's default initialisers make a fresh network's outputs of order 1, and
# Adam moves each weight by about the learning rate per step, so targets whose
# mean or spread exceeds this many units take thousands of steps just to reach
# their scale, while an MSE gradient that large swamps everything else.
SCALE_LIMIT = 10.0


def unnormalised_targets(loss: LossKind, stats: TargetStats) -> Finding | None:
    """Flags regression targets whose mean or standard deviation exceeds 10.

    Reads the probe batch only. Returns None for classification losses and for
    targets on a unit scale.
    """
    if loss.family != "regression":
        return None
    scale = max(abs(stats.mean), stats.std)
    if scale <= SCALE_LIMIT:
        return None
    return Finding(
        kind="unnormalised_targets",
        severity="warning",
        summary=(
            f"regression targets have mean {stats.mean:.4g} and standard deviation "
            f"{stats.std:.4g}, far from the order-1 outputs of a fresh network; "
            "training spends its steps on the scale instead of the pattern"
        ),
        evidence={"target_mean": stats.mean, "target_std": stats.std},
        threshold=f"max(|mean|, std) of targets > {SCALE_LIMIT:g}",
        fixes=(
            Fix(
                "standardise_targets",
                "standardise the targets (subtract the mean, divide by the standard "
                "deviation) and invert that on predictions",
            ),
        ),
    )
