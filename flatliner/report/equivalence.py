"""Rendering an equivalence result: terminal text and JSON (`flatliner.equiv/1`)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from flatliner.equivalence.comparison import Difference
from flatliner.equivalence.verdict import (
    DIFFERENT,
    EQUIVALENT,
    Check,
    Counterexample,
    EquivalenceResult,
    Trajectory,
)

SCHEMA = "flatliner.equiv/1"
_COLOURS = {EQUIVALENT: "green", DIFFERENT: "red"}


def print_equivalence(result: EquivalenceResult, console) -> None:
    """Writes the verdict, the evidence and any counterexample to `console`."""
    colour = _COLOURS.get(result.verdict, "yellow")
    console.print(f"A  {result.a}\nB  {result.b}  ({result.kind}s)\n")
    console.print(f"[bold {colour}]{result.verdict}[/]")
    for line in describe(result):
        console.print(f"  {line}", soft_wrap=True)
    for note in result.notes:
        console.print(f"  note: {note}", soft_wrap=True)
    if result.trajectory is not None:
        console.print()
        for line in describe_trajectory(result.trajectory):
            console.print(line, soft_wrap=True)


def describe(result: EquivalenceResult) -> list[str]:
    """The evidence behind a verdict, one line each."""
    lines = [
        f"checked {result.inputs} inputs in {', '.join(result.dtypes)}; "
        f"{' and '.join(result.modes)} mode; {', '.join(result.quantities)}; "
        f"backend {', '.join(result.backends)}"
    ]
    if result.verdict == EQUIVALENT:
        lines.append("every compared value was the same number in A and B")
    rounding = result.largest("rounding")
    if rounding is not None:
        d = rounding.difference
        lines.append(
            f"largest difference within rounding: {d.max_ulps:g} ULPs "
            f"({d.max_abs:.3g}), {rounding.dtype} {rounding.quantity} on "
            f"{rounding.batch} ({rounding.mode}); allowed: "
            f"{result.max_ulps_allowed:g} ULPs"
        )
    differing = [c for c in result.checks if c.difference.status == "different"]
    if differing:
        several = len(result.backends) > 1
        where = sorted(
            {
                (f"{c.backend} " if several else "") + f"{c.dtype} {c.quantity}"
                for c in differing
            }
        )
        finite = [c.difference.max_abs for c in differing if c.difference.max_abs]
        lines.append(
            f"differs in {len(differing)} of {len(result.checks)} checks: "
            f"{', '.join(where)}"
            + (f"; largest finite difference {max(finite):.3g}" if finite else "")
        )
    if result.counterexample is not None:
        lines.extend(describe_counterexample(result.counterexample))
    return lines


def describe_counterexample(example: Counterexample) -> list[str]:
    how = "shrunk from" if example.shrunk else "from"
    what = "batch" if example.whole_batch else "input"
    lines = [
        f"counterexample ({example.dtype}, {example.mode} mode, {example.quantity}, "
        f"backend {example.backend}; {how} {example.batch}):",
        f"  {what:<6} {format_array(example.input)}",
        f"  {'A':<6} {format_array(example.a)}",
        f"  {'B':<6} {format_array(example.b)}",
    ]
    return lines


def describe_trajectory(trajectory: Trajectory) -> list[str]:
    header = (
        f"training trajectories: {trajectory.steps} steps, batch "
        f"{trajectory.batch_size}, seed {trajectory.seed}, data {trajectory.data}"
    )
    if trajectory.parted_at is None:
        return [
            header,
            "  [green]identical[/]: every weight equal after every step "
            f"(final loss {trajectory.loss_a[-1]:.6g} in both)",
        ]
    step = trajectory.parted_at
    return [
        header,
        f"  [red]parted at step {step}[/]: largest weight difference "
        f"{trajectory.max_abs[step]:.3g} (after step {trajectory.steps}: "
        f"{trajectory.max_abs[-1]:.3g}); loss A {trajectory.loss_a[step - 1]:.6g}, "
        f"B {trajectory.loss_b[step - 1]:.6g} at that step",
    ]


def format_array(values: np.ndarray) -> str:
    """A short, exact-enough rendering; big arrays (images) are summarized."""
    values = np.asarray(values)
    as64 = values.astype(np.float64)
    if values.size > 16:
        finite = as64[np.isfinite(as64)]
        unique = np.unique(as64)
        if len(unique) == 1:
            return f"shape {values.shape}, every value {unique[0]:.9g}"
        span = f"min {finite.min():.9g}, max {finite.max():.9g}" if finite.size else ""
        return f"shape {values.shape} {values.dtype}, {span}"
    return np.array2string(as64, precision=9, separator=", ", max_line_width=200)


def equivalence_to_dict(result: EquivalenceResult) -> dict[str, Any]:
    """Everything the terminal report shows, as JSON-ready data."""
    data = {
        "schema": SCHEMA,
        "verdict": result.verdict,
        "exit_code": result.exit_code,
        "a": result.a,
        "b": result.b,
        "kind": result.kind,
        "backends": result.backends,
        "dtypes": result.dtypes,
        "modes": result.modes,
        "quantities": result.quantities,
        "inputs": result.inputs,
        "max_abs": _number(result.max_abs),
        "max_ulps": _number(result.max_ulps),
        "max_ulps_allowed": result.max_ulps_allowed,
        "weights_copied": result.weights_copied,
        "notes": result.notes,
        "counterexample": None,
        "checks": [_check_to_dict(c) for c in result.checks],
        "trajectory": None,
    }
    example = result.counterexample
    if example is not None:
        data["counterexample"] = {
            "backend": example.backend,
            "dtype": example.dtype,
            "mode": example.mode,
            "quantity": example.quantity,
            "batch": example.batch,
            "input": _array(example.input),
            "a": _array(example.a),
            "b": _array(example.b),
            "shrunk": example.shrunk,
            "whole_batch": example.whole_batch,
        }
    if result.trajectory is not None:
        trajectory = dict(result.trajectory.__dict__)
        for key in ("max_abs", "loss_a", "loss_b"):
            trajectory[key] = [_number(v) for v in trajectory[key]]
        data["trajectory"] = trajectory
    return data


def equivalence_from_dict(data: dict[str, Any]) -> EquivalenceResult:
    """The inverse of equivalence_to_dict (used to merge per-backend runs)."""
    from flatliner.equivalence.probe_inputs import numpy_dtype

    example = data.get("counterexample")
    counterexample = None
    if example:
        dtype = numpy_dtype(example["dtype"])
        counterexample = Counterexample(
            example["backend"],
            example["dtype"],
            example["mode"],
            example["quantity"],
            example["batch"],
            _from_array(example["input"], dtype),
            _from_array(example["a"], dtype),
            _from_array(example["b"], dtype),
            example["shrunk"],
            example["whole_batch"],
        )
    trajectory = data.get("trajectory")
    if trajectory:
        trajectory = dict(trajectory)
        for key in ("max_abs", "loss_a", "loss_b"):
            trajectory[key] = [float(v) for v in trajectory[key]]
    return EquivalenceResult(
        verdict=data["verdict"],
        a=data["a"],
        b=data["b"],
        kind=data["kind"],
        backends=list(data["backends"]),
        checks=[_check_from_dict(c) for c in data["checks"]],
        counterexample=counterexample,
        weights_copied=data["weights_copied"],
        notes=list(data["notes"]),
        trajectory=Trajectory(**trajectory) if trajectory else None,
        max_ulps_allowed=data["max_ulps_allowed"],
    )


def _check_to_dict(check: Check) -> dict[str, Any]:
    d = check.difference
    return {
        "backend": check.backend,
        "dtype": check.dtype,
        "mode": check.mode,
        "batch": check.batch,
        "samples": check.samples,
        "quantity": check.quantity,
        "status": d.status,
        "values": d.values,
        "different": d.different,
        "rounding": d.rounding,
        "max_abs": _number(d.max_abs),
        "max_ulps": _number(d.max_ulps),
        "first_different": list(d.first_different) if d.first_different else None,
    }


def _check_from_dict(data: dict[str, Any]) -> Check:
    first = data["first_different"]
    return Check(
        data["backend"],
        data["dtype"],
        data["mode"],
        data["batch"],
        data["samples"],
        data["quantity"],
        Difference(
            data["values"],
            data["different"],
            data["rounding"],
            float(data["max_abs"]),
            float(data["max_ulps"]),
            tuple(first) if first else None,
        ),
    )


def _number(value: float) -> float | str:
    """JSON has no NaN or infinity: those become the strings 'nan', 'inf', '-inf'."""
    value = float(value)
    return value if math.isfinite(value) else str(value)


def _array(values: np.ndarray) -> Any:
    as64 = np.asarray(values).astype(np.float64)
    return np.vectorize(_number, otypes=[object])(as64).tolist() if as64.size else []


def _from_array(values: Any, dtype: np.dtype) -> np.ndarray:
    return np.asarray(np.array(values, dtype=object).astype(np.float64)).astype(dtype)
