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
