"""Non-finite values: where and when NaN or infinity first appeared."""

from __future__ import annotations

import math

from flatliner.diagnoses.context import DiagnosisContext
from flatliner.diagnoses.finding import Finding, Fix
from flatliner.trials.run import RunResult

_SOURCES = {
    "inputs": "the input data itself holds NaN or infinity",
    "weights": "the weights overflowed: the learning rate is too high or the "
    "gradients exploded",
    "output": "an operation inside {layer} produced it from finite weights "
    "(log or sqrt of a non-positive value, a division by zero, exp overflow)",
    "loss": "the loss itself: e.g. labels outside the output width, or log(0) "
    "of an exact 0 probability",
}


def non_finite(run: RunResult, context: DiagnosisContext) -> list[Finding]:
    """Reports the first NaN or infinity: step, layer, tensor and likely source.

    Uses the Monitor's per-step check; a run recorded without it is judged by
    its per-epoch losses instead (epoch only, no step).
    """
    located = next((r.non_finite for r in run.epochs if r.non_finite), None)
    if located is None:
        bad = next(
            (
                r
                for r in run.epochs
                if r.epoch > 0 and r.loss is not None and not math.isfinite(r.loss)
            ),
            None,
        )
        if bad is None:
            return []
        located = {"step": None, "epoch": bad.epoch, "tensor": "loss", "layer": None}
    tensor = located.get("tensor", "loss")
    layer = located.get("layer")
    source = _SOURCES.get(tensor, _SOURCES["loss"]).format(layer=layer)
    where = f" in {layer}'s output" if layer else ""
    step = located.get("step")
    when = (
        f"step {step} (epoch {located['epoch']})"
        if step
        else (f"epoch {located['epoch']}")
    )
    variables = located.get("variables") or []
    if variables:
        where += f"; non-finite weights in {', '.join(variables[:3])}"
    fixes = [Fix("lower_learning_rate", "lower the learning rate")]
    if tensor == "inputs":
        fixes.insert(0, Fix("clean_inputs", "remove or impute NaN/inf in the inputs"))
    elif tensor == "output":
        fixes.insert(0, Fix("guard_operation", f"guard the operation in {layer}"))
    elif tensor == "loss":
        fixes.insert(0, Fix("check_labels", "check labels against the output width"))
    fixes.append(Fix("clip_gradients", "clip gradients (clipnorm=1.0)"))
    return [
        Finding(
            kind="non_finite",
            severity="error",
            summary=f"the loss became non-finite at {when}{where}; likely source: "
            f"{source}",
            layer=layer,
            since_epoch=located["epoch"],
            evidence=dict(located),
            threshold="any NaN or infinity in the loss",
            fixes=tuple(fixes),
        )
    ]
