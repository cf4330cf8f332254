"""Attaching flatliner to every `fit` call while a script runs.

For the duration of `watching()`, `keras.Model.fit` is wrapped so that each call
gets flatliner's callbacks appended to the user's own (nothing of theirs is
removed or reordered), `keras.Model.compile` records where it was called, and
`keras.layers.Layer.__init__` records where each layer was created. Everything
is restored on exit, also when the script raises.

Which callbacks are attached is decided in one place, `default_callbacks`, or
the `callbacks_for` argument of `watching()`.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flatliner.scripts.fit_inputs import draw_probe
from flatliner.scripts.locations import SourceLocation, UserCode
from flatliner.scripts.recorder import ScriptRecorder, TrainingRecord

logger = logging.getLogger(__name__)

# Samples of the fit data measured after every epoch. 1,000 keeps a rarely
# active unit from looking dead while costing one small forward pass per epoch.
PROBE_SAMPLES = 1000


@dataclass
class FitCall:
    """One `fit` call of the script, with what flatliner recorded about it.

    Attributes:
        index: 1 for the script's first fit call, 2 for the second, ...
        location: Where the script called fit.
        model: The model being trained.
        compile_location: Where the script compiled it (None if not seen).
        loss: The loss as passed to compile (a name, a function or a Loss).
        training: Logs and probe measurements, filled in while fit runs.
        callbacks: The callbacks flatliner attached to this call.
        error: The exception fit raised, if it did.
        epochs_requested: The `epochs` argument of the call.
    """

    index: int
    location: SourceLocation | None
    model: Any
    compile_location: SourceLocation | None
    loss: Any
    training: TrainingRecord
    callbacks: list[Any] = field(default_factory=list)
    error: BaseException | None = None
    epochs_requested: int | None = None


CallbackFactory = Callable[[FitCall], list[Any]]


def default_callbacks(fit: FitCall) -> list[Any]:
    """The callbacks attached to every fit call of a script.

    This is the one place that decides what flatliner attaches. A callback that
    has a `findings()` method returning Finding objects has them reported with
    the fit call's own (see `flatliner.scripts.diagnose`).
    """
    callbacks: list[Any] = [ScriptRecorder(fit.training)]
    monitor = _monitor_for(fit)
    if monitor is not None:
        callbacks.append(monitor)
    return callbacks


def _monitor_for(fit: FitCall) -> Any:
    """flatliner.Monitor for a multi-class fit, with the fit's own probe batch.

    The Monitor's rules judge classification (loss against ln K, predicted
    classes, gradients and update ratios); on regression, binary or
    multi-label fits its ln K reference means nothing, so only the script
    rules run there.
    """
    from flatliner.monitor import Monitor
    from flatliner.probes.loss_kind import loss_kind

    if loss_kind(fit.loss).family not in ("sparse_categorical", "categorical"):
        return None
    probe = fit.training.probe
    pair = None
    if probe.x is not None and probe.y is not None and probe.size:
        pair = (probe.x, probe.y)
    return Monitor(probe=pair)


@dataclass
class Session:
    """What was recorded while one script ran: fit calls and source sites."""

    user: UserCode
    fits: list[FitCall] = field(default_factory=list)
    layer_sites: dict[int, SourceLocation] = field(default_factory=dict)
    compile_sites: dict[int, SourceLocation] = field(default_factory=dict)
    # Strong references, so that the ids above are never reused by new objects.
    _keep: list[Any] = field(default_factory=list, repr=False)

    def layer_site(self, layer: Any) -> SourceLocation | None:
        """Where the script created `layer`, if it did."""
        return self.layer_sites.get(id(layer))


@contextmanager
def watching(
    user: UserCode, callbacks_for: CallbackFactory = default_callbacks
) -> Iterator[Session]:
    """Within the block, every Keras fit call is monitored and recorded."""
    import keras

    session = Session(user)
    layer_cls, model_cls = keras.layers.Layer, keras.Model
    saved = {
        (layer_cls, "__init__"): layer_cls.__dict__.get("__init__"),
        (model_cls, "compile"): model_cls.__dict__.get("compile"),
        (model_cls, "fit"): model_cls.__dict__.get("fit"),
    }
    layer_cls.__init__ = _wrap_layer_init(layer_cls.__init__, session)
    model_cls.compile = _wrap_compile(model_cls.compile, session)
    model_cls.fit = _wrap_fit(model_cls.fit, session, callbacks_for)
    try:
        yield session
    finally:
        for (cls, name), original in saved.items():
            if original is None:
                delattr(cls, name)
            else:
                setattr(cls, name, original)


def _wrap_layer_init(original: Callable, session: Session) -> Callable:
    @functools.wraps(original)
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if id(self) not in session.layer_sites:
            site = session.user.caller(skip_self=self)
            if site is not None:
                session.layer_sites[id(self)] = site
                session._keep.append(self)
        original(self, *args, **kwargs)

    # Keras reads the signature of __init__ to build layer configs.
    __init__.__signature__ = inspect.signature(original)
    return __init__


def _wrap_compile(original: Callable, session: Session) -> Callable:
    @functools.wraps(original)
    def compile(self, *args: Any, **kwargs: Any) -> Any:
        site = session.user.caller()
        if site is not None:
            session.compile_sites[id(self)] = site
            session._keep.append(self)
        return original(self, *args, **kwargs)

    return compile


def _wrap_fit(
    original: Callable, session: Session, callbacks_for: CallbackFactory
) -> Callable:
    signature = inspect.signature(original)
    depth = [0]

    @functools.wraps(original)
    def fit(self, *args: Any, **kwargs: Any) -> Any:
        # A fit that calls fit (a subclass override) is monitored once.
        if depth[0] > 0:
            return original(self, *args, **kwargs)
        try:
            bound = signature.bind(self, *args, **kwargs)
        except TypeError:
            return original(self, *args, **kwargs)
        arguments = bound.arguments
        probe, x = draw_probe(
            arguments.get("x"),
            arguments.get("y"),
            PROBE_SAMPLES,
            batch_size=arguments.get("batch_size"),
        )
        if "x" in arguments:
            arguments["x"] = x
        call = FitCall(
            index=len(session.fits) + 1,
            location=session.user.caller(),
            model=self,
            compile_location=session.compile_sites.get(id(self)),
            loss=getattr(self, "loss", None),
            training=TrainingRecord(probe),
            epochs_requested=arguments.get("epochs", 1),
        )
        session.fits.append(call)
        session._keep.append(self)
        try:
            call.callbacks = list(callbacks_for(call))
        except Exception as exc:  # noqa: BLE001 - never stop the user's training
            logger.warning("flatliner could not create its callbacks: %s", exc)
        theirs = arguments.get("callbacks")
        if isinstance(theirs, (list, tuple)):
            arguments["callbacks"] = [*theirs, *call.callbacks]
        elif theirs is None:
            arguments["callbacks"] = list(call.callbacks)
        else:
            # A CallbackList or another container: leave it alone and say so.
            logger.warning(
                "fit #%d passes callbacks as %s; flatliner attached nothing",
                call.index,
                type(theirs).__name__,
            )
        depth[0] += 1
        try:
            return original(*bound.args, **bound.kwargs)
        except BaseException as exc:
            call.error = exc
            raise
        finally:
            depth[0] -= 1

    return fit
