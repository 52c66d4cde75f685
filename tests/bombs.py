"""Workbooks that claim more than they weigh (issue 27): written part by part with zipfile, in
seconds, so that a test can hand the real thing to every kind of source."""

from __future__ import annotations

import zipfile
from pathlib import Path

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="bin" ContentType="application/octet-stream"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>')
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<dimension ref="A1:{last}"/><sheetData>')
SHEET_TAIL = "</sheetData></worksheet>"
CHUNK = 64 * 1024 * 1024


def _frame(archive: zipfile.ZipFile, title: str) -> None:
    archive.writestr("[Content_Types].xml", CONTENT_TYPES)
    archive.writestr("_rels/.rels", ROOT_RELS)
    archive.writestr("xl/workbook.xml", WORKBOOK.format(title=title))
    archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)


def rows_bomb(path: Path, rows: int, title: str = "Организации") -> Path:
    """An .xlsx whose one sheet has `rows` rows of two cells: a few MB for a million."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _frame(archive, title)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD.format(last=f"B{rows}").encode())
            batch = []
            for number in range(1, rows + 1):
                batch.append(f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>г. Благовещенск</t></is></c>'
                             f'<c r="B{number}"><v>{number}</v></c></row>')
                if len(batch) == 10_000:
                    sheet.write("".join(batch).encode())
                    batch = []
            sheet.write(("".join(batch) + SHEET_TAIL).encode())
    return path


def claimed_rows(path: Path, rows: int, columns: str = "B", title: str = "Организации") -> Path:
    """An .xlsx whose sheet says it spans `rows` rows (its <dimension>) and holds one: what a file
    claims is what is checked before it is read."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _frame(archive, title)
        archive.writestr("xl/worksheets/sheet1.xml", SHEET_HEAD.format(last=f"{columns}{rows}")
                         + '<row r="1"><c r="A1"><v>1</v></c></row>' + SHEET_TAIL)
    return path


def zeros_bomb(path: Path, megabytes: int, title: str = "Организации") -> Path:
    """A small valid .xlsx with a part of `megabytes` MB of zeros beside it (1 GB weighs 1 MB)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        _frame(archive, title)
        archive.writestr("xl/worksheets/sheet1.xml", SHEET_HEAD.format(last="A1")
                         + '<row r="1"><c r="A1"><v>1</v></c></row>' + SHEET_TAIL)
        with archive.open("xl/media/zeros.bin", "w", force_zip64=True) as zeros:
            chunk = bytes(min(CHUNK, megabytes * 1024 * 1024))
            left = megabytes * 1024 * 1024
            while left > 0:
                zeros.write(chunk[:left])
                left -= len(chunk)
    return path
