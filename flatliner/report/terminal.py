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


def statistics_table(comparison: Comparison) -> Table:
    """One row per metric: B - A with its interval, the tests and effect sizes."""
    a, b = list(comparison.labels)
    table = Table(
        title=f"Is the difference real? ({b} against {a})", header_style="bold"
    )
    for column in (
        "metric",
        f"mean {b} - {a}",
        "95% CI (paired bootstrap)",
        "Wilcoxon p",
        "Mann-Whitney p",
        "Fisher p",
        f"ASO {b} better",
        "Cohen's dz",
        "seeds for 80% power",
        "verdict",
    ):
        table.add_column(
            column, justify="left" if column in ("metric", "verdict") else "right"
        )
    for stat in comparison.statistics:
        ci = stat.interval
        table.add_row(
            stat.metric,
            f"{stat.mean_difference:+.4f}",
            "-" if ci is None else f"{ci.low:+.4f} to {ci.high:+.4f}",
            _p(stat.wilcoxon),
            _p(stat.mann_whitney),
            _p(stat.fisher),
            "-" if stat.aso_b_better is None else f"{stat.aso_b_better:.2f}",
            "-" if stat.cohens_dz is None else f"{stat.cohens_dz:.2f}",
            "-" if stat.seeds_for_80_power is None else str(stat.seeds_for_80_power),
            stat.verdict,
        )
    return table


def print_comparison(comparison: Comparison, console: Console) -> None:
    """The table, the statistics (when the runs differ), then the verdict lines."""
    legend = ", ".join(f"{k} = {v}" for k, v in comparison.labels.items())
    console.print(comparison_table(comparison))
    console.print(f"{legend}; dead = units never active on the probe batch")
    if comparison.statistics and not comparison.identical:
        console.print()
        console.print(statistics_table(comparison))
        console.print(
            "ASO: eps_min of Dror et al. (2019), below 0.5 favours "
            f"{list(comparison.labels)[1]}, below 0.2 clearly."
        )
    console.print()
    console.print("[bold]Verdict[/]")
    for line in comparison.summary:
        console.print(f"  - {line}", highlight=False)


def _diff(value: float | None) -> str:
    return "shapes differ" if value is None else f"max {value:.3g}"


def _p(result) -> str:
    return "-" if result is None else f"{result.p_value:.3g}"
