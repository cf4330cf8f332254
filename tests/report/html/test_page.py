import json
import re

from flatliner.report.html import render_html, write_html
from flatliner.report.view import SECTIONS, FixEffect, build_view
from tests.diagnoses.runs import collapsed_run
from tests.report.html.conftest import FIGURES_JS, SECTIONS_JS
from tests.report.reports import MARKUP, judge_runs, judged, renamed


def _view(comparison, **kwargs):
    return build_view(comparison, num_classes=100, data="tiny", **kwargs)


def _markup_view():
    runs = {
        (label, seed): renamed(collapsed_run(label, seed), "d1", MARKUP)
        for label in "AB"
        for seed in (0, 1)
    }
    labels = {"A": "<script>alert('a')</script>", "B": "models.py:<i>wide</i>"}
    return _view(judge_runs(runs, [0, 1], labels))


def test_sections_appear_in_report_order():
    page = render_html(_view(judged()))
    assert re.findall(r"data-section='(\w+)'", page) == list(SECTIONS)


def test_page_loads_nothing_and_runs_no_script():
    page = render_html(_markup_view())
    assert "<script" not in page
    assert not re.search(r"<[^>]*\b(src|href)=", page)
    # The only URL is the SVG namespace, which is a name, not a fetch.
    urls = set(re.findall(r"https?://[^\s\"'<>]+", page))
    assert urls == {"http://www.w3.org/2000/svg"}
    assert "Content-Security-Policy" in page


def test_user_names_are_escaped_in_text_and_figures():
    page = render_html(_markup_view())
    assert MARKUP not in page
    assert "<b>d1</b>" not in page
    assert "<i>wide</i>" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;b&gt;d1&lt;/b&gt;" in page
    assert "&lt;script&gt;alert(&#x27;a&#x27;)&lt;/script&gt;" in page


def test_layer_named_with_markup_shows_as_text_in_a_browser(browser, tmp_path):
    path = write_html(_markup_view(), tmp_path / "report.html")
    browser.open(path)
    assert browser.evaluate("document.querySelectorAll('img, b > b, i').length") == 0
    assert browser.evaluate("document.querySelectorAll('script').length") == 0
    text = browser.evaluate("document.body.innerText")
    assert MARKUP in text
    assert "<script>alert('a')</script>" in text
    assert browser.console_errors() == []


def test_every_figure_is_drawn_in_a_browser(browser, tmp_path):
    view = _view(
        judged("collapsed", "healthy"),
        fixes=[FixEffect("widen d1 to 128 units", 0.14, 0.13, 0.15, seeds=2)],
    )
    browser.open(write_html(view, tmp_path / "report.html"))
    figures = json.loads(browser.evaluate(FIGURES_JS))
    assert {f["section"] for f in figures} == set(SECTIONS) - {"verdict", "gradients"}
    for figure in figures:
        assert figure["width"] > 100 and figure["height"] > 50, figure
        assert figure["marks"] > 0, figure
    sections = {s["section"]: s for s in json.loads(browser.evaluate(SECTIONS_JS))}
    assert sections["gradients"]["note"] and not sections["gradients"]["figures"]
    assert browser.console_errors() == []


def test_missing_measurements_show_a_note_not_an_empty_figure():
    page = render_html(_view(judged()))
    gradients = page.split("data-section='gradients'")[1].split("</section>")[0]
    fixes = page.split("data-section='fixes'")[1].split("</section>")[0]
    for section in (gradients, fixes):
        assert "not measured in this run" in section
        assert "<svg" not in section


def test_gradient_norms_light_up_once_records_carry_them():
    comparison = judged()
    for judged_run in comparison.runs.values():
        for i, record in enumerate(judged_run.run.epochs):
            # The field issue 3 adds; set here on the record as it will be.
            record.grad_norms = {"d1": 0.0 if i else 0.5, "d2": 0.1 / (i + 1)}
    page = render_html(_view(comparison))
    gradients = page.split("data-section='gradients'")[1].split("</section>")[0]
    assert "not measured" not in gradients
    assert gradients.count("<figure") == 2  # one per variant
    assert "d2, seed 1" in gradients


def test_fixes_show_effect_and_interval():
    fixes = [
        FixEffect("remove the ReLU from d1", 0.08, 0.07, 0.09, seeds=5, collapsed=0),
        FixEffect("lower the learning rate", 0.01, -0.01, 0.03, seeds=5),
    ]
    page = render_html(_view(judged(), fixes=fixes))
    section = page.split("data-section='fixes'")[1].split("</section>")[0]
    assert "[+0.0700, +0.0900]" in section
    assert "[-0.0100, +0.0300]" in section
    assert section.count('class="mark"') >= 4  # an interval and a point per fix


def test_banner_follows_the_judgement_not_the_model_name():
    collapsed = render_html(_view(judged("collapsed", "collapsed")))
    mixed = render_html(_view(judged("collapsed", "healthy")))
    assert collapsed.count("class='tile bad'") == 2
    assert mixed.count("class='tile bad'") == 1
    assert mixed.count("class='tile ok'") == 1
    assert "2 of 2 runs at chance level" in mixed


def test_findings_are_grouped_with_evidence_per_run():
    page = render_html(_view(judged("collapsed", "healthy")))
    verdict = page.split("data-section='verdict'")[1].split("</section>")[0]
    assert "dead layer" in verdict
    assert "in 2 of 4 runs (A seed 0, A seed 1)" in verdict
    assert "remove the ReLU from d1" in verdict


def test_written_page_is_one_complete_file(tmp_path):
    target = write_html(_view(judged()), tmp_path / "sub" / "report.html")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert text.rstrip().endswith("</html>")
    assert list(target.parent.iterdir()) == [target]


def test_a_single_variant_renders_without_a_pair_tile():
    # How `diagnose` will use the page: one model, its seeds, no A = B pairs.
    view = _view(judged())
    view.labels = {"A": view.labels["A"]}
    view.runs = {k: v for k, v in view.runs.items() if k[0] == "A"}
    view.identical = {}
    page = render_html(view)
    assert "seed by seed" not in page
    assert page.count("class='tile bad'") == 1
    assert re.findall(r"data-section='(\w+)'", page) == list(SECTIONS)
