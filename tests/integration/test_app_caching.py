"""Reads of the sheet are shared: many sessions within the TTL cause one read; «Обновить» re-reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data_sources.local_file import LocalFileSource

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def reads(monkeypatch):
    """Counts real reads of the source (the real reader still runs)."""
    for name in ("CAMPAIGN_ID", "CAMPAIGN_SOURCE", "CAMPAIGN_SOURCE_KIND", "CAMPAIGN_AS_OF"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(REPO)
    calls = []
    real_read = LocalFileSource.read

    def counting_read(self):
        calls.append(self)
        return real_read(self)

    monkeypatch.setattr(LocalFileSource, "read", counting_read)
    from components.data import fetch_workbook

    fetch_workbook.clear()
    yield calls
    fetch_workbook.clear()


def session() -> AppTest:
    return AppTest.from_file(str(REPO / "app.py"), default_timeout=60)


def test_several_sessions_and_pages_within_the_ttl_read_the_sheet_once(reads):
    first = session().run()
    second = session().run()
    second.switch_page("pages/problems.py").run()
    third = session().run()
    third.switch_page("pages/events.py").run()
    assert not (first.exception or second.exception or third.exception)
    assert len(reads) == 1


def test_the_refresh_button_reads_the_sheet_again(reads):
    at = session().run()
    assert len(reads) == 1
    at.sidebar.button[0].click().run()
    assert at.sidebar.button[0].label == "Обновить"
    assert len(reads) == 2
    assert not at.exception
