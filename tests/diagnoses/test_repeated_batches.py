"""Kind 13, the same batch served again and again, judged on fingerprints."""

import pytest

from flatliner.diagnoses import DiagnosisContext, diagnose_run
from flatliner.diagnoses.data_order import repeated_batches
from flatliner.probes.batch_fingerprints import BatchFingerprints, fingerprint
from tests.diagnoses.runs import healthy_run


def _batches(names, per_epoch=None, source="generator"):
    return BatchFingerprints(list(names), per_epoch, source)


def test_fingerprints_match_only_identical_inputs():
    import numpy as np

    a = np.arange(12, dtype="float32").reshape(3, 4)
    assert fingerprint(a) == fingerprint(a.copy())
    b = a.copy()
    b[2, 3] += 1e-6
    assert fingerprint(a) != fingerprint(b)
    assert fingerprint(a) != fingerprint(a.reshape(4, 3))
    assert fingerprint(a) != fingerprint(a.astype("float64"))


@pytest.mark.parametrize("per_epoch", [None, 20])
def test_one_batch_served_again_and_again_is_an_error(per_epoch):
    finding = repeated_batches(_batches("aaaa", per_epoch, "PyDataset"))
    assert finding.kind == "repeated_batches" and finding.severity == "error"
    assert finding.evidence["distinct_batches"] == 1
    assert "PyDataset" in finding.summary


def test_a_repeat_inside_one_epoch_is_a_warning():
    finding = repeated_batches(_batches("ababab", per_epoch=20))
    assert finding.severity == "warning"
    assert finding.evidence["first_repeat"] == [1, 3]


@pytest.mark.parametrize(
    "batches",
    [
        _batches("abcdef", per_epoch=20),  # every batch differs
        _batches("abcabc", per_epoch=3),  # a 3-batch dataset, repeated
        _batches("abcabc"),  # unknown length: a small dataset looping
        _batches("aa"),  # too few to judge
        _batches("aaaa", per_epoch=1),  # data of exactly one batch
    ],
)
def test_healthy_or_unjudgeable_batches_are_not_flagged(batches):
    assert repeated_batches(batches) is None


def test_the_catalogue_reports_it_through_the_context():
    context = DiagnosisContext(num_classes=100, batches=_batches("aaaa"))
    kinds = {f.kind for f in diagnose_run(healthy_run(), context=context)}
    assert "repeated_batches" in kinds
    plain = DiagnosisContext(num_classes=100, batches=_batches("abcd"))
    assert "repeated_batches" not in {
        f.kind for f in diagnose_run(healthy_run(), context=plain)
    }
