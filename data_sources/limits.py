"""What a workbook may claim before a cell of it is read: rows, cells, what it unzips to, files.

An .xlsx is a zip of XML: 1.4 MB of it held a million rows (1.25 GB in memory), 7 MB unzipped
to gigabytes and took the server down, and a folder zip of 1.5 GB of zeros was 1.5 MB. What a
file says of itself — the sizes in its zip directory, each sheet's `<dimension ref="A1:K1048576">`,
the number of files of a folder — is checked against `ReadLimits` first, and a file that claims
more is refused with a message that names it and the limit (a `SourceError` of kind
`too_large`): a folder's other files still count, the last good data stays, an upload changes
nothing. The defaults are far above any real campaign (the largest realistic sheet has a few
hundred thousand rows); each campaign may set its own (README: «Limits»).
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from campaign import russian
from campaign.workbook import SourceError

TOO_LARGE = "too_large"
MB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    rows: int = 1_048_576  # of one sheet: Excel's own limit
    cells: int = 30_000_000  # of one workbook: the rows × columns its sheets span (a million rows of 30)
    unzipped_mb: int = 1024  # what one .xlsx, or a zip of a folder, unzips to
    files: int = 1000  # workbooks or .csv files of one folder or zip
    memory_mb: int = 4096  # the address space a large workbook is parsed in (data_sources/parse_apart.py)
    apart_mb: int = 64  # a workbook that unzips to more is parsed apart, within `memory_mb`


DEFAULT_LIMITS = ReadLimits()
SETTINGS = {"rows": "max_rows", "cells": "max_cells", "unzipped_mb": "max_unzipped_mb", "files": "max_files",
            "memory_mb": "max_memory_mb", "apart_mb": "parse_apart_mb"}

# the start of a worksheet's XML holds its <dimension> (Excel, LibreOffice, openpyxl write it first)
_HEAD_BYTES = 4096
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\"")
_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")


def _size(mb: float) -> str:
    """«1,5 ГБ», «730 МБ»."""
    if mb >= 1024:
        return f"{russian.number(round(mb / 1024, 1))} ГБ"
    return f"{russian.number(round(mb))} МБ" if mb >= 1 else "меньше 1 МБ"


def _refused(message: str, setting: str, detail: str = "", unread: str = "файл не прочитан") -> SourceError:
    return SourceError(TOO_LARGE, f"{message} (настройка {setting}): {unread}.", detail=detail)


def check_files(count: int, name: str, limits: ReadLimits = DEFAULT_LIMITS) -> None:
    """A folder (or a zip of one) of `count` files."""
    if count > limits.files:
        raise SourceError(TOO_LARGE, f"В папке {name} {russian.count(count, russian.FILE_FORMS)} — больше предела "
                                     f"{russian.number(limits.files)} (настройка {SETTINGS['files']}): "
                                     "папка не прочитана.")


def check_zip(archive: zipfile.ZipFile, name: str, limits: ReadLimits = DEFAULT_LIMITS,
              members: list[str] | None = None) -> int:
    """What a zip's directory says its files (or its `members`) unzip to, in bytes, within
    `limits.unzipped_mb`."""
    infos = archive.infolist() if members is None else [archive.getinfo(member) for member in members]
    unzipped = sum(info.file_size for info in infos)
    if unzipped > limits.unzipped_mb * MB:
        raise _refused(f"Файл {name} распаковывается в {_size(unzipped / MB)} — больше предела "
                       f"{_size(limits.unzipped_mb)}", SETTINGS["unzipped_mb"], detail=f"{unzipped} bytes")
    return unzipped


def check_xlsx(source: str | Path | IO[bytes], name: str, limits: ReadLimits = DEFAULT_LIMITS) -> int:
    """An .xlsx (a path or a binary file object, left where it was) against `limits`, from its zip
    directory and each sheet's declared dimension; returns what it says it unzips to (bytes).
    Not a zip: nothing to say (the reader says it), 0."""
    position = source.tell() if hasattr(source, "tell") else None
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0
    try:
        unzipped = check_zip(archive, name, limits)
        cells = 0
        sheets = _sheet_names(archive)
        for part in (n for n in archive.namelist() if _SHEET_PART.match(n)):
            with archive.open(part) as stream:
                head = stream.read(_HEAD_BYTES)
            rows, columns = _dimension(head)
            sheet = sheets.get(part, part.rsplit("/", 1)[-1])
            if rows > limits.rows:
                raise _refused(f"В файле {name} на листе «{sheet}» {russian.count(rows, russian.ROW_FORMS)} — больше "
                               f"предела {russian.number(limits.rows)}", SETTINGS["rows"])
            cells += rows * columns
        if cells > limits.cells:
            raise _refused(f"В файле {name} {russian.count(cells, russian.CELL_FORMS)} — больше предела "
                           f"{russian.number(limits.cells)}", SETTINGS["cells"])
        return unzipped
    finally:
        archive.close()
        if position is not None:
            source.seek(position)


def check_grid(sheets: list[tuple[str, int, int]], name: str, limits: ReadLimits = DEFAULT_LIMITS) -> None:
    """A Google Sheet's tabs, each (title, rows, columns) of its grid as the API's metadata says,
    against `limits`, before their values are asked for."""
    cells = 0
    for sheet, rows, columns in sheets:
        if rows > limits.rows:
            raise _refused(f"В таблице {name} на листе «{sheet}» {russian.count(rows, russian.ROW_FORMS)} — больше "
                           f"предела {russian.number(limits.rows)}", SETTINGS["rows"], unread="таблица не прочитана")
        cells += rows * columns
    if cells > limits.cells:
        raise _refused(f"В таблице {name} {russian.count(cells, russian.CELL_FORMS)} — больше предела "
                       f"{russian.number(limits.cells)}", SETTINGS["cells"], unread="таблица не прочитана")


def _dimension(head: bytes) -> tuple[int, int]:
    """(rows, columns) a worksheet's <dimension> spans; (0, 0) when it says none."""
    match = _DIMENSION.search(head)
    if not match:
        return 0, 0
    first_col, first_row, last_col, last_row = (g.decode("ascii") if g else None for g in match.groups())
    last_col, last_row = last_col or first_col, last_row or first_row
    if not last_row:
        return 0, 0
    columns = _column_number(last_col or "A") - _column_number(first_col or "A") + 1
    return int(last_row) - int(first_row or 1) + 1, max(columns, 1)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """The worksheet part -> the sheet's name, where the workbook's own parts say it (best effort:
    a message names «sheet3.xml» otherwise)."""
    try:
        workbook = archive.read("xl/workbook.xml")[:1_000_000].decode("utf-8", "replace")
        relations = archive.read("xl/_rels/workbook.xml.rels")[:1_000_000].decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError):
        return {}
    targets = {m.group(1): m.group(2) for m in re.finditer(r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"',
                                                             relations)}
    targets.update({m.group(2): m.group(1) for m in re.finditer(
        r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', relations)})
    names = {}
    for match in re.finditer(r'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]+)"', workbook):
        target = targets.get(match.group(2), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        names[part] = html.unescape(match.group(1))
    return names

