"""What defines a training run, besides the model, the data and the seed."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from flatliner.errors import ConfigError


@dataclass(frozen=True)
class TrainConfig:
    """Training settings shared by every seed of a study.

    Attributes:
        epochs: Passes over the training set (default 2).
        batch_size: Samples per step (default 32, as in the seed case).
        probe_size: Test images in the fixed probe batch: the first `probe_size`
            of the test set (default 1000).
        eval_batch_size: Batch size of the per-epoch validation pass; it changes
            only summation order, not what is measured (default 500).
    """

    epochs: int = 2
    batch_size: int = 32
    probe_size: int = 1000
    eval_batch_size: int = 500

    def __post_init__(self) -> None:
        for name in ("epochs", "batch_size", "probe_size", "eval_batch_size"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(
                    f"{name} must be a positive integer; received {value!r}."
                )

    def probe_samples(self, test_samples: int) -> int:
        """Samples the probe batch really holds: `probe_size`, or all of a
        smaller test split."""
        return min(self.probe_size, test_samples)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def seed_list(seeds: int, first_seed: int = 0) -> list[int]:
    """The seeds of a study: `first_seed`, `first_seed + 1`, ... (`seeds` of them).

    Raises:
        ConfigError: when `seeds` is below 1 or `first_seed` is negative.
    """
    if not isinstance(seeds, int) or seeds < 1:
        raise ConfigError(f"seeds must be a positive integer; received {seeds!r}.")
    if not isinstance(first_seed, int) or first_seed < 0:
        raise ConfigError(
            f"first_seed must be a non-negative integer; received {first_seed!r}."
        )
    return list(range(first_seed, first_seed + seeds))
