"""`flatliner equiv A B`: do two layers or models compute the same function?"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from flatliner.commands.common import add_common_args


def add_parser(sub) -> None:
    """Registers `equiv` on the CLI's subparsers."""
    parser = sub.add_parser(
        "equiv",
        help="do two layers or models compute the same function?",
        description="Compare A and B on edge values, random inputs at scales 1e-3 "
        "to 1e11 and (with --data) real inputs, in float32, float64, float16 and "
        "bfloat16: outputs, and gradients with respect to the input and the "
        "weights. Answers EQUIVALENT, EQUIVALENT UP TO ROUNDING or DIFFERENT with "
        "the simplest counterexample found. Exit status 0 equivalent, 1 "
        "different, 2 could not compare.",
    )
    parser.add_argument(
        "a",
        metavar="A",
        help='a layer expression such as "ReLU()" or "Activation(\'relu\')" '
        "(keras.layers and keras.ops only), a built-in model name or file.py:fn",
    )
    parser.add_argument("b", metavar="B", help="the same, for B")
    add_common_args(parser)
    parser.add_argument(
        "--backends",
        default="active",
        help="'active' (default), 'all' installed backends, or a comma list such "
        "as jax,tensorflow; each other backend runs in a subprocess",
    )
    parser.add_argument(
        "--dtypes",
        default="float32,float64,float16,bfloat16",
        help="comma list (default: float32,float64,float16,bfloat16)",
    )
    parser.add_argument(
        "--data", help="probe models on real inputs too (and train on it: --train)"
    )
    parser.add_argument(
        "--samples", type=int, default=8, help="samples per random batch (8)"
    )
    parser.add_argument(
        "--max-ulps",
        type=float,
        default=4.0,
        help="largest difference in units in the last place that counts as "
        "rounding (default 4)",
    )
    parser.add_argument("--seed", type=int, default=0, help="default: 0")
    parser.add_argument(
        "--outputs-only", action="store_true", help="do not compare gradients"
    )
    parser.add_argument(
        "--no-shrink", action="store_true", help="report the counterexample as found"
    )
    parser.add_argument(
        "--train",
        action="store_true",
        help="also train both models from --seed on --data and report the step "
        "where their weights part",
    )
    parser.add_argument("--steps", type=int, default=10, help="with --train (10)")
    parser.add_argument("--batch-size", type=int, default=32, help="with --train (32)")
    parser.add_argument("--json", type=Path, help="also write the result as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, console) -> int:
    # float64 on JAX needs 64-bit mode, chosen before JAX is imported (an
    # already running JAX keeps its mode; float64 is then skipped with a note).
    if "jax" not in sys.modules:
        os.environ.setdefault("JAX_ENABLE_X64", "1")

    from flatliner.equivalence import equivalent
    from flatliner.errors import ConfigError
    from flatliner.report.equivalence import equivalence_to_dict, print_equivalence

    if args.train and not args.data:
        raise ConfigError(
            "--train needs --data: the training trajectories run on it; received "
            "no --data."
        )
    with console.status("comparing ..."):
        result = equivalent(
            args.a,
            args.b,
            dtypes=args.dtypes,
            gradients=not args.outputs_only,
            data=args.data,
            samples=args.samples,
            max_ulps=args.max_ulps,
            seed=args.seed,
            backends=args.backends,
            shrink=not args.no_shrink,
            train_steps=args.steps if args.train else 0,
            batch_size=args.batch_size,
        )
    print_equivalence(result, console)
    if args.json:
        # Imported here: the comparison report pulls in SciPy (seconds).
        from flatliner.report.json_report import write_json

        write_json(equivalence_to_dict(result), args.json)
        console.print(f"JSON written to {args.json}")
    code = result.exit_code
    if result.trajectory is not None and result.trajectory.parted_at is not None:
        code = 1
    return code
