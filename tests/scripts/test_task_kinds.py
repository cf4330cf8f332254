"""Each task kind: a seeded fault is found and located; its healthy twin is quiet.

The scripts live in fixtures/ and train on tiny synthetic data in seconds.
Faults tested, per task kind:

- multi-class, sparse labels (dense, arrays): dead ReLU layer; labels beyond
  the output's units.
- multi-class, one-hot labels (conv, PyDataset): sparse loss on one-hot labels
  (crash).
- binary (dense, tf.data): softmax over one unit; MSE on 0/1 labels.
- multi-label (dense, generator): softmax output for multi-hot targets.
- regression (dense and GRU; arrays, tf.data, generator; MSE, MAE, Huber):
  sigmoid output for unbounded targets, ReLU output for negative targets,
  unnormalised targets, binary cross-entropy on continuous targets.
"""

from __future__ import annotations

import pytest

from flatliner.scripts.diagnose import diagnose_script
from flatliner.scripts.runner import run_script

# (script, args, the task flatliner should name)
HEALTHY = [
    ("multiclass_sparse.py", [], "multi-class (sparse labels)"),
    ("multiclass_onehot.py", [], "multi-class (one-hot labels)"),
    ("binary.py", [], "binary"),
    ("multilabel.py", [], "multi-label"),
    ("regression.py", [], "regression (mean_squared_error)"),
    (
        "regression.py",
        ["--model", "rnn", "--input", "generator"],
        "regression (mean_squared_error)",
    ),
    ("regression.py", ["--input", "tfdata", "--loss", "huber"], "regression (huber)"),
    ("regression.py", ["--loss", "mae"], "regression (mean_absolute_error)"),
]

# (script, args, finding kind, severity, what the location points at, code there)
FAULTS = [
    (
        "multiclass_sparse.py",
        ["--fault", "dead"],
        "dead_layer",
        "error",
        "layer defined",
        'Dense(16, activation="relu"',
    ),
    (
        "multiclass_sparse.py",
        ["--fault", "labels"],
        "label_out_of_range",
        "error",
        "layer defined",
        "layers.Dense(classes",
    ),
    (
        "multiclass_onehot.py",
        ["--fault", "sparse-loss"],
        "sparse_loss_on_one_hot",
        "error",
        "compiled",
        "model.compile(",
    ),
    (
        "binary.py",
        ["--fault", "softmax"],
        "unreachable_targets",
        "error",
        "layer defined",
        "Dense(1, activation=activation)",
    ),
    (
        "binary.py",
        ["--fault", "mse"],
        "regression_loss_on_class_labels",
        "warning",
        "compiled",
        "model.compile(",
    ),
    (
        "multilabel.py",
        ["--fault", "softmax"],
        "unreachable_targets",
        "error",
        "layer defined",
        "Dense(4, activation=activation)",
    ),
    (
        "regression.py",
        ["--fault", "sigmoid"],
        "unreachable_targets",
        "error",
        "layer defined",
        "layers.Dense(1, activation=output)",
    ),
    (
        "regression.py",
        ["--fault", "relu", "--model", "rnn", "--input", "tfdata", "--loss", "mae"],
        "unreachable_targets",
        "error",
        "layer defined",
        "layers.Dense(1, activation=output)",
    ),
    (
        "regression.py",
        ["--fault", "scale"],
        "unnormalised_targets",
        "warning",
        "compiled",
        "model.compile(",
    ),
    (
        "regression.py",
        ["--fault", "crossentropy"],
        "classification_loss_on_continuous_targets",
        "error",
        "compiled",
        "model.compile(",
    ),
]


def judged(fixture_script, name, args):
    result = run_script(fixture_script(name), args, print_traceback=False)
    return result, diagnose_script(result)


@pytest.mark.parametrize(("name", "args", "task"), HEALTHY)
def test_healthy_script_raises_nothing_above_info(
    fixture_script, name, args, task, capsys
):
    result, report = judged(fixture_script, name, args)
    assert report.fits[0].task == task
    assert result.exit_code == 0, result.error
    assert len(report.fits) == 1
    loud = [
        lf.finding.summary
        for lf in report.fits[0].findings
        if lf.finding.severity != "info"
    ]
    assert loud == []
    assert report.fits[0].fit.training.epochs_finished > 0


@pytest.mark.parametrize(("name", "args", "kind", "severity", "what", "code"), FAULTS)
def test_seeded_fault_is_found_at_its_line(
    fixture_script, name, args, kind, severity, what, code, capsys
):
    _, report = judged(fixture_script, name, args)
    found = [lf for lf in report.fits[0].findings if lf.finding.kind == kind]
    assert found, [lf.finding.kind for lf in report.fits[0].findings]
    located = found[0]
    assert located.finding.severity == severity
    assert located.what == what
    assert located.where.file == str(fixture_script(name).resolve())
    assert code in located.where.code


def test_crash_halfway_keeps_the_first_fit_and_explains_the_second(
    fixture_script, capsys
):
    result, report = judged(fixture_script, "crash_halfway.py", [])
    assert result.exit_code == 1
    assert "first fit done" in capsys.readouterr().out
    first, second = report.fits
    assert first.fit.training.epochs_finished == 4 and first.findings == []
    crash = second.findings[0]
    assert crash.finding.kind == "input_shape_mismatch"
    assert crash.finding.evidence["input_shape"] == [7]
    assert crash.finding.evidence["expected"] == [5]
    assert crash.where.line == 21 and crash.what == "fit called"


def test_monitor_rides_along_on_multi_class_fits_only(fixture_script, capsys):
    from flatliner.monitor import Monitor

    # The dead hidden layer collapses the predictions: only the Monitor's
    # rules name that kind, so its findings reach the fit's report.
    _, report = judged(fixture_script, "multiclass_sparse.py", ["--fault", "dead"])
    fit = report.fits[0].fit
    assert any(isinstance(c, Monitor) for c in fit.callbacks)
    kinds = {lf.finding.kind for lf in report.fits[0].findings}
    assert "collapsed_predictions" in kinds, kinds

    # A regression fit gets the script rules only (ln K means nothing there).
    _, report = judged(fixture_script, "regression.py", [])
    assert not any(isinstance(c, Monitor) for c in report.fits[0].fit.callbacks)


def test_a_crash_in_the_scripts_own_callback_is_not_blamed_on_the_model(
    fixture_script, capsys
):
    result, report = judged(fixture_script, "own_callback_crash.py", [])
    assert result.exit_code == 1
    crash = report.fits[0].findings[0].finding
    assert crash.kind == "crash"
    assert "my own bug in epoch end" in crash.summary


@pytest.mark.parametrize("source", ["generator", "pydataset", "tfdata"])
def test_the_same_batch_again_and_again_is_found_at_the_fit_call(
    fixture_script, source
):
    if source == "tfdata":
        pytest.importorskip("tensorflow")
    _, report = judged(
        fixture_script, "repeated_batch.py", ["--input", source, "--fault", "repeat"]
    )
    (fit,) = report.fits
    (located,) = [lf for lf in fit.findings if lf.finding.kind == "repeated_batches"]
    assert located.finding.severity == "error"
    assert located.what == "fit called" and "model.fit(" in located.where.code
    _, healthy = judged(fixture_script, "repeated_batch.py", ["--input", source])
    assert "repeated_batches" not in {
        lf.finding.kind for lf in healthy.fits[0].findings
    }
