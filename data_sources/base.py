"""What the adapters share to build the port's types (campaign.workbook): a cell's value as the
text a sheet would show, and a tab from a grid of values."""

from __future__ import annotations

from datetime import date, datetime, time

from campaign.workbook import Defect, RawTab


def cell_text(value: object) -> str:
    """Turn a cell value into text the way a sheet would show it (None -> "")."""
    if type(value) is str:  # most cells: at once
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ИСТИНА" if value else "ЛОЖЬ"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == 0:
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M:%S")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def tab_from_values(title: str, values: list[list[object]], sheet_id: int | None = None,
                    defects: tuple[Defect, ...] = ()) -> RawTab:
    """Build a RawTab from a grid of values whose first row is the header (row 1)."""
    if not values:
        return RawTab(title, [], [], [], sheet_id, defects)
    header = [cell_text(v) for v in values[0]]
    rows: list[list[str]] = []
    numbers: list[int] = []
    for index, row in enumerate(values[1:], start=2):
        cells = [cell_text(v) for v in row]
        if any(c.strip() for c in cells):
            rows.append(cells)
            numbers.append(index)
    return RawTab(title, header, rows, numbers, sheet_id, defects)
