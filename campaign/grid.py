"""The raw rows of a tab as stripped text columns, built straight from the rows into pyarrow.

A source returns rows as lists of text cells (ragged: trailing empty cells dropped). pyarrow
converts the whole list of lists into one list array in C (faster than a pandas DataFrame of
all cells, which also guesses a type per column); each needed column is then one `take` of
the flat cells. Cells that are not text (a caller's own numbers or dates) go the pandas way,
which turns them into text as before.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from campaign.text import strip_series


def text_columns(rows: list[list[str]], positions: dict[str, int]) -> tuple[dict[str, pd.Series], np.ndarray]:
    """(column id -> stripped text of that column, "" where a row is short or the cell
    missing; the rows kept), for the columns at `positions`. Rows whose every needed cell is
    empty (also only spaces) are left out, like blank rows; the Series keep the positions of
    the kept rows as their index."""
    lists = _as_lists(rows)
    if lists is None:
        return _via_pandas(rows, positions)
    n = len(rows)
    offsets = lists.offsets.to_numpy()
    starts, lengths = offsets[:-1], np.diff(offsets)
    width = int(lengths.max(initial=0))
    inside = {cid: j for cid, j in positions.items() if j < width}
    wanted = sorted(set(inside.values()))
    if not wanted:  # no needed column in the rows at all: every row is blank
        kept = np.zeros(0, dtype=np.int64)
        return {cid: pd.Series(pd.array([], dtype="str"), index=pd.Index(kept)) for cid in positions}, kept
    cells = lists.values
    del lists  # the cells are copied twice below: let each copy go as soon as it is used
    cells = pc.utf8_trim_whitespace(pc.fill_null(cells, "") if cells.null_count else cells)
    filled = pc.binary_length(cells).to_numpy() > 0
    # A short row's cell is taken from an empty cell (added when there is none): no nulls.
    empty = np.flatnonzero(~filled)
    if len(empty):
        empty_at = int(empty[0])
    else:
        cells, filled, empty_at = pa.concat_arrays([cells, pa.array([""], pa.large_string())]), np.append(filled, False), len(filled)
    js = np.array(wanted, dtype=np.int64)[:, None]
    index = np.where(js < lengths[None, :], starts[None, :] + js, empty_at)  # a row of cells per needed column
    blank = ~filled[index].any(axis=0)
    kept = np.arange(n)
    if blank.any():
        kept = np.flatnonzero(~blank)
        index = index[:, kept]
    size = len(kept)
    taken = cells.take(index.ravel())
    del cells, index
    row_index = pd.RangeIndex(n) if size == n else pd.Index(kept)
    column_of = {j: number for number, j in enumerate(wanted)}
    columns = {}
    for cid, j in positions.items():
        if cid in inside:
            values = taken.slice(column_of[j] * size, size)
        else:
            values = pa.array([""] * size, pa.large_string())
        columns[cid] = pd.Series(pd.array(values, dtype="str"), index=row_index)
    return columns, kept


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
