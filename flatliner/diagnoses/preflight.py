"""Judging the pre-flight probes (loss at init, one-batch overfit, zeroed inputs)."""

from __future__ import annotations

import math

from flatliner.diagnoses.finding import Finding, Fix

# A fresh classifier should start near ln K; 1.5x above it means confident
# wrong outputs at initialization (large logits or unscaled inputs).
INIT_FACTOR = 1.5
# Training on one batch of 32 alone should at least halve its loss.
OVERFIT_FACTOR = 0.5
# The real-input run must end clearly below the zeroed-input run.
ZEROED_MARGIN = 0.9


def judge_preflight(p) -> list[Finding]:
    """Findings from a Preflight measurement (flatliner.trials.preflight)."""
    found = []
    evidence = p.to_dict()
    if not math.isfinite(p.init_loss) or p.init_loss > INIT_FACTOR * p.ln_k:
        found.append(
            Finding(
                kind="preflight",
                severity="warning",
                summary=(
                    f"loss at initialization is {p.init_loss:.4g}, far above "
                    f"ln K = {p.ln_k:.4f}: the fresh model is confidently wrong"
                ),
                since_epoch=0,
                evidence={"check": "init_loss", **evidence},
                threshold=f"initial loss > {INIT_FACTOR}x ln K",
                fixes=(
                    Fix("scale_inputs", "scale the inputs to unit range"),
                    Fix("check_output", "check the output activation and the loss"),
                ),
            )
        )
    learned = (
        math.isfinite(p.batch_loss_end)
        and p.batch_loss_end <= OVERFIT_FACTOR * p.batch_loss_start
    )
    if not learned:
        found.append(
            Finding(
                kind="preflight",
                severity="warning",
                summary=(
                    "the model cannot overfit one batch of 32: its loss went "
                    f"from {p.batch_loss_start:.4g} to {p.batch_loss_end:.4g} in "
                    f"{p.steps} steps"
                ),
                since_epoch=0,
                evidence={"check": "overfit_one_batch", **evidence},
                threshold=f"batch loss not below {OVERFIT_FACTOR}x its start",
                fixes=(
                    Fix(
                        "check_capacity",
                        "look for dead layers, a narrow bottleneck or a loss that "
                        "does not fit the output",
                    ),
                ),
            )
        )
    elif p.batch_loss_end > ZEROED_MARGIN * p.zeroed_loss_end:
        found.append(
            Finding(
                kind="preflight",
                severity="warning",
                summary=(
                    f"with real inputs one batch's loss falls to "
                    f"{p.batch_loss_end:.4g}, no better than {p.zeroed_loss_end:.4g} "
                    "with all inputs zeroed: the model does not use its input"
                ),
                since_epoch=0,
                evidence={"check": "zeroed_inputs", **evidence},
                threshold=f"real-input loss > {ZEROED_MARGIN}x zeroed-input loss",
                fixes=(Fix("check_inputs", "check that inputs reach the model"),),
            )
        )
    return found
