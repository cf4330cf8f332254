import tarfile

import numpy as np
import pytest

from flatliner.data import load_dataset
from flatliner.errors import DataError
from tests.helpers import write_cifar100_archive


def test_real_cifar100_matches_published_sanity_values(cifar100):
    assert cifar100.x_train.shape == (50000, 32, 32, 3)
    assert cifar100.x_test.shape == (10000, 32, 32, 3)
    assert cifar100.num_classes == 100
    assert cifar100.x_train.dtype == np.float32
    assert 0.0 <= cifar100.x_train.min() and cifar100.x_train.max() <= 1.0
    means = cifar100.x_train.reshape(-1, 3).astype(np.float64).mean(axis=0)
    stds = cifar100.x_train.reshape(-1, 3).astype(np.float64).std(axis=0)
    np.testing.assert_allclose(means, [0.5071, 0.4865, 0.4409], atol=1e-4)
    np.testing.assert_allclose(stds, [0.2673, 0.2564, 0.2762], atol=1e-4)
    assert list(cifar100.y_test[:10]) == [49, 33, 72, 51, 71, 92, 15, 14, 23, 0]
    assert np.all(np.bincount(cifar100.y_train) == 500)
    assert cifar100.class_names[0] == "apple"


def test_coarse_labels_have_20_classes(tmp_path):
    archive = write_cifar100_archive(tmp_path / "c.tar.gz")
    data = load_dataset(str(archive), label_mode="coarse")
    assert data.num_classes == 20
    assert data.y_train.max() < 20


def test_raw_scale_keeps_pixel_values(tmp_path):
    archive = write_cifar100_archive(tmp_path / "c.tar.gz")
    raw = load_dataset(str(archive), scale="raw")
    unit = load_dataset(str(archive), scale="unit")
    np.testing.assert_allclose(raw.x_train / 255.0, unit.x_train, rtol=1e-6)
    assert raw.x_train.max() > 1.0


def test_pixels_are_channels_last_in_plane_order(tmp_path):
    archive = write_cifar100_archive(tmp_path / "c.tar.gz")
    with tarfile.open(archive) as tar:
        import pickle

        raw = pickle.loads(
            tar.extractfile("cifar-100-python/train").read(), encoding="bytes"
        )[b"data"]
    data = load_dataset(str(archive), scale="raw")
    # Red plane first, row-major: pixel (row 0, col 1) green is element 1024 + 1.
    assert data.x_train[0, 0, 1, 1] == raw[0, 1024 + 1]
    assert data.x_train[3, 2, 5, 2] == raw[3, 2048 + 2 * 32 + 5]


def test_extracted_folder_loads_like_the_archive(tmp_path):
    archive = write_cifar100_archive(tmp_path / "c.tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "x", filter="data")
    from_archive = load_dataset(str(archive))
    for folder in (tmp_path / "x", tmp_path / "x" / "cifar-100-python"):
        from_folder = load_dataset(str(folder))
        np.testing.assert_array_equal(from_folder.x_train, from_archive.x_train)
        np.testing.assert_array_equal(from_folder.y_test, from_archive.y_test)


def test_missing_path_names_it(tmp_path):
    with pytest.raises(DataError, match="no such file or folder") as info:
        load_dataset(str(tmp_path / "nope.tar.gz"))
    assert "nope.tar.gz" in str(info.value)
    assert "\n" not in str(info.value)


def test_file_that_is_not_an_archive(tmp_path):
    bogus = tmp_path / "cifar.tar.gz"
    bogus.write_text("hello")
    with pytest.raises(DataError, match="not a readable tar archive") as info:
        load_dataset(str(bogus))
    assert str(bogus) in str(info.value)


def test_archive_with_wrong_layout(tmp_path):
    archive = write_cifar100_archive(tmp_path / "c.tar.gz", drop="meta")
    with pytest.raises(DataError, match="expected the official python-version"):
        load_dataset(str(archive))
    archive = write_cifar100_archive(tmp_path / "d.tar.gz", drop="test")
    with pytest.raises(DataError, match="lacks cifar-100-python/test"):
        load_dataset(str(archive))


def test_folder_with_wrong_layout(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="holds no cifar-100-python"):
        load_dataset(str(tmp_path / "empty"))


def test_mismatched_lengths(tmp_path):
    archive = write_cifar100_archive(tmp_path / "c.tar.gz", label_count=19)
    with pytest.raises(DataError, match="20 images but 19 labels"):
        load_dataset(str(archive))


def test_unknown_label_mode(tmp_path):
    archive = write_cifar100_archive(tmp_path / "c.tar.gz")
    with pytest.raises(DataError, match="label_mode must be 'fine' or 'coarse'"):
        load_dataset(str(archive), label_mode="medium")


def test_truncated_archive_is_a_one_line_error(tmp_path):
    whole = tmp_path / "whole.tar.gz"
    write_cifar100_archive(whole, n_train=200, n_test=50)
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(DataError, match="truncated or corrupt") as info:
        load_dataset(str(cut))
    assert str(cut) in str(info.value) and "\n" not in str(info.value)
