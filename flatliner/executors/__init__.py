"""Executors: how the runs of a study are trained (`--executor`).

- `sequential`: one run after another, each building and fitting its model.
- `local` (default): compile each variant's step once, reuse it for every seed,
  seeds in unrolled groups and optionally in worker processes.
- `vectorized`: JAX only, seeds as replicas of one vmapped step (for a GPU).
- `ray`: seeds as Ray tasks on a Ray cluster (`--address`) or a local one.

Every executor gives the same runs up to float32 rounding: see
docs/executors.md for the differences measured and why they arise.
"""

from __future__ import annotations

from flatliner.errors import ConfigError
from flatliner.executors.base import EpochCallback, Executor, RunTask

EXECUTORS = ("sequential", "local", "vectorized", "ray")
DEFAULT_EXECUTOR = "local"

__all__ = [
    "DEFAULT_EXECUTOR",
    "EXECUTORS",
    "EpochCallback",
    "Executor",
    "RunTask",
    "default_executor_name",
    "make_executor",
]


def default_executor_name(backend: str) -> str:
    """`vectorized` on JAX with a GPU, else `local`."""
    if backend == "jax":
        import jax

        if jax.default_backend() == "gpu":
            return "vectorized"
    return DEFAULT_EXECUTOR


def make_executor(
    name: str | None,
    backend: str,
    *,
    address: str | None = None,
    workers: int | None = None,
    replicas: int | None = None,
) -> Executor:
    """The executor `name` with its options; None picks the default.

    Args:
        name: One of EXECUTORS, or None for `default_executor_name(backend)`.
        backend: The Keras backend in use (vectorized needs "jax").
        address: Ray cluster address (ray only).
        workers: Worker processes (local only; default: automatic).
        replicas: Seeds per compiled step (local: unrolled group size; vectorized:
            vmapped replicas).

    Raises:
        ConfigError: for an unknown name, an option the executor does not take,
            or vectorized on a backend other than JAX.
    """
    name = name or default_executor_name(backend)
    if name not in EXECUTORS:
        raise ConfigError(
            f"executor must be one of {', '.join(EXECUTORS)}; received {name!r}."
        )
    if address is not None and name != "ray":
        raise ConfigError(
            f"address is a Ray cluster address and needs executor='ray'; received "
            f"executor={name!r} with address={address!r}. Add --executor ray or "
            "drop --address."
        )
    if workers is not None and name != "local":
        raise ConfigError(
            f"workers applies to executor='local' only; received executor={name!r} "
            f"with workers={workers!r}."
        )
    if replicas is not None and name not in ("local", "vectorized"):
        raise ConfigError(
            "replicas applies to executor='local' or 'vectorized'; received "
            f"executor={name!r} with replicas={replicas!r}."
        )
    if name == "vectorized" and backend != "jax":
        raise ConfigError(
            f"executor='vectorized' needs the JAX backend; received backend="
            f"{backend!r}. Use --backend jax, or --executor local."
        )
    if name == "sequential":
        from flatliner.executors.sequential import SequentialExecutor

        return SequentialExecutor()
    if name == "local":
        from flatliner.executors.local import LocalExecutor

        return LocalExecutor(group_size=replicas, workers=workers)
    if name == "vectorized":
        from flatliner.executors.vectorized import VectorizedExecutor

        return VectorizedExecutor(replicas=replicas)
    from flatliner.executors.ray_cluster import RayExecutor

    return RayExecutor(address=address)
