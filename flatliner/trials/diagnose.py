"""`diagnose_model`: train a model over seeds and judge every run."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flatliner.data.dataset import Dataset
from flatliner.diagnoses import DiagnosisContext, Finding, diagnose_run
from flatliner.diagnoses.loss_mismatch import blocks_training
from flatliner.models.spec import ModelSpec
from flatliner.probes.data_stats import input_statistics, label_statistics
from flatliner.probes.model_facts import ModelFacts, model_facts
from flatliner.probes.snapshot import describe_layers
from flatliner.trials.config import TrainConfig
from flatliner.trials.run import (
    RunResult,
    build_model,
    default_compile_args,
    train_run,
)

logger = logging.getLogger(__name__)


@dataclass
class Diagnosis:
    """The outcome of `diagnose_model`.

    Attributes:
        model: The model spec as given.
        seeds: The seeds trained, in order.
        runs: seed -> finished run (empty when training was skipped).
        findings: seed -> that run's findings, errors first.
        preflight: Findings from before training (static checks and the
            pre-flight probes), shared by every seed.
        facts: The compiled model's loss, output and optimizer.
        skipped_training: Why training was skipped, if it was.
        monitor_seconds: seed -> time the Monitor's hooks took on the training
            thread (runs loaded from the store are not timed).
    """

    model: str
    seeds: list[int]
    runs: dict[int, RunResult] = field(default_factory=dict)
    findings: dict[int, list[Finding]] = field(default_factory=dict)
    preflight: list[Finding] = field(default_factory=list)
    facts: ModelFacts | None = None
    skipped_training: str | None = None
    monitor_seconds: dict[int, float] = field(default_factory=dict)

    def all_findings(self) -> list[Finding]:
        """Pre-flight findings, then each seed's, in seed order."""
        found = list(self.preflight)
        for seed in self.seeds:
            found.extend(self.findings.get(seed, []))
        return found


def diagnosis_context(
    spec: ModelSpec, dataset: Dataset, config: TrainConfig, seed: int
) -> tuple[DiagnosisContext, list]:
    """Builds the model once to read its facts; returns the context and layers."""
    model = _build_unchecked(spec, dataset, seed)
    x_probe = dataset.x_test[: config.probe_size]
    layers = describe_layers(model, x_probe)
    context = DiagnosisContext(
        num_classes=dataset.num_classes,
        y_val=dataset.y_test,
        probe_size=config.probe_samples(len(dataset.x_test)),
        facts=model_facts(model, layers, x_probe),
        inputs=input_statistics(dataset.x_train),
        labels=label_statistics(dataset.y_train, dataset.y_test, dataset.num_classes),
    )
    return context, layers


def diagnose_model(
    spec: ModelSpec,
    dataset: Dataset,
    config: TrainConfig,
    seeds: list[int],
    store: Any = None,
    *,
    preset: str = "standard",
    on_epoch: Callable[[int, Any], None] | None = None,
    preflight: bool = True,
    label: str = "A",
) -> Diagnosis:
    """Trains `spec` on `dataset` once per seed and judges every run.

    Static checks (loss against output and labels, input scale, double
    softmax, narrow bottleneck, data order) run first on a model built with the
    first seed; when one of them makes training meaningless (labels beyond the
    output width, integer labels under a one-hot loss) training is skipped and
    those findings are returned as `preflight`. Otherwise the pre-flight probes
    run (flatliner.trials.preflight, when `preflight`), then each seed trains
    and every rule judges its run.

    Args:
        spec: The model to diagnose.
        dataset: Its data; the test split is the validation data.
        config: Epochs, batch size and probe size.
        seeds: One run per seed.
        store: Optional RunStore; finished runs are saved to it under label "A"
            and runs already in it are loaded instead of retrained.
        preset: Monitor preset ("cheap", "standard", "full").
        on_epoch: Called with (seed, EpochRecord) after every epoch.
        preflight: Whether to run the pre-flight probes.
        label: The label runs are stored under (default "A"; `diagnose
            --try-fixes` uses the fix study's "original", so the fixes reuse
            these runs).

    Raises:
        ModelSpecError: when the model cannot be built for the data.
        ConfigError: for an unknown preset.
    """
    from flatliner.diagnoses.static import static_findings
    from flatliner.monitor import Monitor

    context, layers = diagnosis_context(spec, dataset, config, seeds[0])
    result = Diagnosis(model=spec.name, seeds=list(seeds), facts=context.facts)
    result.preflight = static_findings(layers, context)
    if blocks_training(result.preflight):
        result.skipped_training = (
            "the loss, output and labels do not fit together; training would fail "
            "or produce NaN"
        )
        return result
    # Each run's findings repeat the static ones with its own numbers.
    result.preflight = []
    if preflight:
        from flatliner.trials.preflight import run_preflight

        result.preflight = run_preflight(spec, dataset, config, seeds[0])

    done = store.finished() if store is not None else set()
    for seed in seeds:
        if (label, seed) in done:
            run = store.load(label, seed)
        else:
            monitor = Monitor(
                probe=(
                    dataset.x_test[: config.probe_size],
                    dataset.y_test[: config.probe_size],
                ),
                preset=preset,
                judge=False,
            )
            run = train_run(
                spec,
                dataset,
                config,
                seed,
                label=label,
                on_epoch=(lambda record, s=seed: on_epoch(s, record))
                if on_epoch
                else None,
                preset=preset,
                monitor=monitor,
            )
            result.monitor_seconds[seed] = sum(
                e.monitor_seconds for e in monitor.epochs
            )
            if store is not None:
                store.save(run)
        result.runs[seed] = run
        result.findings[seed] = diagnose_run(run, context=context)
    return result


def _build_unchecked(spec: ModelSpec, dataset: Dataset, seed: int) -> Any:
    """Builds and compiles like build_model, without refusing a narrow output
    (which the loss-mismatch rule reports as a finding instead)."""

    from flatliner.errors import ModelSpecError

    try:
        return build_model(spec, dataset, seed)
    except ModelSpecError as exc:
        if "needs at least" not in str(exc):
            raise
    from flatliner.trials.run import seed_everything

    seed_everything(seed)
    model = spec.build(dataset.num_classes)
    model(dataset.x_train[:1], training=False)
    if not model.compiled:
        model.compile(**default_compile_args())
    return model
