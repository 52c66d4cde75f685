"""A folder of municipal workbooks made from a demo workbook, as municipalities would send them:
one .xlsx per municipality, named after it, with the campaign's report tabs; the ministry's own
«Цели» in a file of its own; the rows whose municipality is nobody's in «Прочие.xlsx»."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook

from tests.demo_figures import AMUR_MUNICIPALITY, AMUR_XLSX, _text

REPORT_TABS = ("Организации", "Мероприятия", "Конкурс")
OTHERS = "Прочие.xlsx"
QUOTAS = "Цели.xlsx"


def split_by_municipality(folder: Path, demo: Path = AMUR_XLSX, *, leave_empty: bool = True) -> dict[str, int]:
    """Writes the demo's rows into one workbook per municipality (file name: the municipality's
    name as the dashboard shows it); with `leave_empty`, its rows' municipality cells are empty
    (the file's name says it). Returns file name -> rows written."""
    folder.mkdir(parents=True, exist_ok=True)
    source = load_workbook(demo)
    by_file: dict[str, dict[str, list[list]]] = {}
    headers = {title: [cell.value for cell in source[title][1]] for title in REPORT_TABS}
    for title in REPORT_TABS:
        for row in source[title].iter_rows(min_row=2, values_only=True):
            if not any(_text(value) for value in row):
                continue
            name = AMUR_MUNICIPALITY[_text(row[0])]
            file = f"{name}.xlsx" if name else OTHERS
            cells = list(row)
            if name and leave_empty:
                cells[0] = None
            by_file.setdefault(file, {tab: [] for tab in REPORT_TABS})[title].append(cells)
    written = {}
    for file, tabs in by_file.items():
        book = Workbook()
        book.remove(book.active)
        for title in REPORT_TABS:
            sheet = book.create_sheet(title)
            sheet.append(headers[title])
            for cells in tabs[title]:
                sheet.append(cells)
        book.save(folder / file)
        written[file] = sum(len(rows) for rows in tabs.values())
    quotas = Workbook()
    sheet = quotas.active
    sheet.title = "Цели"
    for row in source["Цели"].iter_rows(values_only=True):
        sheet.append(list(row))
    quotas.save(folder / QUOTAS)
    return written


def append_rows(path: Path, title: str, rows: list[list]) -> None:
    """Rows added at the end of a tab of a workbook of the folder."""
    book = load_workbook(path)
    for row in rows:
        book[title].append(row)
    book.save(path)
