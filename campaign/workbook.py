"""The port every data source implements, owned by the domain: a workbook of raw tabs (the
text of its cells as the sheet holds them), what a source found wrong while reading, where the
workbook came from, and the typed error a source raises. The adapters in `data_sources` build
these; nothing here knows how a sheet is fetched."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Defect:
    """Something the source itself found wrong at a row while reading it (an unclosed quote in
    a CSV file): the pipeline reports it like any other problem of that row."""

    row: int
    column: int | None  # the cell's index in the row, None for the whole row
    code: str  # of campaign/problem_codes.py, which holds its message and fix
    value: str = ""  # the cell's start, quoted in the message unless its column holds personal data


@dataclass(frozen=True)
class RawTab:
    """One tab as the sheet holds it: the header row and the data rows, all cells as text.

    `row_numbers[i]` is the row number the sheet shows for `rows[i]` (the header is row 1).
    Rows may be ragged (trailing empty cells dropped); fully blank rows may be left out.
    `file`: the file the tab is in, when a workbook is made of several (a folder of municipal
    workbooks, the workbook of personal columns); `personal`: the tab is of the workbook that
    holds a campaign's personal columns apart (joined to the main tabs by the tab's keys).
    """

    title: str
    header: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    sheet_id: int | None = None
    defects: tuple[Defect, ...] = ()
    file: str = ""
    personal: bool = False

    @property
    def place(self) -> str:
        """The tab's name within its workbook: its title, after its file's name when the workbook
        is made of several files («Тында.xlsx › Организации»; the tabs of personal columns are
        always in a file of their own)."""
        return place_of(self.title, self.file)

    @cached_property
    def text_cells(self):
        """The rows as one Arrow list array of text (a list of cells per row), converted once for
        whoever reads them next (the history keys rows with it, the pipeline reads its columns
        from it); None when a cell is not text. Not part of the tab's equality. Rows held as Arrow
        already (`ArrowRows`: an .xlsx, a tab the pipeline made) are that array."""
        import pyarrow as pa

        held = _held_cells(self.rows)
        if held is not None:
            return held

        try:
            return pa.array(self.rows, type=pa.list_(pa.large_string()))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return None

    def converted_cells(self):
        """`text_cells` when it was made already or the rows are held as Arrow (None otherwise,
        without converting)."""
        return self.__dict__.get("text_cells", _held_cells(self.rows))

    def forget_converted_cells(self) -> None:
        """Lets the Arrow copy of the rows go (after the pipeline has read them)."""
        self.__dict__.pop("text_cells", None)


class ArrowRows(Sequence):
    """Rows held as an Arrow list array of text (an .xlsx as data_sources/xlsx_arrow.py reads it,
    a tab the pipeline made itself by a join), read as the list of lists a source returns, made
    only when first read. The pipeline and the history read such a tab's columns from the array
    directly (`RawTab.text_cells`), never row by row."""

    def __init__(self, cells) -> None:  # a pyarrow ListArray of text
        self.cells = cells

    @cached_property
    def _rows(self) -> list[list[str]]:
        return self.cells.to_pylist()

    def __len__(self) -> int:
        return len(self.cells)

    def __getitem__(self, index):
        return self._rows[index]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)


def _held_cells(rows):
    """The Arrow array of rows held as Arrow (`ArrowRows.cells`), else None."""
    return getattr(rows, "cells", None)


PLACE_SEPARATOR = " › "


def place_of(title: str, file: str = "") -> str:
    return f"{file}{PLACE_SEPARATOR}{title}" if file else title


def file_of(place: str) -> str:
    """The file in a `RawTab.place` ("" for a workbook of one file)."""
    return place.rsplit(PLACE_SEPARATOR, 1)[0] if PLACE_SEPARATOR in place else ""


def title_of(place: str) -> str:
    """The tab's title in a `RawTab.place`."""
    return place.rsplit(PLACE_SEPARATOR, 1)[-1] if PLACE_SEPARATOR in place else place


@dataclass(frozen=True)
class SourceInfo:
    kind: str  # "file", "folder", "google", "link", "webdav", "yandex", "upload"
    label: str  # what to show the user: a file name or the sheet's title
    url: str | None = None  # the sheet's edit URL, for links to cells
    personal_label: str = ""  # the workbook the personal columns come from, when kept apart
    by: str = ""  # who uploaded it (an upload), for an administrator


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
        # not_found, no_access, quota, network, server, changed, bad_response, bad_file, config, no_data
        self.kind = kind
        self.message = message
        self.detail = detail


class Source(Protocol):
    def read(self) -> Workbook: ...
