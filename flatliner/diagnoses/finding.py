"""The Finding: what every diagnosis rule returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Fix:
    """One suggested change, ranked within its finding (1 is tried first).

    Attributes:
        action: A machine-readable name (`remove_activation`, `widen_layer`, ...).
        description: The change in the practitioner's words.
        target: The layer path it applies to, if any.
    """

    action: str
    description: str
    target: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "description": self.description,
            "target": self.target,
        }


@dataclass(frozen=True)
class Finding:
    """A judged problem, with the evidence that supports it.

    Attributes:
        kind: The failure kind (`dead_layer`, `chance_level`, ...).
        severity: "error" (training is broken), "warning" or "info".
        summary: One sentence a user can act on.
        layer: Path of the layer it points at, if any.
        since_epoch: The first epoch from which the condition held to the end.
        evidence: The numbers behind it, by name.
        threshold: The rule and the threshold it crossed, in words.
        fixes: Ranked fixes, best first.
    """

    kind: str
    severity: str
    summary: str
    layer: str | None = None
    since_epoch: int | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    threshold: str = ""
    fixes: tuple[Fix, ...] = ()

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(
                f"severity must be one of {SEVERITIES}; received {self.severity!r}."
            )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "summary": self.summary,
            "layer": self.layer,
            "since_epoch": self.since_epoch,
            "evidence": self.evidence,
            "threshold": self.threshold,
            "fixes": [fix.to_dict() for fix in self.fixes],
        }
