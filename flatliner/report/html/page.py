"""The report page: one self-contained HTML file, readable offline.

Everything is inline: the style sheet, and every figure as SVG. The page runs
no script and its Content-Security-Policy forbids loading anything, so a page
that tried to fetch a font or a library would show an error in the browser's
console rather than quietly reaching the network. Every name that comes from
the user (model, layer, file, data) is escaped with `html.escape`.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from flatliner import __version__
from flatliner.files import atomic_file
from flatliner.report.html.figures import FIGURES, variant_color
from flatliner.report.view import (
    NOT_MEASURED,
    SECTIONS,
    TITLES,
    FindingGroup,
    ReportView,
    spread,
)

_CSS = """
body { font-family: 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif;
  margin: 0 auto; max-width: 1000px; padding: 16px 24px; color: #1f2937; }
h1 { font-size: 22px; margin: 4px 0; }
h2 { font-size: 18px; border-bottom: 1px solid #d1d5db; padding-bottom: 4px;
  margin-top: 28px; }
.meta { color: #4b5563; font-size: 13px; }
.banner { display: flex; gap: 12px; flex-wrap: wrap; margin: 14px 0; }
.tile { flex: 1 1 200px; border-radius: 8px; padding: 10px 14px;
  border: 2px solid #d1d5db; }
.tile.bad { border-color: #dc2626; background: #fef2f2; }
.tile.ok { border-color: #16a34a; background: #f0fdf4; }
.tile .big { font-size: 26px; font-weight: bold; }
.tile .small { font-size: 13px; color: #374151; }
.tile .cause { color: #b91c1c; font-weight: bold; margin-top: 4px; }
ul.verdict li { margin: 4px 0; }
.finding { border-left: 5px solid #9ca3af; padding: 6px 12px; margin: 12px 0;
  background: #f9fafb; }
.finding.error { border-color: #dc2626; }
.finding.warning { border-color: #d97706; }
.badge { display: inline-block; font-size: 12px; font-weight: bold;
  padding: 1px 6px; border-radius: 4px; color: white; background: #6b7280; }
.badge.error { background: #dc2626; }
.badge.warning { background: #d97706; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0; }
td, th { border: 1px solid #e5e7eb; padding: 2px 8px; text-align: right; }
th { background: #f3f4f6; }
td.text, th.text { text-align: left; }
.figures { display: flex; flex-wrap: wrap; gap: 10px 18px; }
figure { margin: 6px 0; max-width: 470px; }
figcaption { font-size: 12px; color: #374151; }
.not-measured { color: #6b7280; font-style: italic; }
svg .plot { fill: #ffffff; stroke: #9ca3af; }
svg .grid { stroke: #e5e7eb; }
svg .ref { stroke: #111827; stroke-dasharray: 2 3; stroke-width: 1.2; }
svg .ref-label { font-size: 11px; fill: #111827; }
svg .tick { font-size: 11px; fill: #4b5563; }
svg .axis { font-size: 12px; fill: #111827; }
svg .legend { font-size: 11px; fill: #111827; }
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def render_html(view: ReportView, *, source: str | None = None) -> str:
    """The whole page as one string.

    Args:
        view: What to show (see flatliner.report.view).
        source: Where the runs came from (a run folder), shown in the header.
    """
    body = [_header(view, source), _banner(view)]
    for section in SECTIONS:
        body.append(_section(view, section))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>flatliner: {_e(' vs '.join(view.labels.values()))}</title>"
        f"<style>{_CSS}</style></head><body>" + "".join(body) + "</body></html>\n"
    )


def write_html(view: ReportView, path: Path, *, source: str | None = None) -> Path:
    """Writes the page atomically: a reader never sees a half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path) as handle:
        handle.write(render_html(view, source=source))
    return path


def _header(view: ReportView, source: str | None) -> str:
    models = ", ".join(
        f"<b>{_e(label)}</b> = <code>{_e(model)}</code>"
        for label, model in view.labels.items()
    )
    backends = sorted({run.backend for run in view.runs.values()})
    epochs = sorted({run.final.epoch for run in view.runs.values()})
    where = f" &middot; runs from <code>{_e(source)}</code>" if source else ""
    return (
        f"<header><h1>flatliner report</h1><p class='meta'>{models} &middot; data "
        f"<code>{_e(view.data)}</code> ({view.num_classes} classes) &middot; "
        f"{len(view.seeds)} seeds &middot; {_e(', '.join(map(str, epochs)))} "
        f"epochs &middot; backend {_e(', '.join(backends))}{where} &middot; "
        f"flatliner {_e(__version__)}</p></header>"
    )


def _banner(view: ReportView) -> str:
    """One tile per variant: what a reader must see before any figure."""
    tiles = []
    for label, model in view.labels.items():
        n = len(view.seeds)
        collapsed = sum((label, s) in view.chance for s in view.seeds)
        s = spread(view.final_accuracy(label))
        classes = [
            view.runs[(label, seed)].final.classes_predicted for seed in view.seeds
        ]
        state = "bad" if collapsed else "ok"
        dead = _dead_layers(view, label)
        headline = (
            f"{collapsed} of {n} runs at chance level" if collapsed else "learning"
        )
        tiles.append(
            f"<div class='tile {state}' style='border-top: 6px solid "
            f"{variant_color(view, label)}'><div class='small'><b>{_e(label)}</b> "
            f"<code>{_e(model)}</code></div><div class='big'>{headline}</div>"
            f"<div class='small'>final val accuracy {_num(s['mean'])} mean "
            f"(chance {1 / view.num_classes:.3g}); classes predicted "
            f"{min(classes)}-{max(classes)} of {view.num_classes}</div>{dead}</div>"
        )
    if not view.identical:
        return f"<div class='banner'>{''.join(tiles)}</div>"
    same = sum(view.identical.values())
    tiles.append(
        "<div class='tile'><div class='small'>A and B, seed by seed</div>"
        f"<div class='big'>identical in {same} of {len(view.identical)}</div>"
        "<div class='small'>final weights and every recorded number</div></div>"
    )
    return f"<div class='banner'>{''.join(tiles)}</div>"


def _dead_layers(view: ReportView, label: str) -> str:
    """`cause: d1 dead in 3 of 3 runs` for every layer dead at the end."""
    found = []
    for group in view.groups:
        runs = [r for r in group.runs if r[0] == label]
        if group.finding.kind == "dead_layer" and runs:
            found.append(
                f"<code>{_e(group.finding.layer)}</code> all units dead in "
                f"{len(runs)} of {len(view.seeds)} runs"
            )
    if not found:
        return ""
    return f"<div class='small cause'>{'; '.join(found)}</div>"


def _section(view: ReportView, section: str) -> str:
    head = (
        f"<section id='{section}' data-section='{section}'><h2>{TITLES[section]}</h2>"
    )
    if section == "verdict":
        return head + _verdict(view) + "</section>"
    if not view.has(section):
        return head + f"<p class='not-measured'>{NOT_MEASURED}.</p></section>"
    figures = "".join(
        f"<figure data-figure='{section}'>{svg}<figcaption>{_e(caption)}"
        "</figcaption></figure>"
        for caption, svg in FIGURES[section](view)
    )
    extra = _fix_table(view) if section == "fixes" else ""
    return head + f"<div class='figures'>{figures}</div>{extra}</section>"


def _verdict(view: ReportView) -> str:
    lines = "".join(f"<li>{_e(line)}</li>" for line in view.summary)
    findings = "".join(_finding(view, group) for group in view.groups)
    if not view.groups:
        findings = "<p>No finding: no rule crossed its threshold in any run.</p>"
    return f"<ul class='verdict'>{lines}</ul>{findings}"


def _finding(view: ReportView, group: FindingGroup) -> str:
    f = group.finding
    where = ", ".join(f"{label} seed {seed}" for label, seed, _ in group.runs)
    total = len(view.runs)

    # Evidence: one row per run, since a number can differ between seeds.
    keys: list[str] = []
    for _, _, found in group.runs:
        keys += [k for k in found.evidence if k not in keys]
    header = "".join(f"<th>{_e(k.replace('_', ' '))}</th>" for k in keys)
    rows = "".join(
        f"<tr><td class='text'>{_e(label)} seed {seed}</td><td>"
        f"{'' if found.since_epoch is None else found.since_epoch}</td>"
        + "".join(f"<td>{_cell(found.evidence.get(k))}</td>" for k in keys)
        + "</tr>"
        for label, seed, found in group.runs
    )
    fixes = "".join(f"<li>{_e(fix.description)}</li>" for fix in f.fixes)
    layer = f" &middot; layer <code>{_e(f.layer)}</code>" if f.layer else ""
    return (
        f"<div class='finding {f.severity}'><span class='badge {f.severity}'>"
        f"{_e(f.severity)}</span> <b>{_e(f.kind.replace('_', ' '))}</b>{layer} "
        f"&middot; in {len(group.runs)} of {total} runs ({_e(where)})"
        f"<p>{_e(f.summary)}.</p>"
        f"<table><tr><th class='text'>run</th><th>since epoch</th>{header}</tr>"
        f"{rows}</table>"
        f"<p class='meta'>Rule: {_e(f.threshold)}.</p>"
        + (f"<p>Fixes, best first:</p><ol>{fixes}</ol>" if fixes else "")
        + "</div>"
    )


def _fix_table(view: ReportView) -> str:
    rows = "".join(
        f"<tr><td class='text'>{_e(fix.description)}</td><td>{fix.effect:+.4f}</td>"
        f"<td>{_interval(fix.low, fix.high)}</td><td>{fix.confidence:.0%}</td>"
        f"<td>{fix.seeds}</td>"
        f"<td>{'' if fix.collapsed is None else fix.collapsed}</td></tr>"
        for fix in view.fixes
    )
    return (
        "<table><tr><th class='text'>fix</th><th>effect on val accuracy</th>"
        "<th>interval</th><th>level</th><th>seeds</th><th>still at chance</th></tr>"
        f"{rows}</table>"
    )


def _interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "not computed"
    return f"[{low:+.4f}, {high:+.4f}]"


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return _e(f"{value:.4g}")
    return _e("" if value is None else str(value))


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4f}"


def _e(text: str) -> str:
    return escape(str(text), quote=True)
