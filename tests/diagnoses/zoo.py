"""Small failing and healthy models with synthetic data, one pair per failure
kind, rebuilt small from public reports where the issue names one."""

from __future__ import annotations

import numpy as np

from flatliner.data.dataset import Dataset, build_dataset
from flatliner.models.spec import ModelSpec
from flatliner.trials.config import TrainConfig
from flatliner.trials.diagnose import Diagnosis, diagnose_model

CONFIG = TrainConfig(epochs=2, batch_size=32, probe_size=128, eval_batch_size=256)


def blobs(
    n_train: int = 1024,
    n_val: int = 256,
    features: int = 20,
    classes: int = 5,
    seed: int = 0,
    scale: float | None = None,
    shape: tuple[int, ...] | None = None,
    name: str = "blobs",
    separation: float = 1.0,
) -> Dataset:
    """Gaussian clusters, one per class, that a small MLP separates in an epoch.

    `separation` is the spread of the class centres against the unit noise
    around them; well under 1 (0.5) the classes overlap, so the loss settles
    well above 0 instead of reaching it.

    Values are standardized (mean 0, std 1); `scale` instead maps them onto
    [0, scale] (255 gives raw-pixel-like magnitudes). `shape` reshapes each
    sample (e.g. (28, 28, 1) for 784 features).
    """
    rng = np.random.default_rng(seed)
    centers = rng.normal(0.0, separation, (classes, features))
    n = n_train + n_val
    y = rng.integers(0, classes, n)
    x = centers[y] + rng.normal(0.0, 1.0, (n, features))
    if scale is None:
        x = (x - x.mean()) / x.std()
    else:
        x = (x - x.min()) / (x.max() - x.min()) * scale
    x = x.astype(np.float32)
    if shape is not None:
        x = x.reshape((n, *shape))
    return build_dataset(
        name,
        x[:n_train],
        y[:n_train],
        x[n_train:],
        y[n_train:],
        scale="as-stored",
        num_classes=classes,
    )


def spec(factory, name: str = "zoo") -> ModelSpec:
    return ModelSpec(name, lambda _k: factory(), name)


def diagnose(
    factory,
    data: Dataset,
    config: TrainConfig = CONFIG,
    seeds=(0,),
    preflight: bool = False,
) -> Diagnosis:
    return diagnose_model(spec(factory), data, config, list(seeds), preflight=preflight)


def kinds(diagnosis: Diagnosis, seed: int = 0) -> set[str]:
    found = diagnosis.findings.get(seed, []) if diagnosis.runs else diagnosis.preflight
    return {f.kind for f in found}


def checks(diagnosis: Diagnosis, kind: str, seed: int = 0) -> set[str]:
    found = diagnosis.findings.get(seed, []) if diagnosis.runs else diagnosis.preflight
    return {f.evidence.get("check") for f in found if f.kind == kind}


def mlp(
    inputs: tuple[int, ...],
    hidden: list[int],
    classes: int,
    activation: str = "relu",
    output: str = "softmax",
    optimizer=None,
    loss=None,
    metrics=("accuracy",),
    kernel_initializer: str | object = "glorot_uniform",
):
    import keras
    from keras import layers

    model = keras.Sequential([keras.Input(inputs), layers.Flatten()])
    for units in hidden:
        model.add(
            layers.Dense(
                units, activation=activation, kernel_initializer=kernel_initializer
            )
        )
    model.add(layers.Dense(classes, activation=output))
    model.compile(
        optimizer=optimizer or keras.optimizers.Adam(1e-3),
        loss=loss or keras.losses.SparseCategoricalCrossentropy(),
        metrics=list(metrics),
    )
    return model
