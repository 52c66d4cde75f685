"""89 regional Google Sheets read within the Sheets quota (service/sheet_schedule.py): real
gspread and a real Drive `files.list` over HTTP against the stand-in, the background reads'
rounds every 30 s on a test clock. An unchanged sheet costs no Sheets request (one Drive request
a round for all of them); no 60 seconds hold more than 50 Sheets requests; one changed sheet is
shown within 2 minutes, all 89 changed within 5."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.federal_sheets import SUBJECTS, federal_reads, joined, put, rounds, split, worst_minute


@pytest.fixture
def federal(standin, tmp_path):
    return federal_reads(standin, tmp_path, SUBJECTS)


def test_89_sheets_are_read_within_the_quota_and_unchanged_ones_cost_one_drive_request(standin, federal):
    assert len(federal.regions) == 89
    first = rounds(standin, federal, 10)  # 5 minutes from a cold start
    assert worst_minute(first) <= 50
    assert all(federal.service.read_ok(s) for s in federal.regions), "every sheet read within 5 minutes"
    assert sum(sheets for _, _, sheets in first) == 89 * 2

    standin.reset_requests()
    calm = rounds(standin, federal, 6)  # three quiet minutes: nothing changes
    assert [sheets for _, _, sheets in calm] == [0] * 6
    assert all(drive <= 1 for _, drive, _ in calm)  # one change check a round for all 89
    assert all(federal.service.read_ok(s) for s in federal.regions)
    read_at = federal.service.current(federal.regions[0]).report.read_at
    assert read_at is not None and (federal.clocks.wall - read_at) <= timedelta(seconds=120)  # confirmed, not read


def test_one_changed_sheet_shows_within_two_minutes(standin, federal):
    rounds(standin, federal, 10)
    khabarovsk = next(s for s in federal.regions if s.campaign_id.endswith("@08"))
    assert joined(federal, khabarovsk) == 1
    standin.reset_requests()
    changed_at = federal.clocks.monotonic
    put(standin, next(s for s in SUBJECTS if s.code == "08"), 3)
    shown_after = None
    for _ in range(8):
        made = rounds(standin, federal, 1)
        if joined(federal, khabarovsk) == 3:
            shown_after = made[0][0] - changed_at
            break
    assert shown_after is not None and shown_after <= 120
    assert split(standin.requests)[1] == 2  # only the changed sheet was read


def test_all_89_changed_at_once_are_read_within_five_minutes_and_the_quota(standin, federal):
    rounds(standin, federal, 10)
    changed_at = federal.clocks.monotonic
    for subject in SUBJECTS:
        put(standin, subject, 2)
    standin.reset_requests()
    made = rounds(standin, federal, 11)
    assert worst_minute(made) <= 50
    assert all(joined(federal, s) == 2 for s in federal.regions)
    last_read = max(t for t, _, sheets in made if sheets)
    assert last_read - changed_at <= 300


def test_a_page_never_reads_past_the_budget_it_says_the_sheet_is_queued(standin, federal):
    answers = [federal.service.current(s) for s in federal.regions[:30]]
    read = [a for a in answers if a.report is not None]
    queued = [a for a in answers if a.error is not None]
    assert len(read) == 25 and len(queued) == 5
    assert queued[0].error.kind == "pending" and "читаются по очереди" in queued[0].error.message
    assert split(standin.requests)[1] == 50


def test_when_drive_does_not_answer_every_due_sheet_is_read_within_the_budget(standin, federal):
    rounds(standin, federal, 10)
    standin.reset_requests()
    for _ in range(4):  # Drive fails in every round (the Drive API not enabled in the project)
        standin.fail_next(403)
        rounds(standin, federal, 1)
    made_drive, made_sheets = split(standin.requests)
    assert made_drive == 4 and 0 < made_sheets <= 100  # read again, two minutes at 50 a minute
    assert federal.service.schedule.last_error is not None


def test_the_regions_of_one_whole_country_sheet_share_one_read_a_change(standin, tmp_path):
    """One Google sheet for the whole country with a «Регион» column: a change is read once (2
    Sheets requests) for all its regions, and every region shows its new rows."""
    from dataclasses import replace

    from data_sources.config import load_settings
    from data_sources.drive_changes import DriveChanges
    from data_sources.google_sheet import GoogleSheetSource, edit_url
    from data_sources.region_rows import RegionRows, SharedRead
    from data_sources.resilient import ResilientSource
    from service.reads import ReadService, Refresher
    from service.sheet_schedule import SheetSchedule
    from tests.federal_sheets import FEDERAL, HEADER, Clocks

    clocks = Clocks()
    standin.clock = lambda: clocks.wall

    def put(schools: int) -> None:
        rows = [["Регион", *HEADER]]
        for region, town in (("Хабаровский край", "г. Хабаровск"), ("Амурская область", "г. Благовещенск"),
                             ("Приморский край", "г. Владивосток")):
            rows += [[region, town, f"Школа № {n}", "школа", "15.02.2022", "подписан"] for n in range(schools)]
        standin.add_spreadsheet("whole-country", "#МояХартия — Россия",
                                {"Организации": rows, "Мероприятия": [["Регион", "Муниципальное образование"]]})

    put(1)
    base = load_settings(env={}, secrets={}, campaign_id="amur-2022")
    regions = [replace(base, campaign_id=f"{FEDERAL}@{code}", source=edit_url("whole-country"), source_kind="google",
                       region_rows=code, ttl_seconds=60, is_demo=False, cache_dir=tmp_path, history_url=None)
               for code in ("08", "10", "05")]
    shared = SharedRead(GoogleSheetSource("whole-country", client=standin.client()), clock=lambda: clocks.monotonic)
    schedule = SheetSchedule(DriveChanges(standin.session()), clock=lambda: clocks.monotonic, wall=lambda: clocks.wall)
    service = ReadService(make=lambda s: ResilientSource(RegionRows(shared, s.region_rows), retries=0),
                          clock=lambda: clocks.monotonic, background=False, schedule=schedule)
    federal = type("F", (), {"clocks": clocks, "refresher": Refresher(service, lambda: regions)})()
    rounds(standin, federal, 3)
    assert [service.current(s).report.metrics["organisations_joined"] for s in regions] == [1, 1, 1]
    standin.reset_requests()
    put(3)
    rounds(standin, federal, 4)
    assert [service.current(s).report.metrics["organisations_joined"] for s in regions] == [3, 3, 3]
    drive, sheets = split(standin.requests)
    assert sheets == 2 and shared.reads == 2  # one read of the change for the three regions


def test_the_drive_change_check_lists_only_what_changed_page_by_page(standin, monkeypatch):
    from datetime import datetime, timezone

    from data_sources import drive_changes
    from data_sources.drive_changes import DriveChanges

    moments = iter(datetime(2022, 3, 1, 9, minute, tzinfo=timezone.utc) for minute in range(10))
    standin.clock = lambda: next(moments)
    for key in ("a", "b", "c"):  # modified at 9:00, 9:01, 9:02
        standin.add_spreadsheet(key, key, {"Лист1": [["x"]]})
    drive = DriveChanges(standin.session())
    monkeypatch.setattr(drive_changes, "PAGE_SIZE", 2)
    assert sorted(drive.modified_since(None)) == ["a", "b", "c"] and drive.requests_made == 2  # two pages
    since = datetime(2022, 3, 1, 9, 0, 30, tzinfo=timezone.utc)
    assert sorted(drive.modified_since(since)) == ["b", "c"]
    standin.fail_next(500)
    with pytest.raises(Exception, match="Не удалось узнать у Google Drive, какие таблицы изменились"):
        drive.modified_since(since)
