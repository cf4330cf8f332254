import re

from flatliner.report.html.svg import (
    Reference,
    Series,
    _nice_ticks,
    _tick_labels,
    bar_chart,
    line_chart,
    strip_chart,
)


def _marks(svg: str) -> int:
    return svg.count('class="mark"')


def test_tick_labels_tell_close_values_apart():
    labels = _tick_labels(_nice_ticks(4.6047, 4.6053))
    assert len(set(labels)) == len(labels) > 1
    assert _tick_labels(_nice_ticks(0, 1000)) == [
        "0",
        "200",
        "400",
        "600",
        "800",
        "1000",
    ]


def test_line_chart_breaks_at_missing_values_and_skips_them():
    svg = line_chart(
        [Series("s", [(0, 1.0), (1, None), (2, float("nan")), (3, 2.0)], "#000")],
        title="t",
        x_label="epoch",
        y_label="y",
    )
    assert svg.count("<polyline") == 2
    assert svg.count("<circle") == 2


def test_log_axis_draws_zero_on_its_own_row_and_skips_negatives():
    svg = line_chart(
        [Series("s", [(0, 0.5), (1, 0.0), (2, 0.01), (3, -1.0)], "#000")],
        title="t",
        x_label="epoch",
        y_label="norm",
        log_y=True,
    )
    cys = [
        float(y)
        for y in re.findall(r'<circle class="mark" cx="[\d.]+" cy="([\d.]+)"', svg)
    ]
    assert len(cys) == 3
    # The zero sits below the smallest positive value, on the row labelled 0.
    assert cys[1] > cys[2] > cys[0]
    assert 'text-anchor="end" class="tick">0<' in svg
    assert ">0.01<" in svg and ">1<" in svg


def test_log_axis_without_zeros_has_no_zero_row():
    svg = line_chart(
        [Series("s", [(0, 0.5), (1, 0.01)], "#000")],
        title="t",
        x_label="epoch",
        y_label="norm",
        log_y=True,
    )
    assert 'text-anchor="end" class="tick">0<' not in svg


def test_points_stay_inside_the_plot_area():
    svg = line_chart(
        [Series("s", [(0, 0.0), (5, 1.0)], "#000")],
        title="t",
        x_label="x",
        y_label="y",
        y_range=(0.0, 1.0),
        width=300,
        height=200,
    )
    for cx, cy in re.findall(r'cx="([\d.]+)" cy="([\d.]+)"', svg):
        assert 0 <= float(cx) <= 300 and 0 <= float(cy) <= 200


def test_bar_chart_draws_only_nonzero_classes():
    values = [0] * 100
    values[7] = 1000
    svg = bar_chart(
        values,
        title="t",
        x_label="class",
        y_label="n",
        color="#000",
        references=[Reference(10.0, "even")],
    )
    assert _marks(svg) == 1
    assert "class 7: 1000" in svg


def test_strip_chart_shows_every_seed_even_when_equal():
    svg = strip_chart([("A", [0.01] * 5, "#000")], title="t", y_label="acc")
    cxs = re.findall(r'<circle class="mark" cx="([\d.]+)"', svg)
    assert len(cxs) == 5
    assert len(set(cxs)) == 5


def test_empty_chart_has_axes_but_no_marks():
    svg = line_chart([], title="t", x_label="x", y_label="y")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert _marks(svg) == 0
