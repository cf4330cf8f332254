"""Judging what was recorded while a script ran: findings per fit call, located.

Each finding is paired with the place in the user's code it points at: the line
that created the layer it names, the compile call for a finding about the loss,
or else the fit call itself.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from dataclasses import dataclass, field

import numpy as np

from flatliner.diagnoses.chance_level import chance_level
from flatliner.diagnoses.constant_output import constant_output
from flatliner.diagnoses.data_order import repeated_batches
from flatliner.diagnoses.dead_units import dead_units
from flatliner.diagnoses.finding import Finding
from flatliner.diagnoses.label_range import label_out_of_range
from flatliner.diagnoses.loss_target_mismatch import (
    classification_loss_on_continuous_targets,
    regression_loss_on_class_labels,
)
from flatliner.diagnoses.mean_level import mean_level
from flatliner.diagnoses.target_scale import unnormalised_targets
from flatliner.diagnoses.unreachable_targets import unreachable_targets
from flatliner.probes.baseline_loss import baseline_loss
from flatliner.probes.loss_kind import LossKind, loss_kind
from flatliner.probes.output_activation import output_activation
from flatliner.probes.predicted_classes import predicted_classes
from flatliner.probes.targets import TargetStats, target_stats
from flatliner.scripts.crash import diagnose_crash
from flatliner.scripts.fit_hook import FitCall, Session
from flatliner.scripts.locations import SourceLocation
from flatliner.scripts.recorder import TrainingRecord
from flatliner.scripts.runner import ScriptResult
from flatliner.trials.run import EpochRecord, RunResult

logger = logging.getLogger(__name__)

# Findings about the loss or the targets under it point at the compile call.
COMPILE_KINDS = frozenset(
    {
        "classification_loss_on_continuous_targets",
        "regression_loss_on_class_labels",
        "sparse_loss_on_one_hot",
        "categorical_loss_on_indices",
        "target_shape_mismatch",
        "label_out_of_range",
        "unnormalised_targets",
    }
)
_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class LocatedFinding:
    """A finding and the line of the user's code it points at.

    Attributes:
        finding: The finding.
        where: File and line, or None when the code is not the user's.
        what: What is at that line: "layer defined", "compiled" or "fit called".
    """

    finding: Finding
    where: SourceLocation | None
    what: str

    def to_dict(self) -> dict:
        data = self.finding.to_dict()
        data["where"] = None if self.where is None else self.where.to_dict()
        data["where_what"] = self.what
        return data


@dataclass
class FitReport:
    """The findings of one fit call.

    Attributes:
        fit: The fit call.
        task: The task it trains, in words (`multi-class (sparse labels)`).
        findings: Located findings, errors first.
    """

    fit: FitCall
    task: str
    findings: list[LocatedFinding] = field(default_factory=list)

    @property
    def worst(self) -> str | None:
        return self.findings[0].finding.severity if self.findings else None


@dataclass
class ScriptReport:
    """Findings of a whole script run: one FitReport per fit call, plus a crash
    outside any fit call."""

    result: ScriptResult
    fits: list[FitReport]
    crash: LocatedFinding | None = None


def diagnose_script(result: ScriptResult) -> ScriptReport:
    """Judges every fit call of a finished (or crashed) script run."""
    fits = [_diagnose_safely(fit, result.session) for fit in result.session.fits]
    crash = None
    error = result.error
    if error is not None and not any(f.error is error for f in result.session.fits):
        tb = error.__traceback__
        where = None
        while tb is not None:
            if result.session.user.owns(tb.tb_frame.f_code.co_filename):
                where = SourceLocation(tb.tb_frame.f_code.co_filename, tb.tb_lineno, "")
            tb = tb.tb_next
        message = str(error).strip().splitlines()[0] if str(error).strip() else ""
        crash = LocatedFinding(
            Finding(
                kind="crash",
                severity="error",
                summary=(
                    f"the script raised {type(error).__name__} outside any fit "
                    f"call: {message}"
                ),
                evidence={"exception": type(error).__name__, "message": message},
                threshold="an exception outside fit",
            ),
            where,
            "raised",
        )
    return ScriptReport(result, fits, crash)


def _diagnose_safely(fit: FitCall, session: Session) -> FitReport:
    # A bug in judging one fit must not lose the report of the others.
    try:
        return diagnose_fit(fit, session)
    except Exception as exc:  # noqa: BLE001 - reported as a finding instead
        logger.warning("flatliner could not judge fit #%d: %r", fit.index, exc)
        finding = Finding(
            kind="not_judged",
            severity="info",
            summary=f"flatliner could not judge this fit: {type(exc).__name__}: {exc}",
        )
        return FitReport(
            fit, "unknown", [LocatedFinding(finding, fit.location, "fit called")]
        )


def diagnose_fit(fit: FitCall, session: Session) -> FitReport:
    """Every finding for one fit call, located and sorted errors first."""
    loss = loss_kind(fit.loss)
    training = fit.training
    probe = training.probe
    stats = _target_stats(probe.y)
    final = training.final
    output = None if final is None else final.output
    task = describe_task(loss, stats, output)

    # Causes first (dead layers, target and loss problems), then symptoms
    # (chance level, constant output); the sort below keeps this order within
    # a severity.
    findings: list[Finding] = []
    if final is not None and training.layers:
        findings.extend(_dead_layers(training, loss))
    findings.extend(_target_rules(fit, loss, stats, output))
    repeated = repeated_batches(probe.batches)
    if repeated is not None:
        findings.append(repeated)
    if final is not None and training.layers:
        chance = _chance(training, loss)
        if chance is not None:
            findings.append(chance)
    if final is not None and final.epoch > 0:
        constant = constant_output(output, since_epoch=None)
        if constant is not None:
            findings.append(constant)
    for callback in fit.callbacks:
        # Callbacks such as flatliner.Monitor report their own findings.
        report = getattr(callback, "findings", None)
        if isinstance(report, list):
            # flatliner.Monitor judges when training ends and keeps the list.
            findings.extend(report)
        elif callable(report):
            try:
                findings.extend(report())
            except Exception as exc:  # noqa: BLE001 - one callback must not sink all
                logger.warning("a flatliner callback failed to judge: %s", exc)
    if fit.error is not None and not isinstance(fit.error, KeyboardInterrupt):
        findings.insert(0, diagnose_crash(fit, fit.error))

    located = [_locate(f, fit, session) for f in _unique(findings)]
    located.sort(key=lambda lf: _ORDER[lf.finding.severity])
    return FitReport(fit, task, located)


def describe_task(
    loss: LossKind, stats: TargetStats | None, output: np.ndarray | None
) -> str:
    """The task a fit trains, from its loss, targets and output width."""
    width = None if output is None or output.ndim < 2 else output.shape[-1]
    if width is None and stats is not None:
        width = stats.width
    if loss.family == "sparse_categorical":
        return "multi-class (sparse labels)"
    if loss.family == "categorical":
        return "multi-class (one-hot labels)"
    if loss.family == "binary":
        return "binary" if width in (None, 1) else "multi-label"
    if loss.family == "regression":
        return f"regression ({loss.name})"
    return f"unknown task (loss {loss.name})"


def _target_stats(y: np.ndarray | None) -> TargetStats | None:
    if y is None or y.ndim == 0 or len(y) == 0:
        return None
    try:
        return target_stats(y)
    except (TypeError, ValueError):
        return None


def _dead_layers(training: TrainingRecord, loss: LossKind) -> list[Finding]:
    """The dead-unit rule of `flatliner diagnose`, on the script's records."""
    records = []
    for record in training.records:
        classes = _classes(record.output, loss)
        records.append(
            EpochRecord(
                epoch=record.epoch,
                loss=record.logs.get("loss"),
                accuracy=None,
                val_loss=math.nan,
                val_accuracy=math.nan,
                classes_predicted=classes.distinct if classes else 0,
                class_counts=classes.counts if classes else {},
                output_entropy=classes.entropy if classes else math.nan,
                dead_units=record.dead_units,
            )
        )
    run = _run(training, records)
    findings = dead_units(run, training.probe.size)
    if loss.classification:
        return findings
    # A regression predicts no classes: say what the dead layer does instead.
    return [
        dataclasses.replace(
            f,
            summary=f.summary.split("; the model predicts")[0]
            if f.kind == "dead_layer"
            else f.summary,
        )
        for f in findings
    ]


def _chance(training: TrainingRecord, loss: LossKind) -> Finding | None:
    """Chance level on the probe batch, for multi-class and binary tasks."""
    probe = training.probe
    labels = _labels(probe.y, loss)
    if labels is None:
        return None
    records = []
    for record in training.records:
        if record.output is None or record.output.ndim != 2:
            return None
        probs = _probabilities(record.output, loss)
        if probs is None or labels.min() < 0 or labels.max() >= probs.shape[1]:
            # Labels the output cannot name are label_out_of_range's business.
            return None
        classes = predicted_classes(probs)
        picked = probs[np.arange(len(labels)), labels]
        records.append(
            EpochRecord(
                epoch=record.epoch,
                loss=record.logs.get("loss"),
                accuracy=None,
                val_loss=float(-np.mean(np.log(np.clip(picked, 1e-12, 1.0)))),
                val_accuracy=float(np.mean(probs.argmax(axis=1) == labels)),
                classes_predicted=classes.distinct,
                class_counts=classes.counts,
                output_entropy=classes.entropy,
                dead_units=record.dead_units,
            )
        )
    num_classes = max(int(training.records[-1].output.shape[-1]), 2)
    finding = chance_level(_run(training, records), labels, num_classes)
    if finding is None:
        return None
    return dataclasses.replace(
        finding,
        summary=finding.summary.replace(
            "validation accuracy", f"accuracy on {len(labels)} training samples"
        ),
    )


def _labels(y: np.ndarray | None, loss: LossKind) -> np.ndarray | None:
    if y is None:
        return None
    if loss.family == "sparse_categorical":
        flat = np.asarray(y).reshape(len(y), -1)
        if flat.shape[1] != 1 or not np.all(flat == np.round(flat)):
            return None
        return flat[:, 0].astype(int)
    if loss.family == "categorical" and y.ndim == 2 and y.shape[1] > 1:
        return np.asarray(y).argmax(axis=1)
    if loss.family == "binary" and np.asarray(y).reshape(len(y), -1).shape[1] == 1:
        flat = np.asarray(y).reshape(-1)
        if not np.all((flat == 0) | (flat == 1)):
            return None
        return flat.astype(int)
    return None


def _probabilities(output: np.ndarray, loss: LossKind) -> np.ndarray | None:
    out = output.astype(np.float64)
    if loss.family == "binary":
        if out.shape[1] != 1:
            return None
        p = 1 / (1 + np.exp(-out)) if loss.from_logits else out
        return np.concatenate([1 - p, p], axis=1)
    if loss.from_logits:
        out = np.exp(out - out.max(axis=1, keepdims=True))
        return out / out.sum(axis=1, keepdims=True)
    return out


def _classes(output: np.ndarray | None, loss: LossKind):
    if output is None or output.ndim != 2:
        return None
    probs = _probabilities(output, loss) if loss.classification else None
    if probs is None:
        return None
    return predicted_classes(probs)


def _run(training: TrainingRecord, records: list[EpochRecord]) -> RunResult:
    return RunResult(
        label="script",
        model="script",
        seed=-1,
        backend="",
        layers=training.layers,
        epochs=records,
        weights=[],
        seconds_per_epoch=[],
    )


def _target_rules(
    fit: FitCall, loss: LossKind, stats: TargetStats | None, output: np.ndarray | None
) -> list[Finding]:
    probe = fit.training.probe
    if stats is None or probe.x is None:
        return []
    try:
        activation, layer = output_activation(fit.model, probe.x)
    except Exception as exc:  # noqa: BLE001 - an untraceable model skips these rules
        logger.info("output activation unknown: %s", exc)
        activation, layer = None, None
    width = None
    if output is not None and output.ndim >= 1:
        width = 1 if output.ndim == 1 else int(np.prod(output.shape[1:]))
    findings = [
        label_out_of_range(loss, stats, width, layer),
        unreachable_targets(loss, activation, layer, width, probe.y, stats),
        unnormalised_targets(loss, stats),
        classification_loss_on_continuous_targets(loss, stats),
        regression_loss_on_class_labels(loss, activation, stats),
    ]
    final = fit.training.final
    if (
        loss.family == "regression"
        and output is not None
        and final is not None
        and final.epoch > 0
    ):
        try:
            baseline = baseline_loss(fit.loss, probe.y, output)
        except Exception as exc:  # noqa: BLE001 - shapes the loss cannot compare
            logger.info("baseline loss unavailable: %s", exc)
        else:
            findings.append(mean_level(baseline, loss.name, final.epoch))
    return [f for f in findings if f is not None]


def _unique(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for finding in findings:
        key = (finding.kind, finding.layer)
        if key not in seen:
            seen.add(key)
            out.append(finding)
    return out


def _locate(finding: Finding, fit: FitCall, session: Session) -> LocatedFinding:
    if finding.layer is not None:
        layer = fit.training.layer_objects.get(finding.layer)
        if layer is None:
            layer = _find_layer(fit.model, finding.layer)
        site = None if layer is None else session.layer_site(layer)
        if site is not None:
            return LocatedFinding(finding, site, "layer defined")
    if finding.kind in COMPILE_KINDS and fit.compile_location is not None:
        return LocatedFinding(finding, fit.compile_location, "compiled")
    return LocatedFinding(finding, fit.location, "fit called")


def _find_layer(model, path: str):
    from flatliner.probes.layer_outputs import layer_paths

    try:
        paths = layer_paths(model)
        for layer in model._flatten_layers(include_self=False, recursive=True):
            if paths.get(id(layer)) == path:
                return layer
    except Exception:  # noqa: BLE001 - a model we cannot walk has no layer sites
        return None
    return None
