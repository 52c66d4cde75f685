"""The plan of a new campaign sheet (campaign/sheet_layout.py) and the Google batchUpdate body
made from it (data_sources/sheet_setup.setup_requests): pure functions, no files or network."""

from __future__ import annotations

import pytest

from campaign.registry import load_registry
from campaign.russian import one
from campaign.sheet_layout import (
    DATA_ROWS,
    INSTRUCTION_TAB,
    LISTS_TAB,
    plan_sheet,
    summary_text,
)
from campaign.spec import CampaignFileError, available_campaigns, load_campaign
from data_sources.sheet_setup import setup_requests


@pytest.fixture(scope="module")
def amur_layout(amur):
    return plan_sheet(amur)


def _instruction_text(layout) -> str:
    return "\n".join(" | ".join(row.cells) for row in layout.instruction)


def test_every_tab_of_the_campaign_gets_its_header_in_order(amur, amur_layout):
    assert [tab.title for tab in amur_layout.tabs] == [tab.name for tab in amur.tabs]
    for planned, spec in zip(amur_layout.tabs, amur.tabs):
        assert planned.header == tuple(column.name for column in spec.columns)


def test_the_municipality_list_holds_the_regions_municipalities(amur, amur_layout):
    names = tuple(m.name for m in load_registry(amur.region_key).municipalities)
    first = amur_layout.lists[0]
    assert first.values == names and len(names) == 29
    assert first.reference == f"'{LISTS_TAB}'!$A$2:$A$30"
    assert len(", ".join(names)) > 255  # why the lists live on a tab, not inline


def test_every_municipality_column_refers_to_the_one_municipality_list(amur, amur_layout):
    for planned, spec in zip(amur_layout.tabs, amur.tabs):
        column = [c.id for c in spec.columns].index("municipality")
        check = next(c for c in planned.checks if c.column == column)
        assert check.kind == "list" and check.values is amur_layout.lists[0]
        assert check.cells == f"A2:A{DATA_ROWS}"


def test_choice_columns_get_their_canonical_values(amur, amur_layout):
    events = amur_layout.tabs[1]
    kind = next(c for c in events.checks if c.column == 1)
    assert kind.values.values == tuple(c.value for c in amur.tab("events").column("kind").choices)
    assert "конференция" in kind.values.values and "конференции" not in kind.values.values


@pytest.mark.parametrize(("tab", "column", "kind"), [
    ("Организации", "Дата присоединения", "date"),
    ("Мероприятия", "Дата", "date"),
    ("Мероприятия", "Охват, чел.", "number"),
    ("Цели", "Цель: организаций", "number"),
    ("Организации", "Статус", "list"),
    ("Конкурс", "Площадка", "list"),
    ("Организации", "Телефон", None),
    ("Организации", "Наименование организации", None),
])
def test_columns_are_checked_by_their_type(amur_layout, tab, column, kind):
    planned = next(t for t in amur_layout.tabs if t.title == tab)
    index = planned.header.index(column)
    kinds = [c.kind for c in planned.checks if c.column == index]
    assert kinds == ([kind] if kind else [])


def test_date_checks_ask_for_day_month_year(amur_layout):
    check = next(c for c in amur_layout.tabs[0].checks if c.kind == "date")
    assert check.message == "Дата в виде ДД.ММ.ГГГГ, например 08.02.2022"


def test_required_headers_carry_a_note_and_others_do_not(amur, amur_layout):
    for planned, spec in zip(amur_layout.tabs, amur.tabs):
        for note, column in zip(planned.notes, spec.columns):
            assert ("обязательный столбец" in note.lower()) == column.required, column.name
            assert ("Персональные данные" in note) == column.personal


def test_the_instruction_names_the_campaign_tabs_columns_and_deadlines(amur, amur_layout):
    text = _instruction_text(amur_layout)
    assert amur_layout.instruction[0].cells[0] == "Как заполнять таблицу: Акция #МояХартия"
    assert "Регион: Амурская область" in text
    for tab in amur.tabs:
        assert f"«{tab.name}»" in text
        for column in tab.columns:
            assert column.name in text
    for deadline in amur.deadlines:
        assert deadline.date.strftime("%d.%m.%Y") in text and deadline.what in text
    assert "одна строка — одна организация" in text and "одно мероприятие" in text
    assert "ДД.ММ.ГГГГ" in text and "Не переименовывайте" in text
    assert "видят только координаторы и администраторы" in text
    assert "Необязательный лист" in text  # «Конкурс» and «Цели»


def test_the_instruction_marks_required_and_personal_columns(amur_layout):
    rows = {row.cells[0]: row.cells for row in amur_layout.instruction if row.style == "row"}
    assert rows["Телефон"][1] == "да" and rows["Телефон"][4] == "да"
    assert rows["ИНН"][1] == "нет" and rows["ИНН"][4] == "нет"
    assert rows["Статус"][3] == "заявка подана; меморандум подписан; в реестре Альянса"
    assert rows["Муниципальное образование"][3] == "29 муниципальных образований Амурской области"


@pytest.mark.parametrize(("noun", "expected"), [
    ("организация", "одна организация"),
    ("мероприятие", "одно мероприятие"),
    ("интервью / выступление", "одно интервью / выступление"),
    ("конкурс", "один конкурс"),
    ("победитель", "один победитель"),
    ("запись", "одна запись"),
    ("информационная кампания", "одна информационная кампания"),
])
def test_one_agrees_with_the_noun(noun, expected):
    assert one(noun) == expected


@pytest.mark.parametrize("campaign_id", available_campaigns())
def test_every_campaign_has_a_plan_with_lists_for_its_choices(campaign_id):
    campaign = load_campaign(campaign_id)
    if campaign.is_federal:  # each region has its own sheet: the plan is a region's
        campaign = load_campaign(campaign.region_campaign_id("08"))
    layout = plan_sheet(campaign)
    choice_columns = sum(1 for t in campaign.tabs for c in t.columns if c.type in ("choice", "municipality"))
    assert layout.checks_of("list") == choice_columns
    assert all(len(v.values) == len(set(v.values)) for v in layout.lists)
    assert campaign.title in layout.instruction[0].cells[0]


def test_the_summary_says_what_was_created(amur_layout):
    text = summary_text(amur_layout, "новая.xlsx")
    assert text.splitlines()[0] == "Создана таблица «Акция #МояХартия — Амурская область»: новая.xlsx"
    assert "«Организации» (11 столбцов)" in text and "«Цели» (2 столбца)" in text
    assert "скрытый лист «Списки» (6 списков)" in text
    assert "16 обязательных столбцов отмечены примечанием" in text


# ------------------------------------------------------------------ the Google requests


def test_one_batch_update_adds_fills_checks_and_then_deletes_the_old_tab(amur_layout):
    body = setup_requests(amur_layout, [0])
    kinds = [next(iter(r)) for r in body["requests"]]
    assert kinds[:6] == ["addSheet"] * 6 and kinds[-1] == "deleteSheet" and "addSheet" not in kinds[6:]
    assert body["requests"][-1] == {"deleteSheet": {"sheetId": 0}}
    added = [r["addSheet"]["properties"] for r in body["requests"][:6]]
    assert [p["title"] for p in added] == [INSTRUCTION_TAB, "Организации", "Мероприятия", "Конкурс", "Цели", LISTS_TAB]
    assert [p["index"] for p in added] == list(range(6))
    assert 0 not in {p["sheetId"] for p in added}
    assert all(p["gridProperties"]["frozenRowCount"] == 1 for p in added[1:])
    assert "frozenRowCount" not in added[0]["gridProperties"]
    assert added[-1]["hidden"] is True and not any(p.get("hidden") for p in added[:-1])


def test_new_tab_ids_avoid_the_ids_the_sheet_has(amur_layout):
    body = setup_requests(amur_layout, [1, 2, 5])
    ids = [r["addSheet"]["properties"]["sheetId"] for r in body["requests"] if "addSheet" in r]
    assert ids == [3, 4, 6, 7, 8, 9]


def test_list_checks_refer_to_the_lists_tab_and_are_not_strict(amur_layout):
    body = setup_requests(amur_layout, [0])
    organisations = body["requests"][1]["addSheet"]["properties"]["sheetId"]
    rules = [r["setDataValidation"] for r in body["requests"] if "setDataValidation" in r]
    municipality = next(r for r in rules if r["range"]["sheetId"] == organisations and r["range"]["startColumnIndex"] == 0)
    assert municipality["range"] == {"sheetId": organisations, "startRowIndex": 1, "endRowIndex": DATA_ROWS,
                                     "startColumnIndex": 0, "endColumnIndex": 1}
    assert municipality["rule"]["condition"] == {"type": "ONE_OF_RANGE",
                                                 "values": [{"userEnteredValue": "='Списки'!$A$2:$A$30"}]}
    assert municipality["rule"]["showCustomUi"] is True and municipality["rule"]["strict"] is False
    assert {r["rule"]["condition"]["type"] for r in rules} == {"ONE_OF_RANGE", "DATE_IS_VALID", "NUMBER_GREATER_THAN_EQ"}
    assert not any(r["rule"]["strict"] for r in rules)


def test_headers_are_bold_with_their_notes(amur_layout):
    body = setup_requests(amur_layout, [0])
    organisations = body["requests"][1]["addSheet"]["properties"]["sheetId"]
    header = next(r["updateCells"] for r in body["requests"]
                  if "updateCells" in r and r["updateCells"]["start"]["sheetId"] == organisations)
    cells = header["rows"][0]["values"]
    assert [c["userEnteredValue"]["stringValue"] for c in cells] == list(amur_layout.tabs[0].header)
    assert all(c["userEnteredFormat"]["textFormat"]["bold"] for c in cells)
    assert cells[0]["note"].startswith("Обязательный столбец")
    assert "note" in header["fields"] and "userEnteredValue" in header["fields"]


def test_a_federal_campaign_asks_which_regions_sheet_to_plan():
    with pytest.raises(CampaignFileError, match="федеральная кампания: у каждого региона своя таблица. Укажите регион: "
                                                "moyakhartiya-2022-rf@<код по ОКАТО>, например moyakhartiya-2022-rf@01"):
        plan_sheet(load_campaign("moyakhartiya-2022-rf"))
