"""Rows held as an .xlsx's columns (`ArrowRows(columns=…)`, data_sources/xlsx_arrow.py) must read
exactly as the same rows held as lists: the pipeline's text columns, the history's joined keys
and digest text, the rows themselves — whatever the leading empty columns, the ragged ends, the
blank and whitespace cells, and cells that hold the history's separators."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from campaign import grid
from campaign.workbook import ArrowRows, RawTab
from history.rows import CELL_END, ROW_END, tab_rows

CELL = st.sampled_from(["", " ", "  г. Зея\u00a0", "г. Тында", "Школа № 1", "a\x1fb", "x\x1e", "2801", "\t"])


def held(columns: list[list[str]], start: int) -> tuple[ArrowRows, list[list[str]]]:
    """(the rows held as columns, the same rows as lists: from column A, trailing empty cells
    dropped — what xlsx_arrow makes of a sheet, whose blank rows are left out before)."""
    count = len(columns[0]) if columns else 0
    rows, widths = [], []
    for i in range(count):
        cells = [""] * start + [column[i] for column in columns]
        while cells and cells[-1] == "":
            cells.pop()
        rows.append(cells)
        widths.append(len(cells))
    arrays = [pa.array(column, pa.large_string()) for column in columns]
    return ArrowRows(columns=arrays, start=start, widths=np.array(widths, dtype=np.int64)), rows


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 4).flatmap(lambda width: st.lists(st.lists(CELL, min_size=width, max_size=width),
                                                        min_size=1, max_size=6)),
       st.integers(0, 2))
def test_rows_held_as_columns_read_as_the_same_rows_held_as_lists(by_row, start):
    columns = [list(column) for column in zip(*by_row)]
    rows, lists = held(columns, start)
    assert list(rows) == lists and len(rows) == len(lists)
    assert rows.cells.to_pylist() == lists
    positions = {f"c{j}": j for j in range(start + len(columns) + 1)}
    from_columns, kept = grid.text_columns(rows, positions)
    from_lists, kept_lists = grid.text_columns(lists, positions)
    assert kept.tolist() == kept_lists.tolist()
    assert {k: v.tolist() for k, v in from_columns.items()} == {k: v.tolist() for k, v in from_lists.items()}
    assert {k: v.index.tolist() for k, v in from_columns.items()} == {k: v.index.tolist() for k, v in from_lists.items()}
    header = ["А"] * (start + len(columns))
    numbers = list(range(2, 2 + len(lists)))
    as_columns, as_lists = (tab_rows(RawTab("Организации", header, r, numbers)) for r in (rows, lists))
    assert as_columns.python_keys() == as_lists.python_keys()
    assert as_columns.text == as_lists.text == ROW_END.join(CELL_END.join(r) for r in lists).encode()
    assert isinstance(as_columns.keys, list) == isinstance(as_lists.keys, list)  # the exact path alike


def test_the_digest_text_is_fed_a_block_at_a_time_as_one_text(monkeypatch):
    import history.rows

    rows, lists = held([[f"Школа № {i}" for i in range(7)], ["" if i % 3 else "2801" for i in range(7)]], 1)
    whole = tab_rows(RawTab("Организации", ["", "А", "Б"], rows, list(range(2, 9)))).text
    monkeypatch.setattr(history.rows, "DIGEST_BLOCK", 3)
    assert tab_rows(RawTab("Организации", ["", "А", "Б"], rows, list(range(2, 9)))).text == whole
    assert whole == ROW_END.join(CELL_END.join(r) for r in lists).encode()


def test_a_read_service_gives_arrow_memory_back_to_the_system():
    from service.reads import ReadService

    ReadService(background=False)
    assert pa.default_memory_pool().backend_name in {"jemalloc", "system"}


def test_the_previous_read_of_columns_is_found_again_from_its_tab_without_holding_its_keys():
    from history.rows import Known

    before, _ = held([["г. Тында", "г. Зея", "г. Тында"], ["Школа № 1", "Лицей", ""]], 0)
    now, _ = held([["г. Зея", "Новая", "г. Тында"], ["Лицей", "строка", ""]], 0)
    tab = RawTab("Организации", ["А", "Б"], before, [2, 3, 4])
    ids = np.array([7, 8, 9], dtype=np.int64)
    known = Known.of(tab_rows(tab), ids, ids, tab)
    assert known.keys is None and known.tab is tab
    assert known.ids_of(tab_rows(RawTab("Организации", ["А", "Б"], now, [2, 3, 4]))).tolist() == [8, -1, 9]
    assert known.python_keys() == ["г. Тында\x1fШкола № 1", "г. Зея\x1fЛицей", "г. Тында"]


def test_separators_are_counted_in_slices_empty_and_short_offset_arrays():
    from history.rows import separator_counts

    text = pa.array(["a\x1fb", "", "\x1e\x1f\x1f", "c"], pa.large_string())
    assert separator_counts(text) == (1, 3)
    assert separator_counts(text.slice(1, 2)) == (1, 2) and separator_counts(text.slice(3)) == (0, 0)
    assert separator_counts(text.slice(1, 1)) == separator_counts(text.slice(0, 0)) == (0, 0)
    assert separator_counts(pa.array(["", ""], pa.large_string())) == (0, 0)
    assert separator_counts(text.cast(pa.string()).slice(2)) == (1, 2)
