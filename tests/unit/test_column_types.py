"""Every column type runs through every use: a campaign file declares it, the reader reads a good
cell and reports a bad one with the type's code, severity, message and fix, a tab with no rows
has the column typed like a read one, and a new sheet tells coordinators what to type and checks
the input. A type added to campaign/column_types.py without one of these fails here."""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from campaign import column_types
from campaign.column_types import TYPES
from campaign.pipeline import run
from campaign.problem_codes import CATALOGUE
from campaign.sheet_layout import plan_sheet
from campaign.spec import COLUMN_TYPES, parse_campaign, read_campaign_data
from campaign.workbook import RawTab

# what a coordinator might type: one cell the type reads, one it cannot (None: it reads anything)
CELLS = {
    "text": ("любой текст", None),
    "municipality": ("г. Благовещенск", "Нарния"),
    "date": ("15.06.2024", "вчера"),
    "phone": ("8 (4162) 22-65-10", "12-34"),
    "inn": ("2801012347", "7707083894"),
    "link": ("https://example.ru/a", "см. сайт"),
    "number": ("1 200", "много"),
    "email": ("name@example.ru", "name@"),
    "choice": ("первый", "третий"),
    "yesno": ("+", "может быть"),
}
EMPTY_CELLS = {"number": "—"}  # a dash alone is no figure


def test_every_type_has_its_cells_here_and_the_loader_accepts_exactly_the_records():
    assert set(CELLS) == set(TYPES) == set(COLUMN_TYPES)


def _campaign():
    """«Заступник» with one more tab: a column of every type, each required."""
    data = copy.deepcopy(read_campaign_data("irkutsk-zastupnik-2024"))
    data["region"] = {"iso": "RU-AMU", "name": "Амурская область", "genitive": "Амурской области"}
    columns = []
    for kind in TYPES:
        column = {"id": f"c_{kind}", "name": f"Столбец {kind}", "type": kind, "required": True}
        if kind == "choice":
            column["choices"] = {"первый": ["1"], "второй": ["2"]}
        columns.append(column)
    data["tabs"].append({"id": "types", "name": "Типы", "required": False, "columns": columns})
    return parse_campaign(data)


CAMPAIGN = _campaign()
TAB = CAMPAIGN.tab("types")
HEADER = [column.name for column in TAB.columns]


def _report(rows: list[list[str]]):
    values = [HEADER, *rows]
    return run([RawTab("Типы", values[0], values[1:], list(range(2, len(values) + 1)))], CAMPAIGN)


@pytest.fixture(scope="module")
def read():
    good = [CELLS[kind][0] for kind in TYPES]
    # row 3: every type's bad cell (the municipality's too, so the row is grouped under it)
    bad = [CELLS[kind][1] if CELLS[kind][1] is not None else CELLS[kind][0] for kind in TYPES]
    empty = [EMPTY_CELLS.get(kind, "") for kind in TYPES]
    return _report([good, bad, empty])


def _problems(report, row):
    table = report.problems
    return table[(table["tab"] == "Типы") & (table["row"] == row)]


def test_a_good_cell_of_every_type_is_read_without_a_problem(read):
    assert _problems(read, 2).empty, _problems(read, 2)[["column", "code", "message"]]


@pytest.mark.parametrize("kind", [kind for kind, (_, bad) in CELLS.items() if bad is not None])
def test_a_bad_cell_of_every_type_is_its_types_problem_with_its_severity_message_and_fix(read, kind):
    column = TAB.column(f"c_{kind}")
    problem = column_types.invalid_problem(column)
    found = _problems(read, 3)
    found = found[found["column"] == column.name]
    assert found["code"].tolist() == [problem.code]
    row = found.iloc[0]
    assert row["severity"] == problem.severity == CATALOGUE[problem.code].severity
    assert CELLS[kind][1] in row["message"]
    assert column.name in row["message"] or kind == "municipality"  # «Муниципалитет «…» не найден…»
    assert row["fix"] and "{" not in row["fix"] and "{" not in row["message"]


@pytest.mark.parametrize("kind", list(TYPES))
def test_an_empty_required_cell_of_every_type_is_missing(read, kind):
    found = _problems(read, 4)
    column = TAB.column(f"c_{kind}").name
    assert found[found["column"] == column]["code"].tolist() == ["missing_value"]


@pytest.mark.parametrize("kind", list(TYPES))
def test_a_tab_with_no_rows_has_every_column_typed_like_a_read_one(read, kind):
    column_id = f"c_{kind}"
    empty = _report([]).tabs["types"].frame[column_id]
    full = read.tabs["types"].frame[column_id]
    assert str(empty.dtype) == str(full.dtype)
    if isinstance(full.dtype, pd.CategoricalDtype):
        assert list(empty.cat.categories) == list(full.cat.categories)


@pytest.mark.parametrize("kind", list(TYPES))
def test_a_new_sheet_says_what_to_type_and_checks_the_input_for_every_type(kind):
    layout = plan_sheet(CAMPAIGN)
    tab = next(tab for tab in layout.tabs if tab.title == "Типы")
    index = HEADER.index(f"Столбец {kind}")
    record = TYPES[kind]
    instruction = next(row.cells for row in layout.instruction if row.style == "row" and row.cells[0] == HEADER[index])
    to_type = instruction[2]
    assert to_type and "{" not in to_type
    assert (to_type == "Текст") == (kind == "text")  # only a plain text column says «Текст»
    checks = {check.column: check.kind for check in tab.checks}
    assert checks.get(index) == record.check
    if record.check is not None:
        assert tab.notes[index].endswith(to_type)
