import dataclasses

from flatliner.diagnoses.finding import Finding, Fix
from flatliner.fixes.trial import (
    HELPS,
    NO_EFFECT,
    NOT_APPLIED,
    ORIGINAL,
    SAME,
    TOO_FEW_SEEDS,
    _outcome,
    mechanical_fixes,
    try_fixes,
)
from flatliner.models.spec import resolve_model_spec
from flatliner.trials.config import TrainConfig
from flatliner.trials.store import RunStore
from tests.diagnoses.runs import collapsed_run, healthy_run
from tests.helpers import tiny_images

SEEDS = [0, 1, 2, 3, 4]
FIX = Fix("widen_layer", "widen d1", "d1")


def _healthy(label, seed):
    run = healthy_run(label, seed)
    run.epochs[-1] = dataclasses.replace(
        run.epochs[-1], val_accuracy=0.15 + 0.01 * seed
    )
    return run


def _runs(make_fixed, seeds=SEEDS):
    runs = {}
    for seed in seeds:
        runs[(ORIGINAL, seed)] = collapsed_run(ORIGINAL, seed)
        runs[("fix", seed)] = make_fixed("fix", seed)
    chance = {key: run.final.val_accuracy < 0.02 for key, run in runs.items()}
    collapsed = [s for s in seeds if chance[(ORIGINAL, s)]]
    return runs, chance, collapsed


def test_a_fix_that_ends_the_collapse_helps_and_says_so():
    runs, chance, collapsed = _runs(_healthy)
    outcome = _outcome(FIX, "fix", SEEDS, runs, chance, collapsed)
    assert outcome.verdict == HELPS
    assert outcome.ends_collapse and outcome.rescued == SEEDS
    assert outcome.gain.low > 0.1


def test_a_fix_that_leaves_the_collapse_does_not_help():
    def barely(label, seed):
        run = collapsed_run(label, seed)
        run.weights = [w + 1 for w in run.weights]
        value = 0.0100 + (0.0001 if seed % 2 else -0.0001)
        run.epochs[-1] = dataclasses.replace(run.epochs[-1], val_accuracy=value)
        return run

    runs, chance, collapsed = _runs(barely)
    outcome = _outcome(FIX, "fix", SEEDS, runs, chance, collapsed)
    assert outcome.verdict == NO_EFFECT
    assert not outcome.ends_collapse


def test_a_fix_that_trains_identically_is_reported_as_no_change():
    runs, chance, collapsed = _runs(collapsed_run)
    assert _outcome(FIX, "fix", SEEDS, runs, chance, collapsed).verdict == SAME


def test_two_seeds_are_too_few_to_tell():
    runs, chance, collapsed = _runs(_healthy, seeds=[0, 1])
    outcome = _outcome(FIX, "fix", [0, 1], runs, chance, collapsed)
    assert outcome.verdict == TOO_FEW_SEEDS


def test_fixes_are_deduplicated_and_unknown_actions_skipped():
    finding = Finding(
        "dead_layer",
        "error",
        "dead",
        fixes=(FIX, Fix("rewrite_model", "by hand"), FIX),
    )
    usable, skipped = mechanical_fixes([finding, finding])
    assert usable == [FIX]
    assert [f.action for f in skipped] == ["rewrite_model"]


def test_try_fixes_runs_resumes_and_reports_unfit_fixes(tmp_path):
    # A no-op fix (the Conv2D is already linear) trains bit-identically; a fix
    # aimed at a missing layer is reported, not trained.
    data = tiny_images(n_train=64, n_test=32)
    config = TrainConfig(epochs=1, probe_size=32)
    spec = resolve_model_spec("seed-relu")
    finding = Finding(
        "dead_layer",
        "error",
        "dead",
        fixes=(Fix("remove_activation", "", "conv"), Fix("widen_layer", "", "d9")),
    )
    with RunStore(tmp_path, {"test": 1}) as store:
        report = try_fixes(spec, [finding], data, config, [0], store)
        assert store.finished() == {
            (label, seed)
            for label in (ORIGINAL, "remove_activation@conv")
            for seed in (0,)
        }
    verdicts = {o.label: o.verdict for o in report.outcomes}
    assert verdicts == {"remove_activation@conv": SAME, "widen_layer@d9": NOT_APPLIED}
    assert "'d9' is not in the model" in report.outcomes[-1].error
    assert any("trains identically" in line for line in report.summary())
