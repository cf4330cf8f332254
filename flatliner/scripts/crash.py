"""Explaining a fit call that raised: shape and label mismatches, wrong losses.

The exception text alone is backend-specific, so the explanation is found by
checking the fit's own data against the model: does the model accept the
inputs, and do the targets fit the output under the compiled loss?
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from flatliner.diagnoses.finding import Finding, Fix
from flatliner.diagnoses.label_range import label_out_of_range
from flatliner.probes.loss_kind import loss_kind
from flatliner.probes.targets import target_stats
from flatliner.scripts.fit_hook import FitCall


def diagnose_crash(fit: FitCall, error: BaseException) -> Finding:
    """A finding for a fit call that raised `error`.

    The kinds recognised: input_shape_mismatch (the model rejects the inputs),
    label_out_of_range (class indices beyond the output's units),
    sparse_loss_on_one_hot / categorical_loss_on_indices (labels in the other
    encoding), target_shape_mismatch (targets and output of different widths
    under an elementwise loss). Anything else is reported as crash (unknown
    cause) with the exception's first line.
    """
    message = _first_line(error)
    probe = fit.training.probe
    if probe.x is not None and len(probe.x):
        found = _check(fit, probe.x[:8], None if probe.y is None else probe.y, message)
        if found is not None:
            return found
    return Finding(
        kind="crash",
        severity="error",
        summary=f"fit raised {type(error).__name__}: {message}",
        evidence={"exception": type(error).__name__, "message": message},
        threshold="an exception inside fit that flatliner does not recognise",
    )


def _check(fit: FitCall, x: np.ndarray, y: np.ndarray | None, message: str):
    from keras import ops

    model = fit.model
    try:
        output = np.asarray(ops.convert_to_numpy(model(x, training=False)))
    except Exception as exc:  # noqa: BLE001 - the rejection is what we report
        expected = _expected_input(model)
        return Finding(
            kind="input_shape_mismatch",
            severity="error",
            summary=(
                f"the model does not accept the inputs: each sample has shape "
                f"{tuple(x.shape[1:])}"
                + (f" but the model expects {expected}" if expected else "")
                + f" ({type(exc).__name__}: {_first_line(exc)})"
            ),
            evidence={
                "input_shape": list(x.shape[1:]),
                "expected": expected,
                "exception": message,
            },
            threshold="model(x) raises on the fit's own inputs",
            fixes=(
                Fix(
                    "match_input_shape",
                    "reshape the data or change the model's input shape so that "
                    "they agree",
                ),
            ),
        )
    if y is None or output.ndim < 1:
        return None
    loss = loss_kind(fit.loss)
    stats = target_stats(y)
    width = 1 if output.ndim == 1 else int(np.prod(output.shape[1:]))
    evidence = {
        "loss": loss.name,
        "output_units": width,
        "target_shape": list(y.shape[1:]),
        "exception": message,
    }
    if loss.family == "sparse_categorical":
        if stats.width > 1 and stats.width == width:
            return _finding(
                "sparse_loss_on_one_hot",
                f"the targets are one-hot rows of width {stats.width} but the loss "
                "is sparse_categorical_crossentropy, which needs one class index "
                "per sample",
                evidence,
                Fix(
                    "categorical_loss",
                    "compile with loss='categorical_crossentropy', or pass "
                    "y.argmax(axis=-1) as labels",
                ),
            )
        out_of_range = label_out_of_range(loss, stats, width)
        if out_of_range is not None:
            return out_of_range
    if loss.family == "categorical" and stats.width == 1 and width > 1:
        return _finding(
            "categorical_loss_on_indices",
            f"the targets are class indices (one per sample) but the loss is "
            f"categorical_crossentropy, which needs one-hot rows of width {width}",
            evidence,
            Fix(
                "sparse_loss",
                "compile with loss='sparse_categorical_crossentropy', or one-hot the "
                "labels with keras.utils.to_categorical",
            ),
        )
    # Sparse losses take one index per sample whatever the output's width.
    elementwise = loss.family != "sparse_categorical"
    if elementwise and stats.width != width and not (stats.width == width == 1):
        return _finding(
            "target_shape_mismatch",
            f"each target has {stats.width} value(s) but the output has {width} "
            f"unit(s); {loss.name} compares them element by element",
            evidence,
            Fix(
                "match_output",
                f"give the output layer {stats.width} unit(s), or change the loss "
                "to one that fits this output",
            ),
        )
    return None


def _finding(kind: str, summary: str, evidence: dict, fix: Fix) -> Finding:
    return Finding(
        kind=kind,
        severity="error",
        summary=summary,
        evidence=evidence,
        threshold="fit raised, and the targets do not fit the output under the loss",
        fixes=(fix,),
    )


def _expected_input(model: Any) -> list | None:
    try:
        shape = model.input_shape
    except Exception:  # noqa: BLE001 - subclassed models have no declared input
        return None
    if isinstance(shape, tuple):
        return list(shape[1:])
    return None


def _first_line(error: BaseException) -> str:
    """The line of the message that says what went wrong.

    Keras wraps layer errors in "Exception encountered when calling ..."; the
    line that names a shape or an expectation is the informative one.
    """
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(error))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if re.search(r"expected|incompatible|shape", line, re.IGNORECASE):
            return line[:300]
    return lines[0][:300] if lines else type(error).__name__
