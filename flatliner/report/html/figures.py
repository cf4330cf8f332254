"""The figures of each report section, drawn from a ReportView as inline SVG.

Each function returns a list of (caption, svg) pairs; an empty list means the
section has nothing to draw and the page shows its "not measured" note.
Variant A is drawn solid and B dashed, so that two variants that trained
identically show as one line with both styles on it rather than as a single
line that hides the other.
"""

from __future__ import annotations

import math

from flatliner.report.html.svg import (
    LegendEntry,
    Reference,
    Series,
    bar_chart,
    interval_chart,
    line_chart,
    strip_chart,
)
from flatliner.report.view import ReportView, grad_norms, spread

# Variant colours (A, B, then any further ones) and per-layer colours.
VARIANT_COLORS = ("#2563eb", "#ea580c", "#16a34a", "#9333ea", "#0891b2")
LAYER_COLORS = ("#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ca8a04", "#0891b2")

Figure = tuple[str, str]


def variant_color(view: ReportView, label: str) -> str:
    index = list(view.labels).index(label)
    return VARIANT_COLORS[index % len(VARIANT_COLORS)]


def _dashed(view: ReportView, label: str) -> bool:
    return list(view.labels).index(label) % 2 == 1


def _legend(view: ReportView) -> list[LegendEntry]:
    return [
        LegendEntry(
            f"{label} = {model}", variant_color(view, label), _dashed(view, label)
        )
        for label, model in view.labels.items()
    ]


def curves(view: ReportView) -> list[Figure]:
    """Validation accuracy and loss per epoch, one line per (variant, seed)."""
    k = view.num_classes
    accuracy, loss = [], []
    for run in view.ordered_runs():
        name = f"{run.label} seed {run.seed}"
        color, dashed = variant_color(view, run.label), _dashed(view, run.label)
        width = 3.5 if not dashed else 2.0
        accuracy.append(
            Series(
                name,
                [(r.epoch, r.val_accuracy) for r in run.epochs],
                color,
                dashed,
                width,
            )
        )
        loss.append(
            Series(
                name, [(r.epoch, r.val_loss) for r in run.epochs], color, dashed, width
            )
        )
    ceiling = max([s for run in view.runs.values() for s in _accs(run)] + [0.0])
    chance = Reference(1.0 / k, f"chance 1/K = {1.0 / k:.3g}")
    return [
        (
            "Validation accuracy after each epoch (epoch 0 is before training). "
            "The dotted line is chance level.",
            line_chart(
                accuracy,
                title="validation accuracy per epoch",
                x_label="epoch",
                y_label="validation accuracy",
                y_range=(0.0, max(ceiling * 1.15, 3.0 / k)),
                references=[chance],
                legend=_legend(view),
            ),
        ),
        (
            f"Validation loss after each epoch. The dotted line is ln K = "
            f"{math.log(k):.3f}, the loss of predicting every class equally.",
            line_chart(
                loss,
                title="validation loss per epoch",
                x_label="epoch",
                y_label="validation loss",
                y_range=_loss_range(view),
                references=[Reference(math.log(k), "ln K")],
                legend=_legend(view),
            ),
        ),
    ]


def _loss_range(view: ReportView) -> tuple[float, float]:
    """ln K and every loss, at least 20% of ln K tall.

    A loss stuck at ln K then reads as a flat line on the chance line, instead
    of a rounding-level wiggle blown up to fill the chart.
    """
    ln_k = math.log(view.num_classes)
    losses = [
        r.val_loss
        for run in view.runs.values()
        for r in run.epochs
        if math.isfinite(r.val_loss)
    ]
    lo, hi = min([*losses, ln_k]), max([*losses, ln_k])
    missing = max(0.2 * ln_k - (hi - lo), 0.0)
    lo, hi = lo - missing / 2, hi + missing / 2
    pad = (hi - lo) * 0.05
    return max(lo - pad, 0.0), hi + pad


def _accs(run) -> list[float]:
    return [r.val_accuracy for r in run.epochs if math.isfinite(r.val_accuracy)]


def final_spread(view: ReportView) -> list[Figure]:
    """Final validation accuracy of every seed, one column per variant."""
    groups = [
        (label, view.final_accuracy(label), variant_color(view, label))
        for label in view.labels
    ]
    parts = []
    for label in view.labels:
        s = spread(view.final_accuracy(label))
        sd = "" if s["sd"] is None else f", sd {s['sd']:.4f}"
        parts.append(
            f"{label}: mean {s['mean']:.4f}{sd}, range {s['min']:.4f}-"
            f"{s['max']:.4f} over {s['n']} seeds"
        )
    k = view.num_classes
    return [
        (
            "One dot per seed, the bar is the mean. " + "; ".join(parts) + ".",
            strip_chart(
                groups,
                title="final validation accuracy per variant",
                y_label="final validation accuracy",
                references=[Reference(1.0 / k, "chance")],
            ),
        )
    ]


def dead_units(view: ReportView) -> list[Figure]:
    """Per ReLU layer: the share of never-active units after each epoch."""
    figures = []
    for info in view.relu_layers():
        series = []
        for run in view.ordered_runs():
            points = []
            for record in run.epochs:
                counts = record.dead_units.get(info.path)
                share = counts[0] / counts[1] if counts and counts[1] else None
                points.append((record.epoch, share))
            dashed = _dashed(view, run.label)
            series.append(
                Series(
                    f"{run.label} seed {run.seed}",
                    points,
                    variant_color(view, run.label),
                    dashed,
                    2.0 if dashed else 3.5,
                )
            )
        finals = [
            run.final.dead_units.get(info.path)
            for run in view.ordered_runs()
            if run.final.dead_units.get(info.path)
        ]
        all_dead = sum(1 for d, u in finals if u and d == u)
        figures.append(
            (
                f"{info.describe()}: share of units never active on the probe "
                f"batch. All units dead at the end in {all_dead} of {len(finals)} "
                "runs; a layer at 100% passes a constant to the next layer.",
                line_chart(
                    series,
                    title=f"dead units of {info.path}",
                    x_label="epoch",
                    y_label="share of units dead",
                    y_range=(0.0, 1.0),
                    legend=_legend(view),
                ),
            )
        )
    return figures


def predicted_classes(view: ReportView) -> list[Figure]:
    """Per variant: probe images predicted as each class after the last epoch."""
    figures = []
    for label, model in view.labels.items():
        totals = view.class_totals(label)
        images = sum(totals)
        if not images:
            continue
        distinct = [view.runs[(label, s)].final.classes_predicted for s in view.seeds]
        top = max(totals)
        uniform = images / view.num_classes
        figures.append(
            (
                f"{label} ({model}): classes predicted per seed: "
                f"{', '.join(str(d) for d in distinct)} of {view.num_classes}. "
                f"The most predicted class takes {top / images:.0%} of the "
                f"{images} predictions (all seeds together); the dotted line is "
                "an even spread over every class.",
                bar_chart(
                    totals,
                    title=f"predicted classes of {label}",
                    x_label="class",
                    y_label="probe images",
                    color=variant_color(view, label),
                    references=[Reference(uniform, "even spread")],
                ),
            )
        )
    return figures


def gradients(view: ReportView) -> list[Figure]:
    """Gradient norm per layer after each epoch, per variant (first seed shown)."""
    layers = view.gradient_layers()
    figures = []
    for label in view.labels:
        series = []
        for i, info in enumerate(layers):
            for seed in view.seeds:
                run = view.runs[(label, seed)]
                points = [
                    (r.epoch, (grad_norms(r) or {}).get(info.path)) for r in run.epochs
                ]
                series.append(
                    Series(
                        f"{info.path}, seed {seed}",
                        points,
                        LAYER_COLORS[i % len(LAYER_COLORS)],
                        width=1.5,
                    )
                )
        legend = [
            LegendEntry(info.path, LAYER_COLORS[i % len(LAYER_COLORS)])
            for i, info in enumerate(layers)
        ]
        figures.append(
            (
                f"{label} ({view.labels[label]}): RMS of the loss gradient per "
                "layer, one line per seed, log scale. A norm of exactly 0 sits on "
                "the row marked 0: the layer no longer learns.",
                line_chart(
                    series,
                    title=f"gradient norms of {label}",
                    x_label="epoch",
                    y_label="RMS gradient",
                    log_y=True,
                    legend=legend,
                ),
            )
        )
    return figures


def fixes(view: ReportView) -> list[Figure]:
    """Each fix's effect on final accuracy with its interval (forest plot)."""
    rows = [
        (
            fix.description,
            fix.effect,
            fix.low,
            fix.high,
            "#16a34a" if _lower(fix) > 0 else "#6b7280",
        )
        for fix in view.fixes
    ]
    levels = sorted({f"{fix.confidence:.0%}" for fix in view.fixes})
    return [
        (
            "Change of final validation accuracy against the unfixed model, with "
            f"its {' / '.join(levels)} interval; an interval that crosses 0 shows "
            "no proven effect.",
            interval_chart(
                rows, title="effect of each fix", x_label="change of val accuracy"
            ),
        )
    ]


def _lower(fix) -> float:
    return fix.effect if fix.low is None else fix.low


FIGURES = {
    "curves": curves,
    "spread": final_spread,
    "dead_units": dead_units,
    "classes": predicted_classes,
    "gradients": gradients,
    "fixes": fixes,
}
