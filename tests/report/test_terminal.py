from rich.console import Console

from flatliner.report.terminal import print_comparison
from tests.diagnoses.runs import collapsed_run
from tests.diagnoses.test_comparison import _healthy, _judge


def _render(comparison) -> str:
    console = Console(record=True, width=250)
    print_comparison(comparison, console)
    return console.export_text()


def test_differing_runs_get_the_statistics_table():
    text = _render(_judge(collapsed_run, _healthy, [0, 1, 2, 3, 4]))
    assert "Is the difference real?" in text
    assert "final_val_accuracy" in text and "significant" in text


def test_identical_runs_get_no_statistics_table():
    text = _render(_judge(collapsed_run, collapsed_run, [0, 1]))
    assert "Is the difference real?" not in text
    assert "no test is needed" in text
