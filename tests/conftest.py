"""Shared test setup: the repo on sys.path, and markers by speed."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # so plain `pytest` finds the packages, as `python -m pytest` does
    sys.path.insert(0, str(REPO))


import pytest  # noqa: E402 - imported once sys.path holds the project


@pytest.fixture(autouse=True)
def _snapshots_in_a_temporary_folder(tmp_path_factory, monkeypatch):
    """The app keeps its history of reads on disk; tests keep it out of the home folder, and
    read a sheet only when they ask (no background reads of the server's own)."""
    monkeypatch.setenv("CAMPAIGN_CACHE_DIR", str(tmp_path_factory.mktemp("snapshots")))
    monkeypatch.setenv("CAMPAIGN_BACKGROUND_READS", "0")


# Property tests explore new examples on developers' machines; in CI they replay a fixed,
# derandomised set, so a submission's CI does not depend on luck.
from hypothesis import settings as _hypothesis_settings  # noqa: E402 - imported once sys.path holds the project

_hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if __import__("os").environ.get("CI"):
    _hypothesis_settings.load_profile("ci")


@pytest.fixture(scope="session")
def demo_report():
    """The report of a bundled demo workbook at the demo's own date: `demo_report("amur-2022")`."""
    from functools import lru_cache

    from campaign.pipeline import run
    from campaign.spec import load_campaign
    from data_sources.config import demo_workbook
    from data_sources.local_file import LocalFileSource

    @lru_cache(maxsize=None)
    def make(campaign_id: str = "amur-2022"):
        workbook = LocalFileSource(demo_workbook(campaign_id)).read()
        return run(workbook.tabs, load_campaign(campaign_id), as_of=load_campaign(campaign_id).demo_as_of,
                   source=workbook.source, read_at=workbook.read_at)

    return make
