"""Vanishing gradients: norms shrinking layer by layer toward the input."""

from __future__ import annotations

from flatliner.diagnoses.context import DiagnosisContext
from flatliner.diagnoses.exploding_gradients import MAX_RMS
from flatliner.diagnoses.finding import Finding, Fix
from flatliner.diagnoses.gradient_flow import first_and_last
from flatliner.diagnoses.timeline import since, trained
from flatliner.trials.run import RunResult

# The first layer's RMS gradient below 1/100 of the last layer's: it learns
# at least 100x slower than the output layer under plain SGD.
SHRINK = 1e-2


def _ratio(record) -> float | None:
    pair = first_and_last(record)
    return None if pair is None else pair[1] / pair[3]


def vanishing_gradients(run: RunResult, context: DiagnosisContext) -> list[Finding]:
    """Flags a run whose first layer gets under 1/100 of the last layer's RMS
    gradient (per weight, on the probe batch, in inference mode).

    Adam-like optimizers rescale each weight's step, so they hide part of the
    effect on speed; the ratio still says the early layers get little signal.
    """
    records = [r for r in trained(run) if r.gradient_rms]
    if not records:
        return []
    final = records[-1]
    ratio = _ratio(final)
    if ratio is None or ratio >= SHRINK:
        return []
    first, g_first, last, g_last = first_and_last(final)
    if g_last > MAX_RMS:
        # A huge last-layer gradient is an explosion, which that rule reports.
        return []
    first_epoch = since(records, lambda r: (_ratio(r) or 1.0) < SHRINK)
    return [
        Finding(
            kind="vanishing_gradients",
            severity="warning",
            summary=(
                f"the gradient shrinks toward the input: {first} gets an RMS "
                f"gradient of {g_first:.2e}, {ratio:.1e} of {last}'s {g_last:.2e}"
            ),
            layer=first,
            since_epoch=first_epoch,
            evidence={
                "gradient_rms": dict(final.gradient_rms),
                "first_to_last_ratio": ratio,
            },
            threshold=f"first/last layer RMS gradient < {SHRINK:g}",
            fixes=(
                Fix(
                    "relu_activations",
                    "use ReLU-family activations instead of sigmoid/tanh in "
                    "hidden layers",
                ),
                Fix(
                    "add_normalization",
                    "add BatchNormalization between layers, or residual connections",
                ),
                Fix("he_init", "use He initialization for ReLU layers"),
            ),
        )
    ]
