"""`fix_study` judges the original with every rule `diagnose` uses."""

import keras
import pytest

from flatliner.fixes.trial import ORIGINAL, fix_study
from flatliner.trials.config import TrainConfig
from flatliner.trials.store import RunStore
from tests.diagnoses.zoo import blobs, mlp, spec

CONFIG = TrainConfig(epochs=1, batch_size=32, probe_size=64, eval_batch_size=256)


@pytest.fixture(scope="module")
def data():
    return blobs(n_train=256, n_val=64, features=8, classes=4)


@pytest.mark.parametrize(
    ("output", "from_logits", "check", "action"),
    [
        ("linear", False, "unbounded_output_cross_entropy", "from_logits_true"),
        ("softmax", True, None, "from_logits_false"),
    ],
    ids=["linear-without-from-logits", "softmax-with-from-logits"],
)
def test_a_from_logits_mismatch_is_diagnosed_and_its_fix_tried(
    tmp_path, data, output, from_logits, check, action
):
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=from_logits)
    model = spec(lambda: mlp((8,), [16], 4, output=output, loss=loss))
    with RunStore(tmp_path, {"test": 1}) as store:
        report = fix_study(model, data, CONFIG, [0], store)
    kinds = {f.kind for f in report.original_findings[0]}
    if check is None:
        assert "double_softmax" in kinds
    else:
        assert check in {f.evidence.get("check") for f in report.findings}
    tried = {o.label for o in report.outcomes}
    assert action in tried and all(o.error is None for o in report.outcomes)
    assert set(report.original) == {0} and report.original[0].label == ORIGINAL
