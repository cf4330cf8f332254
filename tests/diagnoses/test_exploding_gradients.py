"""Kind 9: exploding gradients are judged by size (RMS > 10), not growth."""

from flatliner.diagnoses import DiagnosisContext
from flatliner.diagnoses.exploding_gradients import exploding_gradients
from tests.diagnoses.runs import healthy_run

CONTEXT = DiagnosisContext(num_classes=100)


def _run(rms_by_epoch):
    run = healthy_run()
    for record, rms in zip(run.epochs, rms_by_epoch, strict=True):
        record.gradient_rms = {"d1": rms, "d2": rms / 2}
    return run


def test_tiny_gradients_of_an_untrained_net_growing_1000x_are_not_exploding():
    # A healthy start: RMS 1e-4 at epoch 0, 1000x more (0.1) once it learns.
    assert exploding_gradients(_run([1e-4, 1e-2, 0.1]), CONTEXT) == []


def test_an_rms_gradient_of_50_is_exploding():
    (finding,) = exploding_gradients(_run([1e-4, 0.1, 50.0]), CONTEXT)
    assert finding.kind == "exploding_gradients" and finding.severity == "error"
    assert finding.layer == "d1" and finding.since_epoch == 2
    assert finding.evidence["gradient_rms"]["d1"] == 50.0
    assert finding.evidence["initial_max_rms"] == 1e-4
    assert finding.threshold == "RMS gradient > 10"
