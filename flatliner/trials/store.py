"""The run folder: a SQLite index plus one weights file per finished run.

A run is written only when it is complete: its weights go to a temporary file
that is renamed into place, then one SQLite transaction records it. A process
killed at any moment leaves every earlier run intact, and the next invocation
with the same configuration skips them.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np

from flatliner.errors import StoreError
from flatliner.files import atomic_file
from flatliner.probes.snapshot import LayerInfo
from flatliner.trials.run import EpochRecord, RunResult

logger = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS study (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    label TEXT NOT NULL,
    seed INTEGER NOT NULL,
    model TEXT NOT NULL,
    backend TEXT NOT NULL,
    layers TEXT NOT NULL,
    epochs TEXT NOT NULL,
    seconds_per_epoch TEXT NOT NULL,
    weights_file TEXT NOT NULL,
    finished_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (label, seed)
);
"""


class RunStore:
    """A folder holding the finished runs of one study.

    Args:
        folder: Where to keep `runs.sqlite` and `weights/`. Created if missing.
        identity: What makes two invocations the same study (models, data,
            config, backend). An existing folder with a different identity is
            refused rather than mixed.

    Raises:
        StoreError: when `folder` holds a study with another identity.
    """

    def __init__(self, folder: Path, identity: dict[str, Any]) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "weights").mkdir(exist_ok=True)
        self.db_path = self.folder / "runs.sqlite"
        self._db = sqlite3.connect(self.db_path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)
        self._claim(identity)

    def _claim(self, identity: dict[str, Any]) -> None:
        wanted = json.dumps(identity, sort_keys=True)
        row = self._db.execute(
            "SELECT value FROM study WHERE key = 'identity'"
        ).fetchone()
        if row is None:
            self._db.execute(
                "INSERT INTO study (key, value) VALUES ('identity', ?)", (wanted,)
            )
        elif row[0] != wanted and self._is_empty():
            # A study that never finished a run (its model failed to build, say)
            # has nothing to protect: the folder goes to the new study.
            logger.info("run folder %s held no finished run; reusing it", self.folder)
            self._db.execute(
                "UPDATE study SET value = ? WHERE key = 'identity'", (wanted,)
            )
        elif row[0] != wanted:
            stored = json.loads(row[0])
            differing_values = {
                k: (stored.get(k), identity.get(k))
                for k in set(stored) | set(identity)
                if stored.get(k) != identity.get(k)
            }
            differing = sorted(
                k
                for k in set(stored) | set(identity)
                if stored.get(k) != identity.get(k)
            )
            shown = "; ".join(
                f"{k}: stored {_short(differing_values[k][0])}, now "
                f"{_short(differing_values[k][1])}"
                for k in differing
            )
            raise StoreError(
                f"run folder {self.folder} holds a study with different "
                f"{', '.join(differing)} ({shown}); pass another --run-dir or "
                "delete it."
            )

    def _is_empty(self) -> bool:
        return self._db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 0

    @classmethod
    def open_existing(cls, folder: Path) -> RunStore:
        """Opens a run folder that a study already wrote, whatever its identity.

        Raises:
            StoreError: when `folder` holds no `runs.sqlite`.
        """
        folder = Path(folder)
        if not (folder / "runs.sqlite").is_file():
            raise StoreError(
                f"run folder {str(folder)!r} holds no runs.sqlite; pass a folder "
                "that `flatliner compare` wrote (see its --run-dir)."
            )
        db = sqlite3.connect(folder / "runs.sqlite")
        try:
            row = db.execute(
                "SELECT value FROM study WHERE key = 'identity'"
            ).fetchone()
        except sqlite3.Error:
            row = None
        finally:
            db.close()
        if row is None:
            raise StoreError(
                f"run folder {str(folder)!r} has no study identity; it was not "
                "written by flatliner, or its first run never finished."
            )
        return cls(folder, json.loads(row[0]))

    def identity(self) -> dict[str, Any]:
        """What defines this folder's study (models, data, config, backend)."""
        row = self._db.execute(
            "SELECT value FROM study WHERE key = 'identity'"
        ).fetchone()
        return json.loads(row[0])

    def finished(self) -> set[tuple[str, int]]:
        """(label, seed) of every run already stored."""
        return set(self._db.execute("SELECT label, seed FROM runs").fetchall())

    def save(self, run: RunResult) -> None:
        """Stores one finished run atomically (weights file first, then the row)."""
        name = f"{run.label}-seed{run.seed}.npz"
        target = self.folder / "weights" / name
        with atomic_file(target, "wb", sync=True) as handle:
            np.savez(handle, *run.weights)
        self._db.execute(
            "INSERT OR REPLACE INTO runs (label, seed, model, backend, layers, "
            "epochs, seconds_per_epoch, weights_file) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run.label,
                run.seed,
                run.model,
                run.backend,
                json.dumps([info.to_dict() for info in run.layers]),
                json.dumps([record.to_dict() for record in run.epochs]),
                json.dumps(run.seconds_per_epoch),
                name,
            ),
        )
        logger.info("stored %s seed %d in %s", run.label, run.seed, self.folder)

    def load(self, label: str, seed: int) -> RunResult:
        row = self._db.execute(
            "SELECT model, backend, layers, epochs, seconds_per_epoch, weights_file "
            "FROM runs WHERE label = ? AND seed = ?",
            (label, seed),
        ).fetchone()
        if row is None:
            raise KeyError((label, seed))
        model, backend, layers, epochs, seconds, weights_file = row
        with np.load(self.folder / "weights" / weights_file) as archive:
            weights = [archive[f"arr_{i}"] for i in range(len(archive.files))]
        return RunResult(
            label=label,
            model=model,
            seed=seed,
            backend=backend,
            layers=[_layer_info(d) for d in json.loads(layers)],
            epochs=[EpochRecord.from_dict(d) for d in json.loads(epochs)],
            weights=weights,
            seconds_per_epoch=json.loads(seconds),
        )

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _layer_info(data: dict[str, Any]) -> LayerInfo:
    shape = data.get("output_shape")
    return LayerInfo(**{**data, "output_shape": tuple(shape) if shape else None})


def _short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 60 else text[:57] + "..."
