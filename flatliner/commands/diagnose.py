"""`flatliner diagnose`: why does this model not learn?"""

from __future__ import annotations

import argparse
from pathlib import Path

from flatliner.commands.common import add_study_args, load_study_data, study_config


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
    parser.add_argument(
        "--try-fixes",
        action="store_true",
        help="apply each finding's mechanical fixes to copies of MODEL, train "
        "them with the same seeds and rank them by measured effect",
    )
    parser.add_argument(
        "--html", type=Path, help="also write the self-contained HTML report"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, console) -> int:
    """Handler of `flatliner diagnose`; exit status 1 when an error is found."""
    from flatliner.fixes.trial import ORIGINAL
    from flatliner.models import resolve_model_spec
    from flatliner.probes.presets import get_preset
    from flatliner.report.diagnosis import diagnosis_to_dict, print_diagnosis
    from flatliner.report.fixes import fix_report_to_dict
    from flatliner.report.json_report import write_json
    from flatliner.trials.compare import default_run_dir, study_identity
    from flatliner.trials.diagnose import diagnose_model
    from flatliner.trials.store import RunStore

    # Check every argument before spending time on data or training.
    config, seeds = study_config(args)
    spec = resolve_model_spec(args.model)
    get_preset(args.preset)

    dataset = load_study_data(args, console)
    identity = {
        **study_identity([spec], dataset, config, args.backend),
        "preset": args.preset,
    }
    # With --try-fixes the runs are the fix study's originals, so a fix study
    # interrupted after diagnosis resumes without retraining them.
    label = ORIGINAL if args.try_fixes else "A"
    run_dir = args.run_dir or default_run_dir(
        "diagnose", identity, Path("flatliner-runs")
    )
    console.print(f"runs  {run_dir}  (backend {args.backend})\n")
    store_args = (run_dir, identity)

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
            label=label,
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
    fixes = None
    if args.try_fixes:
        fixes = _try_fixes(spec, diagnosis, dataset, config, store_args, console)
    if args.json:
        data = diagnosis_to_dict(diagnosis, dataset, config, args.backend, args.preset)
        if fixes is not None:
            data["fixes"] = fix_report_to_dict(
                fixes, dataset, config, args.backend, run_dir
            )
        write_json(data, args.json)
        console.print(f"JSON written to {args.json}")
    if args.html:
        _write_html(diagnosis, fixes, dataset, args.html)
        console.print(f"HTML report written to {args.html}")
    errors = any(f.severity == "error" for f in diagnosis.all_findings())
    return 1 if errors else 0


def _try_fixes(spec, diagnosis, dataset, config, store_args, console):
    """Runs the fix study on the diagnosis's findings; None when nothing to try."""
    from flatliner.commands.fix import fix_progress
    from flatliner.fixes.trial import mechanical_fixes, try_fixes
    from flatliner.report.fixes import print_fix_report
    from flatliner.trials.store import RunStore

    if diagnosis.skipped_training:
        console.print("\n--try-fixes: nothing trained, so no fix can be measured.")
        return None
    order = {"error": 0, "warning": 1, "info": 2}
    findings = sorted(diagnosis.all_findings(), key=lambda f: order[f.severity])
    usable, _ = mechanical_fixes(findings)
    if not usable:
        console.print("\n--try-fixes: no finding suggests a fix that can be applied.")
        return None
    console.print(f"\n[bold]Trying {len(usable)} fixes[/] on copies of the model\n")
    with (
        RunStore(*store_args) as store,
        fix_progress(console, diagnosis.seeds, config) as on_progress,
    ):
        report = try_fixes(
            spec, findings, dataset, config, diagnosis.seeds, store, on_progress
        )
    console.print()
    print_fix_report(report, console)
    return report


def _write_html(diagnosis, fixes, dataset, path: Path) -> None:
    from flatliner.report.html.page import write_html
    from flatliner.report.view import fix_effects, single_model_view

    summary = [
        f"{f.severity} {f.kind}: {f.summary}"
        for f in diagnosis.all_findings()
        if f.severity == "error"
    ] or ["no error-level finding"]
    if fixes is not None:
        summary += fixes.summary()
    view = single_model_view(
        diagnosis.model,
        diagnosis.runs,
        diagnosis.findings,
        num_classes=dataset.num_classes,
        data=dataset.name,
        summary=summary,
        extra_findings=diagnosis.preflight,
        fixes=None if fixes is None else fix_effects(fixes),
    )
    write_html(view, path)
