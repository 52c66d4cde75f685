"""A read's rows as the history compares them, fast enough that recording a read of 100 000 rows
costs a fraction of the pipeline.

Each row is keyed by its cells joined with a separator — one string, made at C speed — and the
rows of the previous read are found again by Arrow's hashing (`pyarrow.compute.index_in`), not
in a Python dict. A tab where a cell is not text, or holds a separator, takes the slow, exact
path: its keys are Python values (the joined string, or the cells' tuple when joining would be
ambiguous), looked up in a dict.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from campaign.text import utf8_bytes

CELL_END = "\x1f"  # between the cells of a row
ROW_END = "\x1e"  # between the rows of a tab (in the digest's text)

EMPTY_ROW = ROW_END  # the key of a row with no cells: no other key holds ROW_END

Key = str | tuple  # the joined cells, or the cells' tuple (never equal to a string)


def cells_text(cells: list) -> list[str]:
    return [str(cell) for cell in cells]


def row_key(cells: list) -> Key:
    """One row's key: the cells joined when that is unambiguous (no cell holds a separator),
    else their tuple; `EMPTY_ROW` for a row without cells."""
    if not cells:
        return EMPTY_ROW
    cells = cells_text(cells)
    joined = CELL_END.join(cells)
    if joined.count(CELL_END) == len(cells) - 1 and ROW_END not in joined:
        return joined
    return tuple(cells)


def key_cells(key: Key) -> list[str]:
    """The cells a key stands for."""
    if key == EMPTY_ROW:
        return []
    return key.split(CELL_END) if isinstance(key, str) else list(key)


DIGEST_BLOCK = 50_000  # rows joined at a time for the digest's text (bounds the copy)


@dataclass(frozen=True)
class TabRows:
    keys: pa.Array | list  # each row's key: an Arrow string array on the fast path, else a list
    joined: pa.Array | None = None  # the fast path: each row's cells joined ("" for a row without cells)
    slow_text: bytes = b""  # the slow path: the digest's text, made in Python

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def text(self) -> bytes:
        """The rows joined as the content digest hashes them (UTF-8)."""
        return b"".join(bytes(part) for part in self._text_parts())

    def hash_into(self, hasher) -> None:
        """Feeds `text` to `hasher` a block of rows at a time, from the Arrow buffers (no copy of
        the whole text)."""
        for part in self._text_parts():
            hasher.update(part)

    def _text_parts(self):
        if self.joined is None:
            yield self.slow_text
            return
        separator = pa.scalar(ROW_END, pa.large_string())
        for first in range(0, len(self.joined), DIGEST_BLOCK):
            block = self.joined.slice(first, DIGEST_BLOCK)
            whole = pa.LargeListArray.from_arrays(pa.array([0, len(block)], pa.int64()), block)
            buffer = pc.binary_join(whole, separator)[0].as_buffer()
            if first:
                yield ROW_END.encode()
            if buffer is not None and buffer.size:
                yield memoryview(buffer)

    def python_keys(self, positions: np.ndarray | None = None) -> list[Key]:
        """The keys (of the rows at `positions`) as Python values."""
        if isinstance(self.keys, list):
            return self.keys if positions is None else [self.keys[int(i)] for i in positions]
        chosen = self.keys if positions is None else self.keys.take(pa.array(positions, pa.int64()))
        return chosen.to_pylist()


def tab_rows(tab) -> TabRows:
    """The keys and the digest's text of a tab's rows (a RawTab): on the fast path from its Arrow
    cells (the columns of a sheet read column by column, else `RawTab.text_cells`, which the
    pipeline then reads too), else row by row in Python."""
    fast = _joined(tab)
    if fast is not None:
        joined, widths = fast
        # no cell holds a separator: the joined rows hold exactly the separators the joining put in
        if separator_counts(joined) == (0, int(np.maximum(widths - 1, 0).sum())):
            keys = joined
            if not widths.all():
                keys = pc.if_else(pa.array(widths == 0), pa.scalar(EMPTY_ROW, pa.large_string()), joined)
            if (pc.sum(pc.binary_length(keys)).as_py() or 0) < 2**31 - 1:  # compared faster with 32-bit offsets
                keys = keys.cast(pa.string())
            return TabRows(keys, joined)
    rows = tab.rows
    return TabRows([row_key(cells) for cells in rows],
                   slow_text=ROW_END.join(CELL_END.join(cells_text(cells)) for cells in rows).encode("utf-8"))


def separator_counts(text: pa.Array) -> tuple[int, int]:
    """(how many ROW_END, how many CELL_END) the cells of a text array hold, counted in its UTF-8
    bytes a few megabytes at a time."""
    data, _ = utf8_bytes(text)
    rows = cells = 0
    for first in range(0, len(data), 4 << 20):
        part = data[first:first + (4 << 20)]
        rows += int(np.count_nonzero(part == ord(ROW_END)))
        cells += int(np.count_nonzero(part == ord(CELL_END)))
    return rows, cells


def _joined(tab) -> tuple[pa.Array, np.ndarray] | None:
    """(each row's cells joined by CELL_END, each row's number of cells) from Arrow, or None when
    the rows are not all text."""
    rows = tab.rows
    if getattr(rows, "held_columns", None) is not None:
        if any(column.null_count for column in rows.held_columns):
            return None
        return rows.joined(CELL_END), np.asarray(rows.widths)
    lists = tab.text_cells
    if lists is None or not len(lists) or lists.values.null_count:
        return None
    joined = pc.binary_join(lists, pa.scalar(CELL_END, pa.large_string()))
    return joined, pc.list_value_length(lists).to_numpy(zero_copy_only=False)


@dataclass(frozen=True)
class Known:
    """The rows of one tab of the source's previous read, and their ids in the history. Their
    keys are held (`keys`, `table`) or — a read this process made, whose workbook it keeps
    anyway — made again from that read's tab when the next read is compared (`tab`): no second
    copy of every row between reads."""

    ids: np.ndarray  # int64, one per row
    numbers: np.ndarray  # the rows' sheet row numbers, aligned with `ids`
    keys: pa.Array | None = None  # the fast path's keys, aligned with `ids`
    table: dict | None = None  # key -> id, on the slow path
    tab: object = None  # the RawTab whose `tab_rows` are the keys

    def ids_of(self, rows: TabRows) -> np.ndarray:
        """The id of each of `rows` that the previous read had, -1 for the others."""
        found = np.full(len(rows), -1, dtype=np.int64)
        if not len(rows) or not len(self.ids):
            return found
        if self.tab is not None:
            return Known.of(tab_rows(self.tab), self.ids, self.numbers).ids_of(rows)
        if self.keys is not None and not isinstance(rows.keys, list):
            known = self.keys if self.keys.type == rows.keys.type else self.keys.cast(rows.keys.type)
            at = pc.index_in(rows.keys, value_set=known)
            valid = at.is_valid().to_numpy(zero_copy_only=False)
            found[valid] = self.ids[at.drop_null().to_numpy()]
            return found
        table = self.table if self.table is not None else dict(zip(self.python_keys(), self.ids.tolist()))
        get = table.get
        return np.fromiter((get(key, -1) for key in rows.python_keys()), dtype=np.int64, count=len(rows))

    def python_keys(self) -> list[Key]:
        if self.tab is not None:
            return tab_rows(self.tab).python_keys()
        return self.keys.to_pylist() if self.keys is not None else list(self.table)

    @staticmethod
    def of(rows: TabRows, ids: np.ndarray, numbers: np.ndarray, tab=None) -> "Known":
        """`tab`: the RawTab of `rows`, to make them again from when needed (rows held as columns,
        joined again at Arrow speed; rows held as lists keep their keys)."""
        if isinstance(rows.keys, list):
            return Known(ids, numbers, table=dict(zip(rows.keys, ids.tolist())))
        if tab is not None and getattr(tab.rows, "held_columns", None) is not None:
            return Known(ids, numbers, tab=tab)
        return Known(ids, numbers, keys=rows.keys)


NOTHING_KNOWN = Known(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
