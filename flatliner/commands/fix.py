"""`flatliner fix`: apply a model's suggested fixes and prove them by re-running."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flatliner.commands.common import add_study_args, load_study_data, study_config


def add_parser(sub) -> None:
    """Registers `fix` on the CLI's subparsers."""
    fix = sub.add_parser(
        "fix",
        help="try the diagnosed fixes on copies of MODEL and rank them by effect",
        description="Train MODEL over the seeds, diagnose every run, apply each "
        "suggested fix that can be applied mechanically to a copy of the model, "
        "train the copies with the same seeds, and rank the fixes by their "
        "measured gain in validation accuracy, with confidence intervals.",
    )
    fix.add_argument("model", metavar="MODEL", help="built-in name or file.py:fn")
    add_study_args(fix, seeds=5, epochs=2)
    fix.add_argument(
        "--html", type=Path, help="also write the self-contained HTML report"
    )
    fix.set_defaults(handler=run)


def run(args: argparse.Namespace, console) -> int:
    from flatliner.fixes import fix_study
    from flatliner.models import resolve_model_spec
    from flatliner.report.fixes import fix_report_to_dict, print_fix_report
    from flatliner.report.json_report import write_json
    from flatliner.trials.compare import default_run_dir, study_identity
    from flatliner.trials.store import RunStore

    # Check every argument before spending time on data or training.
    config, seeds = study_config(args)
    spec = resolve_model_spec(args.model)

    dataset = load_study_data(args, console)

    identity = study_identity(
        [spec], dataset, config, args.backend, extra={"study": "fix"}
    )
    run_dir = args.run_dir or default_run_dir("fix", identity, Path("flatliner-runs"))
    console.print(f"runs  {run_dir}  (backend {args.backend})\n")

    with (
        RunStore(run_dir, identity) as store,
        fix_progress(console, seeds, config) as on_progress,
    ):
        report = fix_study(spec, dataset, config, seeds, store, on_progress)

    console.print()
    print_fix_report(report, console)
    if args.json:
        write_json(
            fix_report_to_dict(report, dataset, config, args.backend, run_dir),
            args.json,
        )
        console.print(f"JSON written to {args.json}")
    if args.html:
        write_fix_html(report, dataset, config, args.html)
        console.print(f"HTML report written to {args.html}")
    return 0


def write_fix_html(report, dataset, config, path: Path) -> None:
    """The fix study's page: the original's runs and findings, then the fixes."""
    from flatliner.diagnoses import diagnose_run
    from flatliner.report.html.page import write_html
    from flatliner.report.view import fix_effects, single_model_view

    probe = config.probe_samples(len(dataset.y_test))
    findings = report.original_findings or {
        seed: diagnose_run(run, dataset.y_test, dataset.num_classes, probe)
        for seed, run in report.original.items()
    }
    view = single_model_view(
        report.model,
        report.original,
        findings,
        num_classes=dataset.num_classes,
        data=dataset.name,
        summary=report.summary(),
        fixes=fix_effects(report),
    )
    write_html(view, path)


@contextmanager
def fix_progress(console, seeds: list[int], config) -> Iterator:
    """A progress bar over the epochs of a fix study; yields the callback.

    The total grows as fixes appear: the original's runs come first, and
    stored runs that are passed again (the original, for each fix) count once.
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("epochs"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("training", total=len(seeds) * config.epochs)
        labels: set[str] = set()
        counted: set[tuple[str, int]] = set()

        def on_progress(event) -> None:
            key = (event.label, event.seed)
            if key in counted:
                return
            if event.label not in labels:
                labels.add(event.label)
                if len(labels) > 1:
                    total = progress.tasks[0].total + len(seeds) * config.epochs
                    progress.update(task, total=total)
            if event.skipped or event.epoch == event.epochs:
                counted.add(key)
            if event.skipped:
                progress.update(
                    task,
                    advance=event.epochs,
                    description=f"{event.label} seed {event.seed}: stored, skipped",
                )
                return
            progress.update(
                task,
                advance=1,
                description=(
                    f"{event.label} seed {event.seed} epoch {event.epoch}/"
                    f"{event.epochs}: val acc {event.record.val_accuracy:.4f}"
                ),
            )

        yield on_progress
