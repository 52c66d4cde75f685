"""The port every data source implements: a workbook of raw tabs, and typed errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime, time
from typing import Protocol


@dataclass(frozen=True)
class Defect:
    """Something the source itself found wrong at a row while reading it (an unclosed quote in
    a CSV file): the pipeline reports it like any other problem of that row."""

    row: int
    column: int | None  # the cell's index in the row, None for the whole row
    code: str
    message: str  # with {value}: « «the cell's start…»», or nothing for a column of personal data
    fix: str
    value: str = ""


@dataclass(frozen=True)
class RawTab:
    """One tab as the sheet holds it: the header row and the data rows, all cells as text.

    `row_numbers[i]` is the row number the sheet shows for `rows[i]` (the header is row 1).
    Rows may be ragged (trailing empty cells dropped); fully blank rows may be left out.
    """

    title: str
    header: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    sheet_id: int | None = None
    defects: tuple[Defect, ...] = ()

    @cached_property
    def text_cells(self):
        """The rows as one Arrow list array of text (a list of cells per row), converted once for
        whoever reads them next (the history keys rows with it, the pipeline reads its columns
        from it); None when a cell is not text. Not part of the tab's equality."""
        import pyarrow as pa

        try:
            return pa.array(self.rows, type=pa.list_(pa.large_string()))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return None

    def converted_cells(self):
        """`text_cells` when it was made already (None otherwise, without converting)."""
        return self.__dict__.get("text_cells")

    def forget_converted_cells(self) -> None:
        """Lets the Arrow copy of the rows go (after the pipeline has read them)."""
        self.__dict__.pop("text_cells", None)


@dataclass(frozen=True)
class SourceInfo:
    kind: str  # "file", "google", "link"
    label: str  # what to show the user: a file name or the sheet's title
    url: str | None = None  # the sheet's edit URL, for links to cells


@dataclass(frozen=True)
class Workbook:
    tabs: list[RawTab]
    source: SourceInfo
    read_at: datetime
    requests_made: int = 0
    extra: dict = field(default_factory=dict)

    def tab_titles(self) -> list[str]:
        return [tab.title for tab in self.tabs]


class SourceError(Exception):
    """A source could not be read. `message` is Russian and tells a coordinator what to do."""

    def __init__(self, kind: str, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.kind = kind  # not_found, no_access, quota, network, tab_missing, bad_file, config
        self.message = message
        self.detail = detail


class Source(Protocol):
    def read(self) -> Workbook: ...


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
