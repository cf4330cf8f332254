"""The seed case on the real CIFAR-100, rendered and opened in headless Chromium.

One seed, one epoch: `compare --html --json`, then `report` on the same run
folder. The screenshot goes to test-artifacts/report-seed-case.png.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.report.html.conftest import FIGURES_JS, SECTIONS_JS

REPO = Path(__file__).resolve().parents[3]
ARTIFACTS = REPO / "test-artifacts"


def _flatliner(args, tmp_path):
    env = dict(os.environ, FLATLINER_NO_DOWNLOAD="1", COLUMNS="160")
    env.pop("KERAS_BACKEND", None)
    done = subprocess.run(
        [sys.executable, "-m", "flatliner", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.slow
def test_seed_case_page_renders_every_figure_in_chromium(
    cifar100_path, browser, tmp_path
):
    run_dir, page, data = tmp_path / "runs", tmp_path / "seed.html", tmp_path / "r.json"
    out = _flatliner(
        [
            "compare",
            "seed-relu",
            "seed-activation",
            "--data",
            str(cifar100_path),
            "--seeds",
            "1",
            "--epochs",
            "1",
            "--run-dir",
            str(run_dir),
            "--html",
            str(page),
            "--json",
            str(data),
        ],
        tmp_path,
    )
    assert "HTML report written" in out
    verdict = json.loads(data.read_text())["verdict"]

    browser.open(page)
    assert browser.console_errors() == []

    # Every section is there, in order; each shows figures or says why not.
    sections = json.loads(browser.evaluate(SECTIONS_JS))
    assert [s["section"] for s in sections] == [
        "verdict",
        "curves",
        "spread",
        "dead_units",
        "classes",
        "gradients",
        "fixes",
    ]
    for section in sections[1:]:
        assert section["figures"] or section["note"], section
    for name in ("curves", "spread", "dead_units", "classes"):
        assert next(s for s in sections if s["section"] == name)["figures"], name
    for figure in json.loads(browser.evaluate(FIGURES_JS)):
        assert figure["width"] > 100 and figure["height"] > 50, figure
        assert figure["marks"] > 0, figure

    # The banner says what the judgement says: one tile per collapsed variant.
    collapsed = {run["label"] for run in verdict["chance_level_runs"]}
    bad = browser.evaluate("document.querySelectorAll('.tile.bad').length")
    assert bad == len(collapsed)
    shot = browser.screenshot(ARTIFACTS / "report-seed-case.png")
    assert shot.stat().st_size > 10_000

    # `report` on the same folder gives the same page sections from the store.
    again = tmp_path / "again.html"
    out = _flatliner(["report", str(run_dir), "--html", str(again)], tmp_path)
    assert out.index("Verdict and findings") < out.index("Fixes tried")
    browser.open(again)
    assert browser.console_errors() == []
    assert json.loads(browser.evaluate(SECTIONS_JS)) == sections
