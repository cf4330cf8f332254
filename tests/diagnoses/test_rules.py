"""Rules judged on hand-built records and facts: no training needed."""

import dataclasses
import math

import numpy as np

from flatliner.diagnoses import DiagnosisContext, diagnose_run
from flatliner.diagnoses.batch_norm import batch_norm
from flatliner.diagnoses.bottleneck import bottleneck
from flatliner.diagnoses.loss_mismatch import loss_mismatch
from flatliner.diagnoses.overfitting import overfitting
from flatliner.diagnoses.preflight import judge_preflight
from flatliner.probes.data_stats import label_statistics
from flatliner.probes.model_facts import ModelFacts
from flatliner.probes.snapshot import LayerInfo
from flatliner.trials.preflight import Preflight
from tests.diagnoses.runs import LAYERS, collapsed_run, healthy_run, record

CONTEXT = DiagnosisContext(num_classes=100, y_val=np.arange(10000) % 100)


def _facts(**changes):
    base = ModelFacts(
        loss="SparseCategoricalCrossentropy",
        loss_family="sparse_categorical",
        from_logits=False,
        output_activation="softmax",
        output_layer="out",
        output_units=10,
        optimizer="Adam",
        learning_rate=1e-3,
        first_layer="d0",
        first_layer_input=[0.0, 1.0, 0.5, 0.3],
    )
    return dataclasses.replace(base, **changes)


def _context(facts, y_train=None, y_val=None, k=10):
    y_train = np.arange(100) % k if y_train is None else y_train
    y_val = np.arange(50) % k if y_val is None else y_val
    return DiagnosisContext(
        num_classes=k,
        y_val=y_val,
        facts=facts,
        labels=label_statistics(y_train, y_val, k),
    )


def _losses(run, pairs):
    for r, (loss, val_loss) in zip(run.epochs[1:], pairs, strict=True):
        r.loss, r.val_loss = loss, val_loss
    return run


def _long_run(pairs):
    run = healthy_run()
    run.epochs = [record(0, 0.01, 4.6, 0, classes=10)] + [
        record(e, 0.2, 3.0, 0, classes=90) for e in range(1, len(pairs) + 1)
    ]
    return _losses(run, pairs)


def test_rising_validation_loss_with_falling_training_loss_is_overfitting_info():
    run = _long_run([(2.0, 2.1), (1.5, 2.0), (1.0, 2.2), (0.6, 2.4)])
    (finding,) = overfitting(run, CONTEXT)
    assert finding.severity == "info" and finding.evidence["best_epoch"] == 2


def test_both_losses_falling_is_not_overfitting():
    run = _long_run([(2.0, 2.1), (1.5, 2.0), (1.0, 1.9), (0.6, 1.8)])
    assert overfitting(run, CONTEXT) == []


def test_training_accuracy_far_above_evaluate_is_a_batch_norm_gap():
    run = healthy_run()
    final = run.epochs[-1]
    final.moving_statistics = {"bn": [0.3, 0.2]}
    final.accuracy, final.train_eval_accuracy = 0.6, 0.05
    (finding,) = batch_norm(run, CONTEXT)
    assert finding.evidence["check"] == "train_inference_gap"
    final.train_eval_accuracy = 0.58
    assert batch_norm(run, CONTEXT) == []


def test_linear_and_wide_bottlenecks_are_not_narrow():
    run = collapsed_run()
    assert [f.layer for f in bottleneck(run, CONTEXT)] == ["d1"]
    run.layers = [
        LAYERS[0],
        LayerInfo("d1", "dense", "Dense", 4, "linear", (4,)),
        LAYERS[2],
    ]
    assert bottleneck(run, CONTEXT) == []
    run.layers = [
        LAYERS[0],
        LayerInfo("d1", "dense", "Dense", 128, "relu", (128,)),
        LAYERS[2],
    ]
    assert bottleneck(run, CONTEXT) == []


def _checks(facts, **kwargs):
    return {
        f.evidence["check"]
        for f in loss_mismatch(healthy_run(), _context(facts, **kwargs))
    }


def test_a_fitting_loss_output_and_labels_pass_every_check():
    assert _checks(_facts()) == set()


def test_binary_loss_on_a_multiclass_softmax_is_flagged():
    facts = _facts(loss="BinaryCrossentropy", loss_family="binary")
    assert _checks(facts) == {"binary_loss_multiclass"}


def test_integer_labels_under_a_categorical_loss_are_flagged():
    facts = _facts(loss="CategoricalCrossentropy", loss_family="categorical")
    assert _checks(facts) == {"sparse_labels_categorical_loss"}


def test_linear_output_under_probability_cross_entropy_is_flagged():
    assert _checks(_facts(output_activation="linear")) == {
        "unbounded_output_cross_entropy"
    }
    assert _checks(_facts(output_activation="linear", from_logits=True)) == set()


def test_negative_targets_under_a_relu_output_are_flagged():
    facts = _facts(output_activation="relu", from_logits=True)
    y = np.arange(100) % 10 - 1
    assert "negative_targets_relu" in _checks(facts, y_train=y)


def test_preflight_flags_a_model_that_cannot_overfit_one_batch():
    stuck = Preflight(4.6, math.log(100), 4.61, 4.60, 0.03, 3.3)
    (finding,) = judge_preflight(stuck)
    assert finding.evidence["check"] == "overfit_one_batch"
    learns = Preflight(4.6, math.log(100), 4.61, 0.2, 1.0, 3.3)
    assert judge_preflight(learns) == []


def test_preflight_flags_input_independence_and_a_wild_initial_loss():
    blind = Preflight(4.6, math.log(100), 4.61, 2.0, 0.3, 2.0)
    assert [f.evidence["check"] for f in judge_preflight(blind)] == ["zeroed_inputs"]
    wild = Preflight(40.0, math.log(100), 40.0, 0.2, 1.0, 3.3)
    assert [f.evidence["check"] for f in judge_preflight(wild)] == ["init_loss"]


def test_old_call_form_of_diagnose_run_still_works():
    findings = diagnose_run(collapsed_run(), np.arange(10000) % 100, 100, 1000)
    assert [f.kind for f in findings][:2] == ["chance_level", "dead_layer"]
