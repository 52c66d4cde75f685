"""Links from a problem on «Проверка данных» straight to its cell in the Google Sheet.

`problem_cell_urls` turns each problem into `…/edit#gid=<sheetId>&range=<A1>`: the tab by
its sheet id, the column by the letter its header has *in that tab* (columns may be moved or
renamed to an alias), the row as the sheet numbers it. No link where there is no cell: a
missing tab, a local file, a sheet read without ids.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest

from campaign.cell_links import problem_cell_urls
from campaign.pipeline import Report, run
from campaign.spec import load_campaign
from campaign.workbook import RawTab, SourceInfo
from tests.unit.conftest import EVENT_HEADER, ORG_HEADER, SheetBuilder

BASE = "https://docs.google.com/spreadsheets/d/KEY/edit"
GOOGLE = SourceInfo(kind="google", label="Таблица", url=BASE)
AS_OF = date(2022, 2, 20)
ORGS_GID = 0  # the first tab of a Google Sheet has gid 0: a falsy id must still link
EVENTS_GID = 123456

org, event = SheetBuilder.org, SheetBuilder.event


def events_in(header: list[str], rows: list[list[str]]) -> list[list[str]]:
    """Rows built in EVENT_HEADER's order, rearranged to `header`'s order."""
    return [[dict(zip(EVENT_HEADER, row))[label] for label in header] for row in rows]


def orgs_tab(rows=None, header=ORG_HEADER, sheet_id=ORGS_GID, title="Организации") -> RawTab:
    rows = rows if rows is not None else [
        org(name="МАОУ «Школа № 1»"),
        org(name="МАОУ «Школа № 2»"),
        org(name="МАОУ «Школа № 3»"),
        org(name="МАОУ «Школа № 4»", phone="12345"),  # sheet row 5; «Телефон» is column I
        org(name="МАОУ «Школа № 5»", joined_on="31.02.2022"),  # sheet row 6; the date is column E
    ]
    return RawTab(title, list(header), rows, list(range(2, 2 + len(rows))), sheet_id)


# «Охват, чел.» moved from F to B; «Вид мероприятия» so from B to C
MOVED_EVENT_HEADER = ["Муниципальное образование", "Охват, чел.", "Вид мероприятия", "Название", "Дата", "Ссылка"]


def events_tab(header=MOVED_EVENT_HEADER, sheet_id=EVENTS_GID, title="Мероприятия") -> RawTab:
    rows = events_in(header, [
        event(),
        event(reach="много"),  # sheet row 3
        event(kind="флешмоб"),  # sheet row 4
    ])
    return RawTab(title, list(header), rows, [2, 3, 4], sheet_id)


def report_of(tabs: list[RawTab], source: SourceInfo | None = GOOGLE) -> Report:
    return run(tabs, load_campaign("amur-2022"), as_of=AS_OF, source=source)


def url_of(report: Report, code: str, tab: str | None = None) -> str | None:
    problems = report.problems
    found = problems[(problems["code"] == code) & ((problems["tab"] == tab) if tab else True)]
    assert len(found) == 1, f"expected one {code} problem, got {found.to_dict('records')}"
    return problem_cell_urls(report, found).iloc[0]


def cell(gid: int, a1: str) -> str:
    return f"{BASE}#gid={gid}&range={a1}"


@pytest.fixture(scope="module")
def report() -> Report:
    return report_of([orgs_tab(), events_tab()])


def test_the_report_has_the_mistakes_the_links_are_about(report):
    problems = report.problems
    assert sorted(zip(problems["tab"], problems["row"], problems["code"])) == [
        ("Мероприятия", 3, "invalid_number"),
        ("Мероприятия", 4, "unknown_event_kind"),
        ("Организации", 5, "invalid_phone"),
        ("Организации", 6, "invalid_date"),
    ]


def test_an_invalid_phone_links_to_its_cell_in_column_i(report):
    assert url_of(report, "invalid_phone") == cell(0, "I5")


def test_the_first_tab_with_gid_0_still_gets_links(report):
    assert url_of(report, "invalid_date") == cell(0, "E6")


def test_a_tab_is_addressed_by_its_own_sheet_id(report):
    assert url_of(report, "invalid_number").startswith(f"{BASE}#gid={EVENTS_GID}&")


def test_the_letter_is_where_the_column_stands_in_that_tab(report):
    # in this tab «Охват, чел.» is column B and «Вид мероприятия» column C
    assert url_of(report, "invalid_number") == cell(EVENTS_GID, "B3")
    assert url_of(report, "unknown_event_kind") == cell(EVENTS_GID, "C4")


def test_moving_a_column_changes_the_letter_of_the_same_mistake():
    standard = report_of([orgs_tab(), events_tab(header=EVENT_HEADER)])  # «Охват, чел.» in F
    assert url_of(standard, "invalid_number") == cell(EVENTS_GID, "F3")
    assert url_of(standard, "unknown_event_kind") == cell(EVENTS_GID, "B4")


def test_a_header_typed_as_an_alias_with_extra_spaces_still_finds_its_column():
    header = [*ORG_HEADER]
    header[8] = "  Контактный   телефон "  # an alias of «Телефон», still column I
    rows = [org(name="МАОУ «Школа № 1»", phone="12345")]
    report = report_of([orgs_tab(rows=rows, header=header), events_tab()])
    problem = report.problems[report.problems["code"] == "invalid_phone"].iloc[0]
    assert problem["column"] == "Контактный телефон"
    assert url_of(report, "invalid_phone") == cell(0, "I2")


def test_a_tab_found_by_an_alias_title_links_to_its_cells():
    report = report_of([orgs_tab(rows=[org()]), events_tab(title="Мероприятия и публикации", sheet_id=77)])
    assert url_of(report, "invalid_number", tab="Мероприятия и публикации") == cell(77, "B3")


def test_a_missing_column_links_to_the_header_row_of_its_tab():
    header = [label for label in MOVED_EVENT_HEADER if label != "Название"]  # a required column
    events = RawTab("Мероприятия", header, events_in(header, [event()]), [2], EVENTS_GID)
    report = report_of([orgs_tab(rows=[org()]), events])
    url = url_of(report, "missing_column")
    assert re.fullmatch(re.escape(f"{BASE}#gid={EVENTS_GID}&range=") + r"[A-Z]+1", url), url


def test_a_missing_tab_has_no_cell_to_link_to():
    report = report_of([orgs_tab()])  # no «Мероприятия»
    assert url_of(report, "missing_tab") is None
    assert url_of(report, "invalid_phone") == cell(0, "I5")  # the other tab still links


def test_a_local_file_gives_no_links_at_all():
    report = report_of([orgs_tab(), events_tab()], source=SourceInfo(kind="file", label="amur-2022.xlsx"))
    links = problem_cell_urls(report, report.problems)
    assert len(links) == len(report.problems) == 4
    assert links.isna().all()


def test_a_report_without_a_source_gives_no_links():
    report = report_of([orgs_tab(), events_tab()], source=None)
    assert problem_cell_urls(report, report.problems).isna().all()


def test_a_sheet_read_without_sheet_ids_gives_no_links():
    report = report_of([orgs_tab(sheet_id=None), events_tab(sheet_id=None)])
    assert problem_cell_urls(report, report.problems).isna().all()


def test_a_sheet_shared_by_link_links_like_a_google_source():
    source = SourceInfo(kind="link", label="Таблица", url=BASE)
    report = report_of([orgs_tab(), events_tab()], source=source)
    assert url_of(report, "invalid_phone") == cell(0, "I5")


def test_links_keep_the_index_of_a_filtered_selection(report):
    """The page picks links by the problems' index per municipality group."""
    shown = report.problems[report.problems["tab"] == "Мероприятия"]
    links = problem_cell_urls(report, shown)
    assert list(links.index) == list(shown.index)
    assert sorted(links) == [cell(EVENTS_GID, "B3"), cell(EVENTS_GID, "C4")]


def test_no_problems_give_an_empty_series(report):
    links = problem_cell_urls(report, report.problems.iloc[0:0])
    assert isinstance(links, pd.Series) and links.empty
