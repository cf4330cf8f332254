"""What `flatliner run` costs over running the same script plainly.

Runs a training script in this process twice per repetition, once plainly
(runpy, as python would) and once under flatliner's fit hook, alternating the
order, and prints the wall-time ratio flatliner / plain. The first pair warms
up JAX's compilation caches and is not counted.

    .venv/bin/python benchmarks/run_overhead.py [--repeats 3] [SCRIPT [ARGS...]]

Default script: tests/scripts/fixtures/seed_case.py on the real CIFAR-100 in
../shared/data (first 10,000 images, 1 epoch).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import runpy
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "jax")
REPO = Path(__file__).resolve().parents[1]
DEFAULT = [
    str(REPO / "tests" / "scripts" / "fixtures" / "seed_case.py"),
    "--data",
    str(REPO.parent / "shared" / "data" / "cifar-100-python.tar.gz"),
    "--limit",
    "10000",
]


def plain(script: str, args: list[str]) -> float:
    saved = sys.argv[:]
    sys.argv = [script, *args]
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            runpy.run_path(script, run_name="__main__")
    finally:
        sys.argv = saved
    return time.perf_counter() - start


def watched(script: str, args: list[str]) -> float:
    from flatliner.scripts.diagnose import diagnose_script
    from flatliner.scripts.runner import run_script

    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        diagnose_script(run_script(script, args))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    script, *args = options.command or DEFAULT

    plain(script, args), watched(script, args)  # warm-up, not counted
    base, ours = [], []
    for i in range(options.repeats):
        pair = (plain, watched) if i % 2 == 0 else (watched, plain)
        for fn in pair:
            (base if fn is plain else ours).append(fn(script, args))
    ratios = [o / b for o, b in zip(ours, base, strict=True)]
    print(f"script: {' '.join([Path(script).name, *args])}")
    print(f"plain:     {statistics.mean(base):.2f} s (runs: {len(base)})")
    print(f"flatliner: {statistics.mean(ours):.2f} s (runs: {len(ours)})")
    spread = statistics.stdev(ratios) if len(ratios) > 1 else float("nan")
    print(f"ratio flatliner/plain: {statistics.mean(ratios):.2f} (sd {spread:.2f})")
    print(f"cpus: {os.cpu_count()}, backend {os.environ['KERAS_BACKEND']}")


if __name__ == "__main__":
    main()
