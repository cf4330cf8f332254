"""Probe batches are drawn without changing what training sees."""

from __future__ import annotations

import numpy as np
import pytest

from flatliner.scripts.fit_inputs import draw_probe


def batches(n=5):
    for i in range(n):
        yield np.full((4, 2), i, dtype="float32"), np.full((4, 1), i)


def test_generator_is_re_yielded_from_its_first_batch():
    probe, x = draw_probe(batches(), None, 100)
    assert probe.source == "generator"
    assert probe.x.shape == (4, 2) and probe.y[0, 0] == 0
    seen = [int(b[0][0, 0]) for b in x]
    assert seen == [0, 1, 2, 3, 4]


def test_arrays_are_sliced_and_passed_on_unchanged():
    x = np.arange(20, dtype="float32").reshape(10, 2)
    y = np.arange(10)
    probe, passed = draw_probe(x, y, 3)
    assert passed is x
    np.testing.assert_array_equal(probe.x, x[:3])
    np.testing.assert_array_equal(probe.y, y[:3])


def test_tf_dataset_is_read_through_its_own_iterator():
    tf = pytest.importorskip("tensorflow")
    data = tf.data.Dataset.from_tensor_slices(
        (np.arange(40, dtype="float32").reshape(20, 2), np.arange(20))
    ).batch(4)
    probe, passed = draw_probe(data, None, 10)
    assert passed is data
    assert probe.source == "tf.data" and probe.x.shape == (10, 2)
    assert len(list(data)) == 5


def test_py_dataset_is_indexed():
    import keras

    class Data(keras.utils.PyDataset):
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return np.full((4, 2), i, dtype="float32"), np.full((4,), i)

    probe, _ = draw_probe(Data(), None, 6)
    assert probe.source == "PyDataset"
    np.testing.assert_array_equal(probe.y, [0, 0, 0, 0, 1, 1])


def test_unreadable_data_gives_an_empty_probe():
    probe, passed = draw_probe({"a": 1}, None, 10)
    assert probe.x is None and passed == {"a": 1}


def test_generator_batches_are_fingerprinted_as_keras_takes_them():
    probe, x = draw_probe(batches(), None, 100)
    assert probe.batches.seen == 0
    list(x)
    assert probe.batches.seen == 5 and probe.batches.distinct == 5
    assert probe.batches.batches_per_epoch is None


def test_a_generator_of_one_batch_has_one_distinct_fingerprint():
    def same():
        for _ in range(6):
            yield np.ones((4, 2), dtype="float32"), np.zeros((4, 1))

    probe, x = draw_probe(same(), None, 100)
    list(x)
    assert probe.batches.seen == 6 and probe.batches.distinct == 1


def test_shuffled_arrays_are_fingerprinted_in_batch_size_chunks():
    x = np.random.default_rng(0).normal(size=(100, 3)).astype("float32")
    probe, _ = draw_probe(x, None, 1000, batch_size=16)
    # 100 rows: 6 full batches of 16 fingerprinted, 7 batches per epoch.
    assert probe.batches.seen == probe.batches.distinct == 6
    assert probe.batches.batches_per_epoch == 7
    tiled, _ = draw_probe(np.tile(x[:16], (6, 1)), None, 1000, batch_size=16)
    assert tiled.batches.distinct == 1


def test_py_dataset_ignoring_its_index_serves_one_batch():
    import keras

    class Same(keras.utils.PyDataset):
        def __len__(self):
            return 10

        def __getitem__(self, i):
            return np.ones((4, 2), dtype="float32"), np.zeros((4,))

    probe, _ = draw_probe(Same(), None, 6)
    # The probe needs 2 batches; 4 are read for their fingerprints.
    assert probe.x.shape == (6, 2)
    assert probe.batches.seen == 4 and probe.batches.distinct == 1
    assert probe.batches.batches_per_epoch == 10


def test_tf_dataset_take_one_repeat_serves_one_batch():
    tf = pytest.importorskip("tensorflow")
    data = tf.data.Dataset.from_tensor_slices(
        np.arange(40, dtype="float32").reshape(20, 2)
    ).batch(4)
    probe, _ = draw_probe(data.take(1).repeat(), None, 100)
    assert probe.batches.distinct == 1 and probe.batches.seen == 25
    assert probe.batches.batches_per_epoch is None
    healthy, _ = draw_probe(data, None, 100)
    assert healthy.batches.seen == healthy.batches.distinct == 5
    assert healthy.batches.batches_per_epoch == 5
