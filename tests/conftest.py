"""Shared test setup: the repo on sys.path, and markers by speed."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # so plain `pytest` finds the packages, as `python -m pytest` does
    sys.path.insert(0, str(REPO))


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _snapshots_in_a_temporary_folder(tmp_path_factory, monkeypatch):
    """The app keeps its last good data on disk; tests keep it out of the home folder."""
    monkeypatch.setenv("CAMPAIGN_CACHE_DIR", str(tmp_path_factory.mktemp("snapshots")))


# Property tests explore new examples on developers' machines; in CI they replay a fixed,
# derandomised set, so a submission's CI does not depend on luck.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if __import__("os").environ.get("CI"):
    _hypothesis_settings.load_profile("ci")
