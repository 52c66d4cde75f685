"""The .xlsx reader itself: python-calamine (Rust), every cell as openpyxl reads it (openpyxl is
kept as the reference the tests compare with). Used by data_sources/local_file.py in the server's
process, and by data_sources/parse_apart.py in a process of its own for a large workbook."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO

from campaign.workbook import RawTab
from .base import tab_from_values


def calamine_tabs(source: str | Path | IO[bytes]) -> list[RawTab]:
    """Every worksheet as a RawTab: values only (the cached results of formulas), the sheet's own
    row numbers, trailing empty cells dropped (`local_file.xlsx_tabs` checks the file first)."""
    from python_calamine import CalamineWorkbook

    workbook = (CalamineWorkbook.from_path(str(source)) if isinstance(source, (str, Path))
                else CalamineWorkbook.from_filelike(source))
    try:
        tabs = []
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            values = [trim_row([v if type(v) is str else _calamine_value(v) for v in row])  # text as it is
                      for row in sheet.to_python(skip_empty_area=False)]
            while values and not values[-1]:
                values.pop()
            tabs.append(tab_from_values(name, values))
        return tabs
    finally:
        workbook.close()


def _calamine_value(value: object) -> object:
    """What calamine gives as openpyxl gives it: an empty cell None, a date a midnight datetime."""
    if value == "" and isinstance(value, str):
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return _xlsx_value(datetime(value.year, value.month, value.day))
    return _xlsx_value(value)


def xlsx_tabs_openpyxl(source: str | Path | IO[bytes]) -> list[RawTab]:
    """`xlsx_tabs` with openpyxl: the reference for what every cell reads as."""
    from openpyxl import load_workbook

    workbook = load_workbook(source, read_only=True, data_only=True)
    try:
        tabs = []
        for sheet in workbook.worksheets:
            # Some writers store a wrong <dimension>; read-only mode would clip to it.
            sheet.reset_dimensions()
            values = [trim_row([_xlsx_value(v) for v in row]) for row in sheet.iter_rows(values_only=True)]
            tabs.append(tab_from_values(sheet.title, values))
        return tabs
    finally:
        workbook.close()


def _xlsx_value(value: object) -> object:
    """Pre-convert what `cell_text` does not render as a sheet would."""
    if isinstance(value, float) and not value.is_integer():
        return float(format(value, ".15g"))  # 0.30000000000000004 -> 0.3, as a sheet shows it
    if isinstance(value, time):
        return value.strftime("%H:%M:%S") if value.second else value.strftime("%H:%M")
    if isinstance(value, timedelta):  # a duration format, e.g. [h]:mm:ss
        seconds = int(value.total_seconds())
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return value


def trim_row(row: list[object]) -> list[object]:
    end = len(row)
    while end and (row[end - 1] is None or row[end - 1] == ""):
        end -= 1
    return row[:end]
