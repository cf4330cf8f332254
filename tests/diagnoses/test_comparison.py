import dataclasses
from types import SimpleNamespace

from flatliner.diagnoses.comparison import judge_comparison
from flatliner.stats.metric_comparison import IDENTICAL, SIGNIFICANT, TOO_FEW
from flatliner.trials.config import TrainConfig
from tests.diagnoses.runs import balanced_labels, collapsed_run, healthy_run

DATA = SimpleNamespace(y_test=balanced_labels(), num_classes=100)
LABELS = {"A": "seed-relu", "B": "seed-wide"}


def _healthy(label, seed):
    # A learning run whose final accuracy differs a little from seed to seed.
    run = healthy_run(label, seed)
    last = dataclasses.replace(run.epochs[-1], val_accuracy=0.15 + 0.002 * seed)
    run.epochs[-1] = last
    run.weights = [w + seed for w in run.weights]
    return run


def _judge(make_a, make_b, seeds):
    runs = {}
    for seed in seeds:
        runs[("A", seed)] = make_a("A", seed)
        runs[("B", seed)] = make_b("B", seed)
    return judge_comparison(LABELS, seeds, runs, DATA, TrainConfig())


def test_identical_runs_say_no_test_is_needed_before_any_statistics():
    comparison = _judge(collapsed_run, collapsed_run, [0, 1, 2])
    assert comparison.identical
    assert "no test is needed" in comparison.summary[0]
    assert {s.verdict for s in comparison.statistics} == {IDENTICAL}
    assert not any("p =" in line for line in comparison.summary)


def test_collapsed_against_healthy_is_significant_on_every_metric():
    comparison = _judge(collapsed_run, _healthy, [0, 1, 2, 3, 4])
    by_metric = {s.metric: s for s in comparison.statistics}
    assert set(by_metric) == {
        "final_val_accuracy",
        "best_val_accuracy",
        "final_val_loss",
        "chance_level_collapse",
    }
    assert all(s.verdict == SIGNIFICANT for s in by_metric.values())
    accuracy = by_metric["final_val_accuracy"]
    assert accuracy.interval.low > 0.1
    assert by_metric["chance_level_collapse"].fisher.p_value < 0.01
    assert any(
        line.startswith("final_val_accuracy: B - A") for line in comparison.summary
    )


def test_one_seed_is_too_few_for_a_verdict():
    comparison = _judge(collapsed_run, _healthy, [0])
    assert all(s.verdict == TOO_FEW for s in comparison.statistics)
