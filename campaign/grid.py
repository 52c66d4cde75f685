"""The raw rows of a tab as stripped text columns, built straight from the rows into pyarrow.

A source returns rows as lists of text cells (ragged: trailing empty cells dropped). pyarrow
converts the whole list of lists into one list array in C (faster than a pandas DataFrame of
all cells, which also guesses a type per column); each needed column is then one `take` of
the flat cells. Cells that are not text (a caller's own numbers or dates) go the pandas way,
which turns them into text as before.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from campaign.text import strip_series
from campaign.workbook import ArrowRows

# Rows converted at a time: a block's cells are held twice (as rows, then as columns) only
# while that block is read, which bounds the extra memory for a million rows.
BLOCK_ROWS = 100_000


def text_columns(rows: list[list[str]], positions: dict[str, int],
                 lists: pa.ListArray | None = None) -> tuple[dict[str, pd.Series], np.ndarray]:
    """(column id -> stripped text of that column, "" where a row is short or the cell
    missing; the rows kept), for the columns at `positions`. Rows whose every needed cell is
    empty (also only spaces) are left out, like blank rows; the Series keep the positions of
    the kept rows as their index. `lists`: the rows already converted to Arrow (RawTab.text_cells)."""
    wanted = sorted(set(positions.values()))
    if not rows or not wanted:  # no rows, or no needed column: nothing but blank rows
        kept = np.zeros(0, dtype=np.int64)
        return {cid: pd.Series(pd.array([], dtype="str"), index=pd.Index(kept)) for cid in positions}, kept
    if isinstance(rows, ArrowRows) and rows.held_columns is not None:  # read column by column already
        read = _read_columns(rows, wanted)
        return _series(positions, dict(zip(wanted, read[0])), read[1], len(rows))
    pieces: dict[int, list[pa.Array]] = {j: [] for j in wanted}
    kept_parts = []
    # rows converted already are read at once (their cells are held as rows and as Arrow anyway)
    step = BLOCK_ROWS if lists is None else len(rows)
    for first in range(0, len(rows), step):
        block = rows if len(rows) <= step else rows[first:first + step]
        read = _read_block(block, wanted, lists)
        if read is None:
            return _via_pandas(rows, positions)
        for j, cells in zip(wanted, read[0]):
            pieces[j].append(cells)
        kept_parts.append(read[1] + first)
    kept = np.concatenate(kept_parts)
    by_position = {}
    for j in wanted:
        chunks = pieces.pop(j)  # let the blocks' pieces go column by column
        by_position[j] = pa.concat_arrays(chunks) if len(chunks) > 1 else chunks[0]
    return _series(positions, by_position, kept, len(rows))


def _series(positions: dict[str, int], by_position: dict[int, pa.Array], kept: np.ndarray,
            count: int) -> tuple[dict[str, pd.Series], np.ndarray]:
    index = pd.RangeIndex(count) if len(kept) == count else pd.Index(kept)
    return {cid: pd.Series(pd.array(by_position[j], dtype="str"), index=index) for cid, j in positions.items()}, kept


def _read_columns(rows: ArrowRows, wanted: list[int]) -> tuple[list[pa.Array], np.ndarray]:
    """`_read_block` of rows held as columns: the wanted columns stripped, blank rows left out."""
    cells = [_stripped(rows.column(j)) for j in wanted]
    blank = np.ones(len(rows), dtype=bool)
    for column in cells:
        blank &= pc.binary_length(column).to_numpy(zero_copy_only=False) == 0
    if not blank.any():
        return cells, np.arange(len(rows))
    kept = np.flatnonzero(~blank)
    chosen = pa.array(kept)
    return [column.take(chosen) for column in cells], kept


def text_column(rows: list[list[object]], position: int) -> pd.Series:
    """One column of `rows` as stripped text ("" where a row is short), as `text_columns` reads
    it but without leaving out blank rows: the Series' index is the rows' positions."""
    cells = [row[position] if position < len(row) else "" for row in rows]
    try:
        text = pa.array(cells, type=pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # a cell that is not text: as `_via_pandas` reads it
        return strip_series(pd.Series(cells, dtype="str"))
    text = pc.utf8_trim_whitespace(pc.fill_null(text, "") if text.null_count else text)
    return pd.Series(pd.array(text, dtype="str"))


def _stripped(column: pa.Array) -> pa.Array:
    """The cells without leading and trailing whitespace; the column itself when no cell has
    any (the report's frame then shares the read's buffers: no copy of every cell)."""
    if column.null_count:
        column = pc.fill_null(column, "")
    if not len(column):
        return column
    edges = (pc.utf8_slice_codeunits(column, 0, 1), pc.utf8_slice_codeunits(column, -1))
    if not any(pc.any(pc.utf8_is_space(edge)).as_py() for edge in edges):
        return column
    return pc.utf8_trim_whitespace(column)


def _read_block(rows: list[list[str]], wanted: list[int],
                lists: pa.ListArray | None = None) -> tuple[list[pa.Array], np.ndarray] | None:
    """The stripped cells of the `wanted` columns of `rows` (converted already: `lists`) and the
    positions of the rows that are not blank; None when a cell is not text."""
    lists = _as_lists(rows) if lists is None else lists
    if lists is None:
        return None
    offsets = lists.offsets.to_numpy()
    starts, lengths = offsets[:-1], np.diff(offsets)
    cells = lists.values
    del lists  # the cells are copied below: let each copy go as soon as it is used
    cells = pc.utf8_trim_whitespace(pc.fill_null(cells, "") if cells.null_count else cells)
    filled = pc.binary_length(cells).to_numpy() > 0
    # A short row's cell is taken from an empty cell (added when there is none): no nulls.
    empty = np.flatnonzero(~filled)
    if len(empty):
        empty_at = int(empty[0])
    else:
        cells = pa.concat_arrays([cells, pa.array([""], pa.large_string())])
        filled, empty_at = np.append(filled, False), len(filled)
    index = np.empty((len(wanted), len(rows)), dtype=np.int64)  # a row of cell positions per column
    for number, j in enumerate(wanted):
        index[number] = np.where(lengths > j, starts + j, empty_at)
    blank = ~filled[index].any(axis=0)
    kept = np.arange(len(rows))
    if blank.any():
        kept = np.flatnonzero(~blank)
        index = index[:, kept]
    return [cells.take(positions) for positions in index], kept


def _as_lists(rows: list[list[str]]) -> pa.ListArray | None:
    try:
        return pa.array(rows, type=pa.list_(pa.large_string()))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None  # a cell that is not text


def _via_pandas(rows: list[list[object]], positions: dict[str, int]) -> tuple[dict[str, pd.Series], np.ndarray]:
    grid = _grid(rows)
    width = grid.shape[1]
    columns = {}
    for cid, j in positions.items():
        if j < width:
            # Stripping is enough: typed cells are read per distinct value or by their digits,
            # names are compared without spaces, and inner spaces show as typed.
            columns[cid] = strip_series(grid[j])
        else:
            columns[cid] = pd.Series("", index=grid.index, dtype="str")
    if not columns:
        return {}, np.array([], dtype=np.int64)
    blank = np.logical_and.reduce([(values == "").to_numpy() for values in columns.values()])
    if blank.any():
        columns = {cid: values[~blank] for cid, values in columns.items()}
    return columns, np.flatnonzero(~blank)


def _grid(rows: list[list[object]]) -> pd.DataFrame:
    """A DataFrame of ragged rows; pandas pads short rows itself (fast), which pandas 4 will
    stop doing, so padding by hand stays as the fallback."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            return pd.DataFrame(rows, dtype="str")
        except ValueError:
            width = max(map(len, rows))
            padded = [row if len(row) == width else [*row, *([""] * (width - len(row)))] for row in rows]
            return pd.DataFrame(padded, dtype="str")


def rows_from_columns(lists: pa.ListArray, width: int, added: Sequence[pa.Array], present: np.ndarray) -> pa.ListArray:
    """Each row of `lists` made `width` cells long (cut or padded with ""), then the cells of
    `added` (one array per column, one cell per row), "" where `present` is False: the rows of a
    tab with columns appended, as one list array, without a Python row."""
    count = len(lists)
    offsets = lists.offsets.to_numpy()
    starts, lengths = offsets[:-1] - offsets[0], np.diff(offsets)
    values = lists.values.slice(int(offsets[0]), int(offsets[-1] - offsets[0])) if count else lists.values.slice(0, 0)
    values = values.cast(pa.large_string())
    pieces = [values, pa.array([""], pa.large_string()), *(column.cast(pa.large_string()) for column in added)]
    empty_at = len(values)
    index = np.empty((count, width + len(added)), dtype=np.int64)
    for j in range(width):
        index[:, j] = np.where(lengths > j, starts + j, empty_at)
    first = empty_at + 1
    for k in range(len(added)):
        index[:, width + k] = np.where(present, first + np.arange(count), empty_at)
        first += count
    flat = pa.concat_arrays(pieces).take(pa.array(index.ravel()))
    if flat.null_count:
        flat = pc.fill_null(flat, "")
    return pa.ListArray.from_arrays(pa.array(np.arange(0, count * (width + len(added)) + 1, width + len(added),
                                                       dtype=np.int32)), flat)
