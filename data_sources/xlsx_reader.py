"""What an .xlsx cell reads as: openpyxl's reading (the reference the fast reader,
data_sources/xlsx_arrow.py, is tested against) and the text a value shows as a sheet shows it."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path
from typing import IO

from campaign.workbook import RawTab

from .base import tab_from_values


def xlsx_tabs_openpyxl(source: str | Path | IO[bytes]) -> list[RawTab]:
    """`xlsx_tabs` with openpyxl: the reference for what every cell reads as."""
    from openpyxl import load_workbook

    workbook = load_workbook(source, read_only=True, data_only=True)
    try:
        tabs = []
        for sheet in workbook.worksheets:
            # Some writers store a wrong <dimension>; read-only mode would clip to it.
            sheet.reset_dimensions()
            values = [trim_row([xlsx_value(v) for v in row]) for row in sheet.iter_rows(values_only=True)]
            tabs.append(tab_from_values(sheet.title, values))
        return tabs
    finally:
        workbook.close()


def xlsx_value(value: object) -> object:
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
