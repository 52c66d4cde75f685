"""Read the campaign workbook from a local .xlsx file, a folder of .csv files (one per tab), or a
folder of .xlsx workbooks (one per municipality, as municipalities send them by e-mail)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Iterable

from campaign.problem_codes import UNCLOSED_QUOTE, UNREADABLE_FILE
from campaign.workbook import Defect, RawTab, SourceError, SourceInfo, Workbook

from .base import tab_from_values
from .limits import DEFAULT_LIMITS, MB, ReadLimits, check_files, check_xlsx
from .xlsx_arrow import arrow_tabs
from .xlsx_reader import trim_row, xlsx_tabs_openpyxl  # noqa: F401 - xlsx_tabs_openpyxl: the reference reader, for the tests

XLSX_SUFFIXES = {".xlsx", ".xlsm"}

MSG_NOT_FOUND = "Файл не найден: {path}"
MSG_BAD_XLSX = "Не удалось прочитать файл {name}: он повреждён или это не книга Excel (.xlsx)."
MSG_NO_PERMISSION = "Нет прав на чтение файла {name}."
MSG_OLD_XLS = (
    "Файл {name} в старом формате .xls. Откройте его в Excel и сохраните как «Книга Excel (.xlsx)»."
)
MSG_UNSUPPORTED = "Файл {name} не подходит: нужна книга Excel (.xlsx) или папка с файлами .csv."
MSG_NO_CSV = "В папке {path} нет файлов .csv."
MSG_BAD_CSV = "Не удалось прочитать файл {name}: это не текстовый файл CSV."
MSG_NO_FOLDER_ACCESS = "Нет прав на чтение папки {name}."
MSG_MIXED_FOLDER = ("В папке {name} есть и книги .xlsx, и файлы .csv: нужна папка книг муниципалитетов (.xlsx) "
                    "или папка листов одной таблицы (.csv).")
CSV_FIELD_LIMIT = 10 * 1024 * 1024  # a cell may be long (Python's own limit is 131 072 characters)


class LocalFileSource:
    """An .xlsx workbook (one tab per worksheet), a folder of .csv files (one tab per file, named
    by the file name without .csv) or a folder of .xlsx workbooks (each tab knows its file: the
    pipeline puts the tabs of one name together). A single .csv file is read as one tab."""

    kind = "file"
    waits_on_network = False  # parsed to its end, however long a large sheet takes (resilient.py)

    def __init__(self, path: str | Path, limits: ReadLimits = DEFAULT_LIMITS) -> None:
        self.path = Path(path)
        self.limits = limits

    def read(self) -> Workbook:
        path, limits = self.path, self.limits
        if not path.exists():
            raise SourceError("not_found", MSG_NOT_FOUND.format(path=path.name), detail=str(path))
        if path.is_dir():
            try:
                files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
            except OSError as err:
                raise SourceError("bad_file", MSG_NO_FOLDER_ACCESS.format(name=path.name), detail=repr(err)) from None
            books = [p for p in files if p.suffix.lower() in XLSX_SUFFIXES]
            sheets = [p for p in files if p.suffix.lower() == ".csv"]
            check_files(len(books) + len(sheets), path.name, limits)
            if books and sheets:
                raise SourceError("bad_file", MSG_MIXED_FOLDER.format(name=path.name), detail=str(path))
            if books:
                tabs = [tab for book in books
                        for tab in workbook_of_folder(book.name, lambda book=book: xlsx_tabs(book, limits=limits))]
            elif sheets:
                tabs = [_guarded(p, lambda p=p: csv_tab(p)) for p in sheets]
            else:
                raise SourceError("bad_file", MSG_NO_CSV.format(path=path.name), detail=str(path))
        else:
            suffix = path.suffix.lower()
            if suffix in XLSX_SUFFIXES:
                tabs = _guarded(path, lambda: xlsx_tabs(path, limits=limits))
            elif suffix == ".csv":
                tabs = [_guarded(path, lambda: csv_tab(path))]
            elif suffix == ".xls":
                raise SourceError("bad_file", MSG_OLD_XLS.format(name=path.name))
            else:
                raise SourceError("bad_file", MSG_UNSUPPORTED.format(name=path.name))
        return Workbook(
            tabs=tabs,
            source=SourceInfo(kind="folder" if path.is_dir() else "file", label=path.name, url=None),
            read_at=datetime.now(timezone.utc),
            requests_made=0,
            extra={"path": str(path)},
        )


def workbook_of_folder(name: str, read) -> list[RawTab]:
    """The tabs of one workbook of a folder, each knowing its file; a file that cannot be read is
    a tab of no name that says so (`unreadable_file`): the other municipalities' files still count."""
    try:
        tabs = _guarded(Path(name), read)
    except SourceError as error:
        return [RawTab("", [], [], [], file=name, defects=(Defect(0, None, UNREADABLE_FILE.code, error.message),))]
    return [replace(tab, file=name) for tab in tabs]


def _guarded(path: Path, read):
    try:
        return read()
    except SourceError:
        raise
    except FileNotFoundError:
        raise SourceError("not_found", MSG_NOT_FOUND.format(path=path.name), detail=str(path)) from None
    except PermissionError as err:
        raise SourceError("bad_file", MSG_NO_PERMISSION.format(name=path.name), detail=repr(err)) from None
    except Exception as err:  # noqa: BLE001 - a damaged file: BadZipFile, InvalidFileException,
        # KeyError (missing parts), XML ParseError (a SyntaxError), ValueError, MemoryError …
        raise SourceError("bad_file", (MSG_BAD_CSV if path.suffix.lower() == ".csv" else MSG_BAD_XLSX).format(
            name=path.name), detail=repr(err)) from None


# ------------------------------------------------------------------------- xlsx


def xlsx_tabs(source: str | Path | IO[bytes], *, name: str | None = None,
              limits: ReadLimits = DEFAULT_LIMITS) -> list[RawTab]:
    """Every worksheet of an .xlsx (a path or a binary file object) as a RawTab, read with
    fastexcel (calamine in Rust, straight into Arrow: data_sources/xlsx_arrow.py) once what the
    file claims is within `limits` (data_sources/limits.py; `name` says which file a refusal is of).

    Values only (the cached results of formulas). Row numbers are the sheet's own, even where
    the file leaves rows out; trailing empty cells are dropped. Every cell reads as openpyxl
    reads it (`xlsx_tabs_openpyxl`, kept as the reference the tests compare with)."""
    name = name or (Path(source).name if isinstance(source, (str, Path)) else "таблицы")  # «Файл таблицы …»
    unzipped = check_xlsx(source, name, limits)
    if unzipped > limits.apart_mb * MB:  # large: parsed where a runaway cannot take the server down
        from .parse_apart import tabs_apart

        return tabs_apart(source, name, limits.memory_mb)
    return arrow_tabs(source)


# -------------------------------------------------------------------------- csv


def csv_tab(path: Path) -> RawTab:
    """One .csv file as a tab named by the file stem. UTF-8 with or without BOM (files
    that are not UTF-8 are read as Windows-1251, what Russian Excel writes); the delimiter
    is `;` or `,`, whichever splits the rows consistently. A quote that is never closed does not
    swallow the rest of the file: see `csv_records`."""
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise SourceError("bad_file", MSG_BAD_CSV.format(name=path.name))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1251", errors="replace")
    delimiter = sniff_delimiter(text)
    records, defects = csv_records(text, delimiter)
    return tab_from_values(path.stem, [trim_row(row) for row in records], defects=tuple(defects))


def csv_records(text: str, delimiter: str) -> tuple[list[list[str]], list[Defect]]:
    """The records of a CSV text, and the unclosed quotes found.

    A quoted cell may hold line breaks (an address over two lines). But a cell whose quote is
    never closed takes in every later line up to the next quote: when such a cell holds a line
    that looks like a row of its own (as many delimiters as the header has), the quote is taken
    for a stray one — its line is read with quotes as plain text, reported at its row, and the
    lines after it are read as rows again."""
    csv.field_size_limit(CSV_FIELD_LIMIT)
    lines = io.StringIO(text, newline="").readlines()
    records: list[list[str]] = []
    defects: list[Defect] = []
    width = 0
    start = 0
    while start < len(lines):
        reader = csv.reader(lines[start:], delimiter=delimiter)
        restart, previous_end = None, 0  # lines of `lines[start:]` read before this record
        for record in reader:
            began, previous_end = previous_end, reader.line_num
            if not records:
                width = len(record)
            if width > 1 and _swallowed_rows(record, delimiter, width):
                line = lines[start + began].rstrip("\r\n")
                plain = next(csv.reader([line], delimiter=delimiter, quoting=csv.QUOTE_NONE), [])
                column = next((i for i, cell in enumerate(plain) if '"' in cell), None)
                records.append(plain)
                cell = plain[column] if column is not None else line
                defects.append(Defect(len(records), column, UNCLOSED_QUOTE.code, value=cell.strip().strip('"')[:40]))
                restart = start + began + 1
                break
            records.append(record)
        if restart is None:
            break
        start = restart
    return records, defects


def _swallowed_rows(record: list[str], delimiter: str, width: int) -> bool:
    """Whether a cell of the record spans lines that each look like a row of the table."""
    for cell in record:
        if "\n" in cell:
            inner = cell.split("\n")[1:]
            if any(line.count(delimiter) >= width - 1 for line in inner):
                return True
    return False


def sniff_delimiter(text: str) -> str:
    """`;` or `,`: the one whose rows (the first 50) have as many fields as the header."""
    sample = text[:64_000].splitlines()[:50]
    best, best_score = ";", (-1.0, 0)
    for delimiter in (";", ","):
        widths = [len(row) for row in csv.reader(_nonblank(sample), delimiter=delimiter)]
        if not widths or widths[0] < 2:
            score = (-1.0, 0)
        else:
            score = (sum(w == widths[0] for w in widths) / len(widths), widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _nonblank(lines: Iterable[str]) -> Iterable[str]:
    return (line for line in lines if line.strip())
