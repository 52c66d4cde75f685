"""Fixtures for the integration tests: a local Google Sheets API stand-in over real HTTP."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # so `pytest` (not only `python -m pytest`) finds the packages
    sys.path.insert(0, str(REPO))

from tests.sheets_standin import SheetsStandIn  # noqa: E402


@pytest.fixture
def standin():
    """A started SheetsStandIn; stopped after the test."""
    with SheetsStandIn() as server:
        yield server
