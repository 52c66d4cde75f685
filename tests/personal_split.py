"""A demo workbook split the way a compliant deployment keeps it: the shared sheet without any
personal column, and a workbook of the personal columns (with the key columns that join them)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook

from campaign.personal_join import split_positions
from campaign.spec import Campaign

PERSONAL_BOOK = "Персональные данные.xlsx"


def split_personal(demo: Path, shared: Path, personal: Path, campaign: Campaign) -> dict[str, list[str]]:
    """Writes `shared` (every tab, its personal columns left out) and `personal` (for each tab with
    personal columns: its key columns and its personal columns, the rows in the same order).
    Returns tab -> the headers written to the personal workbook."""
    source = load_workbook(demo)
    out_shared, out_personal = Workbook(), Workbook()
    out_shared.remove(out_shared.active)
    out_personal.remove(out_personal.active)
    written = {}
    for sheet in source.worksheets:
        spec = campaign.tab_named(sheet.title)
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        header = [str(cell or "") for cell in rows[0]]
        shared_at, personal_at = split_positions(spec, header) if spec else (list(range(len(header))), [])
        shared_sheet = out_shared.create_sheet(sheet.title)
        for row in rows:
            shared_sheet.append([row[i] if i < len(row) else None for i in shared_at])
        if personal_at:
            personal_sheet = out_personal.create_sheet(sheet.title)
            for row in rows:
                personal_sheet.append([row[i] if i < len(row) else None for i in personal_at])
            written[sheet.title] = [header[i] for i in personal_at]
    out_shared.save(shared)
    out_personal.save(personal)
    return written
