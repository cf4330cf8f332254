"""`flatliner compare` and `flatliner demo`: paired-seed studies of two variants."""

from __future__ import annotations

import argparse
from pathlib import Path

from flatliner.commands.common import (
    add_common_args,
    add_executor_args,
    add_study_args,
    executor_from_args,
    load_study_data,
    study_config,
)

DEMO = {
    "a": "seed-relu",
    "b": "seed-activation",
    "seeds": 3,
    "epochs": 2,
    "data": "cifar100",
}


def add_parser(sub) -> None:
    """Registers `compare` and `demo` on the CLI's subparsers."""
    compare = sub.add_parser(
        "compare",
        help="train A and B with the same seeds and say whether they differ",
        description="Train variants A and B with paired seeds (same initial weights "
        "and batch order per seed), then say whether they trained identically, "
        "which runs ended at chance level, and why.",
    )
    compare.add_argument("a", metavar="A", help="model: built-in name or file.py:fn")
    compare.add_argument("b", metavar="B", help="model: built-in name or file.py:fn")
    add_study_args(compare, seeds=5, epochs=2)
    compare.add_argument(
        "--html", type=Path, help="also write the self-contained HTML report"
    )
    compare.set_defaults(handler=run)

    demo = sub.add_parser(
        "demo",
        help="the seed case: ReLU() against Activation('relu') on CIFAR-100",
        description="Run the case that started flatliner: seed-relu against "
        "seed-activation, 3 paired seeds, 2 epochs on CIFAR-100.",
    )
    add_common_args(demo)
    demo.add_argument(
        "--data",
        default=DEMO["data"],
        help="CIFAR-100: 'cifar100' (Keras's cache or download) or a path to "
        "cifar-100-python.tar.gz or its extracted folder",
    )
    demo.add_argument("--json", type=Path, help="also write the result as JSON")
    demo.add_argument("--run-dir", type=Path, help="run folder (default: derived)")
    demo.add_argument(
        "--html", type=Path, help="also write the self-contained HTML report"
    )
    add_executor_args(demo)
    demo.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace, console) -> int:
    args.a, args.b = DEMO["a"], DEMO["b"]
    args.seeds, args.first_seed, args.epochs = DEMO["seeds"], 0, DEMO["epochs"]
    args.batch_size, args.probe_size = 32, 1000
    args.labels, args.scale = "fine", "unit"
    console.print(
        "[bold]The seed case[/]: a CIFAR-100 model with ReLU() after "
        "BatchNormalization learns nothing; swapping in Activation('relu') "
        "seemed to fix it. Is the swap the cause?\n"
    )
    return run(args, console)


def run(args: argparse.Namespace, console) -> int:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from flatliner.diagnoses.comparison import judge_comparison
    from flatliner.models import resolve_model_spec
    from flatliner.report.html import write_html
    from flatliner.report.json_report import comparison_to_dict, write_json
    from flatliner.report.terminal import print_report
    from flatliner.report.view import build_view
    from flatliner.trials.compare import default_run_dir, run_paired, study_identity
    from flatliner.trials.store import RunStore

    # Check every argument before spending time on data or training.
    config, seeds = study_config(args)
    specs = [resolve_model_spec(args.a), resolve_model_spec(args.b)]
    executor = executor_from_args(args)

    dataset = load_study_data(args, console)

    identity = study_identity(specs, dataset, config, args.backend)
    run_dir = args.run_dir or default_run_dir(
        "compare", identity, Path("flatliner-runs")
    )
    console.print(
        f"runs  {run_dir}  (backend {args.backend}, executor {executor.describe()})\n"
    )
    labels = {"A": args.a, "B": args.b}
    variants = list(zip(labels, specs, strict=True))

    total = len(seeds) * len(variants) * config.epochs
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("epochs"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with (
        RunStore(run_dir, identity) as store,
        Progress(*columns, console=console, transient=False) as progress,
    ):
        task = progress.add_task("training", total=total)

        def on_progress(event) -> None:
            if event.skipped:
                progress.update(
                    task,
                    advance=event.epochs,
                    description=f"{event.label} seed {event.seed}: stored, skipped",
                )
                return
            record = event.record
            progress.update(
                task,
                advance=1,
                description=(
                    f"{event.label} seed {event.seed} epoch {event.epoch}/"
                    f"{event.epochs}: val acc {record.val_accuracy:.4f}"
                ),
            )

        runs = run_paired(
            variants, dataset, config, seeds, store, on_progress, executor
        )

    comparison = judge_comparison(labels, seeds, runs, dataset, config)
    view = build_view(comparison, num_classes=dataset.num_classes, data=dataset.name)
    console.print()
    print_report(view, comparison, console)
    seconds = [s for r in runs.values() for s in r.seconds_per_epoch]
    if seconds:
        console.print(
            f"\n{len(runs)} runs, {config.epochs} epochs each, "
            f"{sum(seconds) / len(seconds):.1f} s per training epoch on average "
            f"(backend {args.backend})."
        )
    if args.json:
        write_json(
            comparison_to_dict(comparison, dataset, config, args.backend, run_dir),
            args.json,
        )
        console.print(f"JSON written to {args.json}")
    if args.html:
        write_html(view, args.html, source=str(run_dir))
        console.print(f"HTML report written to {args.html}")
    return 0
