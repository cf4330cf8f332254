"""Arguments shared by several commands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_common_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backend",
        choices=("jax", "tensorflow", "torch"),
        help="Keras backend (default: $KERAS_BACKEND, else jax)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")


def add_study_args(parser: argparse.ArgumentParser, seeds: int, epochs: int) -> None:
    add_common_args(parser)
    parser.add_argument(
        "--data",
        default="cifar100",
        help="built-in name (cifar100, cifar10, mnist, fashion_mnist, digits), a "
        "CIFAR python-version archive or folder, or an .npz (default: cifar100)",
    )
    parser.add_argument(
        "--seeds", type=int, default=seeds, help="seeds (default: %(default)s)"
    )
    parser.add_argument(
        "--first-seed", type=int, default=0, help="seeds are FIRST, FIRST+1, ..."
    )
    parser.add_argument(
        "--epochs",
        type=int,
        default=epochs,
        help="epochs per run (default: %(default)s)",
    )
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
    add_executor_args(parser)
    parser.add_argument(
        "--run-dir",
        type=Path,
        help="run folder; default: flatliner-runs/<derived from the command>",
    )


def add_executor_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--executor",
        choices=("sequential", "local", "vectorized", "ray"),
        help="how seeds are trained: sequential (model.fit per seed), local "
        "(default: compile once, reuse for every seed), vectorized (JAX: seeds as "
        "vmapped replicas; the default on a GPU), ray (Ray tasks)",
    )
    parser.add_argument(
        "--address",
        help="Ray cluster to join (with --executor ray; default: start a local one)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        help="worker processes for --executor local (default: one per core "
        "for a study of 4 or more runs of 500+ steps each, else 1)",
    )
    parser.add_argument(
        "--replicas",
        type=int,
        help="seeds per compiled step: unrolled (local, default 1) or vmapped "
        "(vectorized, default 64)",
    )


def executor_from_args(args: argparse.Namespace):
    """The executor the arguments ask for (ConfigError for a bad combination)."""
    from flatliner.executors import make_executor

    return make_executor(
        getattr(args, "executor", None),
        args.backend,
        address=getattr(args, "address", None),
        workers=getattr(args, "workers", None),
        replicas=getattr(args, "replicas", None),
    )


def check_output_paths(args: argparse.Namespace) -> None:
    """Refuses --json/--html targets that cannot be written, before any work.

    Raises:
        ConfigError: naming the option, the path and what is wrong with it.
    """
    import tempfile

    from flatliner.errors import ConfigError

    for option in ("json", "html"):
        path = getattr(args, option, None)
        if path is None:
            continue
        path = Path(path)
        if path.is_dir():
            raise ConfigError(
                f"--{option} {path}: is a folder; expected a file name such as "
                f"{path / ('report.' + option)}."
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=path.parent):
                pass
        except OSError as exc:
            raise ConfigError(
                f"--{option} {path}: cannot write there ({exc.strerror or exc}); "
                "pass a path in a folder you can write to."
            ) from None


def study_config(args: argparse.Namespace) -> tuple[Any, list[int]]:
    """The training config and seed list of a study command, checked."""
    from flatliner.trials.config import TrainConfig, seed_list

    config = TrainConfig(
        epochs=args.epochs, batch_size=args.batch_size, probe_size=args.probe_size
    )
    return config, seed_list(args.seeds, args.first_seed)


def load_study_data(args: argparse.Namespace, console) -> Any:
    """Loads --data with a spinner and prints what was loaded and how long it took."""
    import time

    from flatliner.data import load_dataset

    with console.status(f"loading data {args.data} ..."):
        start = time.perf_counter()
        dataset = load_dataset(args.data, label_mode=args.labels, scale=args.scale)
    console.print(f"data  {dataset.describe()} ({time.perf_counter() - start:.1f} s)")
    return dataset
