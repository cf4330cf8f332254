"""`flatliner diagnose`: why does this model not learn?"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from flatliner.commands.common import add_study_args


def add_parser(sub) -> None:
    """Registers `diagnose` on the CLI's subparsers."""
    parser = sub.add_parser(
        "diagnose",
        help="train a model over seeds and say why it does not learn",
        description="Run pre-flight checks, train MODEL once per seed with the "
        "flatliner Monitor attached, and report every failure kind found, with "
        "the evidence, the threshold crossed and ranked fixes.",
    )
    parser.add_argument("model", metavar="MODEL", help="built-in name or file.py:fn")
    add_study_args(parser, seeds=1, epochs=2)
    parser.add_argument(
        "--preset",
        choices=("cheap", "standard", "full"),
        default="standard",
        help="how much the probes measure (default: standard)",
    )
    parser.add_argument(
        "--no-preflight", action="store_true", help="skip the pre-flight probes"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, console) -> int:
    """Handler of `flatliner diagnose`; exit status 1 when an error is found."""
    from flatliner.data import load_dataset
    from flatliner.models import resolve_model_spec
    from flatliner.probes.presets import get_preset
    from flatliner.report.diagnosis import diagnosis_to_dict, print_diagnosis
    from flatliner.report.json_report import write_json
    from flatliner.trials.compare import default_run_dir, study_identity
    from flatliner.trials.config import TrainConfig, seed_list
    from flatliner.trials.diagnose import diagnose_model
    from flatliner.trials.store import RunStore

    # Check every argument before spending time on data or training.
    config = TrainConfig(
        epochs=args.epochs, batch_size=args.batch_size, probe_size=args.probe_size
    )
    seeds = seed_list(args.seeds, args.first_seed)
    spec = resolve_model_spec(args.model)
    get_preset(args.preset)

    with console.status(f"loading data {args.data} ..."):
        start = time.perf_counter()
        dataset = load_dataset(args.data, label_mode=args.labels, scale=args.scale)
    console.print(f"data  {dataset.describe()} ({time.perf_counter() - start:.1f} s)")
    identity = {
        **study_identity([spec], dataset, config, args.backend),
        "preset": args.preset,
    }
    run_dir = args.run_dir or default_run_dir(
        "diagnose", identity, Path("flatliner-runs")
    )
    console.print(f"runs  {run_dir}  (backend {args.backend})\n")

    with (
        RunStore(run_dir, identity) as store,
        console.status("pre-flight checks ...") as status,
    ):

        def on_epoch(seed, record) -> None:
            status.update(
                f"seed {seed} epoch {record.epoch}/{config.epochs}: "
                f"val acc {record.val_accuracy:.4f}"
            )

        diagnosis = diagnose_model(
            spec,
            dataset,
            config,
            seeds,
            store,
            preset=args.preset,
            on_epoch=on_epoch,
            preflight=not args.no_preflight,
        )
    print_diagnosis(diagnosis, console)
    timed = list(diagnosis.monitor_seconds)
    seconds = [s for seed in timed for s in diagnosis.runs[seed].seconds_per_epoch]
    if seconds:
        # The Monitor's own hook time against the training time it was part of.
        hooks = sum(diagnosis.monitor_seconds.values())
        plural = "run" if len(timed) == 1 else "runs"
        console.print(
            f"\n{len(timed)} {plural}, {sum(seconds) / len(seconds):.1f} s "
            f"per training epoch with the Monitor ({args.preset}); its hooks took "
            f"{hooks:.2f} s of {sum(seconds):.1f} s, an overhead ratio of "
            f"{sum(seconds) / max(sum(seconds) - hooks, 1e-9):.3f} at most (hook "
            "time includes waiting for queued steps when weights are copied; "
            "benchmarks/monitor_overhead.py measures it against training without)."
        )
    if args.json:
        write_json(
            diagnosis_to_dict(diagnosis, dataset, config, args.backend, args.preset),
            args.json,
        )
        console.print(f"JSON written to {args.json}")
    errors = any(f.severity == "error" for f in diagnosis.all_findings())
    return 1 if errors else 0
