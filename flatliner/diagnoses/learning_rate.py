"""Learning rate too high or too low, from update sizes and the loss curve.

Too high shows four ways, judged in this order (the first that holds is
reported; the loss itself is the symptom a user sees, so it goes before the
update sizes that explain it):

1. Divergence: the final training loss is over 1.5x the loss at
   initialization (a model that learns nothing stays at about 1x).
2. Spikes: the per-step loss climbs above its recent level and stays there for
   more measured steps in a row than batch noise would explain. "Above" is
   above both the 90% quantile and 1.5x the median of the 50 samples before
   (flatliner.probes.loss_curve). Unchanged noise, of any distribution, lands
   above that bar with a chance of about 0.15 per sample (simulated with
   log-normal batch losses: 0.1 for the quantile, more because it is estimated
   from 50 samples), so a run of k has a chance of about 0.15**k at each of
   the n places it could start. The required length is the smallest k with
   n * 0.15**k <= 0.01: a 1% false-alarm rate for the whole curve, whatever its
   length or its noise (5 samples in a row for 100 samples, 7 for 2000). A
   batch that is merely hard is one sample; a step that made the model worse
   lasts until the next steps repair it.
3. Oscillation: consecutive measured steps typically differ by at least half
   of all the training has gained (median |L[t] - L[t-1]| >= 0.5 x (loss at
   initialization - median loss), both over the second half of the curve),
   and by at least 10% of the loss itself. For independent batch noise of
   spread s the median jump is about 0.95 s, so at the threshold about 1 batch
   in 35 is worse than the untrained model: the steps bounce the model around
   more than they move it forward. The 10% floor keeps a model that learns
   nothing but whose loss barely moves (a dead layer at chance, a learning rate
   too low) from counting as oscillating. Healthy curves measured while
   choosing it (a 20-feature 5-class MLP, Adam 1e-3 to 5e-2 and SGD 0.1 to 1 at
   batch 32, Adam 1e-3 at batch 1 and 4, SGD 0.01 at batch 2) gave 0.07 to
   0.25; SGD at 3.0 gave 0.82. Adam at 0.1 gave 0.35 and is not flagged,
   though its loss settled at 0.82 where Adam at 0.01 reached 0.46: a rate
   that only costs accuracy needs a second run to show it. A model that
   learns slowly while its batches are noisy has a small gain against its
   noise too: at this threshold it reads as oscillating, as it should only
   when the rate is the reason it is slow.
4. Steps that rewrite a layer: a median update-to-weight ratio over 100x the
   healthy 1e-3.

The curve holds one step out of the preset's `loss_every`; spikes shorter than
that many steps are not seen, and neither is oscillation at a period of a few
steps when samples are 10 steps apart (the jumps then read as noise, and only
its size counts). Training batches ordered by class (unshuffled data) make the
loss jump and stay up when the class changes: that reads as a spike too.
"""

from __future__ import annotations

import math

from flatliner.diagnoses.context import DiagnosisContext
from flatliner.diagnoses.finding import Finding, Fix
from flatliner.diagnoses.timeline import trained
from flatliner.probes.loss_curve import LossCurve, loss_curve
from flatliner.trials.run import EpochRecord, RunResult

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
# Spikes: the chance that unchanged batch noise lands above the trailing bar,
# and the false-alarm rate allowed for a whole curve (module docstring).
NOISE_ABOVE_BAR = 0.15
CURVE_FALSE_ALARM = 0.01
# Oscillation: median jump against the progress made and the loss itself.
JUMP_OF_PROGRESS = 0.5
JUMP_OF_LEVEL = 0.1


def learning_rate(run: RunResult, context: DiagnosisContext) -> list[Finding]:
    """Judges the learning rate from update-to-weight ratios and the loss.

    Too high: the training loss diverged (ended 1.5x above its value at
    initialization), the median per-step update ratio of some layer is over
    100x the healthy 1e-3, the per-step loss spiked, or it oscillates (see the
    module docstring for the last two). Too low: every layer's ratio is under
    1/10 of 1e-3 and the training loss is still above 95% of ln K. Ratios come
    from the Monitor's schedule; Adam-like optimizers move every weight by
    about the learning rate, so their ratio is lr / typical weight size. The
    loss curve is every trained epoch's `step_losses` in order; curves of fewer
    than 40 finite samples are not judged for oscillation, and of fewer than
    100 not for spikes.
    """
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
    # Too high, from the loss curve: spikes, then oscillation.
    curve = loss_curve([v for r in records for v in r.step_losses])
    if curve is not None:
        start = initial
        if start is None or not math.isfinite(start):
            start = next(v for r in records for v in r.step_losses if math.isfinite(v))
        found = _spiked(curve, records, evidence) or _oscillates(
            curve, start, final.epoch, evidence
        )
        if found is not None:
            return [found]

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


def spike_length(samples: int) -> int:
    """Samples in a row above the trailing bar that make a spike: the least k
    with samples * NOISE_ABOVE_BAR**k <= CURVE_FALSE_ALARM."""
    return math.ceil(
        math.log(samples / CURVE_FALSE_ALARM) / math.log(1 / NOISE_ABOVE_BAR)
    )


def _spiked(
    curve: LossCurve, records: list[EpochRecord], evidence: dict
) -> Finding | None:
    needed = spike_length(curve.samples)
    if curve.longest_high_run < needed:
        return None
    epoch = _epoch_of_sample(records, curve.run_start)
    return _too_high(
        f"the training loss spiked: in epoch {epoch} it rose from its recent "
        f"level {curve.baseline:.4g} to {curve.peak:.4g} and stayed up for "
        f"{curve.longest_high_run} measured steps in a row (batch noise would "
        f"explain at most {needed - 1})",
        {
            **evidence,
            "spike_samples": curve.longest_high_run,
            "spike_samples_needed": needed,
            "spike_peak": curve.peak,
            "spike_baseline": curve.baseline,
            "curve_samples": curve.samples,
        },
        f"{needed} or more measured step losses in a row above the 90% quantile "
        f"and 1.5x the median of the 50 before (1% false alarms for "
        f"{curve.samples} samples of batch noise)",
        epoch,
    )


def _oscillates(
    curve: LossCurve, start: float, epoch: int, evidence: dict
) -> Finding | None:
    gained = start - curve.level
    if curve.jump < JUMP_OF_LEVEL * abs(curve.level):
        return None
    if gained > 0 and curve.jump < JUMP_OF_PROGRESS * gained:
        return None
    return _too_high(
        f"the training loss oscillates: consecutive measured steps differ by "
        f"{curve.jump:.3g} (median), while the loss fell only from {start:.4g} "
        f"to {curve.level:.4g}: the steps move the model around more than "
        "forward",
        {
            **evidence,
            "median_jump": curve.jump,
            "loss_level": curve.level,
            "initial_loss": start,
            "curve_samples": curve.samples,
        },
        f"median step-to-step jump >= {JUMP_OF_PROGRESS:g}x the fall from the "
        f"initial loss and >= {JUMP_OF_LEVEL:.0%} of the loss (second half of "
        "the curve)",
        epoch,
    )


def _epoch_of_sample(records: list[EpochRecord], index: int | None) -> int:
    """The epoch whose step losses hold the curve's sample `index`."""
    seen = 0
    for record in records:
        finite = sum(1 for v in record.step_losses if math.isfinite(v))
        if index is not None and index < seen + finite:
            return record.epoch
        seen += finite
    return records[-1].epoch


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
