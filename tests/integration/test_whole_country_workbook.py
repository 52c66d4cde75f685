"""One workbook for the whole country with a «Регион» column ([campaigns.<federal id>] source):
each region of the federal campaign reads its own rows of it — the workbook read once for all —
with the row numbers of the shared workbook; a row of no region is named on «Регионы»."""

from __future__ import annotations

import openpyxl
import pytest

from data_sources.config import load_settings, source_of
from data_sources.local_file import LocalFileSource
from data_sources.region_rows import RegionRows, SharedRead, unassigned
from service.reads import ReadService
from tests.integration.test_app_pages import as_shown, open_app

FEDERAL = "moyakhartiya-2022-rf"
HEADER = ["Регион", "Муниципальное образование", "Наименование организации", "Тип организации",
          "Дата присоединения", "Статус"]
ROWS = [  # sheet rows 2…
    ["Хабаровский край", "г. Хабаровск", "Школа № 1", "школа", "15.02.2022", "подписан"],
    ["08", "район имени Лазо", "Школа № 2", "школа", "16.02.2022", "подписан"],
    ["Амурская обл.", "г. Благовещенск", "Школа № 3", "школа", "31.02.2022", "подписан"],  # bad date
    ["Якутия", "г. Якутск", "Школа № 4", "школа", "15.02.2022", "подписан"],
    ["Нарния", "г. Хабаровск", "Школа № 5", "школа", "15.02.2022", "подписан"],
    ["", "г. Благовещенск", "Школа № 6", "школа", "15.02.2022", "подписан"],
]


@pytest.fixture
def whole_country(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Организации"
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    events = book.create_sheet("Мероприятия")
    events.append(["Регион", "Муниципальное образование", "Вид мероприятия", "Название", "Дата", "Ссылка"])
    events.append(["10", "г. Благовещенск", "конференция", "Конференция", "20.02.2022", "https://vk.com/wall-1_1"])
    path = tmp_path / "вся-россия.xlsx"
    book.save(path)
    secrets = {"campaigns": {FEDERAL: {"source": str(path), "as_of": "2022-03-01", "cache_dir": str(tmp_path)}}}
    return path, secrets


def test_each_region_reads_its_own_rows_with_the_shared_workbooks_row_numbers(whole_country):
    path, secrets = whole_country
    shared = SharedRead(LocalFileSource(path))
    khabarovsk = RegionRows(shared, "08").read()
    amur = RegionRows(shared, "10").read()
    assert shared.reads == 1  # read once for every region
    tabs = {t.title: t for t in khabarovsk.tabs}
    assert tabs["Организации"].row_numbers == [2, 3] and tabs["Мероприятия"].rows == []
    assert [t.row_numbers for t in amur.tabs] == [[4], [2]]
    assert [(u.tab, u.row, u.value) for u in unassigned(shared.read())] == [
        ("Организации", 6, "Нарния"), ("Организации", 7, "")]


def test_a_regions_report_counts_its_rows_and_points_to_the_shared_rows(whole_country):
    _path, secrets = whole_country
    service = ReadService(background=False)
    amur = load_settings({}, secrets, f"{FEDERAL}@10")
    assert amur.region_rows == "10" and amur.history_key[1].endswith("[регион 10]")
    report = service.current(amur).report
    assert report.campaign.region_name == "Амурская область"
    assert report.metrics["events_total"] == 1
    bad = report.problems[report.problems["code"] == "invalid_date"]
    assert list(bad["row"]) == [4]  # the row of the shared workbook
    khabarovsk = service.current(load_settings({}, secrets, f"{FEDERAL}@08")).report
    assert khabarovsk.metrics["organisations_joined"] == 2


def test_a_tab_with_rows_but_no_region_column_is_refused_with_a_russian_message(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Организации"
    book.active.append(HEADER[1:])
    book.active.append(ROWS[0][1:])
    path = tmp_path / "без-региона.xlsx"
    book.save(path)
    settings = load_settings({}, {"campaigns": {FEDERAL: {"source": str(path)}}}, f"{FEDERAL}@08")
    with pytest.raises(Exception, match="на листе «Организации» нет столбца «Регион»"):
        source_of(settings).read()


def test_regions_of_the_whole_country_workbook_and_the_rows_of_no_region(monkeypatch, whole_country):
    _path, secrets = whole_country
    at = open_app(monkeypatch, query={"campaign": FEDERAL}, secrets=secrets)
    assert not at.exception
    shown = at.dataframe[-1].value.set_index("Регион")
    assert shown.loc["Хабаровский край", "Организаций"] == "2 из 20"
    assert shown.loc["Республика Саха (Якутия)", "Организаций"] == "1 из 20"
    assert shown.loc["Курская область", "Состояние"] == "таблица подключена, строк пока нет"
    warning = next(w.value for w in at.warning if "без распознанного региона" in w.value)
    assert as_shown(warning).replace("\u00a0", " ").startswith("В общей таблице регионов 2 строки без распознанного региона — они не учтены "
                                        "ни в одном регионе: лист «Организации», строка 6 («Нарния»); лист "
                                        "«Организации», строка 7 (регион не указан).")
