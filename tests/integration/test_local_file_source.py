"""LocalFileSource: .xlsx workbooks and folders of .csv files."""

from __future__ import annotations

import re
import time
import zipfile
from datetime import date, datetime
from datetime import time as clock

import pytest
from openpyxl import Workbook as XlsxWorkbook

from campaign.workbook import SourceError
from data_sources.local_file import LocalFileSource

REPO = __import__("pathlib").Path(__file__).resolve().parents[2]


def read_error(src: LocalFileSource) -> SourceError:
    with pytest.raises(SourceError) as info:
        src.read()
    return info.value


# --------------------------------------------------------------------------- xlsx


@pytest.fixture
def xlsx(tmp_path):
    book = XlsxWorkbook()
    orgs = book.active
    orgs.title = "Организации"
    orgs.append(["Муниципальное образование", "ИНН", "Дата присоединения", "Охват", "Доля", "Начало", None])
    orgs.append(["г. Благовещенск", 2801012345, datetime(2024, 2, 15), 1200, 0.1 + 0.2, clock(9, 0), None])
    orgs.append([None, None, None])  # blank (row 3)
    orgs.append([])  # blank (row 4)
    orgs.append(["Зейский р-н", "002801", datetime(2024, 3, 5, 14, 0, 5), 150.0, 1.45, None, True])
    orgs.append(["  ", None])  # whitespace only: blank (row 6)
    orgs.append(["г. Тында", None, date(2024, 1, 9)])
    events = book.create_sheet("Мероприятия")
    events.append(["Муниципальное образование", "Вид мероприятия"])
    events["A4"] = "г. Зея"  # rows 2-3 never written
    events["B4"] = "конференция"
    book.create_sheet("Пусто")
    path = tmp_path / "Кампания 2024.xlsx"
    book.save(path)
    return path


def test_reads_every_worksheet(xlsx):
    workbook = LocalFileSource(xlsx).read()
    assert workbook.tab_titles() == ["Организации", "Мероприятия", "Пусто"]
    orgs, events, empty = workbook.tabs
    assert orgs.header == ["Муниципальное образование", "ИНН", "Дата присоединения", "Охват", "Доля", "Начало"]
    assert orgs.rows == [
        ["г. Благовещенск", "2801012345", "15.02.2024", "1200", "0.3", "09:00"],
        ["Зейский р-н", "002801", "05.03.2024 14:00:05", "150", "1.45", "", "ИСТИНА"],
        ["г. Тында", "", "09.01.2024"],
    ]
    assert orgs.row_numbers == [2, 5, 7]
    assert events.rows == [["г. Зея", "конференция"]] and events.row_numbers == [4]
    assert empty.header == [] and empty.rows == []
    assert workbook.source.kind == "file" and workbook.source.label == "Кампания 2024.xlsx"
    assert workbook.source.url is None and workbook.requests_made == 0


def test_wrong_dimension_in_the_file_does_not_cut_data(xlsx, tmp_path):
    """Some writers store <dimension ref="A1"/>; read-only openpyxl would trust it."""
    broken = tmp_path / "broken-dimension.xlsx"
    with zipfile.ZipFile(xlsx) as source, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1"/>', data)
            target.writestr(item, data)
    orgs = LocalFileSource(broken).read().tabs[0]
    assert len(orgs.header) == 6 and orgs.row_numbers == [2, 5, 7]


def test_big_xlsx_is_quick(tmp_path):
    book = XlsxWorkbook(write_only=True)
    sheet = book.create_sheet("Мероприятия")
    sheet.append([f"Колонка {i}" for i in range(12)])
    for n in range(5000):
        sheet.append([f"МО {n % 40}", n, n * 1.5, datetime(2024, 1, 1 + n % 28), "текст", None, "", n % 7, "x", "y", "z", n])
    path = tmp_path / "big.xlsx"
    book.save(path)
    started = time.monotonic()
    tab = LocalFileSource(path).read().tabs[0]
    assert len(tab.rows) == 5000 and tab.row_numbers[-1] == 5001
    assert tab.rows[3][:4] == ["МО 3", "3", "4.5", "04.01.2024"]
    assert time.monotonic() - started < 3


def test_columns_that_mix_text_with_other_kinds_of_cells_read_as_openpyxl_reads_them(tmp_path):
    """fastexcel reads a column that mixes text with dates, numbers, checkboxes, times or durations
    as text, rendering the other cells its own way («2022-02-15 00:00:00», «true», a number to nine
    decimals): each is read here as openpyxl reads it, asking the cell's kind where the text alone
    cannot tell (a checkbox or the word «true», a time or a duration, a rounded number)."""
    from datetime import timedelta

    from data_sources.local_file import xlsx_tabs, xlsx_tabs_openpyxl

    book = XlsxWorkbook()
    mixed = book.active
    mixed.title = "Смесь"
    mixed.append(["Дата", "ИНН", "Флаг", "Время", "Длительность", "Дата", "Охват", None, "Доля"])
    for row in [
        [datetime(2022, 2, 15), 2801012345, True, clock(9, 0), timedelta(hours=26), "x", 150, None, 0.1 + 0.2],
        ["15.02.2022", "~300", "да", "09:00", "1:00", "y", "true", "z", 1e-7],
        [date(2022, 3, 1), 1e-7, "true", clock(9, 30, 15), timedelta(minutes=5), "", "0.0000001", None, 1.123456789012],
        [datetime(2022, 3, 1, 10, 5), 1.123456789012, False, "утро", "долго", None, "1.123456789", None, 7],
        [None, 0.1 + 0.2, "нет", clock(0, 0), timedelta(0), None, "false", None, -0.5],
        ["нет даты", -12.5, None, None, None, None, "  ", None, 1e16],
    ]:
        mixed.append(row)
    mixed["D2"].number_format = "hh:mm"
    book.create_sheet("Скрытый").append(["a", "b"])
    book["Скрытый"].sheet_state = "hidden"
    header = book.create_sheet("Шапка")
    header.append(["Телефон", "Телефон", None, "Телефон_1", 2022, 1.5, "Телефон"])
    header.append([1, 2, 3, 4, 5, 6, 7])
    path = tmp_path / "смесь.xlsx"
    book.save(path)

    fast, reference = xlsx_tabs(path), xlsx_tabs_openpyxl(path)
    assert fast == reference
    assert fast[0].rows[0][:5] == ["15.02.2022", "2801012345", "ИСТИНА", "09:00", "26:00:00"]
    assert fast[0].rows[2][:7] == ["01.03.2022", "1e-07", "true", "09:30:15", "0:05:00", "", "0.0000001"]
    assert fast[2].header == ["Телефон", "Телефон", "", "Телефон_1", "2022", "1.5", "Телефон"]


def test_what_the_fast_reader_cannot_tell_from_a_column_of_text(tmp_path):
    """The two known limits (README, «Чтение .xlsx»): in a column that also holds text, a text
    typed exactly as fastexcel shows a date reads as that date; a header cell that is a date (not
    text) reads as an empty header. A column of dates alone reads exactly."""
    from data_sources.local_file import xlsx_tabs, xlsx_tabs_openpyxl

    book = XlsxWorkbook()
    sheet = book.active
    sheet.append(["Дата", datetime(2022, 2, 1), "Только даты"])
    sheet.append([datetime(2022, 2, 15), "a", datetime(2022, 2, 15, 10, 30)])
    sheet.append(["2022-02-16 00:00:00", "b", datetime(2022, 2, 16)])
    path = tmp_path / "пределы.xlsx"
    book.save(path)
    fast, reference = xlsx_tabs(path)[0], xlsx_tabs_openpyxl(path)[0]
    assert reference.rows[1][0] == "2022-02-16 00:00:00" and fast.rows[1][0] == "16.02.2022"
    assert reference.header[1] == "01.02.2022" and fast.header[1] == ""
    assert [row[2] for row in fast.rows] == [row[2] for row in reference.rows] == ["15.02.2022 10:30:00", "16.02.2022"]


# ---------------------------------------------------------------------------- csv


def test_folder_of_csv_files(tmp_path):
    folder = tmp_path / "кампания"
    folder.mkdir()
    (folder / "Организации.csv").write_bytes(
        "\ufeffМуниципальное образование;ИНН;Охват\r\n"
        "г. Благовещенск;2801012345;1,5\r\n"
        ";;\r\n"
        "\"Зейский р-н; село\";;\"12,5\"\r\n".encode("utf-8")
    )
    (folder / "Мероприятия.csv").write_text(
        'Муниципальное образование,Название,Охват\n'
        'г. Тында,"Конференция, день 1",150\n'
        'г. Зея,"Две\nстроки",\n'
        'г. Свободный,Радио,~150\n',
        encoding="utf-8",
    )
    (folder / "Цели.csv").write_bytes("МО;Цель\nг. Тында;12\n".encode("cp1251"))  # Russian Excel's CSV
    (folder / "заметки.txt").write_text("не таблица", encoding="utf-8")
    (folder / "~$Организации.csv").write_text("lock", encoding="utf-8")

    workbook = LocalFileSource(folder).read()
    assert workbook.tab_titles() == ["Мероприятия", "Организации", "Цели"]
    events, orgs, goals = workbook.tabs
    assert orgs.header == ["Муниципальное образование", "ИНН", "Охват"]  # BOM gone, `;` found
    assert orgs.rows == [["г. Благовещенск", "2801012345", "1,5"], ["Зейский р-н; село", "", "12,5"]]
    assert orgs.row_numbers == [2, 4]
    assert events.rows == [
        ["г. Тында", "Конференция, день 1", "150"],
        ["г. Зея", "Две\nстроки"],
        ["г. Свободный", "Радио", "~150"],
    ]
    assert events.row_numbers == [2, 3, 4]
    assert goals.rows == [["г. Тында", "12"]]
    assert workbook.source.label == "кампания"


def test_single_csv_file(tmp_path):
    path = tmp_path / "Цели.csv"
    path.write_text("МО,Цель\nг. Тында,12\n", encoding="utf-8-sig")
    assert LocalFileSource(path).read().tabs[0].rows == [["г. Тында", "12"]]


# ------------------------------------------------------------------------- errors


def test_missing_file(tmp_path):
    path = tmp_path / "нет.xlsx"
    error = read_error(LocalFileSource(path))
    assert error.kind == "not_found" and error.message == "Файл не найден: нет.xlsx"  # no folder: it may name a person
    assert error.detail == str(path)


def test_damaged_xlsx(tmp_path):
    path = tmp_path / "Кампания.xlsx"
    path.write_bytes(b"this is not a zip")
    error = read_error(LocalFileSource(path))
    assert error.kind == "bad_file" and "Кампания.xlsx" in error.message and error.detail


def test_old_xls_and_other_files(tmp_path):
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "notes.docx").write_bytes(b"PK")
    assert ".xlsx" in read_error(LocalFileSource(tmp_path / "old.xls")).message
    assert read_error(LocalFileSource(tmp_path / "notes.docx")).kind == "bad_file"


def test_folder_without_csv(tmp_path):
    error = read_error(LocalFileSource(tmp_path))
    assert error.kind == "bad_file" and ".csv" in error.message


def test_the_fast_reader_reads_every_cell_as_openpyxl_does(xlsx, tmp_path):
    """The fast reader (fastexcel, data_sources/xlsx_arrow.py) against the reference (openpyxl),
    on the demos and on a workbook of every kind of cell a coordinator or Google's export leaves."""
    from datetime import timedelta

    from openpyxl import load_workbook

    from data_sources.local_file import xlsx_tabs, xlsx_tabs_openpyxl

    book = load_workbook(xlsx)
    more = book.create_sheet("Всякое")
    more["C3"] = "начало не в A1"  # the used range starts at C3: row and column numbers stay the sheet's
    more["D3"] = timedelta(hours=26, minutes=5)  # a duration
    more["E3"] = "1 200"  # a number typed as text
    more["F3"] = 45000  # a serial date typed as a number
    more["G3"] = 1e-7
    more["H3"] = -12.5
    more["I3"] = False  # a checkbox left unticked
    more["J3"] = "=1+1"  # a formula without a cached value (openpyxl writes none)
    more["C5"] = datetime(2024, 2, 29, 0, 0)
    more["D5"] = "  пробелы  "
    more["E5"] = "строка\nс переносом"
    more["K9"] = "последняя"
    path = tmp_path / "всякое.xlsx"
    book.save(path)
    for workbook in [path, *sorted((REPO / "data" / "demo").glob("*.xlsx"))]:
        assert xlsx_tabs(workbook) == xlsx_tabs_openpyxl(workbook), workbook.name
        with open(workbook, "rb") as stream:  # a file object (the link's export): the same
            assert xlsx_tabs(stream) == xlsx_tabs_openpyxl(workbook)
