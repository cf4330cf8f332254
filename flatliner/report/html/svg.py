"""Hand-written inline SVG charts: lines over epochs, bars, dots and intervals.

Every chart is a complete `<svg>` element as a string, sized in pixels, with no
script, no external font and no link, so a page that inlines it stays readable
offline. Every piece of text passes through `html.escape`, so a label that
holds markup (a layer called `<b>x</b>`) shows as text. Marks that carry data
have the class `mark`; a browser test counts them to tell an empty chart from
a drawn one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

# Space around the plotting area, in pixels: left holds the y tick labels.
_LEFT, _RIGHT, _TOP, _BOTTOM = 66, 16, 14, 44
_LEGEND = 20  # height of the legend row above a line chart


@dataclass(frozen=True)
class Series:
    """One line: (x, y) points in x order, drawn in `color`, dashed if asked.

    Points whose y is None or not finite are skipped (the line breaks there).
    """

    label: str
    points: Sequence[tuple[float, float | None]]
    color: str
    dashed: bool = False
    width: float = 2.0


@dataclass(frozen=True)
class Reference:
    """A horizontal reference line (chance level, ln K) with its label."""

    y: float
    label: str


@dataclass(frozen=True)
class LegendEntry:
    label: str
    color: str
    dashed: bool = False


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    x_label: str,
    y_label: str,
    y_range: tuple[float, float] | None = None,
    log_y: bool = False,
    references: Sequence[Reference] = (),
    legend: Sequence[LegendEntry] = (),
    width: int = 460,
    height: int = 250,
) -> str:
    """Lines over a numeric x axis (epochs), optionally on a log y axis.

    `y_range` fixes the y axis (e.g. (0, 1) for shares); otherwise it spans
    the data and the reference lines. On a log axis, exact zeros are drawn on
    a row of their own labelled 0, and negative values are skipped. A legend
    sits above the plotting area, which grows the chart by its height.
    """
    xs = [x for s in series for x, _ in s.points]
    ys = [y for s in series for _, y in s.points if _drawable(y, log_y)]
    ys = [y for y in ys if y > 0] if log_y else ys
    ys += [r.y for r in references if _drawable(r.y, log_y) and (r.y > 0 or not log_y)]
    zeros = log_y and any(y == 0 for s in series for _, y in s.points)
    x_lo, x_hi = (min(xs), max(xs)) if xs else (0.0, 1.0)
    if y_range is not None:
        y_lo, y_hi = y_range
    elif ys:
        y_lo, y_hi = min(ys), max(ys)
        if not log_y:
            # A little room, so lines on the edge stay off the frame.
            pad = (y_hi - y_lo) * 0.05
            y_lo, y_hi = y_lo - pad, y_hi + pad
    else:
        y_lo, y_hi = (0.1, 1.0) if log_y else (0.0, 1.0)
    top = _TOP + (_LEGEND if legend else 0)
    height += top - _TOP
    frame = _Frame(
        width, height, (x_lo, x_hi), (y_lo, y_hi), log_y, top=top, zero_row=zeros
    )

    parts = [_open(width, height, title), frame.axes(x_label, y_label, integer_x=True)]
    for ref in references:
        if _drawable(ref.y, log_y) and (ref.y > 0 or not log_y):
            parts.append(frame.reference(ref))
    for s in series:
        for run in _segments(s.points, log_y):
            coords = " ".join(f"{frame.px(x):.1f},{frame.py(y):.1f}" for x, y in run)
            dash = ' stroke-dasharray="7 4"' if s.dashed else ""
            parts.append(
                f'<polyline class="mark" points="{coords}" fill="none" '
                f'stroke="{s.color}" stroke-width="{s.width}"{dash} '
                f'stroke-linejoin="round"><title>{escape(s.label)}</title></polyline>'
            )
            for x, y in run:
                parts.append(
                    f'<circle class="mark" cx="{frame.px(x):.1f}" '
                    f'cy="{frame.py(y):.1f}" r="2.6" fill="{s.color}">'
                    f"<title>{escape(s.label)}: {_fmt(y)} at {_fmt(x)}</title>"
                    "</circle>"
                )
    parts.append(_legend(legend, width))
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    values: Sequence[float],
    *,
    title: str,
    x_label: str,
    y_label: str,
    color: str,
    references: Sequence[Reference] = (),
    width: int = 460,
    height: int = 220,
) -> str:
    """One bar per index 0..len(values)-1 (a histogram over classes)."""
    n = max(len(values), 1)
    top = max([*values, *(r.y for r in references), 1.0])
    frame = _Frame(width, height, (-0.5, n - 0.5), (0.0, top), False)
    parts = [_open(width, height, title), frame.axes(x_label, y_label, integer_x=True)]
    slot = frame.plot_width / n
    bar = max(slot * 0.8, 1.0)
    for i, value in enumerate(values):
        if value <= 0:
            continue
        y = frame.py(value)
        parts.append(
            f'<rect class="mark" x="{frame.px(i) - bar / 2:.2f}" y="{y:.1f}" '
            f'width="{bar:.2f}" height="{frame.py(0.0) - y:.1f}" fill="{color}">'
            f"<title>class {i}: {_fmt(value)}</title></rect>"
        )
    for ref in references:
        parts.append(frame.reference(ref))
    parts.append("</svg>")
    return "".join(parts)


def strip_chart(
    groups: Sequence[tuple[str, Sequence[float], str]],
    *,
    title: str,
    y_label: str,
    references: Sequence[Reference] = (),
    width: int = 460,
    height: int = 250,
) -> str:
    """One column of dots per group (one dot per seed) with the group's mean.

    `groups` holds (label, values, color). Dots with equal values are spread
    sideways so that ten identical seeds show as ten dots, not one.
    """
    values = [v for _, vs, _ in groups for v in vs if math.isfinite(v)]
    values += [r.y for r in references]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    lo = min(lo, 0.0)
    n = max(len(groups), 1)
    frame = _Frame(width, height, (-0.5, n - 0.5), (lo, hi), False)
    parts = [_open(width, height, title), frame.axes("", y_label, ticks_x=False)]
    for ref in references:
        parts.append(frame.reference(ref))
    for i, (label, vs, color) in enumerate(groups):
        cx = frame.px(i)
        parts.append(
            f'<text x="{cx:.1f}" y="{height - _BOTTOM + 18}" text-anchor="middle" '
            f'class="tick">{escape(label)}</text>'
        )
        finite = [v for v in vs if math.isfinite(v)]
        seen: dict[float, int] = {}
        for v in finite:
            k = seen.get(v, 0)
            seen[v] = k + 1
            offset = (k // 2 + 1) * 7 * (1 if k % 2 else -1) if k else 0
            parts.append(
                f'<circle class="mark" cx="{cx + offset:.1f}" cy="{frame.py(v):.1f}" '
                f'r="5" fill="{color}" fill-opacity="0.75" stroke="white">'
                f"<title>{escape(label)}: {_fmt(v)}</title></circle>"
            )
        if finite:
            mean = sum(finite) / len(finite)
            y = frame.py(mean)
            parts.append(
                f'<line x1="{cx - 28:.1f}" x2="{cx + 28:.1f}" y1="{y:.1f}" '
                f'y2="{y:.1f}" stroke="{color}" stroke-width="2.5">'
                f"<title>{escape(label)} mean: {_fmt(mean)}</title></line>"
            )
    parts.append("</svg>")
    return "".join(parts)


def interval_chart(
    rows: Sequence[tuple[str, float, float | None, float | None, str]],
    *,
    title: str,
    x_label: str,
    width: int = 460,
) -> str:
    """A forest plot: one row per (label, effect, low, high, color), zero marked.

    A row without an interval shows its point alone.
    """
    row_h = 26
    height = _TOP + _BOTTOM + row_h * max(len(rows), 1)
    numbers = [0.0] + [
        v for _, e, lo, hi, _ in rows for v in (e, lo, hi) if v is not None
    ]
    span = (min(numbers), max(numbers))
    if span[0] == span[1]:
        span = (span[0] - 1.0, span[1] + 1.0)
    left = 170
    frame = _Frame(width, height, span, (0.0, 1.0), False, left=left)
    parts = [_open(width, height, title), frame.x_axis(x_label)]
    zero = frame.px(0.0)
    parts.append(
        f'<line x1="{zero:.1f}" x2="{zero:.1f}" y1="{_TOP}" '
        f'y2="{height - _BOTTOM}" class="ref"/>'
    )
    for i, (label, effect, lo, hi, color) in enumerate(rows):
        y = _TOP + row_h * (i + 0.5)
        parts.append(
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" '
            f'class="tick">{escape(_clip(label, 26))}</text>'
        )
        if lo is not None and hi is not None:
            parts.append(
                f'<line class="mark" x1="{frame.px(lo):.1f}" x2="{frame.px(hi):.1f}" '
                f'y1="{y:.1f}" y2="{y:.1f}" stroke="{color}" stroke-width="3"/>'
            )
        parts.append(
            f'<circle class="mark" cx="{frame.px(effect):.1f}" cy="{y:.1f}" r="5" '
            f'fill="{color}"><title>{escape(label)}: {_fmt(effect)}</title></circle>'
        )
    parts.append("</svg>")
    return "".join(parts)


class _Frame:
    """Maps data coordinates to pixels inside the plotting area."""

    def __init__(
        self,
        width,
        height,
        x_span,
        y_span,
        log_y,
        left=_LEFT,
        top=_TOP,
        zero_row=False,
    ) -> None:
        self.width, self.height, self.log_y, self.left = width, height, log_y, left
        self.top = top
        self.plot_width = width - left - _RIGHT
        self.plot_height = height - top - _BOTTOM
        self.x_lo, self.x_hi = _widen(*x_span)
        y_lo, y_hi = y_span
        if log_y:
            y_lo, y_hi = math.log10(y_lo), math.log10(y_hi)
            y_lo, y_hi = math.floor(y_lo), math.ceil(y_hi)
        self.y_lo, self.y_hi = _widen(y_lo, y_hi)
        # A log axis has no 0: exact zeros get their own row half a decade
        # below the lowest decade, labelled 0, so a layer that stopped
        # learning stays visible instead of vanishing from the chart.
        self.zero_row = log_y and zero_row
        self.decade_lo = self.y_lo
        if self.zero_row:
            self.y_lo -= 0.5

    def px(self, x: float) -> float:
        share = (x - self.x_lo) / (self.x_hi - self.x_lo)
        return self.left + share * self.plot_width

    def py(self, y: float) -> float:
        if self.log_y:
            value = math.log10(y) if y > 0 else self.y_lo
        else:
            value = y
        share = (value - self.y_lo) / (self.y_hi - self.y_lo)
        return self.top + (1.0 - share) * self.plot_height

    def axes(self, x_label, y_label, *, integer_x=False, ticks_x=True) -> str:
        parts = [
            f'<rect x="{self.left}" y="{self.top}" width="{self.plot_width}" '
            f'height="{self.plot_height}" class="plot"/>'
        ]
        # y ticks: decades on a log axis, round numbers otherwise.
        if self.log_y:
            decades = range(int(self.decade_lo), int(self.y_hi) + 1)
            ticks = [0.0] * self.zero_row + [10.0**e for e in decades]
            labels = [_fmt(t) for t in ticks]
        else:
            ticks = _nice_ticks(self.y_lo, self.y_hi)
            labels = _tick_labels(ticks)
        for t, label in zip(ticks, labels, strict=True):
            y = self.py(t)
            parts.append(
                f'<line x1="{self.left}" x2="{self.left + self.plot_width}" '
                f'y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                f'<text x="{self.left - 6}" y="{y + 4:.1f}" text-anchor="end" '
                f'class="tick">{label}</text>'
            )
        if ticks_x:
            parts.append(self._x_ticks(integer_x))
        parts.append(
            f'<text x="{self.left + self.plot_width / 2:.1f}" y="{self.height - 6}" '
            f'text-anchor="middle" class="axis">{escape(x_label)}</text>'
            f'<text transform="translate(13 {self.top + self.plot_height / 2:.1f}) '
            f'rotate(-90)" text-anchor="middle" class="axis">{escape(y_label)}</text>'
        )
        return "".join(parts)

    def x_axis(self, x_label: str) -> str:
        bottom = self.height - _BOTTOM
        return (
            f'<line x1="{self.left}" x2="{self.left + self.plot_width}" '
            f'y1="{bottom}" y2="{bottom}" class="grid"/>'
            + self._x_ticks(False)
            + f'<text x="{self.left + self.plot_width / 2:.1f}" '
            f'y="{self.height - 6}" text-anchor="middle" class="axis">'
            f"{escape(x_label)}</text>"
        )

    def _x_ticks(self, integer: bool) -> str:
        ticks = _nice_ticks(self.x_lo, self.x_hi, integer=integer)
        bottom = self.height - _BOTTOM
        return "".join(
            f'<text x="{self.px(t):.1f}" y="{bottom + 16}" text-anchor="middle" '
            f'class="tick">{label}</text>'
            for t, label in zip(ticks, _tick_labels(ticks), strict=True)
        )

    def reference(self, ref: Reference) -> str:
        y = self.py(ref.y)
        return (
            f'<line x1="{self.left}" x2="{self.left + self.plot_width}" '
            f'y1="{y:.1f}" y2="{y:.1f}" class="ref"/>'
            f'<text x="{self.left + self.plot_width - 4}" y="{y - 4:.1f}" '
            f'text-anchor="end" class="ref-label">{escape(ref.label)}</text>'
        )


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img">'
        f"<title>{escape(title)}</title>"
    )


def _legend(entries: Sequence[LegendEntry], width: int) -> str:
    parts = []
    x = _LEFT + 8
    for entry in entries:
        dash = ' stroke-dasharray="7 4"' if entry.dashed else ""
        parts.append(
            f'<line x1="{x}" x2="{x + 22}" y1="{_TOP}" y2="{_TOP}" '
            f'stroke="{entry.color}" stroke-width="2.5"{dash}/>'
            f'<text x="{x + 27}" y="{_TOP + 4}" class="legend">'
            f"{escape(_clip(entry.label, 30))}</text>"
        )
        x += 40 + 7 * min(len(entry.label), 30)
        if x > width - 60:
            break
    return "".join(parts)


def _segments(points, log_y: bool) -> list[list[tuple[float, float]]]:
    """Splits a series where a value is missing, so the line shows the gap."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in points:
        if _drawable(y, log_y):
            runs[-1].append((x, y))
        elif runs[-1]:
            runs.append([])
    return [r for r in runs if r]


def _drawable(y: float | None, log_y: bool) -> bool:
    return y is not None and math.isfinite(y) and (y >= 0 or not log_y)


def _widen(lo: float, hi: float) -> tuple[float, float]:
    if hi > lo:
        return lo, hi
    pad = abs(lo) * 0.1 or 1.0
    return lo - pad, hi + pad


def _nice_ticks(lo: float, hi: float, *, integer: bool = False) -> list[float]:
    """About five round tick values inside [lo, hi]."""
    raw = (hi - lo) / 5
    step = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= step * factor:
            step *= factor
            break
    if integer:
        step = max(1.0, round(step))
    first = math.ceil(lo / step - 1e-9) * step
    ticks = []
    t = first
    while t <= hi + step * 1e-9:
        ticks.append(round(t, 12))
        t += step
    return ticks


def _tick_labels(ticks: list[float]) -> list[str]:
    """Tick labels with just enough decimals to tell neighbours apart."""
    if len(ticks) < 2:
        return [_fmt(t) for t in ticks]
    step = abs(ticks[1] - ticks[0])
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    if round(step * 10**decimals, 6) % 1:
        decimals += 1
    return [f"{t:.{decimals}f}" for t in ticks]


def _fmt(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 1e5 or abs(value) < 0.001:
        return f"{value:.0e}".replace("e+0", "e").replace("e-0", "e-")
    return f"{value:.4g}"


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
