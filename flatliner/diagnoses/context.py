"""What the rules may know besides the run itself."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from flatliner.probes.batch_fingerprints import BatchFingerprints
from flatliner.probes.data_stats import InputStats, LabelStats
from flatliner.probes.model_facts import ModelFacts


@dataclass(frozen=True)
class DiagnosisContext:
    """Facts about the data and the compiled model that rules judge alongside a run.

    Attributes:
        num_classes: K.
        y_val: Validation labels the run's val_accuracy was measured on, or
            None when unknown (the chance-level test is then skipped).
        probe_size: Samples in the probe batch.
        facts: The compiled model's loss, output and optimizer, if known.
        inputs: Statistics of the training inputs, if known.
        labels: Statistics of the training and validation labels, if known.
        batches: Fingerprints of the first training batches, if flatliner
            saw them (`flatliner run`).
    """

    num_classes: int
    y_val: np.ndarray | None = None
    probe_size: int = 0
    facts: ModelFacts | None = None
    inputs: InputStats | None = None
    labels: LabelStats | None = None
    batches: BatchFingerprints | None = None
