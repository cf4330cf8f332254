"""Dead ReLU units and dead layers."""

from __future__ import annotations

import math

from flatliner.diagnoses.finding import Finding, Fix
from flatliner.trials.run import RunResult

# A layer with more than this share of never-active units is reported even when
# some units still fire: it has lost most of its width.
MOSTLY_DEAD_SHARE = 0.5
# A run whose validation loss is below this fraction of ln K is learning; a
# partly dead layer in it is information, not a warning.
LEARNING_LOSS_FRACTION = 0.9


def dead_units(
    run: RunResult, probe_size: int, num_classes: int | None = None
) -> list[Finding]:
    """Judges the dead-unit counts of every ReLU layer at the end of a run.

    A layer whose units are all never active on the probe batch is a dead layer
    (severity error): its output is constant zero, so every layer after it sees
    a constant input. A layer with more than half its units dead is a warning,
    or information when `num_classes` is given and the run is learning anyway
    (validation loss below 90% of ln K). Counts come from the probe batch: a
    unit active only on inputs outside it counts as dead.
    """
    findings = []
    final = run.final
    learning = (
        num_classes is not None
        and num_classes > 1
        and math.isfinite(final.val_loss)
        and final.val_loss < LEARNING_LOSS_FRACTION * math.log(num_classes)
    )
    for path, (dead, units) in final.dead_units.items():
        if units == 0 or dead / units <= MOSTLY_DEAD_SHARE:
            continue
        info = run.layer(path)
        all_dead = dead == units
        since = _since(run, path, _dead_condition(all_dead))
        evidence = {
            "dead_units": dead,
            "units": units,
            "probe_samples": probe_size,
            "classes_predicted": final.classes_predicted,
        }
        if all_dead:
            plural = "class" if final.classes_predicted == 1 else "classes"
            summary = (
                f"{info.describe()}: {dead} of {units} units never active from "
                f"epoch {since}; the next layer sees a constant input; the model "
                f"predicts {final.classes_predicted} {plural}"
            )
        else:
            summary = (
                f"{info.describe()}: {dead} of {units} units never active from "
                f"epoch {since} on {probe_size} probe images"
            )
        findings.append(
            Finding(
                kind="dead_layer" if all_dead else "dead_units",
                severity="error" if all_dead else ("info" if learning else "warning"),
                summary=summary,
                layer=path,
                since_epoch=since,
                evidence=evidence,
                threshold=(
                    "all units never active on the probe batch"
                    if all_dead
                    else f"more than {MOSTLY_DEAD_SHARE:.0%} of units never active"
                ),
                fixes=_fixes(path, info.class_name, units),
            )
        )
    return findings


def _since(run: RunResult, path: str, condition) -> int:
    since = run.final.epoch
    for record in reversed(run.epochs):
        counts = record.dead_units.get(path)
        if counts is None or not condition(*counts):
            break
        since = record.epoch
    return since


def _fixes(path: str, class_name: str, units: int) -> tuple[Fix, ...]:
    fixes = [
        Fix(
            "remove_activation",
            f"remove the ReLU from {path} (a linear layer cannot die)",
            path,
        ),
        Fix(
            "leaky_relu",
            f"use leaky_relu on {path} so inactive units still get a gradient",
            path,
        ),
    ]
    # Offered whatever class the layer is: identical functions get identical fixes.
    fixes.append(
        Fix(
            "widen_layer",
            f"widen {path} (or the layer feeding it) from {units} units "
            f"(e.g. to {max(128, 2 * units)})",
            path,
        )
    )
    fixes.append(
        Fix(
            "lower_learning_rate",
            "lower the learning rate (e.g. Adam(1e-4)) so one step cannot push a "
            "unit's pre-activation below zero for every input",
            None,
        )
    )
    return tuple(fixes)


def _dead_condition(all_dead: bool):
    """The per-epoch test behind "since": all units dead, or more than half."""
    if all_dead:
        return lambda dead, units: dead == units
    return lambda dead, units: dead / units > MOSTLY_DEAD_SHARE
