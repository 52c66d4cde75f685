"""«По дням отчётов» from the history (service.reads.ReadService.report_days) against SQLite and
a real PostgreSQL server: the last read of each day, the figures kept with their snapshot so that
a past day is never counted again, a history that cannot be used."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from campaign.pipeline import run
from campaign.spec import load_campaign
from data_sources.config import load_settings
from data_sources.local_file import LocalFileSource
from history.store import HistoryStore, source_key
from service.reads import ReadService, history_for

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def sheet_settings(history_url, tmp_path):
    url, folder = history_url
    sheet = tmp_path / "кампания.xlsx"
    shutil.copy(REPO / "data" / "demo" / "amur-2022.xlsx", sheet)
    settings = load_settings(env={"CAMPAIGN_SOURCE": str(sheet)}, secrets={}, campaign_id="amur-2022")
    return replace(settings, cache_dir=folder or tmp_path / "cache", history_url=url)


def without_organisations(workbook, count: int):
    """The workbook as it was before the last `count` organisations that count were typed in."""
    report = run(workbook.tabs, load_campaign("amur-2022"), as_of=date(2022, 2, 22))
    counted = report.counted("organisations_joined")["_row"].tolist()
    late = set(counted[len(counted) - count:])
    tabs = []
    for tab in workbook.tabs:
        if tab.title == "Организации":
            kept = [(n, r) for n, r in zip(tab.row_numbers, tab.rows) if n not in late]
            tab = replace(tab, rows=[r for _, r in kept], row_numbers=[n for n, _ in kept])
        tabs.append(tab)
    return replace(workbook, tabs=tabs)


def backfill(settings, *reads) -> HistoryStore:
    """Earlier reads of the sheet: (days ago, hour in UTC, organisations not typed yet)."""
    store = history_for(settings)
    key = source_key(settings.source_kind, settings.source)
    sheet = LocalFileSource(settings.source).read()
    today = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    for days_ago, hour, missing in reads:
        store.record(key, replace(without_organisations(sheet, missing),
                                  read_at=today - timedelta(days=days_ago) + timedelta(hours=hour)))
    return store


def values(result, target="organisations_memo"):
    return [(d.day, d.figures[target][0]) for d in result.days]


def test_each_day_shows_the_figures_of_its_last_read_and_today_the_current_one(sheet_settings):
    # Amur is UTC+9: 01:00 and 05:00 UTC are 10:00 and 14:00 there, of the same day
    backfill(sheet_settings, (3, 1, 9), (3, 5, 6), (2, 1, 4))
    service = ReadService(background=False)
    now = service.current(sheet_settings).report
    result = service.report_days(sheet_settings)
    assert result.error is None
    joined = now.metrics["organisations_joined"]
    assert [value for _, value in values(result)] == [joined - 6, joined - 4, joined]  # four reads, three days
    days = [day for day, _ in values(result)]
    assert days == sorted(days) and len(set(days)) == 3
    assert service.report_days(sheet_settings) is result  # made once per read


def test_figures_are_kept_so_a_past_day_is_never_counted_again(sheet_settings, monkeypatch):
    store = backfill(sheet_settings, (2, 1, 5), (1, 1, 2))
    first = ReadService(background=False)
    first.current(sheet_settings)
    made = first.report_days(sheet_settings)
    engine = sa.create_engine(sheet_settings.history_url) if sheet_settings.history_url else store._open()
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM figures")).scalar_one() == 3

    again = ReadService(background=False)  # another server, or this one after a restart
    again.current(sheet_settings)

    def no_past_pipeline(*args):
        raise AssertionError("a past read was counted again")

    monkeypatch.setattr(again, "_past", no_past_pipeline)
    assert values(again.report_days(sheet_settings)) == values(made)


def test_one_day_of_history_is_not_a_chart_and_a_broken_history_is_said(sheet_settings, monkeypatch):
    service = ReadService(background=False)
    service.current(sheet_settings)
    assert len(service.report_days(sheet_settings).days) == 1  # only today's read

    from history.store import HistoryError

    def broken(*args, **kwargs):
        raise HistoryError("База истории чтений недоступна.")

    fresh = ReadService(background=False)
    monkeypatch.setattr(HistoryStore, "figures", broken)  # the read itself tries first, then the page
    fresh.current(sheet_settings)
    result = fresh.report_days(sheet_settings)
    assert result.days == () and result.error == "База истории чтений недоступна."


def test_a_new_read_comes_with_what_the_history_says_of_it_and_keeps_the_read_before(sheet_settings, monkeypatch):
    """After a refresh no page waits for the history: the change since the previous read and
    «по дням отчётов» are made by the read before it is served, against the previous read's own
    report (kept in memory, not rebuilt from the history)."""
    service = ReadService(background=False)
    first = service.current(sheet_settings).report
    rebuilt, looked_back = [], []
    real_workbook = HistoryStore.workbook
    store = history_for(sheet_settings)
    monkeypatch.setattr(HistoryStore, "workbook",
                        lambda self, *a: (self is store and rebuilt.append(a)) or real_workbook(self, *a))
    import service.reads as reads_module

    real_look_back = reads_module.look_back
    own = source_key(*sheet_settings.history_key)  # (a read of another campaign by an earlier test's thread is not this)
    monkeypatch.setattr(reads_module, "look_back",
                        lambda *a: (a[1] == own and looked_back.append(a)) or real_look_back(*a))
    sheet = Path(sheet_settings.source)
    book = __import__("openpyxl").load_workbook(sheet)
    book["Организации"].append(["г. Белогорск", "МОБУ СОШ № 999", "", "школа", "21.02.2022", "в реестре Альянса"])
    book.save(sheet)

    service.expire()
    assert service.refresh(sheet_settings) is None
    assert len(looked_back) == 1  # made by the read
    second = service.current(sheet_settings).report
    assert second is not first
    hindsight = service.hindsight(sheet_settings)
    days = service.report_days(sheet_settings)
    assert len(looked_back) == 1 and rebuilt == []  # the pages find both made; the read before was in memory
    assert hindsight.previous is not None
    assert hindsight.previous.municipalities and any(
        m.deltas.get("organisations_joined") == 1 for m in hindsight.previous.municipalities)
    assert days.days and days.days[-1].figures


def test_a_sheet_read_again_unchanged_keeps_its_report_and_says_when_it_was_read(sheet_settings):
    """The same cells read again: the report (and all the pages drew of it) stays, with the new
    time of the read; the change since the read before says when that read was."""
    service = ReadService(background=False)
    first = service.current(sheet_settings).report
    first_read_at = first.read_at
    service.expire()
    service.refresh(sheet_settings)
    again = service.current(sheet_settings).report
    assert again is first and again.read_at > first_read_at
    previous = service.hindsight(sheet_settings).previous
    assert previous is not None and previous.since == first_read_at and not previous.municipalities

    sheet = Path(sheet_settings.source)
    book = __import__("openpyxl").load_workbook(sheet)
    book["Организации"].append(["г. Белогорск", "МОБУ СОШ № 998", "", "школа", "21.02.2022", "в реестре Альянса"])
    book.save(sheet)
    service.expire()
    service.refresh(sheet_settings)
    changed = service.current(sheet_settings).report
    assert changed is not first
    previous = service.hindsight(sheet_settings).previous
    # the history keeps one record of a read repeated unchanged within its hour, from its first time
    assert previous.since in (first_read_at, again.read_at) and previous.since < changed.read_at
    assert [m.deltas for m in previous.municipalities if m.deltas] == [{"organisations_joined": 1}]
