"""Text columns straight from raw rows, and the byte-level helper that drops characters.

Both replace slower pandas and regex code; they must give exactly what that code gave.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaign import grid
from campaign.text import drop_characters

DROPPED = "«»\"'“”„.,() \u00a0\u202f\u2009-"
CELL_TEXT = st.text(alphabet=st.sampled_from([*DROPPED, "a", "Я", "ё", "№", "7", "😀", "\u2003", "\t", "€"]),
                    max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(CELL_TEXT, max_size=20), st.text(alphabet=st.sampled_from(list(DROPPED + "€😀")), min_size=1),
       st.integers(0, 3))
def test_drop_characters_removes_exactly_those_characters(values, characters, cut):
    cells = pa.array(values, pa.large_string()).slice(min(cut, len(values)))  # a slice too
    expected = ["".join(c for c in value if c not in characters) for value in values[min(cut, len(values)):]]
    assert drop_characters(cells, characters).to_pylist() == expected
    assert drop_characters(pa.array(values, pa.string()), characters).to_pylist() == [
        "".join(c for c in value if c not in characters) for value in values]


def _by_pandas(rows, positions):
    return grid._via_pandas(rows, positions)


RAGGED = [
    ["  г. Тында ", "Школа № 1", "2801"],
    ["Зейский р-н"],
    [],
    ["", "\u00a0 ", "  "],
    ["Сковородинский район", "", "", "лишняя", "ещё"],
    [None, "Школа № 2", None],
    ["\tМагдагачинский район\n", "«Лицей»"],
]


@pytest.mark.parametrize("converted", [False, True], ids=["rows", "converted"])
@pytest.mark.parametrize("block_rows", [1, 2, 3, 1000])
@pytest.mark.parametrize("positions", [{"mo": 0, "name": 1, "inn": 2}, {"mo": 0, "far": 9}, {"name": 1}, {}])
def test_text_columns_read_like_a_dataframe_of_the_rows(monkeypatch, block_rows, positions, converted):
    """`converted`: the rows converted to Arrow before (by the history), more of them than a block."""
    monkeypatch.setattr(grid, "BLOCK_ROWS", block_rows)
    lists = pa.array(RAGGED, type=pa.list_(pa.large_string())) if converted else None
    columns, kept = grid.text_columns(RAGGED, positions, lists)
    expected, expected_kept = _by_pandas(RAGGED, positions)
    assert kept.tolist() == expected_kept.tolist()
    assert columns.keys() == expected.keys()
    for cid, values in expected.items():
        pd.testing.assert_series_equal(columns[cid], values, check_names=False, check_index_type=False)


def test_cells_that_are_not_text_are_read_as_pandas_writes_them():
    rows = [["г. Тында", 5, 1.5], ["г. Зея", None, "x"]]
    columns, kept = grid.text_columns(rows, {"mo": 0, "n": 1, "f": 2})
    assert kept.tolist() == [0, 1]
    frame = pd.DataFrame(rows, dtype="str").fillna("")
    assert [columns[cid].tolist() for cid in ("mo", "n", "f")] == [frame[j].tolist() for j in range(3)]


def test_the_pipeline_reads_tabs_the_history_converted_that_are_longer_than_a_block(monkeypatch):
    """The history converts a read's rows to Arrow before the pipeline runs (history/rows.py); a
    tab longer than a block was then read against the first block's rows only, and crashed."""
    from datetime import date

    from campaign.pipeline import run
    from campaign.spec import load_campaign
    from data_sources.local_file import LocalFileSource
    from tests.demo_figures import AMUR_JOINED, AMUR_XLSX

    campaign = load_campaign("amur-2022")
    expected = run(LocalFileSource(str(AMUR_XLSX)).read().tabs, campaign, as_of=date(2022, 2, 22))
    tabs = LocalFileSource(str(AMUR_XLSX)).read().tabs
    for tab in tabs:
        assert tab.text_cells is not None  # as the history leaves them
    monkeypatch.setattr(grid, "BLOCK_ROWS", 5)
    report = run(tabs, campaign, as_of=date(2022, 2, 22))
    assert report.metrics["organisations_joined"] == AMUR_JOINED
    assert dict(report.metrics) == dict(expected.metrics)
    pd.testing.assert_frame_equal(report.problems, expected.problems)
