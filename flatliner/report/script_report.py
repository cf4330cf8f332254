"""Terminal rendering of a script run's findings, per fit call."""

from __future__ import annotations

import math

from rich.console import Console
from rich.markup import escape

from flatliner.scripts.diagnose import LocatedFinding, ScriptReport
from flatliner.scripts.stability import FitStability

_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}


def print_script_report(report: ScriptReport, console: Console) -> None:
    """One block per fit call: where it was called, the task, the findings."""
    fits = report.fits
    if not fits:
        console.print("flatliner: the script called no Keras fit; nothing to judge.")
    for fit_report in fits:
        fit = fit_report.fit
        where = f" at {fit.location}" if fit.location else ""
        epochs = fit.training.epochs_finished
        status = (
            f"crashed after {epochs} epoch(s)"
            if fit.error is not None
            else f"{epochs} epoch(s)"
        )
        console.print(
            f"[bold]fit #{fit.index}[/]{escape(where)}: {escape(fit_report.task)}, "
            f"{status}, {fit.training.probe.size} probe samples "
            f"({fit.training.probe.source})"
        )
        if not fit_report.findings:
            console.print("  no findings: nothing above information level")
        for located in fit_report.findings:
            _print_finding(located, console)
    if report.crash is not None:
        console.print("[bold]script[/]")
        _print_finding(report.crash, console)


def _print_finding(located: LocatedFinding, console: Console) -> None:
    finding = located.finding
    style = _STYLE[finding.severity]
    console.print(
        f"  [{style}]{finding.severity}[/] {finding.kind}: {escape(finding.summary)}",
        soft_wrap=True,
    )
    if located.where is not None:
        code = f"  {located.where.code}" if located.where.code else ""
        console.print(
            f"      {located.what} at {escape(str(located.where))}{escape(code)}"
        )
    if finding.threshold:
        console.print(f"      rule: {escape(finding.threshold)}")
    for rank, fix in enumerate(finding.fixes[:3], start=1):
        console.print(f"      fix {rank}: {escape(fix.description)}")


def print_stability(entries: list[FitStability], runs: int, console: Console) -> None:
    """Per fit call: final loss over seeds and how often each finding appeared."""
    console.print(f"\n[bold]Stability over {runs} seeds[/]")
    for entry in entries:
        mean, std = entry.loss_mean, entry.loss_std
        spread = "" if math.isnan(std) else f" +- {std:.4g} (sd)"
        losses = ", ".join(f"{v:.4g}" for v in entry.final_loss)
        console.print(
            f"  fit #{entry.index}: final loss {mean:.4g}{spread} over "
            f"{len(entry.seeds)} runs ({losses})"
        )
        interval = entry.loss_interval()
        if interval is not None:
            console.print(
                f"    mean final loss: 95% bootstrap interval [{interval.low:.4g}, "
                f"{interval.high:.4g}]"
            )
        if entry.identical:
            console.print(
                "    [yellow]every seed ended with the same loss[/]: the script "
                "probably sets its own seed, which overrides --seeds"
            )
        if not entry.kinds:
            console.print("    no warnings or errors in any seed")
        for kind, seeds in sorted(entry.kinds.items()):
            low, high = entry.kind_share(kind)
            console.print(
                f"    {kind}: {len(seeds)} of {len(entry.seeds)} seeds "
                f"({', '.join(str(s) for s in seeds)}); its rate over seeds is "
                f"{low:.0%}-{high:.0%} (95% exact interval)"
            )
        console.print(
            "    outcome stable across seeds"
            if entry.stable
            else "    [yellow]outcome depends on the seed[/]"
        )
