"""A model whose output is the same for every input."""

from __future__ import annotations

import numpy as np

from flatliner.diagnoses.finding import Finding, Fix

# Output values whose spread across inputs is below this fraction of their size
# are constant to float32 precision (its resolution is about 1e-7 relative).
RELATIVE_SPREAD = 1e-6


def constant_output(
    output: np.ndarray | None, since_epoch: int | None = None
) -> Finding | None:
    """Flags an output that does not depend on the input at all.

    The spread is the largest standard deviation over samples of any output
    unit, compared with the mean magnitude of the output. Measured on the probe
    batch; a batch of identical inputs would look constant too.
    """
    if output is None or output.ndim < 2 or len(output) < 2:
        return None
    values = output.astype(np.float64).reshape(len(output), -1)
    spread = float(values.std(axis=0).max())
    size = float(np.abs(values).mean())
    if spread > RELATIVE_SPREAD * max(size, 1e-12):
        return None
    return Finding(
        kind="constant_output",
        severity="error",
        summary=(
            f"the model outputs the same values for all {len(values)} probe "
            f"samples (largest spread {spread:.3g}); nothing the input says "
            "reaches the output"
        ),
        since_epoch=since_epoch,
        evidence={"output_spread": spread, "output_magnitude": size},
        threshold=f"spread <= {RELATIVE_SPREAD:g} x mean |output|",
        fixes=(
            Fix(
                "find_dead_layer",
                "look for a layer whose output is constant (a dead ReLU layer, a "
                "softmax over one unit) between the input and the output",
            ),
        ),
    )
