"""Learning rate too high or too low, from update sizes and the loss curve."""

from __future__ import annotations

import math

from flatliner.diagnoses.context import DiagnosisContext
from flatliner.diagnoses.finding import Finding, Fix
from flatliner.diagnoses.timeline import trained
from flatliner.trials.run import RunResult

# A step that changes a layer's weights by about 1e-3 of their norm is the
# usual healthy size. Two orders of magnitude above it one step rewrites a
# layer; one order below it, with the loss still at ln K, nothing moves.
HEALTHY_RATIO = 1e-3
FACTOR = 100.0
LOW_FACTOR = 10.0
# "Still near ln K": the training loss has closed less than 5% of the way.
NEAR_LN_K = 0.95
# Diverged: the training loss ended above the loss at initialization by this
# factor (a model that learns nothing stays at about 1x).
DIVERGED = 1.5


def learning_rate(run: RunResult, context: DiagnosisContext) -> list[Finding]:
    """Judges the learning rate from update-to-weight ratios and the loss.

    Too high: the training loss diverged (ended 1.5x above its value at
    initialization), or the median per-step update ratio of some layer is over
    100x the healthy 1e-3. Too low: every layer's ratio is under 1/10 of 1e-3
    and the training loss is still above 95% of ln K. Ratios come from the
    Monitor's schedule; Adam-like optimizers move every weight by about the
    learning rate, so their ratio is lr / typical weight size.
    """
    # TODO: judge loss spikes and oscillation from final.step_losses too; until
    # then a rate that only makes the loss jump without diverging goes unseen.
    records = trained(run)
    final = records[-1]
    ratios = final.update_ratios
    ln_k = math.log(max(context.num_classes, 2))
    lr = None if context.facts is None else context.facts.learning_rate
    evidence = {"learning_rate": lr, "update_ratios": ratios, "ln_k": ln_k}

    # Too high: the loss went up, or steps rewrite a layer.
    initial = run.epochs[0].val_loss if run.epochs[0].epoch == 0 else None
    if (
        final.loss is not None
        and math.isfinite(final.loss)
        and initial is not None
        and math.isfinite(initial)
        and final.loss > DIVERGED * initial
    ):
        return [
            _too_high(
                f"the training loss rose from {initial:.4g} at initialization to "
                f"{final.loss:.4g}: training diverged",
                {**evidence, "initial_loss": initial, "final_loss": final.loss},
                f"final training loss > {DIVERGED}x the loss at initialization",
                final.epoch,
            )
        ]
    high = {p: r for p, r in ratios.items() if r > HEALTHY_RATIO * FACTOR}
    if high:
        path = max(high, key=high.get)
        return [
            _too_high(
                f"each step changes {path}'s weights by {high[path]:.2g} of their "
                f"norm (median over {final.update_samples} measured steps), over "
                f"{FACTOR:g}x the healthy {HEALTHY_RATIO:g}",
                evidence,
                f"update-to-weight ratio > {HEALTHY_RATIO * FACTOR:g}",
                final.epoch,
                layer=path,
            )
        ]

    # Too low: nothing moves and the loss is still where it started.
    # All-zero ratios mean no gradient reaches any layer: not a rate problem.
    if (
        ratios
        and 0 < max(ratios.values()) < HEALTHY_RATIO / LOW_FACTOR
        and final.loss is not None
        and final.loss > NEAR_LN_K * ln_k
    ):
        return [
            Finding(
                kind="learning_rate_low",
                severity="warning",
                summary=(
                    f"steps change the weights by at most "
                    f"{max(ratios.values()):.2g} of their norm and the training "
                    f"loss {final.loss:.4f} is still near ln K = {ln_k:.4f}: the "
                    "learning rate is too low"
                ),
                since_epoch=final.epoch,
                evidence={**evidence, "final_loss": final.loss},
                threshold=(
                    f"every update ratio < {HEALTHY_RATIO / LOW_FACTOR:g} and loss > "
                    f"{NEAR_LN_K:.0%} of ln K"
                ),
                fixes=(
                    Fix(
                        "raise_learning_rate",
                        "raise the learning rate (10x steps), or use Adam(1e-3)",
                    ),
                ),
            )
        ]
    return []


def _too_high(summary, evidence, threshold, epoch, layer=None) -> Finding:
    lr = evidence.get("learning_rate")
    lower = f"{lr / 10:g}" if lr else "a tenth of it"
    return Finding(
        kind="learning_rate_high",
        severity="warning",
        summary=summary,
        layer=layer,
        since_epoch=epoch,
        evidence={k: v for k, v in evidence.items() if v is not None},
        threshold=threshold,
        fixes=(
            Fix("lower_learning_rate", f"lower the learning rate (e.g. to {lower})"),
            Fix("clip_gradients", "clip gradients (clipnorm=1.0)"),
        ),
    )
