import numpy as np
import pytest

from flatliner.probes.data_stats import input_statistics, label_statistics


def test_input_statistics_match_numpy_and_count_non_finite_values():
    x = np.arange(24, dtype=np.float32).reshape(4, 6)
    x[0, 0] = np.nan
    stats = input_statistics(x)
    finite = x[np.isfinite(x)]
    assert stats.minimum == finite.min() and stats.maximum == finite.max()
    assert stats.mean == pytest.approx(finite.mean())
    assert stats.std == pytest.approx(finite.std())
    assert stats.non_finite == 1 and stats.samples == 4


def test_split_of_sorted_labels_has_no_overlap_and_unseen_classes():
    y = np.repeat(np.arange(5), 20)  # stored class by class
    stats = label_statistics(y[:80], y[80:], 5)
    assert stats.overlap == 0.0
    assert stats.val_classes_unseen == [4]
    assert stats.longest_run_share == pytest.approx(20 / 80)


def test_shuffled_split_overlaps_almost_fully():
    y = np.random.default_rng(0).permutation(np.repeat(np.arange(5), 200))
    stats = label_statistics(y[:800], y[800:], 5)
    assert stats.overlap > 0.9 and stats.val_classes_unseen == []
    assert stats.train_range == (0, 4)
