"""Saturated sigmoid and tanh units."""

from __future__ import annotations

from flatliner.diagnoses.context import DiagnosisContext
from flatliner.diagnoses.finding import Finding, Fix
from flatliner.diagnoses.timeline import since, trained
from flatliner.trials.run import RunResult

# A layer with more than this share of its units saturated has lost most of
# its gradient, like a mostly dead ReLU layer.
SATURATED_SHARE = 0.5


def saturation(run: RunResult, context: DiagnosisContext) -> list[Finding]:
    """Flags sigmoid/tanh hidden layers with over half their units saturated
    (stuck within 1% of an asymptote on 90% of the probe batch)."""
    records = trained(run)
    final = records[-1]
    findings = []
    for path, (saturated, units) in final.saturated_units.items():
        if units == 0 or saturated / units <= SATURATED_SHARE:
            continue

        def holds(record, path=path):
            counts = record.saturated_units.get(path)
            return bool(counts) and counts[0] / counts[1] > SATURATED_SHARE

        try:
            info = run.layer(path).describe()
        except StopIteration:
            info = path
        findings.append(
            Finding(
                kind="saturated_units",
                severity="warning",
                summary=(
                    f"{info}: {saturated} of {units} units saturated on the probe "
                    "batch; they pass almost no gradient"
                ),
                layer=path,
                since_epoch=since(records, holds),
                evidence={
                    "saturated_units": saturated,
                    "units": units,
                    "probe_samples": context.probe_size,
                },
                threshold=f"more than {SATURATED_SHARE:.0%} of units saturated",
                fixes=(
                    Fix("scale_inputs", "normalize the layer's inputs", path),
                    Fix("relu_activations", f"use ReLU on {path}", path),
                    Fix("add_normalization", f"add BatchNormalization before {path}"),
                ),
            )
        )
    return findings
