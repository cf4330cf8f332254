"""`flatliner run`: a user's unchanged training script, diagnosed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flatliner.commands.common import add_common_args


def add_parser(sub) -> None:
    """Registers `run` on the CLI's subparsers."""
    parser = sub.add_parser(
        "run",
        help="run a training script unchanged and diagnose every fit call",
        description="Run SCRIPT as `python SCRIPT ARGS...` would, with flatliner "
        "watching every Keras fit call; then print the findings per fit call with "
        "the file and line they point at. flatliner's options go before SCRIPT; "
        "everything after it is the script's own.",
    )
    add_common_args(parser)
    parser.add_argument(
        "--seeds",
        type=int,
        default=None,
        help="run the script N times with seeds FIRST..FIRST+N-1 (set with "
        "keras.utils.set_random_seed before it starts) and report stability",
    )
    parser.add_argument(
        "--first-seed", type=int, default=0, help="first seed with --seeds (0)"
    )
    parser.add_argument(
        "--json", type=Path, help="also write the findings as JSON (flatliner.run/1)"
    )
    parser.add_argument("script", help="the training script")
    parser.add_argument(
        "script_args", nargs=argparse.REMAINDER, help="the script's own arguments"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, console) -> int:
    from rich.console import Console

    from flatliner.errors import ConfigError
    from flatliner.report.script_report import print_script_report, print_stability
    from flatliner.scripts.diagnose import diagnose_script
    from flatliner.scripts.runner import check_script, run_script
    from flatliner.scripts.stability import seed_stability

    check_script(args.script)
    if args.seeds is not None and args.seeds < 1:
        raise ConfigError(
            f"--seeds must be at least 1; received {args.seeds}. Leave it out to "
            "run the script once with its own seeding."
        )
    # The report goes to stderr so that the script's stdout stays its own.
    report_console = Console(stderr=True, highlight=False)
    seeds = (
        [None]
        if args.seeds is None
        else list(range(args.first_seed, args.first_seed + args.seeds))
    )
    reports = []
    exit_code = 0
    for seed in seeds:
        result = run_script(args.script, args.script_args, seed=seed)
        sys.stdout.flush()
        report = diagnose_script(result)
        reports.append(report)
        head = "flatliner" if seed is None else f"flatliner, seed {seed}"
        report_console.rule(f"{head}: {args.script}")
        print_script_report(report, report_console)
        exit_code = exit_code or result.exit_code
    stability = seed_stability(reports) if len(reports) > 1 else None
    if stability:
        print_stability(stability, len(reports), report_console)
    if args.json:
        from flatliner.report.json_report import write_json
        from flatliner.report.script_json import script_to_dict

        write_json(
            script_to_dict(
                args.script, args.script_args, args.backend, reports, stability
            ),
            args.json,
        )
        report_console.print(f"JSON written to {args.json}")
    return exit_code
