"""How the history keys a read's rows (history/rows.py): the fast path (Arrow) and the exact slow
path give the same keys, a row of the previous read is found by either, and the digest's text is
the rows joined as before (so the check sums of reads recorded earlier still hold)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from campaign.workbook import RawTab
from history.rows import EMPTY_ROW, NOTHING_KNOWN, Known, key_cells, row_key
from history.rows import tab_rows as rows_of_tab

ROWS = [["г. Тында", "Школа № 1", "2801156557"], ["Зейский район", "Гимназия «Ё»", ""], ["г. Тында", "Школа № 1", "2801156557"]]


def tab_rows(rows):
    return rows_of_tab(RawTab("Организации", ["А", "Б", "В"], rows, list(range(2, 2 + len(rows)))))


def old_text(rows) -> bytes:
    """The digest's text as the history made it before the fast path."""
    return "\x1e".join("\x1f".join(str(cell) for cell in row) for row in rows).encode("utf-8")


def test_plain_rows_take_the_fast_path_with_the_same_keys_and_text():
    rows = tab_rows(ROWS)
    assert isinstance(rows.keys, pa.Array) and rows.python_keys() == [row_key(r) for r in ROWS]
    assert rows.text == old_text(ROWS)


def test_rows_that_would_join_ambiguously_take_the_exact_path():
    tricky = [["a\x1fb"], ["a", "b"], [], [""], ["x\x1ey", "z"], [12, None]]
    for rows in (tricky, tricky[:2], [["x\x1ey"]], [[12, "x"]], [["x", None]]):
        made = tab_rows(rows)
        assert isinstance(made.keys, list)
        assert made.text == old_text(rows)
    keys = tab_rows(tricky[:4]).keys
    assert len(set(keys)) == 4  # «a␟b» in one cell is not «a», «b»; an empty row is not one empty cell
    assert [key_cells(k) for k in keys] == tricky[:4]


def test_an_empty_row_is_not_a_row_of_one_empty_cell_on_either_path():
    fast = tab_rows([[], [""], ["a"]])
    assert not isinstance(fast.keys, list) and fast.text == old_text([[], [""], ["a"]])
    assert fast.python_keys() == [EMPTY_ROW, "", "a"] == [row_key(r) for r in ([], [""], ["a"])]


def test_a_row_of_the_previous_read_is_found_whichever_path_either_read_took():
    before = tab_rows(ROWS)
    ids = np.array([7, 8, 7], dtype=np.int64)
    now = [ROWS[1], ["Новая", "строка", ""], ROWS[0]]
    for known in (Known.of(before, ids, ids), Known(ids, ids, table={row_key(r): i for r, i in zip(ROWS, ids.tolist())})):
        assert known.ids_of(tab_rows(now)).tolist() == [8, -1, 7]
        assert known.ids_of(tab_rows([*now, [5, "число"]])).tolist() == [8, -1, 7, -1]  # the slow path
    assert NOTHING_KNOWN.ids_of(tab_rows(now)).tolist() == [-1, -1, -1]
    assert Known.of(before, ids, ids).ids_of(tab_rows([])).tolist() == []


def test_a_layout_packs_and_unpacks_exactly_also_empty_tabs_and_huge_ids():
    from history.store import pack_layout, unpack_layout

    layout = [{"title": "Организации", "sheet_id": 0, "header": ["А", "Б"], "numbers": [2, 1, 1], "rows": [5, 1, -3]},
              {"title": "Пусто", "sheet_id": None, "header": [], "numbers": [], "rows": []}]
    for tabs in (layout, [{**layout[0], "rows": [2**40, 1, 1]}]):  # ids beyond int32: kept as JSON
        back = unpack_layout(pack_layout(tabs))
        assert [{**t, "numbers": list(t["numbers"]), "rows": list(t["rows"])} for t in back] == tabs
