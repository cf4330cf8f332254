"""Double softmax: probabilities fed to a loss that expects logits."""

from __future__ import annotations

import math

from flatliner.diagnoses.context import DiagnosisContext
from flatliner.diagnoses.finding import Finding, Fix
from flatliner.trials.run import RunResult


def loss_floor(num_classes: int, activation: str) -> float:
    """The lowest loss reachable when probabilities are read as logits.

    A perfect softmax output (1 for the right class, 0 elsewhere) read as
    logits gives the right class e / (e + K - 1), so cross-entropy cannot go
    below ln(e + K - 1) - 1 (2.3575 for K = 27). A sigmoid output of 1 read as
    a logit gives ln(1 + e^-1) = 0.3133.
    """
    if activation == "sigmoid":
        return math.log1p(math.exp(-1.0))
    return math.log(math.e + num_classes - 1) - 1.0


def double_softmax(run: RunResult, context: DiagnosisContext) -> list[Finding]:
    """Flags a softmax or sigmoid output under a from_logits=True loss.

    Found from the compiled model, before any training: the loss applies its
    own softmax (or sigmoid) to outputs that already are probabilities, which
    flattens every gradient and puts a floor under the loss.
    """
    facts = context.facts
    if facts is None or not facts.from_logits:
        return []
    if facts.output_activation not in ("softmax", "sigmoid"):
        return []
    floor = loss_floor(context.num_classes, facts.output_activation)
    losses = [r.loss for r in run.epochs if r.loss is not None]
    evidence = {
        "output_activation": facts.output_activation,
        "loss": facts.loss,
        "from_logits": True,
        "loss_floor": floor,
        "num_classes": context.num_classes,
    }
    if losses:
        evidence["final_train_loss"] = losses[-1]
    return [
        Finding(
            kind="double_softmax",
            severity="error",
            summary=(
                f"{facts.output_layer} applies {facts.output_activation} but the "
                f"loss {facts.loss} has from_logits=True, so it is applied twice; "
                f"the loss cannot fall below {floor:.4f} even at 100% accuracy"
            ),
            layer=facts.output_layer,
            since_epoch=0,
            evidence=evidence,
            threshold="a probability output under a from_logits=True loss",
            fixes=(
                Fix(
                    "linear_output",
                    f"remove the {facts.output_activation} from "
                    f"{facts.output_layer} and keep from_logits=True",
                    facts.output_layer,
                ),
                Fix(
                    "from_logits_false",
                    "or keep the output and compile the loss with from_logits=False",
                ),
            ),
        )
    ]
