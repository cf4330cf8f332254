from flatliner.trials.preflight import measure_preflight, run_preflight
from tests.diagnoses.models import dead_bottleneck
from tests.diagnoses.zoo import CONFIG, blobs, spec
from tests.helpers import tiny_images


def test_a_dead_bottleneck_cannot_overfit_one_batch():
    data = blobs(n_train=256, n_val=64)
    (finding,) = run_preflight(spec(lambda: dead_bottleneck("dense")), data, CONFIG, 0)
    assert finding.kind == "preflight"
    assert finding.evidence["check"] == "overfit_one_batch"
    # A dead layer makes the input irrelevant: real and zeroed inputs end alike.
    assert (
        abs(finding.evidence["batch_loss_end"] - finding.evidence["zeroed_loss_end"])
        < 0.05
    )


def test_a_healthy_model_overfits_one_batch_and_beats_zeroed_inputs():
    data = blobs(n_train=256, n_val=64)
    factory = spec(lambda: dead_bottleneck("dense", bias=0.0, units=32))
    measured = measure_preflight(factory, data, CONFIG, 0)
    assert measured.batch_loss_end < 0.5 * measured.batch_loss_start
    assert measured.batch_loss_end < measured.zeroed_loss_end
    assert run_preflight(factory, data, CONFIG, 0) == []


def test_batch_normalization_does_not_look_like_a_failure_to_overfit():
    # A healthy CNN with BatchNormalization: after 200 steps on one batch its
    # moving statistics still lag the batch's, so the same batch scored in
    # inference mode can look worse than at the start (a false alarm on the
    # real CIFAR-100 first). The check judges the loss training sees.
    from pathlib import Path

    from flatliner.models import resolve_model_spec

    path = Path(__file__).resolve().parents[2] / "examples" / "small_cnn.py"
    data = tiny_images(n_train=64, n_test=32)
    measured = measure_preflight(resolve_model_spec(f"{path}:factory"), data, CONFIG, 0)
    assert measured.batch_loss_end < 0.5 * measured.batch_loss_start
    assert run_preflight(resolve_model_spec(f"{path}:factory"), data, CONFIG, 0) == []
