"""PublicLinkSource over real HTTP: the stand-in serves docs.google.com's xlsx export."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from campaign.workbook import SourceError
from data_sources.public_link import PublicLinkSource

KEY = "1LinkSharedSheet_0123456789abcdefghijklmnopq"
TITLE = "Кампания «Финансовая грамотность» 2024"
ORGS = [
    ["Муниципальное образование", "ИНН", "Дата присоединения", "Охват", "Доля", "Время", "Активна"],
    ["г. Благовещенск", 2801012345, date(2024, 2, 15), 1200, 0.25, time(10, 30), True],
    [None, None, None],  # blank row in the middle (row 3)
    ["Зейский р-н", "2801000000", datetime(2024, 3, 5, 14, 0, 5), 150.0, 1.45, None, False],
    ["г. Тында"],  # ragged
]
GOALS = [["Муниципальное образование", "Цель"], ["г. Тында", 12]]

MSG_NOT_SHARED = (
    "Таблица не открыта по ссылке. В таблице: «Настройки доступа» → «Все, у кого есть ссылка» → «Читатель»."
)


def read_error(src: PublicLinkSource) -> SourceError:
    with pytest.raises(SourceError) as info:
        src.read()
    return info.value


@pytest.fixture
def shared(standin):
    standin.add_spreadsheet(KEY, TITLE, {"Организации": ORGS, "Цели": GOALS})
    return standin


def test_reads_the_xlsx_export(shared):
    src = PublicLinkSource(f"https://docs.google.com/spreadsheets/d/{KEY}/edit?usp=sharing", session=shared.session())
    workbook = src.read()

    assert workbook.tab_titles() == ["Организации", "Цели"]
    orgs, goals = workbook.tabs
    assert orgs.header == ORGS[0]
    assert orgs.rows == [
        ["г. Благовещенск", "2801012345", "15.02.2024", "1200", "0.25", "10:30", "ИСТИНА"],
        ["Зейский р-н", "2801000000", "05.03.2024 14:00:05", "150", "1.45", "", "ЛОЖЬ"],
        ["г. Тында"],
    ]
    assert orgs.row_numbers == [2, 4, 5]
    assert orgs.sheet_id is None  # the export does not carry sheet ids
    assert goals.rows == [["г. Тында", "12"]]

    assert workbook.source.kind == "link"
    assert workbook.source.label == TITLE  # from Content-Disposition
    assert workbook.source.url == f"https://docs.google.com/spreadsheets/d/{KEY}/edit"
    assert workbook.requests_made == 1
    assert shared.requests == [("GET", f"/spreadsheets/d/{KEY}/export?format=xlsx")]


def test_not_shared_by_link_gets_the_login_page(standin):
    standin.add_spreadsheet(KEY, TITLE, {"Организации": ORGS}, public_link=False)
    error = read_error(PublicLinkSource(KEY, session=standin.session()))
    assert error.kind == "no_access" and error.message == MSG_NOT_SHARED
    assert "accounts.google.com" in error.detail
    assert [path.split("?")[0] for _, path in standin.requests] == [f"/spreadsheets/d/{KEY}/export", "/ServiceLogin"]


def test_denied_sheet_gets_the_login_page(shared):
    shared.deny(KEY)
    assert read_error(PublicLinkSource(KEY, session=shared.session())).kind == "no_access"


def test_html_instead_of_xlsx(shared):
    shared.fail_next(200, body="<!doctype html><html>Войдите в аккаунт</html>", content_type="text/html; charset=utf-8")
    error = read_error(PublicLinkSource(KEY, session=shared.session()))
    assert error.kind == "no_access" and error.message == MSG_NOT_SHARED


def test_not_found(standin):
    error = read_error(PublicLinkSource(KEY, session=standin.session()))
    assert error.kind == "not_found" and KEY in error.message


@pytest.mark.parametrize(("status", "kind"), [(429, "quota"), (500, "server"), (503, "server"), (400, "bad_response")])
def test_http_errors(shared, status, kind):
    shared.fail_next(status)
    assert read_error(PublicLinkSource(KEY, session=shared.session())).kind == kind


@pytest.mark.parametrize("body", [b"PK\x03\x04 not really a zip", b"\x00\x01 binary noise"])
def test_broken_export(shared, body):
    shared.fail_next(200, body=body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert read_error(PublicLinkSource(KEY, session=shared.session())).kind == "bad_response"


def test_network(shared):
    src = PublicLinkSource(KEY, session=shared.session(), timeout=1)
    shared.stop()
    error = read_error(src)
    assert error.kind == "network"
    assert error.message == "Нет связи с Google Sheets. Проверьте подключение к интернету и попробуйте ещё раз."


def test_without_a_file_name_the_label_never_shows_the_key(shared):
    """The key of a sheet shared by link opens all of it, personal data included."""
    shared.omit_disposition(KEY)
    workbook = PublicLinkSource(f"https://docs.google.com/spreadsheets/d/{KEY}/edit", session=shared.session()).read()
    from components.sidebar import source_words

    assert workbook.source.label == ""  # never the key (the url keeps it, shown to no one)
    # the sidebar says the kind once (it said «Google-таблица по ссылке «Google-таблица по ссылке»»)
    assert source_words(workbook.source) == "Google-таблица по ссылке"


def test_a_viewer_s_error_page_never_shows_the_sheet_key(standin, monkeypatch):
    from tests.integration.test_app_pages import open_app

    missing = "1NoSuchSheet_0123456789abcdefghijklmnopqrstu"
    at = open_app(monkeypatch, env={"CAMPAIGN_SOURCE": f"{standin.base_url}/spreadsheets/d/{missing}/edit",
                                    "CAMPAIGN_SOURCE_KIND": "link"})
    [error] = [e.value for e in at.error]
    assert error.startswith("Не удалось прочитать таблицу. Таблица не найдена")
    texts = [error, *(c.value for c in at.sidebar.caption), *(m.value for m in at.markdown)]
    assert not any(missing in text for text in texts)
