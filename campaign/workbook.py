"""The port every data source implements, owned by the domain: a workbook of raw tabs (the
text of its cells as the sheet holds them), what a source found wrong while reading, where the
workbook came from, and the typed error a source raises. The adapters in `data_sources` build
these; nothing here knows how a sheet is fetched."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Protocol

from campaign.errors import UserFacingError


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
        return self.__dict__.get("text_cells", _built_cells(self.rows))

    def forget_converted_cells(self) -> None:
        """Lets the Arrow copy of the rows go (after the pipeline has read them); rows held as
        columns keep only their columns."""
        self.__dict__.pop("text_cells", None)
        if isinstance(self.rows, ArrowRows) and self.rows.held_columns is not None:
            self.rows.__dict__.pop("cells", None)


class ArrowRows(Sequence):
    """Rows held as Arrow text (an .xlsx as data_sources/xlsx_arrow.py reads it, a tab the
    pipeline made itself by a join), read as the list of lists a source returns, made only when
    first read. The pipeline and the history read such a tab from Arrow directly, never row by
    row: as one list array of the rows' cells (`cells`), or — a sheet read column by column —
    as its columns (`column`, `joined`), the list array then made only when someone asks."""

    def __init__(self, cells=None, *, columns=None, start: int = 0, widths=None) -> None:
        """`cells`: a pyarrow ListArray of text, a list of cells per row. Or `columns`: the
        sheet's columns from its column `start` on (large_string arrays, one cell per row, ""
        for an empty one) and `widths`: each row's number of cells from column A to its last
        non-empty one (a numpy array)."""
        if cells is not None:
            self.__dict__["cells"] = cells
        self.held_columns = columns
        self.start = start
        self.widths = widths

    @cached_property
    def cells(self):
        """The rows as one list array (made from the columns when first asked for)."""
        return rows_of_columns(self.held_columns, self.start, self.widths)

    def built_cells(self):
        """`cells` when they are held or made already, else None (nothing made)."""
        return self.__dict__.get("cells")

    def column(self, position: int):
        """The cells of the sheet's column at `position` (0 is column A), "" where a row has none;
        None for rows held as a list array."""
        import pyarrow as pa

        if self.held_columns is None:
            return None
        at = position - self.start
        if 0 <= at < len(self.held_columns):
            return self.held_columns[at]
        return pa.array([""] * len(self), pa.large_string())

    def joined(self, separator: str):
        """Each row's cells joined by `separator` (a large_string array), made from the columns
        without a list array (the separators a row's trailing empty cells added are cut: what is
        left is checked to be exactly as long as the row's cells and separators); None for rows
        held as a list array."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        if self.held_columns is None:
            return None
        columns = self.held_columns
        gap = pa.scalar(separator, pa.large_string())
        if not len(self) or not columns:
            return pc.binary_join(self.cells, gap)
        parts = [pa.scalar("", pa.large_string())] * self.start + list(columns)
        whole = pc.binary_join_element_wise(*parts, gap) if len(parts) > 1 else parts[0]
        widths = np.asarray(self.widths)
        if (widths == len(parts)).all():
            return whole
        cut = pc.utf8_rtrim(whole, characters=separator)
        cells = sum(pc.sum(pc.binary_length(column)).as_py() or 0 for column in columns)
        if (pc.sum(pc.binary_length(cut)).as_py() or 0) != cells + int(np.maximum(widths - 1, 0).sum()):
            return pc.binary_join(self.cells, gap)  # a last cell ending with the separator: exact
        return cut

    @cached_property
    def _rows(self) -> list[list[str]]:
        return self.cells.to_pylist()

    def __len__(self) -> int:
        return len(self.widths) if self.held_columns is not None else len(self.cells)

    def __getitem__(self, index):
        return self._rows[index]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)


BLOCK_ROWS = 100_000  # rows put together at a time (bounds the index arrays for a million rows)


def rows_of_columns(columns, start: int, widths):
    """Text columns (from the sheet's column `start` on) as a list array of rows, each row its
    first `widths[i]` cells from column A."""
    import numpy as np
    import pyarrow as pa

    count = len(widths)
    width = len(columns)
    empty = pa.array([""], pa.large_string())
    values = pa.concat_arrays([*columns, empty]) if columns else empty
    empty_at = width * count
    pieces = []
    for first in range(0, count, BLOCK_ROWS):
        rows = np.arange(first, min(count, first + BLOCK_ROWS))
        index = np.full((len(rows), start + width), empty_at, dtype=np.int64)
        index[:, start:] = np.arange(width, dtype=np.int64) * count + rows[:, None]
        inside = np.arange(start + width) < widths[first:first + BLOCK_ROWS, None]
        pieces.append(values.take(pa.array(index[inside])))
    flat = pa.concat_arrays(pieces) if pieces else pa.array([], pa.large_string())
    offsets = np.zeros(count + 1, dtype=np.int32)
    np.cumsum(widths, out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), flat)


def _held_cells(rows):
    """The Arrow array of rows held as Arrow (`ArrowRows.cells`, made if need be), else None."""
    return rows.cells if isinstance(rows, ArrowRows) else None


def _built_cells(rows):
    return rows.built_cells() if isinstance(rows, ArrowRows) else None


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


class SourceError(UserFacingError):
    """A source could not be read. `message` is Russian and tells a coordinator what to do; `kind`
    (the error's reason) is one of `campaign.errors.SOURCE_REASONS`."""

    def __init__(self, kind: str, message: str, *, detail: str = "") -> None:
        super().__init__(message, reason=kind, detail=detail)
        self.kind = kind


class Source(Protocol):
    def read(self) -> Workbook: ...
