"""`init-sheet --xlsx`: the workbook opened with openpyxl, read back through the app's own file
source and pipeline, and the command run as a user runs it."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from campaign.pipeline import run
from campaign.sheet_layout import INSTRUCTION_TAB, LISTS_TAB, plan_sheet
from campaign.sheet_xlsx import layout_xlsx
from campaign.spec import available_campaigns, load_campaign
from data_sources.local_file import LocalFileSource
from tests.cli_helpers import assert_no_traceback, cli


@pytest.fixture(scope="module")
def amur_book():
    return load_workbook(io.BytesIO(layout_xlsx(plan_sheet(load_campaign("amur-2022")))))


def _validations(sheet) -> dict[str, tuple[str, str]]:
    return {str(v.sqref): (v.type, v.formula1) for v in sheet.data_validations.dataValidation}


def test_the_instruction_comes_first_and_the_lists_tab_is_hidden(amur_book):
    assert amur_book.sheetnames == [INSTRUCTION_TAB, "Организации", "Мероприятия", "Конкурс", "Цели", LISTS_TAB]
    assert amur_book.active.title == INSTRUCTION_TAB
    assert amur_book[LISTS_TAB].sheet_state == "hidden"
    assert all(amur_book[t].sheet_state == "visible" for t in amur_book.sheetnames[:-1])


def test_headers_are_bold_frozen_and_required_ones_noted(amur_book):
    campaign = load_campaign("amur-2022")
    for spec in campaign.tabs:
        sheet = amur_book[spec.name]
        assert sheet.freeze_panes == "A2"
        header = [cell for cell in sheet[1]]
        assert [cell.value for cell in header] == [column.name for column in spec.columns]
        assert all(cell.font.bold for cell in header)
        for cell, column in zip(header, spec.columns):
            assert ("обязательный столбец" in cell.comment.text.lower()) == column.required
        assert sheet.max_row == 1


def test_checks_refer_to_the_lists_tab_dates_and_numbers(amur_book):
    organisations = _validations(amur_book["Организации"])
    assert organisations["A2:A1000"] == ("list", "'Списки'!$A$2:$A$30")
    assert organisations["D2:D1000"] == ("list", "'Списки'!$B$2:$B$7")
    assert organisations["E2:E1000"] == ("date", "1")
    assert organisations["F2:F1000"] == ("list", "'Списки'!$C$2:$C$4")
    events = _validations(amur_book["Мероприятия"])
    assert events["B2:B1000"] == ("list", "'Списки'!$D$2:$D$6")
    assert events["F2:F1000"] == ("whole", "0")
    date = next(v for v in amur_book["Мероприятия"].data_validations.dataValidation if v.type == "date")
    assert date.prompt == "Дата в виде ДД.ММ.ГГГГ, например 08.02.2022"
    assert date.errorStyle == "warning" and date.showDropDown in (None, False)


def test_the_lists_tab_holds_municipalities_and_choices(amur_book):
    lists = amur_book[LISTS_TAB]
    municipalities = [lists.cell(row=r, column=1).value for r in range(2, 31)]
    assert "г. Благовещенск" in municipalities and lists.cell(row=31, column=1).value is None
    assert [lists.cell(row=r, column=4).value for r in range(2, 7)] == [
        "информационная кампания", "конференция", "интервью / выступление на радио или ТВ",
        "конкурс видеороликов", "иное мероприятие"]


def test_the_instruction_mentions_every_tab_and_the_deadlines(amur_book):
    text = "\n".join(str(cell.value) for row in amur_book[INSTRUCTION_TAB].iter_rows() for cell in row
                     if cell.value is not None)
    for title in ("Организации", "Мероприятия", "Конкурс", "Цели"):
        assert f"Лист «{title}»" in text
    assert "15.02.2022" in text and "09.03.2022" in text
    assert "Персональные данные" in text


@pytest.mark.parametrize("campaign_id", available_campaigns())
def test_a_new_workbook_reads_back_with_no_missing_tab_or_column(tmp_path, campaign_id):
    campaign = load_campaign(campaign_id)
    if campaign.is_federal:  # a sheet is a region's: Khabarovsk Krai's
        campaign = load_campaign(campaign.region_campaign_id("08"))
    path = tmp_path / f"{campaign_id}.xlsx"
    path.write_bytes(layout_xlsx(plan_sheet(campaign)))

    workbook = LocalFileSource(path).read()
    report = run(workbook.tabs, campaign)
    assert not set(report.problems["code"]) & {"missing_tab", "missing_column"}
    assert all(value == 0 for value in report.metrics.values())
    assert {tab.name for tab in campaign.tabs} <= set(workbook.tab_titles())


def test_the_command_writes_a_new_file(tmp_path):
    out = tmp_path / "новая таблица.xlsx"
    result = cli("init-sheet", "--campaign", "primorye-2022", "--xlsx", str(out))
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Создана таблица «Акция #МояХартия — Приморский край»: {out}\n")
    assert "скрытый лист «Списки»" in result.stdout
    assert load_workbook(out).sheetnames[0] == INSTRUCTION_TAB


def test_the_command_refuses_a_file_that_exists(tmp_path):
    out = tmp_path / "отчёт.xlsx"
    out.write_bytes(b"data of somebody")
    result = cli("init-sheet", "--campaign", "amur-2022", "--xlsx", str(out))
    assert_no_traceback(result)
    assert result.returncode == 2
    assert result.stderr == (f"Ошибка: файл «{out}» уже существует. Генератор не перезаписывает файлы: "
                             "укажите имя нового файла.\n")
    assert out.read_bytes() == b"data of somebody"


@pytest.mark.parametrize(("args", "words"), [
    (["--campaign", "amur-2022", "--xlsx", "таблица.csv"], "только в .xlsx"),
    (["--campaign", "nowhere-2030", "--xlsx", "t.xlsx"], "Нет файла кампании"),
])
def test_the_command_explains_what_it_cannot_do(tmp_path, args, words):
    result = cli("init-sheet", *[str(tmp_path / a) if a.endswith((".csv", ".xlsx")) else a for a in args])
    assert_no_traceback(result)
    assert result.returncode == 2 and words in result.stderr
    assert not list(tmp_path.iterdir())


def test_the_command_writes_both_parts_of_a_deployment_that_keeps_personal_data_apart(tmp_path):
    from data_sources.joined import JoinedSource

    shared, personal = tmp_path / "общая.xlsx", tmp_path / "персональные.xlsx"
    result = cli("init-sheet", "--campaign", "irkutsk-zastupnik-2024", "--xlsx", str(shared),
                 "--personal-xlsx", str(personal))
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    campaign = load_campaign("irkutsk-zastupnik-2024")
    shared_header = [c.value for c in load_workbook(shared)["Образовательные организации"][1]]
    personal_header = [c.value for c in load_workbook(personal)["Образовательные организации"][1]]
    personal_names = [c.name for tab in campaign.tabs for c in tab.columns if c.personal]
    assert not set(personal_names) & set(shared_header)
    assert personal_header == ["Муниципальное образование", "Наименование организации", "ИНН", *personal_names]
    workbook = JoinedSource(LocalFileSource(shared), LocalFileSource(personal)).read()
    report = run(workbook.tabs, campaign)
    assert not set(report.problems["code"]) & {"missing_tab", "missing_column"}


def test_the_command_refuses_an_existing_personal_workbook_before_writing_anything(tmp_path):
    shared, personal = tmp_path / "общая.xlsx", tmp_path / "персональные.xlsx"
    personal.write_bytes(b"contacts of somebody")
    result = cli("init-sheet", "--campaign", "amur-2022", "--xlsx", str(shared), "--personal-xlsx", str(personal))
    assert result.returncode == 2 and "уже существует" in result.stderr
    assert not shared.exists() and personal.read_bytes() == b"contacts of somebody"
