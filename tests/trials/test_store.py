import numpy as np
import pytest

from flatliner.errors import StoreError
from flatliner.trials.store import RunStore
from tests.diagnoses.runs import collapsed_run


def test_saved_run_loads_back_equal(tmp_path):
    run = collapsed_run()
    with RunStore(tmp_path, {"x": 1}) as store:
        store.save(run)
        assert store.finished() == {("A", 0)}
        loaded = store.load("A", 0)
    assert [r.to_dict() for r in loaded.epochs] == [r.to_dict() for r in run.epochs]
    assert loaded.layers == run.layers
    for x, y in zip(loaded.weights, run.weights, strict=True):
        np.testing.assert_array_equal(x, y)


def test_reopening_resumes_with_the_finished_runs(tmp_path):
    with RunStore(tmp_path, {"x": 1}) as store:
        store.save(collapsed_run("A", 0))
    with RunStore(tmp_path, {"x": 1}) as store:
        assert store.finished() == {("A", 0)}
    assert not list((tmp_path / "weights").glob("*.tmp"))


def test_other_identity_is_refused_naming_what_differs(tmp_path):
    with RunStore(tmp_path, {"epochs": 1, "data": "a"}) as store:
        store.save(collapsed_run("A", 0))
    with pytest.raises(
        StoreError, match=r"different epochs \(epochs: stored 1, now 2\); pass"
    ):
        RunStore(tmp_path, {"epochs": 2, "data": "a"})


def test_a_folder_with_no_finished_run_goes_to_the_new_study(tmp_path):
    # A first attempt whose model failed to build left the folder empty.
    RunStore(tmp_path, {"epochs": 1, "model_sources": "old"}).close()
    with RunStore(tmp_path, {"epochs": 1, "model_sources": "new"}) as store:
        assert store.identity() == {"epochs": 1, "model_sources": "new"}


def test_existing_folder_opens_with_its_own_identity(tmp_path):
    with RunStore(tmp_path, {"models": ["a", "b"]}) as store:
        store.save(collapsed_run("A", 0))
    with RunStore.open_existing(tmp_path) as store:
        assert store.identity() == {"models": ["a", "b"]}
        assert store.finished() == {("A", 0)}


def test_folder_without_runs_is_refused_by_name(tmp_path):
    with pytest.raises(StoreError, match=r"'.*nowhere' holds no runs.sqlite"):
        RunStore.open_existing(tmp_path / "nowhere")
    assert not (tmp_path / "nowhere").exists()
