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


def test_findings_report_the_probe_samples_a_small_test_split_really_has():
    # 1000 probe samples asked for, but the test split holds only 50.
    small = SimpleNamespace(y_test=balanced_labels(50, 100), num_classes=100)
    runs = {(label, 0): collapsed_run(label, 0) for label in LABELS}
    comparison = judge_comparison(LABELS, [0], runs, small, TrainConfig())
    (dead,) = [f for f in comparison.runs[("A", 0)].findings if f.kind == "dead_layer"]
    assert dead.evidence["probe_samples"] == 50


def test_the_json_data_block_gives_the_real_probe_samples():
    from flatliner.report.json_report import comparison_to_dict
    from tests.helpers import tiny_images

    data = tiny_images(n_train=16, n_test=40)
    runs = {(label, 0): collapsed_run(label, 0) for label in LABELS}
    comparison = judge_comparison(LABELS, [0], runs, data, TrainConfig())
    out = comparison_to_dict(comparison, data, TrainConfig(), "jax", None)
    assert out["data"]["probe_samples"] == 40
    assert out["config"]["probe_size"] == 1000
