"""Shared fixtures. The JAX backend is chosen before any test imports Keras."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

REPO = Path(__file__).resolve().parents[1]
CIFAR100 = Path(
    os.environ.get(
        "FLATLINER_TEST_CIFAR100",
        REPO.parent / "shared" / "data" / "cifar-100-python.tar.gz",
    )
)


@pytest.fixture(scope="session")
def cifar100_path() -> Path:
    """The real CIFAR-100 archive beside the checkout (../shared/data)."""
    if not CIFAR100.is_file():
        message = (
            f"real CIFAR-100 not found at {CIFAR100}; set FLATLINER_TEST_CIFAR100 "
            "to the archive's path"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CIFAR100


@pytest.fixture(scope="session")
def cifar100(cifar100_path):
    """The real CIFAR-100, loaded once per test session."""
    from flatliner.data import load_dataset

    return load_dataset(str(cifar100_path))
