"""The seed case at study scale: a user's TensorFlow loop against flatliner.

2 variants (seed-relu, seed-activation) x 10 seeds x 1 epoch with validation on
CIFAR-100, timed two ways in one script:

- loop: what a user writes on the TensorFlow backend: for each variant and
  seed, set the seed, build the model, compile it and `fit` one epoch with
  `validation_data`;
- flatliner: `run_paired` with the chosen executor (default: local), which also
  measures every run before training and after each epoch and stores it.

Each arm runs in its own subprocess (KERAS_BACKEND set before Keras is
imported) and times only its work after the data is loaded. Arms alternate
(loop, flatliner, flatliner, loop, ...) with `--repeats`, so load from other
processes on the machine hits both. Prints seconds and training images per
second of each arm, and the ratio loop / flatliner.

    .venv/bin/python benchmarks/seeds.py --data path/to/cifar-100-python.tar.gz
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VARIANTS = ("seed-relu", "seed-activation")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        default="cifar100",
        help="CIFAR-100: an archive path, its folder, or 'cifar100' (Keras cache)",
    )
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--executor", default="local")
    parser.add_argument("--replicas", type=int, help="seeds per compiled step")
    parser.add_argument("--workers", type=int, help="local worker processes")
    parser.add_argument(
        "--repeats", type=int, default=1, help="measurements of each arm"
    )
    parser.add_argument(
        "--baseline",
        choices=("loop", "single"),
        default="loop",
        help="loop: the TensorFlow user loop (default); single: flatliner with "
        "--replicas 1 on the same executor (the GPU replica figure)",
    )
    parser.add_argument("--arm", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.arm:
        result = _run_arm(args)
        print("RESULT " + json.dumps(result), flush=True)
        return 0

    runs = len(VARIANTS) * args.seeds * args.epochs
    print(
        f"seed case: {len(VARIANTS)} variants x {args.seeds} seeds x "
        f"{args.epochs} epoch(s), data {args.data}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    base_arm = "loop" if args.baseline == "loop" else "single"
    order = []
    for i in range(args.repeats):
        order += [base_arm, "flatliner"] if i % 2 == 0 else ["flatliner", base_arm]
    times: dict[str, list[float]] = {base_arm: [], "flatliner": []}
    train_images = 0
    for arm in order:
        result = _spawn(arm, args)
        times[arm].append(result["seconds"])
        train_images = result["train_images"]
        print(
            f"  {arm:9s} {result['seconds']:7.1f} s  "
            f"{result['train_images'] * runs / result['seconds']:8.0f} images/s  "
            f"({result['detail']}, load {os.getloadavg()[0]:.1f})",
            flush=True,
        )
    base, ours = (
        statistics.median(times[base_arm]),
        statistics.median(times["flatliner"]),
    )
    print(
        f"{base_arm}: {base:.1f} s ({train_images * runs / base:.0f} images/s); "
        f"flatliner --executor {args.executor}: {ours:.1f} s "
        f"({train_images * runs / ours:.0f} images/s); "
        f"ratio {base / ours:.2f}x (median of {args.repeats})"
    )
    return 0


def _spawn(arm: str, args: argparse.Namespace) -> dict:
    command = [sys.executable, __file__, "--arm", arm, "--data", args.data]
    command += ["--seeds", str(args.seeds), "--epochs", str(args.epochs)]
    command += ["--executor", args.executor]
    if args.replicas and arm == "flatliner":
        command += ["--replicas", str(args.replicas)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    env = dict(os.environ)
    env["KERAS_BACKEND"] = "tensorflow" if arm == "loop" else "jax"
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"arm {arm} failed with exit status {done.returncode}")
    return json.loads(lines[-1][len("RESULT ") :])


def _run_arm(args: argparse.Namespace) -> dict:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from flatliner.data import load_dataset

    dataset = load_dataset(args.data)
    if args.arm == "loop":
        seconds = _user_loop(dataset, args)
        detail = "TensorFlow, build + compile + fit per seed"
    else:
        seconds, detail = _flatliner(dataset, args)
    return {"seconds": seconds, "train_images": len(dataset.x_train), "detail": detail}


def _user_loop(dataset, args: argparse.Namespace) -> float:
    import keras

    from flatliner.models.seed_case import SeedModel

    start = time.perf_counter()
    for variant in ("relu", "activation"):
        for seed in range(args.seeds):
            keras.utils.set_random_seed(seed)
            model = SeedModel(variant, dataset.num_classes)
            model.compile(
                optimizer=keras.optimizers.Adam(1e-3),
                loss="sparse_categorical_crossentropy",
                metrics=["accuracy"],
            )
            model.fit(
                dataset.x_train,
                dataset.y_train,
                batch_size=32,
                epochs=args.epochs,
                validation_data=(dataset.x_test, dataset.y_test),
                verbose=0,
            )
    return time.perf_counter() - start


def _flatliner(dataset, args: argparse.Namespace) -> tuple[float, str]:
    import keras

    from flatliner.executors import make_executor
    from flatliner.models import resolve_model_spec
    from flatliner.trials.compare import run_paired, study_identity
    from flatliner.trials.config import TrainConfig
    from flatliner.trials.store import RunStore

    replicas = 1 if args.arm == "single" else args.replicas
    executor = make_executor(
        args.executor,
        keras.backend.backend(),
        replicas=replicas,
        workers=args.workers if args.executor == "local" else None,
    )
    specs = [resolve_model_spec(name) for name in VARIANTS]
    config = TrainConfig(epochs=args.epochs)
    variants = list(zip(("A", "B"), specs, strict=True))
    identity = study_identity(specs, dataset, config, keras.backend.backend())
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        with RunStore(Path(folder), identity) as store:
            run_paired(
                variants,
                dataset,
                config,
                list(range(args.seeds)),
                store,
                None,
                executor,
            )
        seconds = time.perf_counter() - start
    return seconds, f"{executor.describe()}, with probes and store"


if __name__ == "__main__":
    sys.exit(main())
