from flatliner.diagnoses.dead_units import dead_units
from tests.diagnoses.runs import collapsed_run, healthy_run, record


def test_all_dead_bottleneck_is_a_dead_layer_named_by_path():
    findings = dead_units(collapsed_run(), probe_size=1000)
    assert len(findings) == 1
    finding = findings[0]
    assert finding.kind == "dead_layer" and finding.layer == "d1"
    assert finding.since_epoch == 1
    assert finding.summary.startswith(
        "d1 (Dense, 4 units, relu): 4 of 4 units never active from epoch 1; "
        "the next layer sees a constant input; the model predicts 1 class"
    )
    actions = [fix.action for fix in finding.fixes]
    assert actions[:2] == ["remove_activation", "leaky_relu"]
    assert "widen_layer" in actions and "lower_learning_rate" in actions


def test_healthy_run_has_no_dead_unit_finding():
    assert dead_units(healthy_run(), probe_size=1000) == []


def test_three_of_four_dead_is_a_warning_not_a_dead_layer():
    run = healthy_run()
    run.epochs[-1] = record(2, 0.0222, 4.58, 3, classes=10)
    (finding,) = dead_units(run, probe_size=1000)
    assert finding.kind == "dead_units" and finding.severity == "warning"
    assert "3 of 4 units" in finding.summary


def test_mostly_dead_layer_in_a_learning_run_is_information():
    run = healthy_run()
    run.epochs[-1] = record(2, 0.146, 3.72, 3, classes=88)  # 3.72 < 0.9 ln 100
    (finding,) = dead_units(run, probe_size=1000, num_classes=100)
    assert finding.kind == "dead_units" and finding.severity == "info"
    run.epochs[-1] = record(2, 0.0222, 4.58, 3, classes=10)  # near ln 100
    (finding,) = dead_units(run, probe_size=1000, num_classes=100)
    assert finding.severity == "warning"
