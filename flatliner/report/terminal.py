"""Terminal rendering of a comparison with rich (colour only on a terminal).

`print_report` shows the sections of flatliner.report.view in the same order
as the HTML page: verdict and findings, curves, spread, dead units, predicted
classes, gradient norms, fixes tried.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from flatliner.diagnoses.comparison import Comparison
from flatliner.report.view import NOT_MEASURED, TITLES, ReportView, grad_norms, spread


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
        table.add_column(f"{escape(path)} dead", justify="right")
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
                escape(label),
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
    _print_statistics(comparison, console)
    console.print()
    console.print("[bold]Verdict[/]")
    for line in comparison.summary:
        console.print(f"  - {line}", highlight=False)


def print_report(view: ReportView, comparison: Comparison, console: Console) -> None:
    """Every report section, in the HTML page's order, as text."""
    # 1. Verdict and findings.
    console.print(f"[bold]{TITLES['verdict']}[/]")
    for line in view.summary:
        console.print(f"  - {escape(line)}", highlight=False)
    for group in view.groups:
        f = group.finding
        runs = ", ".join(f"{label} seed {seed}" for label, seed, _ in group.runs)
        evidence = ", ".join(f"{k} {_short(v)}" for k, v in f.evidence.items())
        console.print(
            f"  [{_colour(f.severity)}]{f.severity}[/] {escape(f.kind)}"
            f"{'' if f.layer is None else ' on ' + escape(f.layer)} in "
            f"{len(group.runs)} of {len(view.runs)} runs ({escape(runs)}): "
            f"{escape(evidence)}; rule: {escape(f.threshold)}",
            highlight=False,
        )
        for rank, fix in enumerate(f.fixes, 1):
            console.print(f"      fix {rank}: {escape(fix.description)}")

    # 2. Curves: the per-seed table holds the final numbers, the line the path.
    console.print()
    console.print(f"[bold]{TITLES['curves']}[/] (validation accuracy by epoch)")
    for run in view.ordered_runs():
        path = " -> ".join(f"{r.val_accuracy:.4f}" for r in run.epochs)
        console.print(f"  {escape(run.label)} seed {run.seed}: {path}")
    console.print(comparison_table(comparison))
    legend = ", ".join(f"{k} = {v}" for k, v in view.labels.items())
    console.print(
        f"{escape(legend)}; dead = units never active on the probe batch",
        highlight=False,
    )

    # 3. Spread of final accuracy.
    console.print(f"\n[bold]{TITLES['spread']}[/]")
    for label in view.labels:
        s = spread(view.final_accuracy(label))
        sd = "" if s["sd"] is None else f", sd {s['sd']:.4f}"
        console.print(
            f"  {escape(label)}: mean {s['mean']:.4f}{sd}, range {s['min']:.4f}-"
            f"{s['max']:.4f} over {s['n']} seeds (chance {1 / view.num_classes:.3g})"
        )

    # Is the difference real? Only where the runs differ at all.
    _print_statistics(comparison, console)

    # 4. Dead units over time, per ReLU layer.
    console.print(f"\n[bold]{TITLES['dead_units']}[/]")
    if not view.has("dead_units"):
        console.print(f"  {NOT_MEASURED}")
    for info in view.relu_layers():
        for run in view.ordered_runs():
            steps = [r.dead_units.get(info.path) for r in run.epochs]
            path = " -> ".join("-" if c is None else f"{c[0]}/{c[1]}" for c in steps)
            console.print(
                f"  {escape(info.path)}, {escape(run.label)} seed {run.seed}: {path}"
            )

    # 5. Predicted classes at the end.
    console.print(f"\n[bold]{TITLES['classes']}[/]")
    for label in view.labels:
        totals = view.class_totals(label)
        images = sum(totals) or 1
        distinct = [view.runs[(label, s)].final.classes_predicted for s in view.seeds]
        console.print(
            f"  {escape(label)}: classes predicted (per seed): "
            f"{', '.join(map(str, distinct))} of {view.num_classes}; the most "
            f"predicted class takes {max(totals) / images:.0%} of predictions"
        )

    # 6. Gradient norms; 7. fixes tried.
    console.print(f"\n[bold]{TITLES['gradients']}[/]")
    if not view.has("gradients"):
        console.print(f"  {NOT_MEASURED}")
    for info in view.gradient_layers():
        for run in view.ordered_runs():
            norms = [(grad_norms(r) or {}).get(info.path) for r in run.epochs]
            path = " -> ".join("-" if n is None else f"{n:.3g}" for n in norms)
            console.print(
                f"  {escape(info.path)}, {escape(run.label)} seed {run.seed}: {path}"
            )
    console.print(f"\n[bold]{TITLES['fixes']}[/]")
    if not view.has("fixes"):
        console.print(f"  {NOT_MEASURED}")
    for fix in view.fixes:
        interval = (
            "interval not computed"
            if fix.low is None or fix.high is None
            else f"{fix.confidence:.0%} interval [{fix.low:+.4f}, {fix.high:+.4f}]"
        )
        console.print(
            f"  {escape(fix.description)}: {fix.effect:+.4f} val accuracy, "
            f"{interval}, {fix.seeds} seeds"
        )


def _print_statistics(comparison: Comparison, console: Console) -> None:
    if not comparison.statistics or comparison.identical:
        return
    console.print()
    console.print(statistics_table(comparison))
    console.print(
        "ASO: eps_min of Dror et al. (2019), below 0.5 favours "
        f"{escape(list(comparison.labels)[1])}, below 0.2 clearly.",
        highlight=False,
    )


def _short(value: object) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _colour(severity: str) -> str:
    return {"error": "red", "warning": "yellow"}.get(severity, "blue")


def _diff(value: float | None) -> str:
    return "shapes differ" if value is None else f"max {value:.3g}"


def _p(result) -> str:
    return "-" if result is None else f"{result.p_value:.3g}"
