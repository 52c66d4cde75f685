"""The demo deployed both ways, and every page the same: all in one Google sheet (the Sheets
stand-in, shared by link), or a compliant deployment — progress in the Google sheet with no
personal column, the personal columns in a workbook on a WebDAV server in Russia (a real WsgiDAV
server on 127.0.0.1) — both read by the app (AppTest), an administrator with the contacts shown."""

from __future__ import annotations

import re

import pytest

from campaign.spec import load_campaign
from tests.demo_figures import AMUR_JOINED, AMUR_XLSX
from tests.integration.test_app_pages import BLAGOVESHCHENSK, open_app
from tests.integration.test_pipeline_end_to_end import amur_cells_as_typed
from tests.personal_split import PERSONAL_BOOK, split_personal
from tests.sheets_standin import SheetsStandIn
from tests.webdav_server import PASSWORD, USER, WebDavServer

WHOLE, SHARED = "1WholeSheetAmur_0123456789abcdefghijklmnopqrst", "1SharedSheetAmur_0123456789abcdefghijklmnopqrs"
COMPARED_PAGES = ["Сводка", "Муниципалитеты", "Мероприятия", "Проверка данных", "Отчёты и формы"]
# what names the source, where to correct it, or the moment of the read: the one thing the two
# deployments say differently
SOURCE_WORDS = re.compile(r"источник|прочитана|Источник|Персональные данные: «|Исправьте строки")


@pytest.fixture(scope="module")
def deployments(tmp_path_factory):
    folder = tmp_path_factory.mktemp("развёртывание")
    shared, personal = folder / "общая.xlsx", folder / "дав" / PERSONAL_BOOK
    personal.parent.mkdir()
    split_personal(AMUR_XLSX, shared, personal, load_campaign("amur-2022"))
    with SheetsStandIn() as sheets:
        sheets.add_spreadsheet(WHOLE, "#МояХартия — Амурская область", amur_cells_as_typed())
        sheets.add_spreadsheet(SHARED, "#МояХартия — Амурская область", amur_cells_as_typed(shared))
        webdav = WebDavServer(personal.parent)
        try:
            common = {"CAMPAIGN_ID": "amur-2022", "CAMPAIGN_SOURCE_KIND": "link", "CAMPAIGN_AS_OF": "2022-02-22"}
            yield {
                "whole": ({**common, "CAMPAIGN_SOURCE": f"{sheets.base_url}/spreadsheets/d/{WHOLE}/edit",
                           "CAMPAIGN_CACHE_DIR": str(folder / "кэш-1")}, {}),
                "apart": ({**common, "CAMPAIGN_SOURCE": f"{sheets.base_url}/spreadsheets/d/{SHARED}/edit",
                           "CAMPAIGN_PERSONAL_SOURCE": webdav.url(PERSONAL_BOOK),
                           "CAMPAIGN_CACHE_DIR": str(folder / "кэш-2")},
                          {"webdav": {"127.0.0.1": {"user": USER, "password": PASSWORD}}}),
            }
        finally:
            webdav.stop()


def what_a_user_sees(at) -> dict:
    """Cards, tables and texts of the page (not the sidebar), the source's own words left out."""
    main = at.main
    texts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "error", "warning",
                                  "info", "success") for e in main.get(kind)]
    return {
        "cards": [(m.label, m.value, m.proto.delta) for m in main.get("metric")],
        "texts": [t for t in texts if not SOURCE_WORDS.search(t)],
        "tables": [d.value.to_dict("split") for d in main.dataframe],
        "static": [t.value.to_dict("split") for t in main.table],
        "downloads": [b.proto.label for b in main.get("download_button")],
    }


@pytest.mark.parametrize("page", COMPARED_PAGES)
def test_every_page_is_the_same_with_the_personal_columns_kept_apart(deployments, monkeypatch, page):
    seen = {}
    for name, (env, secrets) in deployments.items():
        at = open_app(monkeypatch, page, env=env, secrets=secrets, admin=True, query={"mo": BLAGOVESHCHENSK})
        at.toggle(key="show_contacts").set_value(True).run()
        assert not at.exception and not [e.value for e in at.error], name
        seen[name] = what_a_user_sees(at)
        if page == "Проверка данных":  # where to correct: the personal book too, when the columns are apart
            said = [m.value for m in at.main.markdown if "Исправьте строки" in m.value]
            assert len(said) == 1 and (f"в книге «{PERSONAL_BOOK}»" in said[0]) == (name == "apart"), said
        if name == "apart":
            captions = [c.value for c in at.sidebar.caption]
            assert f"Персональные данные: «{PERSONAL_BOOK}» (хранятся отдельно)" in captions
    assert seen["apart"] == seen["whole"]
    if page == "Сводка":
        assert any(card[1] == str(AMUR_JOINED) for card in seen["apart"]["cards"])
    if page == "Муниципалитеты":  # the municipality's organisations with their contacts, from the workbook apart
        organisations = next(t for t in seen["apart"]["tables"] if "ФИО контактного лица" in t["columns"])
        contact = organisations["columns"].index("ФИО контактного лица")
        assert "Матвеева Екатерина Александровна" in [row[contact] for row in organisations["data"]]
