"""Cost of flatliner.Monitor: one CIFAR-100 epoch of the seed model with and
without it, in one process, and the ratio.

    .venv/bin/python benchmarks/monitor_overhead.py --data cifar-100-python.tar.gz

Each variant trains a fresh seed-relu model (same seed, same batches) after a
warm-up step that compiles its training function, so the timing is training
alone. Rounds alternate which variant goes first; the ratio is of the medians.
On a shared machine the spread between rounds can exceed the effect: read the
per-round lines and `os.getloadavg()` printed at the end.
Target: the Monitor at its default preset adds at most 5% (ratio <= 1.05).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("KERAS_BACKEND", "jax")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="cifar100")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--preset", default="standard")
    parser.add_argument(
        "--probe", type=int, default=0, help="also give the Monitor N probe samples"
    )
    args = parser.parse_args()

    import keras

    import flatliner
    from flatliner.data import load_dataset
    from flatliner.models import resolve_model_spec
    from flatliner.trials.run import build_model

    dataset = load_dataset(args.data)
    spec = resolve_model_spec("seed-relu")

    def epoch_seconds(with_monitor: bool) -> float:
        model = build_model(spec, dataset, seed=0)
        callbacks = []
        if with_monitor:
            probe = None
            if args.probe:
                probe = (dataset.x_test[: args.probe], dataset.y_test[: args.probe])
            callbacks = [flatliner.Monitor(probe=probe, preset=args.preset)]
        # Warm-up: compile the training step on one batch.
        model.fit(dataset.x_train[:32], dataset.y_train[:32], verbose=0)
        start = time.perf_counter()
        model.fit(
            dataset.x_train,
            dataset.y_train,
            batch_size=32,
            epochs=1,
            shuffle=False,
            verbose=0,
            callbacks=callbacks,
        )
        return time.perf_counter() - start

    # Alternate which variant goes first, so drift in machine load (or a warm
    # cache) does not favour one side.
    plain, monitored = [], []
    for round_ in range(args.repeats):
        if round_ % 2 == 0:
            plain.append(epoch_seconds(False))
            monitored.append(epoch_seconds(True))
        else:
            monitored.append(epoch_seconds(True))
            plain.append(epoch_seconds(False))
        print(
            f"round {round_ + 1}: without {plain[-1]:.2f} s, with Monitor "
            f"{monitored[-1]:.2f} s",
            flush=True,
        )
    ratio = statistics.median(monitored) / statistics.median(plain)
    print(
        f"backend {keras.backend.backend()}, preset {args.preset}, probe "
        f"{args.probe}, {args.repeats} rounds, {os.cpu_count()} CPUs: median "
        f"{statistics.median(plain):.2f} s without, {statistics.median(monitored):.2f}"
        f" s with; ratio {ratio:.3f} (target <= 1.05); load average "
        f"{os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
