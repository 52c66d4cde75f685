"""The joined tab of a campaign whose personal columns are kept apart is made as Arrow (no Python
row per row); it must hold exactly the rows the row-by-row way makes, which still serves a tab
with cells that are not text."""

from __future__ import annotations

import numpy as np
import pandas as pd

from campaign.personal_join import _with_columns
from campaign.workbook import ArrowRows, RawTab

HEADER = ["Муниципальное образование", "Наименование организации", "ИНН", ""]
ROWS = [
    ["г. Тында", "Школа № 1", "2801"],  # short: padded
    [],
    ["Зейский р-н", "Лицей", "2802", "", "лишняя ячейка"],  # long: cut to the header
    ["г. Зея", "Школа № 5", "2803", "x"],
]
ADDED = [pd.Series(pd.array(["Иванова", "", "Петров"], dtype="str")),
         pd.Series(pd.array(["8 914 000-00-00", "8 914 111-11-11", ""], dtype="str"))]
CHOSEN = np.array([2, -1, 0, 1])  # the personal row of each row; -1: none


def joined(rows) -> RawTab:
    main = RawTab("Организации", HEADER, rows, [2, 3, 4, 5])
    return _with_columns(main, [*HEADER, "ФИО", "Телефон"], len(HEADER), ADDED, CHOSEN)


def test_the_joined_rows_are_those_made_row_by_row():
    expected = [
        ["г. Тында", "Школа № 1", "2801", "", "Петров", ""],
        ["", "", "", "", "", ""],
        ["Зейский р-н", "Лицей", "2802", "", "Иванова", "8 914 000-00-00"],
        ["г. Зея", "Школа № 5", "2803", "x", "", "8 914 111-11-11"],
    ]
    arrow = joined(ROWS)
    assert isinstance(arrow.rows, ArrowRows) and arrow.converted_cells() is arrow.rows.cells
    assert list(arrow.rows) == expected and arrow.rows == expected
    assert (len(arrow.rows), arrow.rows[2], arrow.rows[1:3]) == (4, expected[2], expected[1:3])
    by_rows = joined([[*row[:2], 2801 + n, *row[3:]] if len(row) > 2 else row for n, row in enumerate(ROWS)])
    assert not isinstance(by_rows.rows, ArrowRows)  # a number in a cell: made row by row
    assert [[str(cell) for cell in row] for row in by_rows.rows] == [
        [*row[:2], str(2801 + n), *row[3:]] if row[2] else row for n, row in enumerate(expected)]


def test_no_personal_rows_at_all_give_empty_cells():
    main = RawTab("Организации", HEADER, ROWS, [2, 3, 4, 5])
    empty = [pd.Series(pd.array([], dtype="str"))]
    tab = _with_columns(main, [*HEADER, "ФИО"], len(HEADER), empty, np.full(4, -1))
    assert [row[-1] for row in tab.rows] == ["", "", "", ""] and all(len(row) == 5 for row in tab.rows)


def test_the_columns_of_a_tab_are_split_into_the_shared_sheet_and_the_personal_workbook():
    from campaign.personal_join import split_positions
    from campaign.spec import load_campaign

    organisations = load_campaign("amur-2022").tab("organisations")
    header = ["Муниципальное образование", "Наименование организации", "ИНН", "ФИО контактного лица",
              "Должность", "Телефон", "Своя заметка"]
    shared, personal = split_positions(organisations, header)
    assert [header[i] for i in shared] == ["Муниципальное образование", "Наименование организации", "ИНН",
                                           "Своя заметка"]
    assert [header[i] for i in personal] == ["Муниципальное образование", "Наименование организации", "ИНН",
                                             "ФИО контактного лица", "Должность", "Телефон"]
    assert split_positions(organisations, header[:3]) == ([0, 1, 2], [])  # no personal column: nothing apart
