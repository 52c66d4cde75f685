"""GoogleSheetSource over real HTTP against the local Sheets API stand-in (gspread unmodified)."""

from __future__ import annotations

import socket
import time
from datetime import date, datetime
from urllib.parse import unquote

import gspread
import pytest
from gspread.http_client import BackOffHTTPClient

from campaign.workbook import SourceError
from data_sources.google_sheet import GoogleSheetSource, _parse_metadata, spreadsheet_key

KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz_0123456789-abcde"
EMAIL = "dashboard-reader@amur-campaign.iam.gserviceaccount.com"

ORGS = [
    ["Муниципальное образование", "Наименование организации", "ИНН", "Дата присоединения", "Статус"],
    ["г. Благовещенск", "МАОУ «Школа № 1»", "2801012345", date(2024, 2, 15), "меморандум подписан"],
    ["Зейский р-н", "НКО «Берег»", "", "15.02.22"],  # ragged: trailing cells missing
    [],  # blank row in the middle (row 4)
    ["", "", "", "", ""],  # blank too (row 5)
    ["Тындинский МО", "ООО «Север»", 2808001234, "2024-03-01", "в реестре Альянса", ""],
]
EVENTS = [
    ["Муниципальное образование", "Вид мероприятия", "Название", "Дата", "Ссылка", "Охват, чел."],
    ["г. Благовещенск", "конференция", "Финансовая грамотность", datetime(2024, 3, 5, 10, 30), "https://vk.com/wall-1_2", 1200],
    [],
    [],
    ["г. Тында", "интервью", "Радио", "05.03.2024", "", "~150"],
]
CONTEST = [
    ["Муниципальное образование", "Участник", "Площадка", "Ссылка на видеоролик", "Итог"],
    ["г. Зея", "Иванова Мария", "VK Клипы", "https://vk.com/clip-1_1"],
]
GOALS = [["Муниципальное образование", "Цель: организаций"], ["г. Благовещенск", 40], ["г. Тында", 12.5]]
TABS = {"Организации": ORGS, "Мероприятия": EVENTS, "Конкурс": CONTEST, "Цели": GOALS}


@pytest.fixture
def campaign(standin):
    """The stand-in holding a 4-tab campaign sheet; returns {tab title: sheetId}."""
    return standin.add_spreadsheet(KEY, "Амурская область — кампания 2024", TABS)


def source(standin, key_or_url=KEY, **kwargs) -> GoogleSheetSource:
    kwargs.setdefault("client", standin.client(timeout=10))  # a good answer never times out
    return GoogleSheetSource(key_or_url, **kwargs)


def read_error(src: GoogleSheetSource) -> SourceError:
    with pytest.raises(SourceError) as info:
        src.read()
    return info.value


# --------------------------------------------------------------------------- reading


def test_reads_every_tab_with_sheet_row_numbers(standin, campaign):
    workbook = source(standin).read()

    assert workbook.tab_titles() == ["Организации", "Мероприятия", "Конкурс", "Цели"]
    assert [tab.sheet_id for tab in workbook.tabs] == [campaign[t] for t in TABS]
    assert workbook.tabs[0].sheet_id == 0

    orgs, events, contest, goals = workbook.tabs
    assert orgs.header == ORGS[0]
    assert orgs.rows == [
        ["г. Благовещенск", "МАОУ «Школа № 1»", "2801012345", "15.02.2024", "меморандум подписан"],
        ["Зейский р-н", "НКО «Берег»", "", "15.02.22"],
        ["Тындинский МО", "ООО «Север»", "2808001234", "2024-03-01", "в реестре Альянса"],
    ]
    assert orgs.row_numbers == [2, 3, 6]
    assert events.rows[0] == [
        "г. Благовещенск", "конференция", "Финансовая грамотность", "05.03.2024 10:30:00", "https://vk.com/wall-1_2", "1200",
    ]
    assert events.rows[1] == ["г. Тында", "интервью", "Радио", "05.03.2024", "", "~150"]
    assert events.row_numbers == [2, 5]
    assert contest.rows == [CONTEST[1]] and contest.row_numbers == [2]
    assert goals.rows == [["г. Благовещенск", "40"], ["г. Тында", "12,5"]]  # formatted as ru_RU shows it

    assert workbook.source.kind == "google"
    assert workbook.source.label == "Амурская область — кампания 2024"
    assert workbook.source.url == f"https://docs.google.com/spreadsheets/d/{KEY}/edit"
    assert workbook.requests_made == 2
    assert workbook.extra["locale"] == "ru_RU"
    assert workbook.read_at.tzinfo is not None


def test_one_read_is_one_metadata_and_one_batch_get(standin, campaign):
    src = source(standin)
    src.read()
    assert len(standin.requests) == 2
    (m1, meta), (m2, batch) = standin.requests
    assert (m1, m2) == ("GET", "GET")
    assert meta == f"/v4/spreadsheets/{KEY}?includeGridData=false"
    assert batch.startswith(f"/v4/spreadsheets/{KEY}/values:batchGet?")
    assert unquote(batch).count("ranges=") == 4
    assert "valueRenderOption=FORMATTED_VALUE" in batch

    src.read()
    assert len(standin.requests) == 4


def test_tabs_limits_what_is_read_and_tolerates_spelling(standin, campaign):
    src = source(standin, tabs=["организации ", "ЦЕЛИ", "Нет такой вкладки"])
    workbook = src.read()
    assert workbook.tab_titles() == ["Организации", "Цели"]  # a missing tab is the caller's to report
    assert len(standin.requests) == 2
    assert unquote(standin.requests[1][1]).count("ranges=") == 2


def test_no_matching_tabs_makes_one_request(standin, campaign):
    workbook = source(standin, tabs=["Отчёт"]).read()
    assert workbook.tabs == [] and workbook.requests_made == 1
    assert len(standin.requests) == 1


def test_titles_needing_quotes_and_empty_tabs(standin):
    ids = standin.add_spreadsheet(
        KEY, "t", {"It's «итоги»!": [["a"], ["b"]], "Sheet1": [], "A1": [["h"], ["v"]]}
    )
    workbook = source(standin).read()
    assert workbook.tab_titles() == ["It's «итоги»!", "Sheet1", "A1"]
    assert workbook.tabs[0].rows == [["b"]]
    assert workbook.tabs[1].header == [] and workbook.tabs[1].rows == []
    assert workbook.tabs[2].rows == [["v"]] and workbook.tabs[2].sheet_id == ids["A1"]


@pytest.mark.parametrize(
    "text",
    [
        KEY,
        f"  {KEY}  ",
        f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0",
        f"https://docs.google.com/spreadsheets/d/{KEY}/edit?usp=sharing",
        f"https://docs.google.com/spreadsheets/u/1/d/{KEY}/htmlview",
        f"docs.google.com/spreadsheets/d/{KEY}",
    ],
)
def test_accepts_url_or_key(text):
    assert spreadsheet_key(text) == KEY
    assert GoogleSheetSource(text, credentials={"client_email": EMAIL}).key == KEY


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("", "config", "Не указан"),
        ("https://docs.google.com/spreadsheets/d/e/2PACX-1vQ/pubhtml", "not_found", "опубликованной"),
        ("https://example.com/table", "not_found", "Не удалось найти ключ"),
        ("моя таблица", "not_found", "Не удалось найти ключ"),
    ],
)
def test_bad_addresses(text, kind, words):
    with pytest.raises(SourceError) as info:
        GoogleSheetSource(text)
    assert info.value.kind == kind and words in info.value.message


# ---------------------------------------------------------------------------- errors


def test_not_found(standin, campaign):
    error = read_error(source(standin, "1NoSuchSheet000000000000000000000000000000000"))
    assert error.kind == "not_found"
    assert error.message == (
        "Таблица не найдена. Проверьте ключ таблицы (часть адреса между /d/ и /edit): "
        "1NoSuchSheet000000000000000000000000000000000"
    )
    assert "404" in error.detail and "NOT_FOUND" in error.detail


def test_no_access_names_the_service_account(standin, campaign):
    standin.deny(KEY)
    error = read_error(source(standin, credentials={"client_email": EMAIL}))
    assert error.kind == "no_access"
    assert error.message == (
        f"Нет доступа к таблице. Откройте доступ на чтение для адреса {EMAIL} "
        "(кнопка «Настройки доступа» в таблице)."
    )
    assert "PERMISSION_DENIED" in error.detail


def test_no_access_without_known_email(standin, campaign):
    standin.deny(KEY)
    error = read_error(source(standin))
    assert error.kind == "no_access" and "client_email" in error.message


def test_api_disabled_is_not_a_sharing_problem(standin, campaign):
    standin.fail_next(403, body={"error": {
        "code": 403,
        "message": "Google Sheets API has not been used in project 123 before or it is disabled.",
        "status": "PERMISSION_DENIED",
        "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "SERVICE_DISABLED"}],
    }})
    error = read_error(source(standin, credentials={"client_email": EMAIL}))
    assert error.kind == "config" and "Google Sheets API" in error.message


@pytest.mark.parametrize("after", [0, 1])  # metadata or batchGet
def test_quota(standin, campaign, after):
    standin.fail_next(429, after=after)
    error = read_error(source(standin))
    assert error.kind == "quota"
    assert error.message == "Превышен лимит запросов к Google Sheets. Попробуйте ещё раз через минуту."
    assert "RESOURCE_EXHAUSTED" in error.detail


def test_quota_answers_at_once_even_with_gspread_backoff_client(standin, campaign):
    client = gspread.Client(auth=None, session=standin.session(timeout=10), http_client=BackOffHTTPClient)
    standin.fail_next(429, times=3)
    started = time.monotonic()
    error = read_error(GoogleSheetSource(KEY, client=client))
    assert error.kind == "quota"
    assert time.monotonic() - started < 1.5  # BackOffHTTPClient would sleep 2 s, then 4 s, ...
    assert len(standin.requests) == 1


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors(standin, campaign, status):
    standin.fail_next(status, after=1)
    error = read_error(source(standin))
    assert error.kind == "server"
    assert str(status) in error.message and "Попробуйте ещё раз" in error.message


def test_malformed_json(standin, campaign):
    standin.fail_next(200, body="<html>not json</html>", content_type="application/json; charset=UTF-8")
    error = read_error(source(standin))
    assert error.kind == "bad_response" and error.detail


def test_batch_get_with_missing_ranges(standin, campaign):
    standin.fail_next(200, after=1, body={"spreadsheetId": KEY, "valueRanges": [{"range": "x"}]})
    error = read_error(source(standin))
    assert error.kind == "bad_response" and "expected 4" in error.detail


def test_network_when_the_stand_in_is_stopped(standin, campaign):
    src = source(standin)
    standin.stop()
    error = read_error(src)
    assert error.kind == "network"
    assert error.message == "Нет связи с Google Sheets. Проверьте подключение к интернету и попробуйте ещё раз."


def test_network_when_nothing_listens():
    from tests.sheets_standin import SheetsStandIn

    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    nowhere = SheetsStandIn()
    nowhere.port = port  # never started: the session points at a closed port
    error = read_error(GoogleSheetSource(KEY, client=nowhere.client(timeout=1)))
    assert error.kind == "network" and "Connection" in error.detail


def test_timeout_is_network_and_does_not_hang(standin, campaign):
    standin.delay_next(1.5)
    client = gspread.Client(auth=None, session=standin.session(timeout=None))
    started = time.monotonic()
    error = read_error(GoogleSheetSource(KEY, client=client, timeout=0.3))
    assert error.kind == "network" and "Timeout" in error.detail
    assert time.monotonic() - started < 1.2


# --------------------------------------------------------------------- credentials


def test_without_credentials_or_client():
    with pytest.raises(SourceError) as info:
        GoogleSheetSource(KEY).read()
    assert info.value.kind == "config"


def test_broken_credentials():
    broken = {"type": "service_account", "client_email": EMAIL, "private_key": "not a key"}
    with pytest.raises(SourceError) as info:
        GoogleSheetSource(KEY, credentials=broken).read()
    assert info.value.kind == "config" and "JSON-ключ" in info.value.message


def test_chart_sheets_are_skipped():
    title, sheets, _grids = _parse_metadata({
        "properties": {"title": "t"},
        "sheets": [
            {"properties": {"sheetId": 7, "title": "График", "index": 1, "sheetType": "OBJECT"}},
            {"properties": {"sheetId": 0, "title": "Организации", "index": 0, "sheetType": "GRID"}},
        ],
    })
    assert title == "t" and sheets == [(0, "Организации")]
