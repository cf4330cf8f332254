"""The flatliner command line. The only module that prints."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from flatliner.errors import FlatlinerError

DEMO = {
    "a": "seed-relu",
    "b": "seed-activation",
    "seeds": 3,
    "epochs": 2,
    "data": "cifar100",
}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `flatliner` command; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    from rich.console import Console

    console = Console(stderr=False, highlight=False)
    errors = Console(stderr=True, highlight=False)
    try:
        from flatliner.backend import select_backend

        args.backend = select_backend(args.backend)
        return args.handler(args, console)
    except FlatlinerError as exc:
        errors.print(f"[red]flatliner: error:[/] {exc}", soft_wrap=True)
        return 2
    except KeyboardInterrupt:
        errors.print(
            "\nflatliner: interrupted. Finished runs are kept; run the same command "
            "again to resume where it stopped."
        )
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flatliner",
        description="Why does my network learn nothing? Diagnoses, equivalence "
        "checks and seed statistics for Keras 3.",
    )
    sub = parser.add_subparsers(dest="command")

    compare = sub.add_parser(
        "compare",
        help="train A and B with the same seeds and say whether they differ",
        description="Train variants A and B with paired seeds (same initial weights "
        "and batch order per seed), then say whether they trained identically, "
        "which runs ended at chance level, and why.",
    )
    compare.add_argument("a", metavar="A", help="model: built-in name or file.py:fn")
    compare.add_argument("b", metavar="B", help="model: built-in name or file.py:fn")
    _add_study_args(compare, seeds=5, epochs=2)
    compare.set_defaults(handler=_cmd_compare)

    demo = sub.add_parser(
        "demo",
        help="the seed case: ReLU() against Activation('relu') on CIFAR-100",
        description="Run the case that started flatliner: seed-relu against "
        "seed-activation, 3 paired seeds, 2 epochs on CIFAR-100.",
    )
    _add_common_args(demo)
    demo.add_argument(
        "--data",
        default=DEMO["data"],
        help="CIFAR-100: 'cifar100' (Keras's cache or download) or a path to "
        "cifar-100-python.tar.gz or its extracted folder",
    )
    demo.add_argument("--json", type=Path, help="also write the result as JSON")
    demo.add_argument("--run-dir", type=Path, help="run folder (default: derived)")
    demo.set_defaults(handler=_cmd_demo)
    return parser


def _add_common_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backend",
        choices=("jax", "tensorflow", "torch"),
        help="Keras backend (default: $KERAS_BACKEND, else jax)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")


def _add_study_args(parser: argparse.ArgumentParser, seeds: int, epochs: int) -> None:
    _add_common_args(parser)
    parser.add_argument(
        "--data",
        default="cifar100",
        help="built-in name (cifar100, cifar10, mnist, fashion_mnist, digits), a "
        "CIFAR python-version archive or folder, or an .npz (default: cifar100)",
    )
    parser.add_argument("--seeds", type=int, default=seeds, help="paired seeds")
    parser.add_argument(
        "--first-seed", type=int, default=0, help="seeds are FIRST, FIRST+1, ..."
    )
    parser.add_argument("--epochs", type=int, default=epochs, help="epochs per run")
    parser.add_argument("--batch-size", type=int, default=32, help="default: 32")
    parser.add_argument(
        "--probe-size", type=int, default=1000, help="test images probed (1000)"
    )
    parser.add_argument(
        "--labels",
        choices=("fine", "coarse"),
        default="fine",
        help="CIFAR-100 label set (default: fine)",
    )
    parser.add_argument(
        "--scale",
        choices=("unit", "raw"),
        default="unit",
        help="pixels in [0, 1] (unit, default) or 0-255 (raw)",
    )
    parser.add_argument("--json", type=Path, help="also write the result as JSON")
    parser.add_argument(
        "--run-dir",
        type=Path,
        help="run folder; default: flatliner-runs/<derived from the command>",
    )


def _cmd_demo(args: argparse.Namespace, console) -> int:
    args.a, args.b = DEMO["a"], DEMO["b"]
    args.seeds, args.first_seed, args.epochs = DEMO["seeds"], 0, DEMO["epochs"]
    args.batch_size, args.probe_size = 32, 1000
    args.labels, args.scale = "fine", "unit"
    console.print(
        "[bold]The seed case[/]: a CIFAR-100 model with ReLU() after "
        "BatchNormalization learns nothing; swapping in Activation('relu') "
        "seemed to fix it. Is the swap the cause?\n"
    )
    return _cmd_compare(args, console)


def _cmd_compare(args: argparse.Namespace, console) -> int:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from flatliner.data import load_dataset
    from flatliner.diagnoses.comparison import judge_comparison
    from flatliner.models import resolve_model_spec
    from flatliner.report.json_report import comparison_to_dict, write_json
    from flatliner.report.terminal import print_comparison
    from flatliner.trials.compare import default_run_dir, run_paired, study_identity
    from flatliner.trials.config import TrainConfig, seed_list
    from flatliner.trials.store import RunStore

    # Check every argument before spending time on data or training.
    config = TrainConfig(
        epochs=args.epochs, batch_size=args.batch_size, probe_size=args.probe_size
    )
    seeds = seed_list(args.seeds, args.first_seed)
    specs = [resolve_model_spec(args.a), resolve_model_spec(args.b)]

    with console.status(f"loading data {args.data} ..."):
        start = time.perf_counter()
        dataset = load_dataset(args.data, label_mode=args.labels, scale=args.scale)
    console.print(f"data  {dataset.describe()} ({time.perf_counter() - start:.1f} s)")

    identity = study_identity(specs, dataset, config, args.backend)
    run_dir = args.run_dir or default_run_dir(
        "compare", identity, Path("flatliner-runs")
    )
    console.print(f"runs  {run_dir}  (backend {args.backend})\n")
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

        runs = run_paired(variants, dataset, config, seeds, store, on_progress)

    comparison = judge_comparison(labels, seeds, runs, dataset, config)
    console.print()
    print_comparison(comparison, console)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
