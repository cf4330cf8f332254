"""Judging probe records. Every rule returns Finding objects; none measures."""

from __future__ import annotations

import numpy as np

from flatliner.diagnoses.chance_level import chance_level
from flatliner.diagnoses.dead_units import dead_units
from flatliner.diagnoses.finding import Finding, Fix
from flatliner.trials.run import RunResult

__all__ = ["Finding", "Fix", "diagnose_run"]


def diagnose_run(
    run: RunResult, y_val: np.ndarray, num_classes: int, probe_size: int
) -> list[Finding]:
    """Every finding for one finished run, errors first."""
    findings = dead_units(run, probe_size)
    chance = chance_level(run, y_val, num_classes)
    if chance is not None:
        findings.insert(0, chance)
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: order[f.severity])
