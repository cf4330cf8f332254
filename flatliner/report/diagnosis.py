"""Rendering a Diagnosis for the terminal and as JSON (`flatliner.diagnose/1`)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from flatliner.data.dataset import Dataset
from flatliner.diagnoses.finding import Finding
from flatliner.report.json_report import _finite
from flatliner.trials.config import TrainConfig
from flatliner.trials.diagnose import Diagnosis

SCHEMA = "flatliner.diagnose/1"
_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}


def grouped_findings(diagnosis: Diagnosis) -> list[tuple[Finding, list[int]]]:
    """Per-seed findings merged by (kind, layer, check): the first seed's finding
    and every seed that had it."""
    groups: dict[tuple, tuple[Finding, list[int]]] = {}
    for seed in diagnosis.seeds:
        for finding in diagnosis.findings.get(seed, []):
            key = (finding.kind, finding.layer, finding.evidence.get("check"))
            if key not in groups:
                groups[key] = (finding, [])
            groups[key][1].append(seed)
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(groups.values(), key=lambda g: order[g[0].severity])


def print_diagnosis(diagnosis: Diagnosis, console: Console) -> None:
    """A table of runs, then the findings, each with its fixes."""
    if diagnosis.runs:
        table = Table(title=f"Runs of {diagnosis.model}", header_style="bold")
        for column in ("seed", "val acc", "val loss", "classes", "findings"):
            table.add_column(column, justify="right")
        for seed in diagnosis.seeds:
            final = diagnosis.runs[seed].final
            kinds = sorted({f.kind for f in diagnosis.findings.get(seed, [])})
            table.add_row(
                str(seed),
                f"{final.val_accuracy:.4f}",
                f"{final.val_loss:.4f}",
                str(final.classes_predicted),
                ", ".join(kinds) or "-",
            )
        console.print(table)
    if diagnosis.skipped_training:
        console.print(f"[bold]Training skipped[/]: {diagnosis.skipped_training}")
    seeds = len(diagnosis.seeds)
    sections = [("Pre-flight", [(f, []) for f in diagnosis.preflight])]
    sections.append(("Findings", grouped_findings(diagnosis)))
    for title, items in sections:
        if not items:
            continue
        console.print(f"\n[bold]{title}[/]")
        for finding, where in items:
            style = _STYLE[finding.severity]
            runs = f" [dim]({len(where)} of {seeds} runs)[/]" if where else ""
            console.print(
                f"  [{style}]{finding.severity}[/] {finding.kind}: "
                f"{finding.summary}{runs}",
                highlight=False,
            )
            console.print(f"      [dim]rule: {finding.threshold}[/]", highlight=False)
            for rank, fix in enumerate(finding.fixes[:3], start=1):
                console.print(f"      fix {rank}: {fix.description}", highlight=False)
    if not diagnosis.all_findings():
        console.print("\n[green]No findings[/]: nothing above the rules' thresholds.")


def diagnosis_to_dict(
    diagnosis: Diagnosis,
    dataset: Dataset,
    config: TrainConfig,
    backend: str,
    preset: str,
) -> dict[str, Any]:
    """The diagnosis as JSON-ready data (documented in docs/json-schema.md)."""
    runs = []
    for seed in diagnosis.seeds:
        run = diagnosis.runs.get(seed)
        if run is None:
            continue
        runs.append(
            {
                "seed": seed,
                "backend": run.backend,
                "final": run.final.to_dict(),
                "epochs": [r.to_dict() for r in run.epochs],
                "seconds_per_epoch": run.seconds_per_epoch,
                "layers": [info.to_dict() for info in run.layers],
                "findings": [f.to_dict() for f in diagnosis.findings.get(seed, [])],
            }
        )
    return _finite(
        {
            "schema": SCHEMA,
            "model": diagnosis.model,
            "data": {
                "name": dataset.name,
                "num_classes": dataset.num_classes,
                "train_samples": len(dataset.x_train),
                "val_samples": len(dataset.x_test),
                "probe_samples": config.probe_samples(len(dataset.x_test)),
                "input_shape": list(dataset.input_shape),
                "scale": dataset.scale,
            },
            "config": config.to_dict(),
            "backend": backend,
            "preset": preset,
            "seeds": diagnosis.seeds,
            "facts": None if diagnosis.facts is None else diagnosis.facts.to_dict(),
            "skipped_training": diagnosis.skipped_training,
            "preflight": [f.to_dict() for f in diagnosis.preflight],
            "runs": runs,
            "findings": [
                {**f.to_dict(), "seeds": seeds}
                for f, seeds in grouped_findings(diagnosis)
            ],
        }
    )
