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

CELL_END = "\x1f"  # between the cells of a row
ROW_END = "\x1e"  # between the rows of a tab (in the digest's text)

Key = str | tuple  # the joined cells, or the cells' tuple (never equal to a string)


def cells_text(cells: list) -> list[str]:
    return [str(cell) for cell in cells]


def row_key(cells: list) -> Key:
    """One row's key: the cells joined when that is unambiguous, else their tuple."""
    cells = cells_text(cells)
    joined = CELL_END.join(cells)
    if cells and joined.count(CELL_END) == len(cells) - 1:
        return joined
    return tuple(cells)


@dataclass(frozen=True)
class TabRows:
    text: bytes  # the rows joined as the content digest hashes them (UTF-8)
    keys: pa.Array | list  # each row's key: an Arrow string array on the fast path, else a list

    def __len__(self) -> int:
        return len(self.keys)

    def python_keys(self, positions: np.ndarray | None = None) -> list[Key]:
        """The keys (of the rows at `positions`) as Python values."""
        if isinstance(self.keys, list):
            return self.keys if positions is None else [self.keys[int(i)] for i in positions]
        chosen = self.keys if positions is None else self.keys.take(pa.array(positions, pa.int64()))
        return chosen.to_pylist()


def tab_rows(rows: list[list]) -> TabRows:
    try:
        text = ROW_END.join(map(CELL_END.join, rows))
    except TypeError:  # a cell that is not text
        return TabRows(ROW_END.join(CELL_END.join(cells_text(cells)) for cells in rows).encode("utf-8"),
                       [row_key(cells) for cells in rows])
    encoded = text.encode("utf-8")
    widths = list(map(len, rows))
    if (rows and 0 not in widths and text.count(CELL_END) == sum(widths) - len(widths)
            and text.count(ROW_END) == len(rows) - 1):
        whole = pa.array([encoded], pa.large_binary()).cast(pa.large_string())
        keys = pc.split_pattern(whole, ROW_END).flatten()
        if len(keys) == len(rows):
            return TabRows(encoded, keys)
    return TabRows(encoded, [row_key(cells) for cells in rows])


@dataclass(frozen=True)
class Known:
    """The rows of one tab of the source's previous read, and their ids in the history."""

    ids: np.ndarray  # int64, one per row
    keys: pa.Array | None = None  # the fast path's keys, aligned with `ids`
    table: dict | None = None  # key -> id, on the slow path

    def ids_of(self, rows: TabRows) -> np.ndarray:
        """The id of each of `rows` that the previous read had, -1 for the others."""
        found = np.full(len(rows), -1, dtype=np.int64)
        if not len(rows) or not len(self.ids):
            return found
        if self.keys is not None and not isinstance(rows.keys, list):
            at = pc.index_in(rows.keys, value_set=self.keys)
            valid = at.is_valid().to_numpy(zero_copy_only=False)
            found[valid] = self.ids[at.drop_null().to_numpy()]
            return found
        table = self.table if self.table is not None else dict(zip(self.python_keys(), self.ids.tolist()))
        get = table.get
        return np.fromiter((get(key, -1) for key in rows.python_keys()), dtype=np.int64, count=len(rows))

    def python_keys(self) -> list[Key]:
        return self.keys.to_pylist() if self.keys is not None else list(self.table)

    @staticmethod
    def of(rows: TabRows, ids: np.ndarray) -> "Known":
        if isinstance(rows.keys, list):
            return Known(ids, table=dict(zip(rows.keys, ids.tolist())))
        return Known(ids, keys=rows.keys)


NOTHING_KNOWN = Known(np.zeros(0, dtype=np.int64))
