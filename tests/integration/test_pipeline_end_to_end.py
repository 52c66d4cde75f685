"""End to end: the demo workbooks through every kind of source into the pipeline.

The expected numbers are what a coordinator sees on the dashboard, from tests/demo_figures.py
(recounted from the workbook there, independently of the pipeline), and the deliberate
mistakes come from `scripts/make_demo.py`'s own DELIBERATE_MISTAKES table.
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from campaign.pipeline import Report, run
from campaign.spec import load_campaign
from campaign.summary import report_to_dict
from campaign.workbook import RawTab, SourceError
from data_sources.google_sheet import GoogleSheetSource
from data_sources.local_file import LocalFileSource
from tests.demo_figures import (
    AMUR_EVENTS,
    AMUR_JOINED,
    AMUR_REACH,
    AMUR_SILENT,
    AMUR_XLSX,
    BLAGOVESHCHENSK,
    independent_amur_counts,
)

REPO = Path(__file__).resolve().parents[2]
PRIMORYE_XLSX = REPO / "data" / "demo" / "primorye-2022.xlsx"
AS_OF = date(2022, 2, 22)
KEY = "1AmurDemoSheet_0123456789abcdefghijklmnopq"
SERVICE_EMAIL = "bot@proj.iam.gserviceaccount.com"

# DELIBERATE_MISTAKES "what" text -> the problem code it must produce (None: must produce none)
MISTAKE_CODES = [
    ("unknown municipality", "unknown_municipality"),
    ("ambiguous municipality", "ambiguous_municipality"),
    ("invalid date", "invalid_date"),
    ("outside the campaign window", "date_outside_campaign"),
    ("memorandum link is not a link", "invalid_link"),
    ("link is not http(s)", "invalid_link"),
    ("duplicate organisation", "duplicate_organisation"),
    ("must still resolve", None),
    ("organisation name missing", "missing_value"),
    ("required video link missing", "missing_value"),
    ("blank row", None),
    ("wrong check digit", "invalid_inn"),
    ("unknown event kind", "unknown_event_kind"),
    ("is not a number", "invalid_number"),
    ("unknown platform", "unknown_platform"),
    ("unknown status", "unknown_status"),
    ("invalid phone", "invalid_phone"),
    ("formula-like text", None),
]


def _load_make_demo():
    spec = importlib.util.spec_from_file_location("make_demo_for_tests", REPO / "scripts" / "make_demo.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


MISTAKES = _load_make_demo().DELIBERATE_MISTAKES


def mistake_code(what: str) -> str | None:
    for fragment, code in MISTAKE_CODES:
        if fragment in what:
            return code
    raise AssertionError(f"no problem code mapped for the deliberate mistake {what!r}")


def mistakes_of(file_name: str) -> list[tuple[str, int, str, str | None, str]]:
    """(tab, row, column header, expected code, what) of one demo file."""
    return [(tab, row, column, mistake_code(what), what) for file, tab, row, column, what in MISTAKES
            if file == file_name]


# ------------------------------------------------------------------------- fixtures


def amur_report(tabs) -> Report:
    return run(tabs, load_campaign("amur-2022"), as_of=AS_OF)


@pytest.fixture(scope="module")
def amur_xlsx_report() -> Report:
    return amur_report(LocalFileSource(AMUR_XLSX).read().tabs)


@pytest.fixture(scope="module")
def primorye_report() -> Report:
    return run(LocalFileSource(PRIMORYE_XLSX).read().tabs, load_campaign("primorye-2022"), as_of=AS_OF)


def comparable(report: Report) -> dict:
    """The report as the CLI shows it, without what depends on how and when it was read."""
    data = report_to_dict(report)
    for key in ("source", "read_at"):
        data.pop(key)
    return data


def problem_at(report: Report, tab: str, row: int) -> list[dict]:
    frame = report.problems
    return frame[(frame["tab"] == tab) & (frame["row"] == row)].to_dict("records")


def municipality(report: Report, name: str) -> dict:
    table = report.municipalities
    rows = table[table["name"] == name].to_dict("records")
    assert len(rows) == 1, f"{name} is not one municipality of the registry"
    return rows[0]


# ------------------------------------------------------------------------ Amur, xlsx


def test_amur_totals_a_coordinator_sees(amur_xlsx_report):
    report = amur_xlsx_report
    assert report.metrics["organisations_joined"] == AMUR_JOINED
    assert report.breakdowns["events"] == AMUR_EVENTS
    assert report.metrics["events_total"] == sum(AMUR_EVENTS.values())
    assert report.metrics["reach"] == AMUR_REACH
    # row 27 counts to the region but to no municipality
    assert report.unassigned["organisations_joined"] == 1
    assert int(report.municipalities["organisations_joined"].sum()) == AMUR_JOINED - 1
    assert len(report.municipalities) == 29


def test_amur_per_municipality_numbers_match_the_independent_count(amur_xlsx_report):
    counts = independent_amur_counts()
    table = amur_xlsx_report.municipalities.set_index("name")
    for name in table.index:
        assert table.loc[name, "organisations_joined"] == counts["joined"].get(name, 0), name
        assert table.loc[name, "organisations_applied"] == counts["applied"].get(name, 0), name
        assert table.loc[name, "events_total"] == counts["events_by_mo"].get(name, 0), name
        assert table.loc[name, "reach"] == counts["reach_by_mo"].get(name, 0), name
        assert table.loc[name, "contest_entries"] == counts["entries"].get(name, 0), name


def test_amur_blagoveshchensk_city(amur_xlsx_report):
    city = municipality(amur_xlsx_report, "г. Благовещенск")
    assert {key: city[key] for key in BLAGOVESHCHENSK} == BLAGOVESHCHENSK
    assert city["kind"] == "городской округ"
    # the district of the same name is a different municipality
    assert municipality(amur_xlsx_report, "Благовещенский район")["organisations_joined"] == 2


def test_amur_silent_municipalities_have_zero_everywhere(amur_xlsx_report):
    for name in AMUR_SILENT:
        row = municipality(amur_xlsx_report, name)
        assert row["rows"] == 0, name
        for metric in ("organisations_joined", "organisations_applied", "events_total", "reach",
                       "contest_entries"):
            assert row[metric] == 0, (name, metric)
        assert row["errors"] == row["warnings"] == 0, name
        assert row["quota"] >= 1  # the «Цели» tab still sets a target for them
    assert set(amur_xlsx_report.silent_municipalities()) == AMUR_SILENT


def test_amur_targets_met_and_not_met(amur_xlsx_report):
    targets = {t.id: t for t in amur_xlsx_report.targets}
    assert targets["organisations_governor"].min == 10
    assert targets["organisations_governor"].met and targets["organisations_governor"].value == AMUR_JOINED
    assert targets["organisations_memo"].min == 20
    assert targets["organisations_memo"].met and targets["organisations_memo"].remaining == 0
    interviews = targets["interviews"]
    assert (interviews.value, interviews.min, interviews.met, interviews.remaining) == (8, 10, False, 2)
    assert targets["information_campaigns"].met and targets["conferences"].met
    assert targets["video_contests"].met


@pytest.mark.parametrize("tab, row, column, code, what", mistakes_of("amur-2022.xlsx"),
                         ids=lambda v: str(v)[:30])
def test_every_deliberate_amur_mistake_is_reported_where_it_is(amur_xlsx_report, tab, row, column, code, what):
    found = problem_at(amur_xlsx_report, tab, row)
    if code is None:
        assert found == [], what
        return
    assert code in {p["code"] for p in found}, (what, found)
    problem = next(p for p in found if p["code"] == code)
    if code != "duplicate_organisation":  # a repeat is reported on the name column (as the README says)
        assert problem["column"] == column


def test_amur_has_no_problems_besides_the_deliberate_ones(amur_xlsx_report):
    expected = {(tab, row, code) for tab, row, _, code, _ in mistakes_of("amur-2022.xlsx") if code}
    # both rows of a repeat are reported: the first ones of the two pairs too
    expected |= {("Организации", 3, "duplicate_organisation"), ("Организации", 36, "duplicate_organisation")}
    found = {(p["tab"], p["row"], p["code"]) for p in amur_xlsx_report.problems.to_dict("records")}
    assert found == expected


def test_amur_tynda_row_with_odd_spaces_counts_for_tynda(amur_xlsx_report):
    frame = amur_xlsx_report.tabs["organisations"].frame
    row = frame[frame["_row"] == 43].iloc[0]
    assert row["_mo"] == "г. Тында"
    assert municipality(amur_xlsx_report, "г. Тында")["organisations_joined"] == 5


# ----------------------------------------------------------------- Amur, csv folder


def _csv_cell(value: object) -> str:
    """A cell as «Сохранить как CSV» of Russian Excel writes it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y")
    return str(value)


def test_amur_as_a_folder_of_csv_files_gives_the_same_report(tmp_path, amur_xlsx_report):
    book = load_workbook(AMUR_XLSX, read_only=True)
    for sheet in book.worksheets:
        with (tmp_path / f"{sheet.title}.csv").open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            for row in sheet.iter_rows(values_only=True):
                writer.writerow([_csv_cell(v) for v in row])
    book.close()
    workbook = LocalFileSource(tmp_path).read()
    assert sorted(workbook.tab_titles()) == sorted(["Организации", "Мероприятия", "Конкурс", "Цели"])
    report = amur_report(workbook.tabs)
    assert report.metrics["organisations_joined"] == AMUR_JOINED
    assert report.breakdowns["events"] == AMUR_EVENTS
    assert comparable(report) == comparable(amur_xlsx_report)


# --------------------------------------------------------------- Amur, Google Sheets


def amur_cells_as_typed(path=AMUR_XLSX) -> dict[str, list[list[object]]]:
    """The Amur workbook's (or `path`'s) cells as typed values for the stand-in: date cells
    (DD.MM.YYYY, read by openpyxl as midnight datetimes) become dates, so the API's
    FORMATTED_VALUE shows «08.02.2022» as Google does; numbers stay numbers, text stays text."""
    book = load_workbook(path)
    tabs: dict[str, list[list[object]]] = {}
    for sheet in book.worksheets:
        rows = []
        for row in sheet.iter_rows():
            cells = []
            for cell in row:
                value = cell.value
                if isinstance(value, datetime) and cell.is_date and "h" not in cell.number_format.lower():
                    value = value.date()
                cells.append(value)
            rows.append(cells)
        tabs[sheet.title] = rows
    return tabs


@pytest.fixture
def amur_sheet(standin):
    standin.add_spreadsheet(KEY, "#МояХартия — Амурская область", amur_cells_as_typed())
    return standin


def test_amur_through_google_sheets_gives_the_same_report_in_two_requests(amur_sheet, amur_xlsx_report):
    source = GoogleSheetSource(KEY, client=amur_sheet.client())
    workbook = source.read()
    assert workbook.requests_made == 2
    paths = [path for _, path in amur_sheet.requests]
    assert [method for method, _ in amur_sheet.requests] == ["GET", "GET"]
    assert paths[0].split("?")[0] == f"/v4/spreadsheets/{KEY}"
    assert paths[1].split("?")[0] == f"/v4/spreadsheets/{KEY}/values:batchGet"
    assert paths[1].count("ranges=") == 4  # every tab in the one batchGet

    report = amur_report(workbook.tabs)
    assert report.metrics["organisations_joined"] == AMUR_JOINED
    assert report.breakdowns["events"] == AMUR_EVENTS
    assert report.metrics["reach"] == AMUR_REACH
    assert comparable(report) == comparable(amur_xlsx_report)

    # a second refresh: two more requests, same numbers
    again = amur_report(source.read().tabs)
    assert len(amur_sheet.requests) == 4
    assert comparable(again) == comparable(report)


def test_google_no_access_names_the_service_account(amur_sheet):
    amur_sheet.deny(KEY)
    credentials = {"type": "service_account", "client_email": SERVICE_EMAIL, "project_id": "proj"}
    source = GoogleSheetSource(KEY, client=amur_sheet.client(), credentials=credentials)
    with pytest.raises(SourceError) as info:
        source.read()
    assert info.value.kind == "no_access"
    assert SERVICE_EMAIL in info.value.message
    assert "Нет доступа к таблице" in info.value.message


def test_google_quota_says_try_again_in_a_minute(amur_sheet):
    amur_sheet.fail_next(429)
    with pytest.raises(SourceError) as info:
        GoogleSheetSource(KEY, client=amur_sheet.client()).read()
    assert info.value.kind == "quota"
    assert "Попробуйте ещё раз через минуту" in info.value.message
    assert len(amur_sheet.requests) == 1  # answered at once, no retries


def test_google_renamed_tab_is_a_missing_tab_problem_and_the_rest_still_counts(standin):
    tabs = amur_cells_as_typed()
    tabs = {("События" if title == "Мероприятия" else title): rows for title, rows in tabs.items()}
    standin.add_spreadsheet(KEY, "#МояХартия — Амурская область", tabs)
    workbook = GoogleSheetSource(KEY, client=standin.client()).read()
    report = amur_report(workbook.tabs)
    missing = report.problems[report.problems["code"] == "missing_tab"].to_dict("records")
    assert len(missing) == 1
    assert missing[0]["tab"] == "Мероприятия"
    assert missing[0]["severity"] == "error"
    assert "События" in missing[0]["message"]
    assert report.metrics["organisations_joined"] == AMUR_JOINED
    assert report.metrics["events_total"] == 0
    assert report.breakdowns["events"] == {kind: 0 for kind in AMUR_EVENTS}
    targets = {t.id: t for t in report.targets}
    assert targets["organisations_memo"].met and not targets["conferences"].met
    assert report_to_dict(report)["problem_counts"]["errors"] >= 1


def test_a_tab_with_only_its_header_counts_nothing_and_raises_nothing():
    tabs = [tab if tab.title != "Мероприятия" else RawTab(tab.title, tab.header, [], [])
            for tab in LocalFileSource(AMUR_XLSX).read().tabs]
    report = amur_report(tabs)
    assert report.metrics["organisations_joined"] == AMUR_JOINED
    assert report.metrics["events_total"] == 0
    assert "missing_tab" not in set(report.problems["code"])


# ------------------------------------------------------------------------ Primorye


def test_primorye_ambiguous_partizansky_names_both_candidates(primorye_report):
    found = [p for p in problem_at(primorye_report, "Организации", 7) if p["code"] == "ambiguous_municipality"]
    assert len(found) == 1
    assert found[0]["severity"] == "error"
    assert "Партизанский" in found[0]["message"]
    assert "г. Партизанск" in found[0]["message"]
    assert "Партизанский район" in found[0]["message"]


def test_primorye_twenty_organisations_not_met(primorye_report):
    target = {t.id: t for t in primorye_report.targets}["organisations_memo"]
    # 19 rows: 2 applications, 1 unknown status («в работе») -> 16 joined
    assert (target.value, target.min, target.met, target.remaining) == (16, 20, False, 4)
    assert "organisations_governor" not in {t.id for t in primorye_report.targets}


@pytest.mark.parametrize("tab, row, column, code, what", mistakes_of("primorye-2022.xlsx"),
                         ids=lambda v: str(v)[:30])
def test_every_deliberate_primorye_mistake_is_reported(primorye_report, tab, row, column, code, what):
    found = problem_at(primorye_report, tab, row)
    if code is None:
        assert found == [], what
        return
    assert code in {p["code"] for p in found}, (what, found)


def test_primorye_formula_like_name_stays_text(primorye_report):
    frame = primorye_report.tabs["organisations"].frame
    assert frame.loc[frame["_row"] == 13, "name"].iloc[0].startswith("=HYPERLINK(")


def test_primorye_problems_name_the_column_as_the_sheet_shows_it(primorye_report):
    for tab, row, column, code, what in mistakes_of("primorye-2022.xlsx"):
        if code is None:
            continue
        problem = next(p for p in problem_at(primorye_report, tab, row) if p["code"] == code)
        assert problem["column"] == column, what


def test_the_demo_workbooks_are_made_again_byte_for_byte(tmp_path):
    """`python scripts/make_demo.py` leaves a clone unchanged: the same values and the same bytes."""
    import subprocess

    done = subprocess.run([sys.executable, "scripts/make_demo.py", "--out-dir", str(tmp_path)], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    made = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    assert made == ["amur-2022.xlsx", "irkutsk-zastupnik-2024.xlsx", "primorye-2022.xlsx"]
    assert [name for name in made if (tmp_path / name).read_bytes() != (REPO / "data" / "demo" / name).read_bytes()] == []
