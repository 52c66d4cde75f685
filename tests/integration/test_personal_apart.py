"""A campaign deployed with no personal column in the shared sheet: the personal columns come from
a workbook apart (hosted in Russia), joined to the sheet's rows by each tab's keys. The demos split
so give every count, table, form and problem of the one workbook; what cannot be joined is a
problem with its tab, row and fix; personal data typed into the shared sheet is said and not read;
the roles hold whichever side the data came from."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from campaign.form import contacts_table
from campaign.pipeline import run
from campaign.spec import CampaignFileError, load_campaign, parse_campaign, read_campaign_data
from data_sources.joined import JoinedSource
from data_sources.local_file import LocalFileSource
from tests.cli_helpers import assert_no_traceback, cli
from tests.demo_figures import AMUR_JOINED, AMUR_XLSX, ZASTUPNIK, ZASTUPNIK_XLSX
from tests.integration.test_app_pages import BLAGOVESHCHENSK, EMPTY, HIDDEN, open_app
from tests.personal_split import PERSONAL_BOOK, split_personal

AMUR = load_campaign("amur-2022")
IRKUTSK = load_campaign("irkutsk-zastupnik-2024")
ORG = "Организации"


def joined_report(shared: Path, personal: Path, campaign):
    workbook = JoinedSource(LocalFileSource(shared), LocalFileSource(personal)).read()
    return run(workbook.tabs, campaign, as_of=campaign.demo_as_of, source=workbook.source)


def one_report(demo: Path, campaign):
    return run(LocalFileSource(demo).read().tabs, campaign, as_of=campaign.demo_as_of)


@pytest.fixture(scope="module")
def amur_split(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("раздельно")
    shared, personal = folder / "общая.xlsx", folder / PERSONAL_BOOK
    written = split_personal(AMUR_XLSX, shared, personal, AMUR)
    assert written[ORG] == ["Муниципальное образование", "Наименование организации", "ИНН",
                            "ФИО контактного лица", "Должность", "Телефон", "Email"]
    assert written["Конкурс"] == ["Участник", "Ссылка на видеоролик"]
    return shared, personal


def edited(path: Path, tmp_path: Path, change) -> Path:
    """A copy of a workbook after `change(book)`."""
    book = load_workbook(path)
    change(book)
    copy = tmp_path / path.name
    book.save(copy)
    return copy


def test_the_shared_sheet_holds_no_personal_column(amur_split):
    shared, _ = amur_split
    headers = {sheet.title: [c.value for c in sheet[1]] for sheet in load_workbook(shared).worksheets}
    personal = {c.name for tab in AMUR.tabs for c in tab.columns if c.personal}
    assert personal and not personal & {h for header in headers.values() for h in header}


def test_split_amur_gives_every_count_table_form_and_problem_of_the_one_workbook(amur_split):
    joined, one = joined_report(*amur_split, AMUR), one_report(AMUR_XLSX, AMUR)
    assert joined.metrics["organisations_joined"] == AMUR_JOINED
    assert dict(joined.metrics) == dict(one.metrics)
    columns = list(one.municipalities.columns)
    pd.testing.assert_frame_equal(joined.municipalities[columns].reset_index(drop=True),
                                  one.municipalities[columns].reset_index(drop=True))
    pd.testing.assert_frame_equal(contacts_table(joined), contacts_table(one))
    compared = ["tab", "column", "code", "severity", "message", "municipality"]
    assert sorted(map(tuple, joined.problems[compared].to_numpy())) == sorted(map(tuple, one.problems[compared].to_numpy()))
    assert joined.source.personal_label == PERSONAL_BOOK


def test_split_zastupnik_counts_the_same_and_says_which_personal_row_has_no_key(tmp_path):
    shared, personal = tmp_path / "общая.xlsx", tmp_path / PERSONAL_BOOK
    split_personal(ZASTUPNIK_XLSX, shared, personal, IRKUTSK)
    joined, one = joined_report(shared, personal, IRKUTSK), one_report(ZASTUPNIK_XLSX, IRKUTSK)
    assert {m: joined.metrics[m] for m in ZASTUPNIK} == ZASTUPNIK
    assert dict(joined.metrics) == dict(one.metrics)
    pd.testing.assert_frame_equal(contacts_table(joined), contacts_table(one))
    # the one row with neither ИНН nor name cannot be joined: said on the personal side (on the
    # shared side its empty name is the problem it always was)
    extra = joined.problems[joined.problems["code"] == "personal_row_unmatched"]
    [row] = extra.to_dict("records")
    assert (row["file"], row["tab"], row["municipality"]) == (PERSONAL_BOOK, "Образовательные организации",
                                                              "г. Черемхово")
    assert "в строке не заполнены ни «ИНН», ни «Наименование организации»" in row["message"]
    assert len(joined.problems) == len(one.problems) + 1
    # a personal cell's problem points at the personal workbook
    [phone] = joined.problems[joined.problems["code"] == "invalid_phone"].to_dict("records")
    assert (phone["file"], phone["column"]) == (PERSONAL_BOOK, "Телефон ответственного")


def test_a_row_without_personal_data_is_an_error_at_its_row_and_counts_as_before(amur_split, tmp_path):
    shared, personal = amur_split
    one = joined_report(shared, personal, AMUR)
    frame = one.tabs["organisations"].frame
    school = frame[(frame["inn"] != "") & (frame["_mo"] == "г. Тында")].iloc[0]

    def without(book):
        sheet = book[ORG]
        for row in sheet.iter_rows(min_row=2):
            if str(row[2].value or "") == school["inn"]:
                sheet.delete_rows(row[0].row)
                return

    report = joined_report(shared, edited(personal, tmp_path, without), AMUR)
    [missing] = report.problems[report.problems["code"] == "personal_row_missing"].to_dict("records")
    assert (missing["file"], missing["tab"], missing["row"], missing["severity"]) == ("", ORG, school["_row"], "error")
    assert missing["municipality"] == "г. Тында"
    assert f"искали по «ИНН» «{school['inn']}»" in missing["message"]
    assert f"«{ORG}» книги «{PERSONAL_BOOK}»" in missing["message"]
    assert "«ФИО контактного лица», «Должность», «Телефон», «Email»" in missing["fix"]
    # its empty personal cells are that one problem, not one each
    at_row = report.problems[(report.problems["row"] == school["_row"]) & (report.problems["file"] == "")]
    assert list(at_row["code"]) == ["personal_row_missing"]
    assert dict(report.metrics) == dict(one.metrics)


def test_two_personal_rows_for_one_a_stray_personal_row_and_a_phone_in_the_shared_sheet(amur_split, tmp_path):
    shared, personal = amur_split
    base = joined_report(shared, personal, AMUR)
    frame = base.tabs["organisations"].frame
    school = frame[(frame["inn"] != "") & (frame["_mo"] == "г. Белогорск")].iloc[0]

    def personal_change(book):
        sheet = book[ORG]
        original = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if str(row[2] or "") == school["inn"])
        sheet.append([original[0], original[1], original[2], "Другой Человек", "завуч", "+7 914 000-00-00", None])
        sheet.append(["г. Зея", "Школа, которой нет в общей таблице", "2801999990", "Кто-то", "директор", "", None])

    def shared_change(book):
        sheet = book[ORG]
        sheet.cell(row=1, column=sheet.max_column + 1, value="Телефон")
        sheet.cell(row=2, column=sheet.max_column, value="+7 914 111-11-11")

    report = joined_report(edited(shared, tmp_path, shared_change), edited(personal, tmp_path, personal_change), AMUR)
    problems = report.problems
    [twice] = problems[problems["code"] == "personal_row_ambiguous"].to_dict("records")
    assert twice["row"] == school["_row"] and twice["severity"] == "warning"
    assert "подходят несколько строк" in twice["message"] and "взяты данные строки" in twice["message"]
    [stray] = problems[problems["code"] == "personal_row_unmatched"].to_dict("records")
    assert (stray["file"], stray["tab"], stray["municipality"]) == (PERSONAL_BOOK, ORG, "г. Зея")
    assert "«ИНН» «2801999990»" in stray["message"]
    [typed] = problems[problems["code"] == "personal_in_shared_sheet"].to_dict("records")
    assert (typed["file"], typed["column"], typed["severity"]) == ("", "Телефон", "error")
    assert "(1 строка)" in typed["message"] and "152-ФЗ" in typed["fix"]
    assert "111-11-11" not in " ".join(problems["message"]) + " ".join(problems["fix"])
    # the shared sheet's phone is not read: the personal workbook's is
    phones = report.tabs["organisations"].frame["phone"]
    assert not phones.astype(str).str.contains("9141111111").any()
    assert dict(report.metrics) == dict(base.metrics)


def test_the_keys_that_join_personal_columns_are_never_personal_themselves():
    data = read_campaign_data("amur-2022")
    contest = next(tab for tab in data["tabs"] if tab["id"] == "contest")
    contest["personal_keys"] = [["participant"]]
    with pytest.raises(CampaignFileError, match="лист «contest»: ключи, которыми соединяются персональные данные, "
                                                "хранимые отдельно, называют персональные столбцы «participant»"):
        parse_campaign(data)


def test_summary_on_the_command_line_with_the_personal_workbook_apart(amur_split):
    shared, personal = amur_split
    result = cli("summary", "--campaign", "amur-2022", "--source", str(shared), "--personal-source", str(personal),
                 "--as-of", "2022-02-22", "--json")
    assert_no_traceback(result)
    data = json.loads(result.stdout)
    assert data["organisations_joined"] == AMUR_JOINED
    assert not [p for p in data["problems"] if p["code"].startswith("personal_")]
    without = json.loads(cli("summary", "--campaign", "amur-2022", "--source", str(shared), "--as-of", "2022-02-22",
                             "--json").stdout)
    assert without["organisations_joined"] == AMUR_JOINED  # the counts never depend on the personal side
    assert any(p["code"] == "missing_column" for p in without["problems"])  # but its columns are missing


def test_contacts_stay_hidden_from_a_viewer_and_shown_to_an_admin_from_the_workbook_apart(amur_split, monkeypatch):
    shared, personal = amur_split
    env = {"CAMPAIGN_ID": "amur-2022", "CAMPAIGN_SOURCE": str(shared), "CAMPAIGN_PERSONAL_SOURCE": str(personal),
           "CAMPAIGN_AS_OF": "2022-02-22"}
    viewer = open_app(monkeypatch, "Муниципалитеты", env=env, query={"mo": BLAGOVESHCHENSK})
    organisations = viewer.dataframe[1].value
    assert set(organisations["Персональные данные"]) <= {HIDDEN, EMPTY} and HIDDEN in set(organisations["Персональные данные"])
    admin = open_app(monkeypatch, "Муниципалитеты", env=env, query={"mo": BLAGOVESHCHENSK}, admin=True)
    admin.toggle(key="show_contacts").set_value(True).run()
    organisations = admin.dataframe[1].value
    first = organisations[organisations["Строка"] == 2].iloc[0]
    assert first["ФИО контактного лица"] == "Матвеева Екатерина Александровна"
