from rich.console import Console

from flatliner.fixes.trial import FixReport, _outcome
from flatliner.report.fixes import print_fix_report
from tests.fixes.test_trial import FIX, SEEDS, _healthy, _runs


def test_fix_report_shows_gain_interval_and_verdict():
    runs, chance, collapsed = _runs(_healthy)
    outcome = _outcome(FIX, "fix", SEEDS, runs, chance, collapsed)
    report = FixReport(
        model="seed-relu",
        seeds=SEEDS,
        original={s: runs[("original", s)] for s in SEEDS},
        collapsed=collapsed,
        findings=[],
        outcomes=[outcome],
    )
    console = Console(record=True, width=200)
    print_fix_report(report, console)
    text = console.export_text()
    assert "Fixes for seed-relu, 5 seeds each" in text
    assert "helps" in text and "(mann_whitney)" in text
    assert f"+{outcome.gain.estimate:.4f}" in text
    assert "ends the collapse in all 5 seeds" in text
