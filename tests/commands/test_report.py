"""`flatliner report RUN_DIR` on a run folder built by hand (no training)."""

import numpy as np
import pytest

from flatliner.cli import main
from flatliner.trials.store import RunStore
from tests.diagnoses.runs import balanced_labels, collapsed_run, healthy_run
from tests.report.reports import MARKUP, renamed


def _study(tmp_path, classes=100, make_b=healthy_run):
    """A folder holding runs of A (collapsed) and B, and the data they used."""
    data = tmp_path / "data.npz"
    rng = np.random.default_rng(0)
    np.savez(
        data,
        x_train=rng.random((200, 1, 1, 3), dtype=np.float32),
        y_train=np.arange(200) % classes,
        x_test=rng.random((10000, 1, 1, 3), dtype=np.float32),
        y_test=balanced_labels(10000, classes),
    )
    identity = _identity(["seed-relu", "models.py:<b>wide</b>"], str(data), classes)
    folder = tmp_path / "runs"
    with RunStore(folder, identity) as store:
        for seed in (0, 1):
            store.save(renamed(collapsed_run("A", seed), "d1", MARKUP))
            store.save(renamed(make_b("B", seed), "d1", MARKUP))
    return folder


def test_report_writes_the_page_and_prints_sections_in_page_order(tmp_path, capsys):
    folder = _study(tmp_path)
    assert main(["report", str(folder)]) == 0
    out = capsys.readouterr().out
    page = (folder / "report.html").read_text()

    titles = [
        "Verdict and findings",
        "Training curves per seed",
        "Final accuracy per variant",
        "Dead units per ReLU layer",
        "Predicted classes at the end",
        "Gradient norms by layer",
        "Fixes tried",
    ]
    positions = [out.index(t) for t in titles]
    assert positions == sorted(positions)
    assert [page.index(t) for t in titles] == sorted(page.index(t) for t in titles)

    # A collapsed, B learned: the judgement, not the names, decides the banner.
    assert "2 of 4 runs ended at chance level (A seeds 0, 1)" in out
    assert page.count("class='tile bad'") == 1
    assert MARKUP in out
    assert MARKUP not in page and "<b>wide</b>" not in page


def test_report_html_option_chooses_the_file(tmp_path, capsys):
    folder = _study(tmp_path)
    target = tmp_path / "out" / "page.html"
    assert main(["report", str(folder), "--html", str(target)]) == 0
    assert target.is_file()
    assert not (folder / "report.html").exists()


def test_report_on_a_folder_without_runs_is_a_one_line_error(tmp_path, capsys):
    status = main(["report", str(tmp_path / "empty")])
    err = capsys.readouterr().err.strip()
    assert status == 2
    assert "holds no runs.sqlite" in err
    assert "Traceback" not in err


def test_report_refuses_data_with_another_class_count(tmp_path, capsys):
    folder = _study(tmp_path)
    other = tmp_path / "other.npz"
    rng = np.random.default_rng(1)
    np.savez(
        other,
        x_train=rng.random((20, 1, 1, 3), dtype=np.float32),
        y_train=np.arange(20) % 10,
        x_test=rng.random((20, 1, 1, 3), dtype=np.float32),
        y_test=np.arange(20) % 10,
    )
    status = main(["report", str(folder), "--data", str(other)])
    err = capsys.readouterr().err
    assert status == 2
    assert "has 10 classes but the runs" in err and "--data" in err


@pytest.mark.parametrize("missing", ["A", "B"])
def test_runs_without_their_pair_are_left_out(tmp_path, capsys, missing):
    folder = _study(tmp_path)
    with RunStore.open_existing(folder) as store:
        store._db.execute("DELETE FROM runs WHERE label = ? AND seed = 1", (missing,))
    assert main(["report", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "1 runs without their pair are left out" in out
    assert "A seed 1" not in out and "B seed 1" not in out


def _single_model_study(tmp_path, extra, labels):
    identity = {**_identity(["seed-relu"], "cifar100", 100), **extra}
    folder = tmp_path / "runs"
    with RunStore(folder, identity) as store:
        for label in labels:
            for seed in (0, 1):
                store.save(collapsed_run(label, seed))
    return folder


@pytest.mark.parametrize(
    ("extra", "labels", "command"),
    [
        (
            {"study": "fix"},
            ["original", "widen_layer@d1"],
            "flatliner fix seed-relu --data cifar100 --epochs 2 --seeds 2 "
            "--first-seed 0 --backend jax",
        ),
        (
            {"preset": "standard"},
            ["A"],
            "flatliner diagnose seed-relu --data cifar100 --epochs 2 --seeds 2 "
            "--first-seed 0 --backend jax",
        ),
        (
            {"preset": "full"},
            ["original"],
            "flatliner diagnose seed-relu --data cifar100 --epochs 2 --seeds 2 "
            "--first-seed 0 --preset full --try-fixes --backend jax",
        ),
    ],
    ids=["fix", "diagnose", "diagnose-try-fixes"],
)
def test_report_on_a_fix_or_diagnose_folder_suggests_that_command(
    tmp_path, capsys, extra, labels, command
):
    folder = _single_model_study(tmp_path, extra, labels)
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err.strip()
    kind = command.split()[1]
    assert f"holds a `flatliner {kind}` study of seed-relu" in err
    assert f"{command} --run-dir {folder} --html FILE" in err
    assert "flatliner compare" not in err and "\n" not in err


def _identity(models, data, classes):
    """A study identity as the run folder stores it (2 epochs, default sizes)."""
    return {
        "models": models,
        "data": data,
        "num_classes": classes,
        "scale": "unit",
        "config": {
            "epochs": 2,
            "batch_size": 32,
            "probe_size": 1000,
            "eval_batch_size": 500,
        },
        "backend": "jax",
    }
