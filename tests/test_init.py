"""The package import stays light; `equivalent` is there when asked for."""

from __future__ import annotations

import subprocess
import sys


def test_import_flatliner_does_not_import_keras():
    code = "import sys, flatliner; print('keras' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "False"


def test_equivalent_is_exported_lazily():
    import flatliner
    from flatliner.equivalence import equivalent

    assert flatliner.equivalent is equivalent
