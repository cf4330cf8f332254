"""How long `flatliner equiv "ReLU()" "Activation('relu')"` takes from a cold process.

Target: under 10 seconds. Each run is a fresh process (no JAX or Keras
caches in memory); the baseline, measured in the same script on the same
machine, is a fresh process that only imports Keras on the same backend, so
the ratio says how much the check itself adds to Keras's own start-up.

    .venv/bin/python benchmarks/equiv_cold_start.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

COMMAND = [sys.executable, "-m", "flatliner", "equiv", "ReLU()", "Activation('relu')"]
BASELINE = [sys.executable, "-c", "import keras"]


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one fresh process.

    On a shared machine the wall time grows with the load; the CPU time
    barely does, so both are shown.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    env = dict(os.environ, KERAS_BACKEND=os.environ.get("KERAS_BACKEND", "jax"))

    runs: dict[str, list[tuple[float, float]]] = {"import keras": [], "equiv": []}
    for _ in range(args.runs):
        runs["import keras"].append(timed(BASELINE, env))
        runs["equiv"].append(timed(COMMAND, env))
    print(
        f"{args.runs} cold runs each, backend {env['KERAS_BACKEND']}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    for name, values in runs.items():
        wall = [w for w, _ in values]
        cpu = [c for _, c in values]
        spread = statistics.stdev(wall) if len(wall) > 1 else 0.0
        print(
            f"{name:<13} wall median {statistics.median(wall):5.2f} s (min "
            f"{min(wall):.2f}, max {max(wall):.2f}, sd {spread:.2f}); CPU median "
            f"{statistics.median(cpu):5.2f} s"
        )
    wall_ratio = statistics.median(w for w, _ in runs["equiv"]) / statistics.median(
        w for w, _ in runs["import keras"]
    )
    cpu_ratio = statistics.median(c for _, c in runs["equiv"]) / statistics.median(
        c for _, c in runs["import keras"]
    )
    print(f"ratio equiv / import keras: wall {wall_ratio:.2f}, CPU {cpu_ratio:.2f}")
    slowest = max(w for w, _ in runs["equiv"])
    print(f"target under 10 s wall: {'met' if slowest < 10 else 'NOT met'} here")


if __name__ == "__main__":
    main()
