import math

from flatliner.diagnoses.chance_level import at_chance, chance_level
from tests.diagnoses.runs import balanced_labels, collapsed_run, healthy_run, record


def test_collapsed_run_is_at_chance_since_epoch_1():
    finding = chance_level(collapsed_run(), balanced_labels(), 100)
    assert finding is not None
    assert finding.kind == "chance_level" and finding.severity == "error"
    assert finding.since_epoch == 1
    assert finding.evidence["ln_k"] == math.log(100)
    assert "binomial" in finding.threshold


def test_learning_run_is_not_at_chance():
    assert chance_level(healthy_run(), balanced_labels(), 100) is None


def test_twice_chance_accuracy_is_distinguishable_on_10000_samples():
    # The TensorFlow seed-2 run of DESIGN.md: 0.0222 with 10 classes predicted.
    flag, evidence = at_chance(record(1, 0.0222, 4.58, 3), balanced_labels(), 100)
    assert not flag
    assert evidence["binomial_p"] < 1e-6


def test_chance_accuracy_with_a_falling_loss_is_not_chance_level():
    flag, _ = at_chance(record(1, 0.0100, 4.2, 0), balanced_labels(), 100)
    assert not flag


def test_majority_share_counts_as_chance_on_imbalanced_labels():
    labels = balanced_labels(1000, 2)
    labels[:300] = 0  # 65% class 0
    flag, evidence = at_chance(record(1, 0.65, math.log(2), 0), labels, 2)
    assert flag and evidence["majority_share"] == 0.65


def test_the_summary_names_the_chance_accuracy_that_decided():
    import numpy as np

    # At 1/K on a balanced set: indistinguishable from 1/K.
    finding = chance_level(collapsed_run(), balanced_labels(), 100)
    assert "indistinguishable from 1/K = 0.0100" in finding.summary
    # Above 1/K but not shown above a larger majority share (a new user read
    # "0.0260 is chance level (1/K = 0.0100)" as a contradiction).
    labels = np.concatenate([np.zeros(16, int), np.arange(984) % 100])
    run = collapsed_run()
    run.epochs[-1].val_accuracy = 0.026
    found = chance_level(run, labels, 100)
    assert found is not None
    assert "not shown above the majority-class share 0.0260" in found.summary
    assert found.evidence["reference"] == "majority"
