"""Terminal and JSON rendering of a fix study. Renders only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from flatliner.data.dataset import Dataset
from flatliner.fixes.trial import HELPS, HURTS, FixReport
from flatliner.report.json_report import _finite
from flatliner.trials.config import TrainConfig

SCHEMA = "flatliner.fix/1"


def fix_table(report: FixReport) -> Table:
    """One row per fix, best first: gain with its interval, collapses, verdict."""
    n = len(report.seeds)
    table = Table(
        title=f"Fixes for {report.model}, {n} seeds each", header_style="bold"
    )
    for column in (
        "rank",
        "fix",
        "val acc (mean)",
        "gain",
        "95% CI",
        "at chance",
        "p (test)",
        "verdict",
    ):
        table.add_column(
            column, justify="left" if column in ("fix", "verdict") else "right"
        )
    before = [r.final.val_accuracy for r in report.original.values()]
    table.add_row(
        "",
        "original",
        f"{sum(before) / len(before):.4f}",
        "",
        "",
        f"{len(report.collapsed)}/{n}",
        "",
        "",
    )
    for rank, outcome in enumerate(report.outcomes, 1):
        if outcome.gain is None:
            table.add_row(str(rank), outcome.label, "", "", "", "", "", outcome.verdict)
            continue
        after = [r.final.val_accuracy for r in outcome.runs.values()]
        colour = {HELPS: "green", HURTS: "red"}.get(outcome.verdict, "yellow")
        stat = outcome.accuracy
        tested = stat is not None and stat.p_value is not None and stat.test
        table.add_row(
            str(rank),
            outcome.label,
            f"{sum(after) / len(after):.4f}",
            f"{outcome.gain.estimate:+.4f}",
            f"{outcome.gain.low:+.4f} to {outcome.gain.high:+.4f}",
            f"{len(outcome.collapsed)}/{n}",
            f"{stat.p_value:.3g} ({stat.test})" if tested else "-",
            f"[{colour}]{outcome.verdict}[/]",
        )
    return table


def print_fix_report(report: FixReport, console: Console) -> None:
    """The table, then the verdict lines."""
    console.print(fix_table(report))
    console.print(
        "gain = final val accuracy of the fix minus the original, paired by seed; "
        "CI = paired percentile bootstrap"
    )
    console.print()
    console.print("[bold]Verdict[/]")
    for line in report.summary():
        console.print(f"  - {line}", highlight=False)


def fix_report_to_dict(
    report: FixReport,
    dataset: Dataset,
    config: TrainConfig,
    backend: str,
    run_dir: Path | None,
) -> dict[str, Any]:
    """Everything the terminal report shows, as plain JSON-ready data."""
    return _finite(
        {
            "schema": SCHEMA,
            "data": {
                "name": dataset.name,
                "num_classes": dataset.num_classes,
                "train_samples": len(dataset.x_train),
                "val_samples": len(dataset.x_test),
                "probe_samples": config.probe_samples(len(dataset.x_test)),
            },
            "config": config.to_dict(),
            "backend": backend,
            "run_dir": None if run_dir is None else str(run_dir),
            **report.to_dict(),
        }
    )
