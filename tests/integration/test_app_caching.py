"""Reads of the sheet are shared: many sessions within the TTL cause one read; «Обновить» re-reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from components import page_list
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
    from components.data import reads

    reads().forget()
    yield calls
    reads().forget()


def test_several_sessions_and_pages_within_the_ttl_read_the_sheet_once(reads, new_app):
    first = new_app().run()
    second = new_app().run()
    second.switch_page("pages/problems.py").run()
    third = new_app().run()
    third.switch_page("pages/events.py").run()
    assert not (first.exception or second.exception or third.exception)
    assert len(reads) == 1


def test_the_refresh_button_reads_the_sheet_again_but_not_twice_in_half_a_minute(reads, new_app):
    from components.data import reads as service

    at = new_app().run()
    assert len(reads) == 1
    at.sidebar.button[0].click().run()  # just after the first read: anyone may press it, so it waits
    assert len(reads) == 1
    assert any("прочитать снова можно через" in c.value for c in at.sidebar.caption)
    service().expire()  # half a minute later
    at.sidebar.button[0].click().run()
    assert at.sidebar.button[0].label == "Обновить"
    assert len(reads) == 2
    assert not at.exception


def test_the_refresh_button_reads_only_its_own_campaign(reads, new_app):
    from components.data import reads as service

    at = new_app().run()
    at.sidebar.radio(key="campaign_choice").set_value("primorye-2022").run()
    assert [Path(r.path).name for r in reads] == ["amur-2022.xlsx", "primorye-2022.xlsx"]
    service().expire()
    at.sidebar.button[0].click().run()  # «Обновить» on Primorye
    assert service().wait()
    assert [Path(r.path).name for r in reads][2:] == ["primorye-2022.xlsx"]


def test_a_failed_first_read_is_remembered_for_every_session_for_a_short_while(new_app, monkeypatch, tmp_path):
    """A storm of page views while the source fails makes one read, not one per view and page."""
    from campaign.workbook import SourceError
    from components.data import reads as service

    calls = []

    def failing(self):
        calls.append(self)
        raise SourceError("no_access", "Нет доступа к таблице.")  # not retried: one attempt per read

    monkeypatch.setattr(LocalFileSource, "read", failing)
    service().forget()
    for _ in range(3):
        at = new_app().run()
        at.switch_page("pages/problems.py").run()
        assert at.error and "Не удалось прочитать таблицу" in at.error[0].value
    assert len(calls) == 1
    service().forget()


PAGES = [entry.path for entry in page_list.PAGES if entry.name != "regions"]  # a region's pages


@pytest.mark.parametrize("page", PAGES)
def test_a_rerun_loads_the_report_once_and_parses_no_campaign_file(new_app, monkeypatch, page):
    """app.py and the page share one load per run; the campaign files are parsed once per change
    of a file, not per run (campaign.spec.load_campaign keeps them by their versions)."""
    import tomllib

    import components.data as data

    at = new_app().run()
    if page != "pages/summary.py":
        at.switch_page(page).run()
    loads, parsed = [], []
    real_load, real_parse = data._load, tomllib.load
    monkeypatch.setattr(data, "_load", lambda campaign_id: loads.append(campaign_id) or real_load(campaign_id))
    monkeypatch.setattr(tomllib, "load", lambda handle, **kw: parsed.append(handle.name) or real_parse(handle, **kw))
    at.run()
    assert not at.exception
    assert loads == ["amur-2022"]
    assert parsed == []
