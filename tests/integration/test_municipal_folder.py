"""A folder of workbooks, one per municipality (what happens when municipalities send their own
files by e-mail): every file read and its tabs put together, each problem naming its file and the
row it has there, a municipality taken from the rows or, where they leave it empty, from the
file's name; two files of one municipality, a damaged file and a renamed tab reported. End to end:
the pipeline, the command line and the pages (AppTest)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from campaign.pipeline import run
from campaign.spec import load_campaign
from data_sources.local_file import LocalFileSource
from tests.cli_helpers import assert_no_traceback, cli
from tests.demo_figures import AMUR_EVENTS, AMUR_JOINED, AMUR_REACH, AMUR_XLSX
from tests.integration.test_app_pages import open_app
from tests.municipal_folder import OTHERS, append_rows, split_by_municipality

CAMPAIGN = load_campaign("amur-2022")
TYNDA = "г. Тында.xlsx"


def report_of(source: Path):
    return run(LocalFileSource(source).read().tabs, CAMPAIGN, as_of=CAMPAIGN.demo_as_of)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    made = tmp_path_factory.mktemp("почта") / "Отчёты МО"
    split_by_municipality(made)
    return made


@pytest.fixture(scope="module")
def one_workbook():
    return report_of(AMUR_XLSX)


@pytest.fixture(scope="module")
def from_folder(folder):
    return report_of(folder)


def test_the_folder_counts_what_the_one_workbook_counts(from_folder, one_workbook):
    assert from_folder.metrics["organisations_joined"] == AMUR_JOINED
    assert from_folder.metrics["reach"] == AMUR_REACH
    assert dict(from_folder.breakdowns["events"]) == AMUR_EVENTS
    assert dict(from_folder.metrics) == dict(one_workbook.metrics)
    columns = list(one_workbook.municipalities.columns)
    pd.testing.assert_frame_equal(from_folder.municipalities[columns].reset_index(drop=True),
                                  one_workbook.municipalities[columns].reset_index(drop=True))


def test_the_source_is_said_to_be_a_folder(folder):
    assert LocalFileSource(folder).read().source.kind == "folder"


def test_a_municipality_is_taken_from_the_file_name_where_the_rows_leave_it_empty(from_folder):
    frame = from_folder.tabs["organisations"].frame
    tynda = frame[frame["_file"] == TYNDA]
    assert len(tynda) and set(tynda["_mo"]) == {"г. Тында"}
    assert not (from_folder.problems["code"] == "missing_value").groupby(from_folder.problems["file"]).sum().get(
        TYNDA, 0)


def test_every_problem_names_its_file_and_its_row_there(from_folder, one_workbook):
    assert (from_folder.problems["code"].value_counts().to_dict()
            == one_workbook.problems["code"].value_counts().to_dict())
    assert (from_folder.problems["file"] != "").all()
    [unknown] = from_folder.problems[from_folder.problems["code"] == "unknown_municipality"].to_dict("records")
    assert (unknown["file"], unknown["tab"], unknown["row"]) == (OTHERS, "Организации", 2)
    # the same problem in one workbook: another row number, no file
    [single] = one_workbook.problems[one_workbook.problems["code"] == "unknown_municipality"].to_dict("records")
    assert single["file"] == "" and single["row"] != 2


def test_a_repeated_organisation_in_another_file_is_named_with_that_file(folder, tmp_path):
    copy = tmp_path / "папка"
    shutil.copytree(folder, copy)
    first = report_of(copy).tabs["organisations"].frame
    school = first[(first["_file"] == "г. Зея.xlsx") & (first["inn"] != "")].iloc[0]
    append_rows(copy / TYNDA, "Организации",
                [[None, school["name"], school["inn"], None, "20.02.2022", "меморандум подписан",
                  "Иванов Иван Иванович", "директор", "+7 914 123-45-67", None, None]])
    report = report_of(copy)
    repeated = report.problems[(report.problems["code"] == "duplicate_organisation") & (report.problems["file"] == TYNDA)]
    [message] = repeated["message"].tolist()
    assert f"строке {school['_row']} файла «г. Зея.xlsx»" in message
    assert report.metrics["organisations_joined"] == AMUR_JOINED  # counted once


def test_two_files_of_one_municipality_a_damaged_file_and_a_renamed_tab_are_reported(folder, tmp_path):
    copy = tmp_path / "папка"
    shutil.copytree(folder, copy)
    shutil.copy(copy / TYNDA, copy / "Тында (исправленный).xlsx")
    (copy / "Михайловский район.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    from openpyxl import load_workbook
    book = load_workbook(copy / "г. Зея.xlsx")
    book["Мероприятия"].title = "События"
    book.save(copy / "г. Зея.xlsx")

    report = report_of(copy)
    problems = report.problems
    twice = problems[problems["code"] == "municipality_in_two_files"]
    assert sorted(twice["file"]) == sorted([TYNDA, "Тында (исправленный).xlsx"])
    assert set(twice["municipality"]) == {"г. Тында"} and set(twice["severity"]) == {"error"}
    assert "в нескольких файлах: «Тында (исправленный).xlsx», «г. Тында.xlsx»" in twice["message"].iat[0]
    [damaged] = problems[problems["code"] == "unreadable_file"].to_dict("records")
    assert damaged["file"] == "Михайловский район.xlsx" and "повреждён" in damaged["message"]
    [renamed] = problems[(problems["code"] == "missing_tab") & (problems["file"] == "г. Зея.xlsx")].to_dict("records")
    assert renamed["message"] == "В таблице нет листа «Мероприятия» (есть: «События»)."
    # the other files still count; the municipality's rows of both files too
    assert report.metrics["organisations_joined"] == AMUR_JOINED  # Тында's organisations: the same ИНН, once
    assert not (problems["code"] == "missing_tab").sum() - 1  # the ministry's «Цели.xlsx» lacks no tab


def test_check_on_the_command_line_names_the_file_of_each_problem(folder):
    result = cli("check", "--source", str(folder), "--campaign", "amur-2022", "--as-of", "2022-02-22")
    assert_no_traceback(result)
    assert result.returncode == 1  # there are errors
    assert "файл «Прочие.xlsx», лист «Организации», строка 2" in result.stdout
    data = json.loads(cli("summary", "--source", str(folder), "--campaign", "amur-2022", "--as-of", "2022-02-22",
                          "--json").stdout)
    assert data["organisations_joined"] == AMUR_JOINED and data["reach"] == AMUR_REACH
    assert {p["file"] for p in data["problems"]} >= {OTHERS, "г. Белогорск.xlsx"}


def test_the_problems_page_shows_the_file_of_each_problem(folder, monkeypatch):
    at = open_app(monkeypatch, "Проверка данных", env={"CAMPAIGN_ID": "amur-2022", "CAMPAIGN_SOURCE": str(folder),
                                                     "CAMPAIGN_AS_OF": "2022-02-22"})
    tables = [table.value for table in at.table]
    assert tables and all("Файл" in table.columns for table in tables)
    shown = pd.concat(tables)
    assert "г. Белогорск.xlsx" in set(shown["Файл"].map(lambda text: text.replace("\\", "")))
    assert any("Исправьте строки в файлах муниципалитетов (файл указан у каждой проблемы)" in m.value
               for m in at.main.markdown)
    assert any(m.value.endswith("** во всех файлах.") for m in at.main.markdown)


@pytest.mark.parametrize("typed_at_tynda,credited", [("08.02.2022", "г. Тында"), ("21.02.2022", "г. Зея")])
def test_an_organisation_in_two_files_counts_where_it_joined_first_whatever_the_files_names(
        folder, tmp_path, typed_at_tynda, credited):
    """Not the file read first («г. Зея.xlsx» before «г. Тында.xlsx» by name): the earlier joining
    date decides, as the earlier row of one workbook does."""
    copy = tmp_path / "папка"
    shutil.copytree(folder, copy)
    before = report_of(copy)
    frame = before.tabs["organisations"].frame
    school = frame[(frame["_file"] == "г. Зея.xlsx") & (frame["inn"] != "")
                   & (pd.to_datetime(frame["joined_on"]) > "2022-02-08")
                   & (pd.to_datetime(frame["joined_on"]) < "2022-02-21")].iloc[0]
    append_rows(copy / TYNDA, "Организации",
                [[None, school["name"], school["inn"], None, typed_at_tynda, "меморандум подписан",
                  "Иванов Иван Иванович", "директор", "+7 914 123-45-67", None, None]])
    after = report_of(copy)
    assert after.metrics["organisations_joined"] == AMUR_JOINED  # counted once, wherever

    def joined(report, name):
        table = report.municipalities.set_index("name")
        return int(table.loc[name, "organisations_joined"])

    gained = {name: joined(after, name) - joined(before, name) for name in ("г. Зея", "г. Тында")}
    assert gained == {"г. Зея": 0 if credited == "г. Зея" else -1, "г. Тында": 1 if credited == "г. Тында" else 0}
