"""`flatliner fix`: apply a model's suggested fixes and prove them by re-running."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from flatliner.commands.common import add_study_args


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
    fix.set_defaults(handler=run)


def run(args: argparse.Namespace, console) -> int:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from flatliner.data import load_dataset
    from flatliner.fixes import fix_study
    from flatliner.models import resolve_model_spec
    from flatliner.report.fixes import fix_report_to_dict, print_fix_report
    from flatliner.report.json_report import write_json
    from flatliner.trials.compare import default_run_dir, study_identity
    from flatliner.trials.config import TrainConfig, seed_list
    from flatliner.trials.store import RunStore

    # Check every argument before spending time on data or training.
    config = TrainConfig(
        epochs=args.epochs, batch_size=args.batch_size, probe_size=args.probe_size
    )
    seeds = seed_list(args.seeds, args.first_seed)
    spec = resolve_model_spec(args.model)

    with console.status(f"loading data {args.data} ..."):
        start = time.perf_counter()
        dataset = load_dataset(args.data, label_mode=args.labels, scale=args.scale)
    console.print(f"data  {dataset.describe()} ({time.perf_counter() - start:.1f} s)")

    identity = study_identity(
        [spec], dataset, config, args.backend, extra={"study": "fix"}
    )
    run_dir = args.run_dir or default_run_dir("fix", identity, Path("flatliner-runs"))
    console.print(f"runs  {run_dir}  (backend {args.backend})\n")

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("epochs"),
        TimeElapsedColumn(),
    )
    with (
        RunStore(run_dir, identity) as store,
        Progress(*columns, console=console, transient=False) as progress,
    ):
        # The total grows once the fixes are known: original runs first.
        task = progress.add_task("training", total=len(seeds) * config.epochs)
        labels: set[str] = set()
        counted: set[tuple[str, int]] = set()

        def on_progress(event) -> None:
            key = (event.label, event.seed)
            if key in counted:
                # try_fixes passes the stored original runs again: counted once.
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

        report = fix_study(spec, dataset, config, seeds, store, on_progress)

    console.print()
    print_fix_report(report, console)
    if args.json:
        write_json(
            fix_report_to_dict(report, dataset, config, args.backend, run_dir),
            args.json,
        )
        console.print(f"JSON written to {args.json}")
    return 0
