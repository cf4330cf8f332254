"""Terminal rendering of a comparison with rich (colour only on a terminal)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from flatliner.diagnoses.comparison import Comparison


def comparison_table(comparison: Comparison) -> Table:
    """One row per (seed, variant): the numbers behind the verdict."""
    relu_paths: list[str] = []
    for judged in comparison.runs.values():
        for path in judged.run.final.dead_units:
            if path not in relu_paths:
                relu_paths.append(path)

    table = Table(title="Paired seeds", header_style="bold")
    for column in ("seed", "variant", "val acc", "val loss", "classes"):
        table.add_column(column, justify="right" if column != "variant" else "left")
    for path in relu_paths:
        table.add_column(f"{path} dead", justify="right")
    table.add_column("chance", justify="center")
    table.add_column("A = B", justify="center")

    for seed in comparison.seeds:
        identity = comparison.pairs[seed]
        for i, label in enumerate(comparison.labels):
            judged = comparison.runs[(label, seed)]
            final = judged.run.final
            dead = [
                "-"
                if path not in final.dead_units
                else "{}/{}".format(*final.dead_units[path])
                for path in relu_paths
            ]
            same = ""
            if i == 0:
                same = (
                    "[green]identical[/]"
                    if identity.identical
                    else f"[yellow]differ ({_diff(identity.weight_diff)})[/]"
                )
            table.add_row(
                str(seed) if i == 0 else "",
                label,
                f"{final.val_accuracy:.4f}",
                f"{final.val_loss:.4f}",
                str(final.classes_predicted),
                *dead,
                "[red]yes[/]" if judged.chance else "no",
                same,
            )
    return table


def print_comparison(comparison: Comparison, console: Console) -> None:
    """The table, then the verdict lines."""
    legend = ", ".join(f"{k} = {v}" for k, v in comparison.labels.items())
    console.print(comparison_table(comparison))
    console.print(f"{legend}; dead = units never active on the probe batch")
    console.print()
    console.print("[bold]Verdict[/]")
    for line in comparison.summary:
        console.print(f"  - {line}", highlight=False)


def _diff(value: float | None) -> str:
    return "shapes differ" if value is None else f"max {value:.3g}"
