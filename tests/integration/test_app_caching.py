"""Reads of the sheet are shared: many sessions within the TTL cause one read; «Обновить» re-reads."""

from __future__ import annotations


import pytest

from data_sources.local_file import LocalFileSource



@pytest.fixture
def reads(new_app, monkeypatch):
    """Counts real reads of the source (the real reader still runs)."""
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


def test_several_sessions_and_pages_within_the_ttl_read_the_sheet_once(reads, new_app):
    first = new_app().run()
    second = new_app().run()
    second.switch_page("pages/problems.py").run()
    third = new_app().run()
    third.switch_page("pages/events.py").run()
    assert not (first.exception or second.exception or third.exception)
    assert len(reads) == 1


def test_the_refresh_button_reads_the_sheet_again(reads, new_app):
    at = new_app().run()
    assert len(reads) == 1
    at.sidebar.button[0].click().run()
    assert at.sidebar.button[0].label == "Обновить"
    assert len(reads) == 2
    assert not at.exception
