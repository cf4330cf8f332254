"""Training A and B side by side from one seed."""

from __future__ import annotations

import numpy as np
import pytest

from flatliner.data.dataset import build_dataset
from flatliner.equivalence.trajectories import compare_trajectories
from flatliner.errors import ConfigError
from flatliner.models.spec import resolve_model_spec
from tests.equivalence.cases import TINY_MODELS


@pytest.fixture(scope="module")
def specs(tmp_path_factory):
    path = tmp_path_factory.mktemp("models") / "tiny.py"
    path.write_text(TINY_MODELS)
    return {
        name: resolve_model_spec(f"{path}:{name}")
        for name in ("relu", "activation", "tanh")
    }


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    return build_dataset(
        "tiny-features",
        rng.standard_normal((64, 6)).astype("float32"),
        rng.integers(0, 3, 64),
        rng.standard_normal((16, 6)).astype("float32"),
        rng.integers(0, 3, 16),
        scale="as-stored",
        num_classes=3,
    )


def test_the_same_function_written_twice_trains_identically(specs, data):
    trajectory = compare_trajectories(
        specs["relu"], specs["activation"], data, steps=4, batch_size=8, seed=1
    )
    assert trajectory.parted_at is None
    assert trajectory.max_abs == [0.0] * 5
    assert trajectory.loss_a == trajectory.loss_b
    # The models did train: the loss moved.
    assert trajectory.loss_a[0] != trajectory.loss_a[-1]


def test_different_functions_part_at_the_first_step(specs, data):
    trajectory = compare_trajectories(
        specs["relu"], specs["tanh"], data, steps=3, batch_size=8, seed=1
    )
    # B starts from A's weights, so step 0 agrees and step 1 parts.
    assert trajectory.max_abs[0] == 0.0
    assert trajectory.parted_at == 1
    assert trajectory.max_abs[1] > 0


def test_more_steps_than_the_data_holds_is_refused(specs, data):
    with pytest.raises(ConfigError, match="need 800 training samples; data"):
        compare_trajectories(specs["relu"], specs["activation"], data, 100, 8)
