"""The report of a read is shared by every session: its tables refuse every change in place,
and what a page derives from them is its own (campaign/frozen.py, pipeline.read_only)."""

from __future__ import annotations

import copy
import pickle
from dataclasses import FrozenInstanceError
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from campaign.frozen import SharedReportError, frozen_frame, frozen_mapping, frozen_series

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def frame():
    return frozen_frame(pd.DataFrame({"name": ["Зея", "Тында"], "joined": [3, 5], "share": [0.5, 0.25]}))


CHANGES = {
    "a new column": lambda f: f.__setitem__("new", 1),
    "a column replaced": lambda f: f.__setitem__("joined", 0),
    "a column deleted": lambda f: f.__delitem__("joined"),
    "a column inserted": lambda f: f.insert(0, "first", 1),
    "a column popped": lambda f: f.pop("joined"),
    "a cell through .loc": lambda f: f.loc.__setitem__((0, "joined"), 99),
    "a row grown through .loc": lambda f: f.loc.__setitem__(7, ["Свободный", 1, 0.1]),
    "a cell through .iloc": lambda f: f.iloc.__setitem__((0, 1), 99),
    "a cell through .at": lambda f: f.at.__setitem__((0, "joined"), 99),
    "a cell through .iat": lambda f: f.iat.__setitem__((0, 1), 99),
    "columns renamed": lambda f: setattr(f, "columns", ["a", "b", "c"]),
    "the index replaced": lambda f: setattr(f, "index", [5, 6]),
    "a column set as an attribute": lambda f: setattr(f, "joined", [0, 0]),
    "drop(inplace=True)": lambda f: f.drop(columns="joined", inplace=True),
    "rename(inplace=True)": lambda f: f.rename(columns={"joined": "x"}, inplace=True),
    "sort_values(inplace=True)": lambda f: f.sort_values("joined", inplace=True),
    "fillna(inplace=True)": lambda f: f.fillna(0, inplace=True),
    "reset_index(inplace=True)": lambda f: f.reset_index(inplace=True),
    "update": lambda f: f.update(pd.DataFrame({"joined": [0, 0]})),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_frozen_frame_refuses_every_change_in_place(frame, change):
    before = frame.copy()
    with pytest.raises(SharedReportError, match="shared by every session"):
        change(frame)
    pd.testing.assert_frame_equal(frame, before, check_frame_type=False)


def test_a_value_written_into_its_numbers_raises(frame):
    with pytest.raises(ValueError, match="read-only"):
        frame["joined"].to_numpy()[0] = 99
    assert frame["joined"].tolist() == [3, 5]


def test_what_a_page_derives_is_plain_and_its_own(frame):
    derived = {
        "copy": frame.copy(), "shallow copy": frame.copy(deep=False), "columns": frame[["name", "joined"]],
        "rows": frame[frame["joined"] > 3], "loc": frame.loc[:, ["joined"]], "head": frame.head(1),
        "assign": frame.assign(more=1), "merge": frame.merge(frame, on="name"),
    }
    for what, table in derived.items():
        assert type(table) is pd.DataFrame, what
        table["joined"] = 0  # changed freely ...
        table.loc[table.index[0], "share"] = 9.0
    column = frame["joined"]
    assert type(column) is pd.Series
    column.iloc[0] = 100
    total = frame[["joined"]]
    total += 1  # an in-place operator on a derived table changes that table
    assert total["joined"].tolist() == [4, 6]
    assert frame["joined"].tolist() == [3, 5] and frame["share"].tolist() == [0.5, 0.25]  # ... not the report


def test_an_in_place_operator_on_the_frozen_frame_makes_a_new_one():
    numbers = frozen_frame(pd.DataFrame({"a": [1, 2]}))
    name = numbers
    name += 1
    assert type(name) is pd.DataFrame and name["a"].tolist() == [2, 3]
    assert numbers["a"].tolist() == [1, 2]


def test_a_frozen_frame_reads_as_any_frame(frame):
    assert frame.loc[frame["joined"] > 3, "name"].tolist() == ["Тында"]
    assert frame.at[0, "joined"] == 3 and frame.iat[1, 1] == 5
    assert frame.loc(axis=1)["share"].tolist() == [0.5, 0.25]
    assert frame.groupby("name")["joined"].sum().to_dict() == {"Зея": 3, "Тында": 5}
    assert type(pickle.loads(pickle.dumps(frame))) is pd.DataFrame
    assert type(copy.deepcopy(frame)) is pd.DataFrame


def test_a_frozen_series_refuses_changes_in_place():
    mask = frozen_series(pd.Series([True, False], name="counted"))
    for change in (lambda: mask.__setitem__(0, False), lambda: mask.loc.__setitem__(5, True),
                   lambda: mask.iloc.__setitem__(0, False), lambda: setattr(mask, "name", "other"),
                   lambda: mask.fillna(False, inplace=True), lambda: mask.pop(0)):
        with pytest.raises(SharedReportError):
            change()
    assert mask.tolist() == [True, False] and mask.name == "counted"
    assert type(mask & mask) is pd.Series and int(mask.sum()) == 1


def test_a_frozen_mapping_cannot_be_changed_and_is_a_copy():
    source = {"joined": 3}
    metrics = frozen_mapping(source)
    with pytest.raises(TypeError):
        metrics["joined"] = 4  # type: ignore[index]
    source["joined"] = 5
    assert metrics["joined"] == 3 and dict(metrics) == {"joined": 3}


@pytest.fixture(scope="module")
def amur_report():
    from campaign.pipeline import run
    from campaign.spec import load_campaign
    from data_sources.local_file import LocalFileSource

    tabs = LocalFileSource(str(REPO / "data" / "demo" / "amur-2022.xlsx")).read().tabs
    return run(tabs, load_campaign("amur-2022"), as_of=date(2022, 2, 22))


def test_the_report_as_shared_cannot_be_changed(amur_report):
    from campaign.pipeline import read_only

    shared = read_only(amur_report)
    with pytest.raises(FrozenInstanceError):
        shared.municipalities = shared.municipalities.head(1)  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        shared.tabs["organisations"].frame = None  # type: ignore[misc]
    with pytest.raises(TypeError):
        shared.metrics["organisations_joined"] = 0  # type: ignore[index]
    with pytest.raises(TypeError):
        shared.breakdowns[next(iter(shared.breakdowns))]["x"] = 1  # type: ignore[index]
    with pytest.raises(SharedReportError):
        shared.municipalities["extra"] = 1
    with pytest.raises(SharedReportError):
        shared.problems.drop(index=shared.problems.index[:1], inplace=True)
    with pytest.raises(SharedReportError):
        shared.masks["organisations_joined"].iloc[0] = True
    with pytest.raises(SharedReportError):
        next(iter(shared.series.values()))["extra"] = 1
    with pytest.raises(ValueError, match="read-only"):
        shared.tabs["organisations"].keys[0][0] = 7
    assert isinstance(shared.targets, tuple) and isinstance(shared.deadlines, tuple)
    assert dict(shared.metrics) == dict(amur_report.metrics)
    pd.testing.assert_frame_equal(shared.municipalities, amur_report.municipalities, check_frame_type=False)


def test_the_report_as_shared_keeps_what_its_tables_carry_beside_their_data(amur_report):
    """A series' «undated» count (rows counted in the total with no day on the chart) is in its
    `attrs`: pandas' constructor dropped them, and the page's chart ended at 53 with nothing saying
    why the cards said 54."""
    from campaign.burnup import burnup
    from campaign.pipeline import read_only

    shared = read_only(amur_report)
    assert shared.series["organisations_joined"].attrs == {"undated": 1}
    chart = burnup(shared)
    assert (chart.end_figure, chart.end_note) == ("54", "из них 1 без даты — не на графике")
    assert chart.total == shared.metrics["organisations_joined"]
