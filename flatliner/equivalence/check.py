"""`equivalent(a, b)`: do two layers or models compute the same function?"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

from flatliner.backend import set_random_seed
from flatliner.equivalence.comparison import DEFAULT_MAX_ULPS, compare_arrays
from flatliner.equivalence.evaluation import (
    build_on,
    clear_compiled,
    evaluate,
    has_training_behaviour,
)
from flatliner.equivalence.probe_inputs import DTYPES, numpy_dtype, probe_batches
from flatliner.equivalence.shrinking import shrink_sample
from flatliner.equivalence.subjects import Subject, resolve_subject
from flatliner.equivalence.verdict import (
    QUANTITIES,
    Check,
    Counterexample,
    EquivalenceResult,
    judge,
)
from flatliner.equivalence.weights import copy_weights
from flatliner.errors import CannotCompareError, ConfigError

logger = logging.getLogger(__name__)

TRAINING_BATCHES = ("random, scale 1", "data")


def equivalent(
    a: Any,
    b: Any,
    *,
    dtypes: Sequence[str] = DTYPES,
    gradients: bool = True,
    data: Any = None,
    samples: int = 8,
    max_ulps: float = DEFAULT_MAX_ULPS,
    seed: int = 0,
    backends: str | Sequence[str] | None = None,
    shrink: bool = True,
    train_steps: int = 0,
    batch_size: int = 32,
) -> EquivalenceResult:
    """Checks whether A and B compute the same function, and says where not.

    Both are built afresh for every dtype from the same seed; B gets A's
    weights when their variables have the same shapes in the same order. Both
    then run on the same probe inputs (the question's 3x5 array for layers,
    every edge value of the dtype, random values at scales 1e-3 to 1e11, and
    `data` samples when given), in inference mode and, where it computes
    something else (Dropout, BatchNormalization), in training mode, and their
    outputs and gradients (with respect to the input and every trainable
    weight) are compared value by value.

    How to read the verdict: EQUIVALENT means every compared value was the
    same number; it is evidence on these inputs, not a proof for all inputs.
    EQUIVALENT UP TO ROUNDING means some values differ by at most `max_ulps`
    units in the last place; DIFFERENT comes with the simplest input found
    where they part.

    Args:
        a, b: Layer expressions ("ReLU()", "Activation('relu')"), model specs
            ("seed-relu", "path/to/file.py:factory"), keras Layer or Model
            objects, or functions returning a fresh one.
        dtypes: Any of float32, float64, float16, bfloat16 (default: all four).
            float64 on JAX needs JAX_ENABLE_X64=1 (the CLI sets it); without it
            float64 is skipped with a note.
        gradients: Also compare gradients (default True).
        data: A Dataset, or anything `flatliner.data.load_dataset` accepts;
            its first `samples` test inputs are probed too, and it is the
            training data for `train_steps`.
        samples: Samples per random batch and from the data (default 8).
        max_ulps: Largest difference, in ULPs, that counts as rounding
            (default 4).
        seed: Fixes initial weights, random probes and cotangents (default 0).
        backends: None for the active backend, "all" for every installed one,
            or a list of names; other backends run in a subprocess each and
            need A and B given as strings.
        shrink: Simplify the counterexample (default True).
        train_steps: When positive, also train both models from `seed` for
            this many steps on `data` and report where their weights part.
        batch_size: Batch size of those steps (default 32).

    Raises:
        ExpressionError: for a malformed or unsafe layer expression.
        ModelSpecError: for a model spec that cannot be resolved.
        CannotCompareError: when the two cannot be compared (variables that do
            not line up, inputs they do not accept, ...).
        ConfigError: for an unknown dtype, backend, or a bad count.
    """
    import keras

    dtypes = _check_dtypes(dtypes)
    if samples < 1:
        raise ConfigError(f"samples must be at least 1; received {samples}.")
    active = keras.backend.backend()
    if backends is not None:
        from flatliner.equivalence.backends import requested_backends, run_elsewhere

        names = requested_backends(backends, active)
        if names != [active]:
            return run_elsewhere(
                a,
                b,
                names,
                dtypes=dtypes,
                gradients=gradients,
                data=data,
                samples=samples,
                max_ulps=max_ulps,
                seed=seed,
                shrink=shrink,
                train_steps=train_steps,
                batch_size=batch_size,
            )

    if gradients and active == "torch":
        # TODO: gradients on torch (see flatliner/equivalence/evaluation.py).
        gradients = False
        logger.info("torch backend: comparing outputs only, not gradients")
    dataset = _dataset(data)
    num_classes = dataset.num_classes if dataset is not None else 100
    subject_a = resolve_subject(a, "A", num_classes)
    subject_b = resolve_subject(b, "B", num_classes)
    if subject_a.kind != subject_b.kind:
        raise CannotCompareError(
            f"A is a {subject_a.kind} ({subject_a.label}) but B is a "
            f"{subject_b.kind} ({subject_b.label}); compare two layers or two models."
        )
    if train_steps and (
        dataset is None or subject_a.spec is None or subject_b.spec is None
    ):
        raise CannotCompareError(
            "training trajectories need two model specs and data; received "
            f"{subject_a.kind} {subject_a.label!r}, {subject_b.kind} "
            f"{subject_b.label!r} and data={data!r}."
        )
    input_shape = _input_shape(subject_a, subject_b, dataset)
    real = dataset.x_test[:samples] if dataset is not None else None

    try:
        return _check_all(
            subject_a,
            subject_b,
            dataset,
            input_shape,
            real,
            samples,
            dtypes,
            gradients,
            max_ulps,
            seed,
            shrink,
            train_steps,
            batch_size,
            active,
        )
    finally:
        clear_compiled()


def _check_all(
    subject_a: Subject,
    subject_b: Subject,
    dataset: Any,
    input_shape: tuple[int, ...],
    real: np.ndarray | None,
    samples: int,
    dtypes: list[str],
    gradients: bool,
    max_ulps: float,
    seed: int,
    shrink: bool,
    train_steps: int,
    batch_size: int,
    active: str,
) -> EquivalenceResult:
    checks: list[Check] = []
    notes: list[str] = []
    built: dict[str, tuple[Any, Any, list]] = {}
    copied = 0
    for dtype in dtypes:
        pair = _build_pair(subject_a, subject_b, dtype, input_shape, seed, notes)
        if pair is None:
            continue
        model_a, model_b, copied = pair
        batches = probe_batches(input_shape, dtype, seed=seed, rows=samples, data=real)
        built[dtype] = (model_a, model_b, batches)
        inference, outputs = _compare_inference(
            model_a, model_b, batches, dtype, gradients, max_ulps, seed
        )
        checks.extend(inference)
        if has_training_behaviour(model_a) or has_training_behaviour(model_b):
            # In training mode batch statistics mix the samples: one NaN or
            # infinity makes every output NaN, so only the unit-scale random
            # batch and the data are informative there.
            training = [
                _compare_training(
                    model_a, model_b, batch, dtype, gradients, max_ulps, seed
                )
                for batch in batches
                if batch.name in TRAINING_BATCHES
            ]
            # Kept only where training mode computes something else.
            if any(
                not np.array_equal(mode_out, outputs[name][side], equal_nan=True)
                for name, trained, _ in training
                for side, mode_out in enumerate(trained)
            ):
                checks.extend(
                    c for _, _, batch_checks in training for c in batch_checks
                )
    if not checks:
        raise CannotCompareError(
            "no dtype could be checked: " + " ".join(notes) if notes else "no checks."
        )
    if copied:
        notes.insert(0, f"B was given A's weights ({copied} variables).")
    if any(c.mode == "training" for c in checks):
        notes.append(
            "training mode was checked too: it computes something else than "
            "inference (Dropout, BatchNormalization, ...)."
        )

    verdict = judge(checks)
    counterexample = None
    if verdict == "DIFFERENT":
        counterexample = _counterexample(checks, built, max_ulps, seed, shrink)
    result = EquivalenceResult(
        verdict=verdict,
        a=subject_a.label,
        b=subject_b.label,
        kind=subject_a.kind,
        backends=[active],
        checks=checks,
        counterexample=counterexample,
        weights_copied=copied,
        notes=notes,
        max_ulps_allowed=max_ulps,
    )
    if train_steps:
        from flatliner.equivalence.trajectories import compare_trajectories

        result.trajectory = compare_trajectories(
            subject_a.spec, subject_b.spec, dataset, train_steps, batch_size, seed
        )
    return result


def _check_dtypes(dtypes: Sequence[str]) -> list[str]:
    if isinstance(dtypes, str):
        dtypes = [d.strip() for d in dtypes.split(",") if d.strip()]
    dtypes = list(dtypes)
    unknown = [d for d in dtypes if d not in DTYPES]
    if unknown or not dtypes:
        raise ConfigError(
            f"dtypes must be a non-empty list of {', '.join(DTYPES)}; received "
            f"{dtypes!r}."
        )
    return dtypes


def _dataset(data: Any) -> Any:
    if data is None:
        return None
    from flatliner.data import Dataset, load_dataset

    return data if isinstance(data, Dataset) else load_dataset(str(data))


def _input_shape(a: Subject, b: Subject, dataset: Any) -> tuple[int, ...]:
    if dataset is not None and a.kind == "model":
        return dataset.input_shape
    shape = a.input_shape or b.input_shape
    if shape is None:
        raise CannotCompareError(
            f"the input shape of {a.label} and {b.label} is unknown; pass data "
            "(--data) whose inputs they accept, or a model with a declared Input."
        )
    return tuple(shape)


def _build_pair(
    a: Subject,
    b: Subject,
    dtype: str,
    input_shape: tuple[int, ...],
    seed: int,
    notes: list[str],
) -> tuple[Any, Any, int] | None:
    """A and B built under `dtype`, B holding A's weights; None if unsupported."""
    import keras

    models = []
    sample = np.zeros((1, *input_shape), dtype=numpy_dtype(dtype))
    for subject in (a, b):
        previous = keras.config.dtype_policy()
        keras.config.set_dtype_policy(dtype)
        try:
            set_random_seed(seed)
            model = subject.factory()
        finally:
            keras.config.set_dtype_policy(previous)
        out = build_on(model, sample)
        models.append(model)
    if str(out.dtype) != dtype:
        notes.append(
            f"{dtype} skipped: the {keras.backend.backend()} backend computed it in "
            f"{out.dtype} (on JAX set JAX_ENABLE_X64=1; the CLI does)."
        )
        return None
    copied = copy_weights(models[0], models[1])
    return models[0], models[1], copied


def _compare_inference(
    model_a: Any,
    model_b: Any,
    batches: list,
    dtype: str,
    gradients: bool,
    max_ulps: float,
    seed: int,
) -> tuple[list[Check], dict[str, tuple[np.ndarray, np.ndarray]]]:
    """Inference mode: every batch in one call, then compared batch by batch.

    Samples do not interact in inference mode, so one call over all batches
    gives the same outputs and input gradients as one call per batch, at a
    fraction of the cost. Weight gradients sum over samples, so they are taken
    once over the random batches alone (edge values would make them NaN).
    """
    x = np.concatenate([batch.x for batch in batches])
    ev_a = evaluate(model_a, x, False, gradients, seed)
    ev_b = evaluate(model_b, x, False, gradients, seed)
    checks = []
    outputs = {}
    start = 0
    for batch in batches:
        rows = slice(start, start + len(batch.x))
        start += len(batch.x)
        outputs[batch.name] = (ev_a.output[rows], ev_b.output[rows])
        quantities = ["output"] + (["input gradient"] if gradients else [])
        for quantity in quantities:
            checks.append(
                _check(
                    "inference",
                    batch.name,
                    len(batch.x),
                    quantity,
                    dtype,
                    ev_a.quantity(quantity)[rows],
                    ev_b.quantity(quantity)[rows],
                    max_ulps,
                )
            )
    if gradients and model_a.trainable_variables:
        finite = [b for b in batches if b.name.startswith("random") or b.name == "data"]
        x = np.concatenate([batch.x for batch in finite])
        ev_a = evaluate(model_a, x, False, True, seed)
        ev_b = evaluate(model_b, x, False, True, seed)
        checks.append(
            _check(
                "inference",
                "random" + (" and data" if finite[-1].name == "data" else ""),
                len(x),
                "weight gradients",
                dtype,
                ev_a.quantity("weight gradients"),
                ev_b.quantity("weight gradients"),
                max_ulps,
            )
        )
    return checks, outputs


def _compare_training(
    model_a: Any,
    model_b: Any,
    batch: Any,
    dtype: str,
    gradients: bool,
    max_ulps: float,
    seed: int,
) -> tuple[str, tuple[np.ndarray, np.ndarray], list[Check]]:
    """Training mode, one batch per call: batch statistics couple the samples."""
    ev_a = evaluate(model_a, batch.x, True, gradients, seed)
    ev_b = evaluate(model_b, batch.x, True, gradients, seed)
    quantities = list(QUANTITIES if gradients else QUANTITIES[:1])
    if not ev_a.weight_gradients:
        quantities = quantities[:2]
    checks = [
        _check(
            "training",
            batch.name,
            len(batch.x),
            quantity,
            dtype,
            ev_a.quantity(quantity),
            ev_b.quantity(quantity),
            max_ulps,
        )
        for quantity in quantities
    ]
    return batch.name, (ev_a.output, ev_b.output), checks


def _check(
    mode: str,
    batch: str,
    samples: int,
    quantity: str,
    dtype: str,
    a: np.ndarray,
    b: np.ndarray,
    max_ulps: float,
) -> Check:
    import keras

    difference = compare_arrays(a, b, max_ulps)
    return Check(
        keras.backend.backend(), dtype, mode, batch, samples, quantity, difference
    )


def _counterexample(
    checks: list[Check],
    built: dict[str, tuple[Any, Any, list]],
    max_ulps: float,
    seed: int,
    shrink: bool,
) -> Counterexample:
    """The first difference, outputs before gradients, shrunk if asked."""
    different = [c for c in checks if c.difference.status == "different"]
    check = min(different, key=lambda c: QUANTITIES.index(c.quantity))
    model_a, model_b, batches = built[check.dtype]
    batch_x = next((b.x for b in batches if b.name == check.batch), None)
    if batch_x is None:  # weight gradients: taken over the finite batches
        finite = [b for b in batches if b.name.startswith("random") or b.name == "data"]
        batch_x = np.concatenate([b.x for b in finite])
    training = check.mode == "training"
    gradients = check.quantity != "output"
    per_sample = check.quantity != "weight gradients"

    def run(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
        ev_a = evaluate(model_a, x, training, gradients, seed)
        ev_b = evaluate(model_b, x, training, gradients, seed)
        qa, qb = ev_a.quantity(check.quantity), ev_b.quantity(check.quantity)
        return qa, qb, compare_arrays(qa, qb, max_ulps).status == "different"

    def differs(sample: np.ndarray) -> bool:
        return run(sample[None])[2]

    # One sample that differs on its own: the first differing one, else any.
    order = list(range(len(batch_x)))
    first = check.difference.first_different
    if first is not None and per_sample:
        order.remove(first[0])
        order.insert(0, first[0])
    for index in order:
        sample = batch_x[index]
        if not differs(sample):
            continue
        simpler = shrink_sample(sample, differs) if shrink else sample
        qa, qb, _ = run(simpler[None])
        return Counterexample(
            check.backend,
            check.dtype,
            check.mode,
            check.quantity,
            check.batch,
            simpler,
            qa[0] if per_sample else qa,
            qb[0] if per_sample else qb,
            shrunk=not np.array_equal(
                simpler.astype(np.float64), sample.astype(np.float64), equal_nan=True
            ),
        )

    # The difference needs the whole batch (e.g. batch statistics in training).
    qa, qb, _ = run(batch_x)
    return Counterexample(
        check.backend,
        check.dtype,
        check.mode,
        check.quantity,
        check.batch,
        batch_x,
        qa,
        qb,
        shrunk=False,
        whole_batch=True,
    )
