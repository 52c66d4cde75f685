"""`init-sheet --sheet`: real gspread over real HTTP against the local Sheets stand-in, then the
sheet read back through the app's own reader and pipeline."""

from __future__ import annotations

import gspread
import pytest

from campaign import cli
from campaign.pipeline import run
from campaign.sheet_layout import INSTRUCTION_TAB, LISTS_TAB, plan_sheet
from campaign.spec import load_campaign
from campaign.workbook import SourceError
from data_sources.google_sheet import GoogleSheetSource
from data_sources.sheet_setup import READ_WRITE_SCOPES, SheetSetup

KEY = "1NewCampaignSheet_0123456789abcdefghijklmnopq"
EMAIL = "dashboard-editor@amur-campaign.iam.gserviceaccount.com"
TITLES = [INSTRUCTION_TAB, "Организации", "Мероприятия", "Конкурс", "Цели", LISTS_TAB]


@pytest.fixture(scope="module")
def amur_layout():
    return plan_sheet(load_campaign("amur-2022"))


@pytest.fixture
def new_sheet(standin):
    """A brand-new Google sheet: one empty tab «Лист1»."""
    standin.add_spreadsheet(KEY, "Новая таблица", {"Лист1": []})
    return standin


def setup(standin, **kwargs) -> SheetSetup:
    return SheetSetup(KEY, client=standin.client(timeout=5), **kwargs)


def test_a_new_sheet_takes_three_requests_with_one_batch_update(new_sheet, amur_layout):
    result = setup(new_sheet).create(amur_layout)

    methods = [(method, path.split("?")[0]) for method, path in new_sheet.requests]
    assert methods == [
        ("GET", f"/v4/spreadsheets/{KEY}"),
        ("GET", f"/v4/spreadsheets/{KEY}/values:batchGet"),
        ("POST", f"/v4/spreadsheets/{KEY}:batchUpdate"),
    ]
    assert result.requests_made == 3
    assert result.created == tuple(TITLES) and result.deleted == ("Лист1",)
    assert result.url == f"https://docs.google.com/spreadsheets/d/{KEY}/edit"


def test_the_batch_update_carries_tabs_frozen_rows_checks_and_the_instruction(new_sheet, amur_layout):
    setup(new_sheet).create(amur_layout)
    (body,) = new_sheet.batch_updates(KEY)
    requests = body["requests"]
    added = {r["addSheet"]["properties"]["title"]: r["addSheet"]["properties"] for r in requests if "addSheet" in r}
    assert list(added) == TITLES
    assert added[INSTRUCTION_TAB]["index"] == 0
    assert all(added[t]["gridProperties"]["frozenRowCount"] == 1 for t in TITLES[1:])
    assert added[LISTS_TAB]["hidden"] is True
    assert {"deleteSheet": {"sheetId": 0}} in requests

    rules = [r["setDataValidation"] for r in requests if "setDataValidation" in r]
    on_municipalities = [r for r in rules if r["rule"]["condition"].get("values") == [
        {"userEnteredValue": "='Списки'!$A$2:$A$30"}]]
    assert {r["range"]["sheetId"] for r in on_municipalities} == {added[t]["sheetId"] for t in TITLES[1:-1]}
    assert sum(r["rule"]["condition"]["type"] == "DATE_IS_VALID" for r in rules) == 2
    assert all(r["rule"]["inputMessage"] for r in rules)

    instruction = next(r["updateCells"] for r in requests if "updateCells" in r
                       and r["updateCells"]["start"]["sheetId"] == added[INSTRUCTION_TAB]["sheetId"])
    text = " ".join(cell.get("userEnteredValue", {}).get("stringValue", "")
                    for row in instruction["rows"] for cell in row["values"])
    assert "Как заполнять таблицу: Акция #МояХартия" in text
    assert all(f"«{title}»" in text for title in TITLES[1:-1])


def test_what_was_written_reads_back_with_no_missing_tab_or_column(new_sheet, amur_layout):
    setup(new_sheet).create(amur_layout)
    campaign = load_campaign("amur-2022")
    workbook = GoogleSheetSource(KEY, client=new_sheet.client(timeout=5)).read()

    assert workbook.tab_titles() == TITLES
    report = run(workbook.tabs, campaign)
    codes = set(report.problems["code"])
    assert not codes & {"missing_tab", "missing_column"}
    assert all(value == 0 for value in report.metrics.values())
    assert new_sheet.tab(KEY, "Организации").frozen_rows == 1
    assert new_sheet.tab(KEY, LISTS_TAB).hidden
    assert new_sheet.tab(KEY, "Организации").notes[(0, 0)].startswith("Обязательный столбец")
    lists = next(t for t in workbook.tabs if t.title == LISTS_TAB)
    assert lists.header[0] == "Муниципальное образование" and len(lists.rows) == 29


def test_a_sheet_with_data_is_refused_and_nothing_is_sent(standin, amur_layout):
    standin.add_spreadsheet(KEY, "Старая таблица", {"Лист1": [], "Отчёт": [[], ["", "", "итого"]]})
    with pytest.raises(SourceError) as info:
        setup(standin).create(amur_layout)
    assert info.value.kind == "not_empty"
    assert "на листе «Отчёт» есть данные (ячейка C2)" in info.value.message
    assert standin.batch_updates() == []
    assert [m for m, _ in standin.requests] == ["GET", "GET"]


def test_a_sheet_with_an_empty_tab_of_the_same_name_is_refused(standin, amur_layout):
    standin.add_spreadsheet(KEY, "Таблица", {"Организации": []})
    with pytest.raises(SourceError) as info:
        setup(standin).create(amur_layout)
    assert info.value.kind == "not_empty" and "«Организации»" in info.value.message
    assert standin.batch_updates() == []


def test_several_empty_tabs_are_replaced(standin, amur_layout):
    standin.add_spreadsheet(KEY, "Таблица", {"Sheet1": [], "Лист2": [[" "]]})
    result = setup(standin).create(amur_layout)
    assert result.deleted == ("Sheet1", "Лист2")
    assert GoogleSheetSource(KEY, client=standin.client()).read().tab_titles() == TITLES


def test_no_edit_access_asks_for_the_editor_role(new_sheet, amur_layout):
    new_sheet.fail_next(403, after=2)  # metadata and values are readable, the write is not
    with pytest.raises(SourceError) as info:
        setup(new_sheet, credentials={"client_email": EMAIL}).create(amur_layout)
    assert info.value.kind == "no_access"
    assert EMAIL in info.value.message and "«Редактор»" in info.value.message
    assert GoogleSheetSource(KEY, client=new_sheet.client()).read().tab_titles() == ["Лист1"]


def test_quota_is_the_readers_error(new_sheet, amur_layout):
    new_sheet.fail_next(429)
    with pytest.raises(SourceError) as info:
        setup(new_sheet).create(amur_layout)
    assert info.value.kind == "quota" and "Попробуйте ещё раз" in info.value.message


def test_the_command_fills_the_sheet_with_the_service_account(new_sheet, monkeypatch, tmp_path, capsys):
    key_file = tmp_path / "editor.json"
    key_file.write_text('{"type": "service_account", "client_email": "%s"}' % EMAIL, encoding="utf-8")
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    used = {}

    def stand_in_client(credentials, scopes):  # the real client, talking to the stand-in
        used.update(email=credentials["client_email"], scopes=scopes)
        return new_sheet.client(timeout=5)

    monkeypatch.setattr(gspread, "service_account_from_dict", stand_in_client)
    code = cli.main(["init-sheet", "--campaign", "amur-2022", "--sheet",
                     f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0"])
    out = capsys.readouterr().out
    assert code == 0
    assert used == {"email": EMAIL, "scopes": READ_WRITE_SCOPES}
    assert f"Создана таблица «Акция #МояХартия — Амурская область»: https://docs.google.com/spreadsheets/d/{KEY}/edit" in out
    assert "Удалены пустые листы, которые были в таблице: «Лист1»." in out
    assert len(new_sheet.batch_updates(KEY)) == 1


def test_the_command_refuses_a_sheet_with_data(standin, monkeypatch, tmp_path, capsys):
    standin.add_spreadsheet(KEY, "Таблица", {"Лист1": [["Муниципальное образование"]]})
    key_file = tmp_path / "editor.json"
    key_file.write_text('{"type": "service_account", "client_email": "%s"}' % EMAIL, encoding="utf-8")
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    monkeypatch.setattr(gspread, "service_account_from_dict", lambda credentials, scopes: standin.client())
    assert cli.main(["init-sheet", "--campaign", "amur-2022", "--sheet", KEY]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Ошибка: Таблица уже заполнена: на листе «Лист1» есть данные (ячейка A1).")
    assert standin.batch_updates() == []


def test_the_command_without_a_service_account_says_what_is_needed(monkeypatch, capsys):
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    assert cli.main(["init-sheet", "--campaign", "amur-2022", "--sheet", KEY]) == 2
    err = capsys.readouterr().err
    assert "GOOGLE_APPLICATION_CREDENTIALS" in err and "«Редактор»" in err


def test_the_command_makes_both_parts_when_personal_data_is_kept_apart(new_sheet, monkeypatch, tmp_path, capsys):
    """The Google sheet without any personal column, and the workbook of personal columns (hosted
    in Russia) with the keys that join them, the same lists and checks; read back together."""
    from openpyxl import load_workbook

    from data_sources.joined import JoinedSource
    from data_sources.local_file import LocalFileSource

    key_file = tmp_path / "editor.json"
    key_file.write_text('{"type": "service_account", "client_email": "%s"}' % EMAIL, encoding="utf-8")
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    monkeypatch.setattr(gspread, "service_account_from_dict", lambda credentials, scopes: new_sheet.client(timeout=5))
    personal = tmp_path / "персональные данные.xlsx"
    code = cli.main(["init-sheet", "--campaign", "amur-2022", "--sheet", KEY, "--personal-xlsx", str(personal)])
    out = capsys.readouterr().out
    assert code == 0
    assert f"Создана таблица «Акция #МояХартия — Амурская область: персональные данные»: {personal}" in out

    campaign = load_campaign("amur-2022")
    personal_names = {c.name for tab in campaign.tabs for c in tab.columns if c.personal}
    shared = GoogleSheetSource(KEY, client=new_sheet.client(timeout=5)).read()
    assert not personal_names & {name for tab in shared.tabs if tab.title != INSTRUCTION_TAB for name in tab.header}
    book = load_workbook(personal)
    assert book.sheetnames == [INSTRUCTION_TAB, "Организации", "Конкурс", LISTS_TAB]
    assert [c.value for c in book["Организации"][1]] == [
        "Муниципальное образование", "Наименование организации", "ИНН", "ФИО контактного лица", "Должность",
        "Телефон", "Email"]
    assert [c.value for c in book["Конкурс"][1]] == ["Участник", "Ссылка на видеоролик"]
    municipality_list = [v for v in book["Организации"].data_validations.dataValidation if "A2" in str(v.sqref)]
    assert municipality_list and municipality_list[0].type == "list"
    instruction = next(tab for tab in shared.tabs if tab.title == INSTRUCTION_TAB)
    assert any("не вносятся" in cell and "152-ФЗ" in cell for row in instruction.rows for cell in row)
    assert any("связывается со строкой одноимённого листа общей таблицы" in str(row[0].value)
               for row in book[INSTRUCTION_TAB].iter_rows())

    class Stored:  # the Google part as read, the personal part from the file
        def read(self):
            return shared

    workbook = JoinedSource(Stored(), LocalFileSource(personal)).read()
    report = run(workbook.tabs, campaign)
    assert not set(report.problems["code"]) & {"missing_tab", "missing_column", "personal_row_missing",
                                               "personal_row_unmatched"}

