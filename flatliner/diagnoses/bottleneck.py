"""Narrow bottleneck: a ReLU layer narrower than the number of classes."""

from __future__ import annotations

import math

from flatliner.diagnoses.context import DiagnosisContext
from flatliner.diagnoses.finding import Finding, Fix
from flatliner.trials.run import RunResult


def bottleneck(run: RunResult, context: DiagnosisContext) -> list[Finding]:
    """Information, known before training: a ReLU layer in front of the
    classifier whose output has fewer features than there are classes.

    Such a layer limits what the classifier can separate and dies easily (one
    large step can push all its units below zero at once). The finding carries
    the dead-unit count the dead-units rule measured at the end.
    """
    if not run.layers:
        return []
    findings = []
    for info in run.layers[:-1]:
        if info.activation != "relu" or not info.output_shape:
            continue
        features = math.prod(info.output_shape)
        if features >= context.num_classes:
            continue
        dead = run.final.dead_units.get(info.path)
        risk = ""
        if dead:
            risk = f"; {dead[0]} of {dead[1]} units never active at the end"
        findings.append(
            Finding(
                kind="narrow_bottleneck",
                severity="info",
                summary=(
                    f"{info.describe()} passes {features} features to the "
                    f"classifier of {context.num_classes} classes{risk}"
                ),
                layer=info.path,
                since_epoch=0,
                evidence={
                    "features": features,
                    "num_classes": context.num_classes,
                    "dead_units": dead,
                },
                threshold="ReLU layer with fewer features than classes",
                fixes=(
                    Fix(
                        "widen_layer",
                        f"widen {info.path} to at least {context.num_classes}",
                        info.path,
                    ),
                    Fix(
                        "remove_activation",
                        "or remove its ReLU (a linear layer cannot die)",
                        info.path,
                    ),
                ),
            )
        )
    return findings
