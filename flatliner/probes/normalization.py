"""The moving statistics of normalization layers: did they ever train?"""

from __future__ import annotations

from typing import Any

import numpy as np

from flatliner.probes.layer_outputs import layer_paths, leaf_layers


def moving_statistics(model: Any) -> dict[str, list[float]]:
    """For each layer with moving mean and variance: [max |mean|, max |var - 1|].

    Both are 0 at initialization (mean 0, variance 1) and stay exactly 0 when the
    layer never runs in training mode, as happens to a BatchNormalization that
    a subclassed model calls without passing `training` on under Keras 3.
    Layers are found by having `moving_mean` and `moving_variance` weights, not
    by class name.
    """
    from keras import ops

    paths = layer_paths(model)
    stats = {}
    for layer in leaf_layers(model):
        mean = getattr(layer, "moving_mean", None)
        var = getattr(layer, "moving_variance", None)
        if mean is None or var is None:
            continue
        m = np.asarray(ops.convert_to_numpy(mean), dtype=np.float64)
        v = np.asarray(ops.convert_to_numpy(var), dtype=np.float64)
        stats[paths.get(id(layer), layer.name)] = [
            float(np.max(np.abs(m))),
            float(np.max(np.abs(v - 1.0))),
        ]
    return stats
