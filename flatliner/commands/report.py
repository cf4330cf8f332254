"""`flatliner report RUN_DIR`: the HTML page and terminal summary of a run folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from flatliner.commands.common import add_common_args


def add_parser(sub) -> None:
    """Registers `report` on the CLI's subparsers."""
    report = sub.add_parser(
        "report",
        help="write the HTML report of a run folder and print its summary",
        description="Read the runs that `flatliner compare` stored in RUN_DIR, "
        "judge them again, print the summary and write one self-contained HTML "
        "page (no network needed to read it). A folder of `fix` or `diagnose` "
        "is refused with the command that writes its page.",
    )
    report.add_argument("run_dir", metavar="RUN_DIR", type=Path, help="run folder")
    add_common_args(report)
    report.add_argument(
        "--html",
        type=Path,
        help="where to write the page (default: RUN_DIR/report.html)",
    )
    report.add_argument(
        "--data",
        help="the study's data, if it moved (default: as stored in RUN_DIR)",
    )
    report.set_defaults(handler=run)


def run(args: argparse.Namespace, console) -> int:
    from flatliner.data import load_dataset
    from flatliner.diagnoses.comparison import judge_comparison
    from flatliner.errors import StoreError
    from flatliner.report.html import write_html
    from flatliner.report.terminal import print_report
    from flatliner.report.view import build_view
    from flatliner.trials.config import TrainConfig
    from flatliner.trials.store import RunStore

    with RunStore.open_existing(args.run_dir) as store:
        identity = store.identity()
        done = store.finished()
        kind = study_kind(identity)
        if kind != "compare":
            raise StoreError(_not_a_comparison(args.run_dir, identity, kind, done))
        labels = dict(zip("AB", identity["models"], strict=False))
        seeds = sorted(
            {s for _, s in done if all((label, s) in done for label in labels)}
        )
        if len(labels) != 2 or not seeds:
            raise StoreError(
                f"run_dir={str(args.run_dir)!r} holds no finished pair of runs "
                f"(found {len(done)} runs of models {identity['models']}); run "
                "`flatliner compare` with this --run-dir until one seed finishes."
            )
        runs = {(label, s): store.load(label, s) for label in labels for s in seeds}
    if len(seeds) * 2 < len(done):
        console.print(
            f"[yellow]{len(done) - 2 * len(seeds)} runs without their pair are "
            "left out.[/]"
        )

    # Findings are judged again, so the page always shows the current rules;
    # the chance-level rule needs the validation labels.
    data = args.data or identity["data"]
    label_mode = "coarse" if identity.get("num_classes") == 20 else "fine"
    with console.status(f"loading data {data} ..."):
        dataset = load_dataset(data, label_mode=label_mode, scale=identity["scale"])
    if dataset.num_classes != identity["num_classes"]:
        raise StoreError(
            f"data={data!r} has {dataset.num_classes} classes but the runs in "
            f"{args.run_dir} were trained on {identity['num_classes']}; pass the "
            "study's own data with --data."
        )
    config = TrainConfig(**identity["config"])
    comparison = judge_comparison(labels, seeds, runs, dataset, config)
    # TODO: fix runs (issue 5) are not read from RUN_DIR yet, so the "fixes
    # tried" section says "not measured"; pass them as build_view(fixes=...).
    view = build_view(comparison, num_classes=dataset.num_classes, data=dataset.name)

    print_report(view, comparison, console)
    target = write_html(
        view, args.html or Path(args.run_dir) / "report.html", source=str(args.run_dir)
    )
    console.print(f"\nHTML report written to {target}")
    return 0


def study_kind(identity: dict) -> str:
    """Which command stored a run folder: "compare", "fix" or "diagnose"."""
    if identity.get("study") == "fix":
        return "fix"
    # diagnose records its Monitor preset; compare and fix do not.
    if "preset" in identity:
        return "diagnose"
    return "compare"


def _not_a_comparison(run_dir: Path, identity: dict, kind: str, done: set) -> str:
    """The error for a fix or diagnose folder: how to get that study's page."""
    from flatliner.fixes.trial import ORIGINAL

    model = identity["models"][0]
    config = identity["config"]
    seeds = sorted({seed for _, seed in done})

    # The arguments that make the same study, so the store is reused.
    args = [f"--data {identity['data']}", f"--epochs {config['epochs']}"]
    if seeds:
        args.append(f"--seeds {len(seeds)} --first-seed {seeds[0]}")
    if config["batch_size"] != 32:
        args.append(f"--batch-size {config['batch_size']}")
    if config["probe_size"] != 1000:
        args.append(f"--probe-size {config['probe_size']}")
    if identity.get("scale") == "raw":
        args.append("--scale raw")
    if kind == "diagnose" and identity.get("preset", "standard") != "standard":
        args.append(f"--preset {identity['preset']}")
    if kind == "diagnose" and any(label == ORIGINAL for label, _ in done):
        args.append("--try-fixes")
    args.append(f"--backend {identity['backend']} --run-dir {run_dir}")
    return (
        f"run_dir={str(run_dir)!r} holds a `flatliner {kind}` study of {model} "
        f"({len(done)} stored runs), and `flatliner report` reads `compare` "
        f"studies only. Run `flatliner {kind} {model} {' '.join(args)} --html "
        "FILE` to get its page: the stored runs are reused, not retrained."
    )
