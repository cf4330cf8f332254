"""Failing and healthy pairs for dead units, chance level and collapse, and the
rule that functionally identical models get identical findings."""

import re

import pytest

from tests.diagnoses.models import dead_bottleneck
from tests.diagnoses.zoo import blobs, diagnose


@pytest.fixture(scope="module")
def data():
    return blobs()


@pytest.fixture(scope="module")
def variants(data):
    return {
        v: diagnose(lambda v=v: dead_bottleneck(v), data)
        for v in ("dense", "relu", "activation")
    }


def test_dead_bottleneck_is_a_dead_layer_at_chance_with_collapsed_predictions(
    variants,
):
    diagnosis = variants["dense"]
    found = {f.kind: f for f in diagnosis.findings[0]}
    assert {"dead_layer", "chance_level", "collapsed_predictions"} <= set(found)
    assert found["dead_layer"].layer == "act"
    assert found["dead_layer"].evidence["dead_units"] == 4
    assert found["collapsed_predictions"].evidence["classes_predicted"] == 1
    assert found["narrow_bottleneck"].severity == "info"


def test_healthy_bottleneck_raises_nothing_above_information(data):
    diagnosis = diagnose(lambda: dead_bottleneck("dense", bias=0.0, units=32), data)
    serious = [f for f in diagnosis.findings[0] if f.severity != "info"]
    assert serious == []
    assert diagnosis.runs[0].final.val_accuracy > 0.5


def _normalized(diagnosis):
    # The class name in a layer's description is the only allowed difference.
    out = []
    for finding in diagnosis.findings[0]:
        data = finding.to_dict()
        data["summary"] = re.sub(r"\((Dense|ReLU|Activation), ", "(", data["summary"])
        out.append(data)
    return out


def test_relu_written_three_ways_gets_identical_findings(variants):
    dense, relu, activation = (
        _normalized(variants[v]) for v in ("dense", "relu", "activation")
    )
    assert relu == activation
    assert dense == relu
    assert {f["kind"] for f in dense} >= {"dead_layer", "chance_level"}


def test_relu_and_activation_seed_models_get_identical_findings():
    from flatliner.models import resolve_model_spec
    from flatliner.trials.diagnose import diagnose_model
    from tests.diagnoses.zoo import CONFIG
    from tests.helpers import tiny_images

    data = tiny_images()
    found = [
        [
            f.to_dict()
            for f in diagnose_model(
                resolve_model_spec(name), data, CONFIG, [0], preflight=False
            ).findings[0]
        ]
        for name in ("seed-relu", "seed-activation")
    ]
    assert found[0] == found[1]
    assert "narrow_bottleneck" in {f["kind"] for f in found[0]}
