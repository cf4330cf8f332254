import numpy as np
import pytest

from flatliner.data import load_dataset
from flatliner.errors import DataError


def _save(path, **arrays):
    np.savez(path, **arrays)
    return str(path)


def _arrays(n=10, m=4, dtype=np.uint8):
    rng = np.random.default_rng(0)
    return {
        "x_train": rng.integers(0, 256, (n, 8, 8, 1)).astype(dtype),
        "y_train": rng.integers(0, 3, n),
        "x_test": rng.integers(0, 256, (m, 8, 8, 1)).astype(dtype),
        "y_test": rng.integers(0, 3, m),
    }


def test_uint8_pixels_are_scaled_to_unit(tmp_path):
    arrays = _arrays()
    data = load_dataset(_save(tmp_path / "d.npz", **arrays))
    np.testing.assert_allclose(data.x_train * 255.0, arrays["x_train"], rtol=1e-6)
    assert data.scale == "unit"
    raw = load_dataset(_save(tmp_path / "d.npz", **arrays), scale="raw")
    assert raw.x_train.max() == arrays["x_train"].max()


def test_float_inputs_are_used_as_stored(tmp_path):
    arrays = _arrays(dtype=np.float32)
    data = load_dataset(_save(tmp_path / "d.npz", **arrays))
    np.testing.assert_array_equal(data.x_train, arrays["x_train"])
    assert data.scale == "as-stored"


def test_one_hot_labels_become_indices(tmp_path):
    arrays = _arrays()
    arrays["y_train"] = np.eye(3, dtype=np.float32)[arrays["y_train"]]
    data = load_dataset(_save(tmp_path / "d.npz", **arrays))
    assert data.y_train.ndim == 1 and data.num_classes == 3


def test_missing_key_is_named(tmp_path):
    arrays = _arrays()
    del arrays["y_test"]
    with pytest.raises(DataError, match="missing y_test"):
        load_dataset(_save(tmp_path / "d.npz", **arrays))


def test_mismatched_lengths_are_named(tmp_path):
    arrays = _arrays()
    arrays["y_train"] = arrays["y_train"][:7]
    with pytest.raises(DataError, match="x_train has 10 samples but y_train has 7"):
        load_dataset(_save(tmp_path / "d.npz", **arrays))


def test_not_an_npz(tmp_path):
    bogus = tmp_path / "d.npz"
    bogus.write_text("not a zip")
    with pytest.raises(DataError, match="not a readable .npz") as info:
        load_dataset(str(bogus))
    assert str(bogus) in str(info.value)


def test_missing_npz(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        load_dataset(str(tmp_path / "absent.npz"))


def test_negative_labels_are_refused(tmp_path):
    arrays = _arrays()
    arrays["y_test"][0] = -1
    with pytest.raises(DataError, match="labels must be >= 0; received a minimum"):
        load_dataset(_save(tmp_path / "d.npz", **arrays))


def test_unknown_name_lists_the_builtins():
    with pytest.raises(DataError, match="cifar100, cifar10, mnist"):
        load_dataset("imagenet")


def test_nan_inputs_are_refused_with_their_count(tmp_path):
    arrays = _arrays(dtype=np.float32)
    arrays["x_train"][0, 0, 0, 0] = np.nan
    arrays["x_train"][1, 0, 0, 0] = np.inf
    with pytest.raises(DataError, match="x_train holds 2 NaN or infinite values"):
        load_dataset(_save(tmp_path / "d.npz", **arrays))


def test_a_single_class_is_refused(tmp_path):
    arrays = _arrays()
    arrays["y_train"][:] = 0
    arrays["y_test"][:] = 0
    with pytest.raises(DataError, match="hold 1 class; expected at least 2"):
        load_dataset(_save(tmp_path / "d.npz", **arrays))


def test_coarse_labels_with_an_npz_are_refused_naming_the_argument(tmp_path):
    path = _save(tmp_path / "d.npz", **_arrays())
    with pytest.raises(DataError) as raised:
        load_dataset(path, label_mode="coarse")
    message = str(raised.value)
    assert "label_mode (--labels)" in message
    assert "applies to CIFAR-100 only" in message
    assert f"Received label_mode='coarse' with data={path!r}" in message


def test_coarse_labels_with_an_npz_are_a_one_line_cli_error(tmp_path, capsys):
    from flatliner.cli import main

    path = _save(tmp_path / "d.npz", **_arrays())
    status = main(["diagnose", "seed-relu", "--data", path, "--labels", "coarse"])
    err = capsys.readouterr().err.strip()
    assert status == 2 and "\n" not in err
    assert "label_mode (--labels)" in err and "'coarse'" in err
