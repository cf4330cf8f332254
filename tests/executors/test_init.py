"""Choosing an executor: names, options and the errors for bad combinations."""

from __future__ import annotations

import pytest

from flatliner.errors import ConfigError
from flatliner.executors import EXECUTORS, default_executor_name, make_executor


def test_every_name_builds_its_executor():
    for name in EXECUTORS:
        assert make_executor(name, "jax").name == name


def test_default_on_a_cpu_is_local():
    assert default_executor_name("jax") == "local"
    assert default_executor_name("tensorflow") == "local"
    assert make_executor(None, "jax").name == "local"


def test_unknown_executor_names_the_choices():
    with pytest.raises(
        ConfigError,
        match=r"executor must be one of sequential, local, vectorized, ray; "
        r"received 'threads'",
    ):
        make_executor("threads", "jax")


def test_address_without_ray_is_refused():
    with pytest.raises(ConfigError, match=r"needs executor='ray'.*--executor ray"):
        make_executor("local", "jax", address="127.0.0.1:6379")


def test_vectorized_needs_jax():
    with pytest.raises(ConfigError, match=r"needs the JAX backend; received "):
        make_executor("vectorized", "tensorflow")


def test_options_of_other_executors_are_refused():
    with pytest.raises(ConfigError, match=r"workers applies to executor='local'"):
        make_executor("ray", "jax", workers=2)
    with pytest.raises(ConfigError, match=r"replicas applies to executor='local' or"):
        make_executor("sequential", "jax", replicas=4)


def test_counts_must_be_positive():
    # Named as the user typed it (a new user got "group_size" for --replicas).
    with pytest.raises(ConfigError, match=r"replicas \(--replicas, seeds per step\)"):
        make_executor("local", "jax", replicas=0)
    with pytest.raises(ConfigError, match=r"replicas must be a positive integer; "):
        make_executor("vectorized", "jax", replicas=-1)
