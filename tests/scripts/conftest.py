"""Fixtures for the script tests: the tiny training scripts in fixtures/."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixture_script():
    """Path of a test script by file name."""
    return lambda name: FIXTURES / name
