"""The kinds of column a campaign file may declare (`type = "date"`): one record per type.

A record says everything the product does with a column of its type: how its cells are read
(`read`, from campaign/cells.py), the problem a cell it cannot read becomes (`invalid`, from the
catalogue in campaign/problem_codes.py), what a coordinator is told to type and which values
are allowed (the sheet's «Инструкция» and header notes), the input check of a new sheet, and
the empty column of a tab with no rows. A new type is a reader, a problem code and a record
here; tests/unit/test_column_types.py runs every record through every use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import pandas as pd

from campaign import cells
from campaign import problem_codes as codes
from campaign.cells import Choice
from campaign.problem_codes import ProblemCode
from campaign.russian import MUNICIPALITY_FORMS, count, day


class ColumnSpec(Protocol):
    """What a record reads of a column (campaign.spec.ColumnSpec, a frozen dataclass that imports
    this module): read-only, as the dataclass's fields are."""

    @property
    def type(self) -> str: ...
    @property
    def yes_no(self) -> bool: ...
    @property
    def hint(self) -> str: ...
    @property
    def choices(self) -> tuple[Choice, ...]: ...
    @property
    def default(self) -> str | None: ...
    @property
    def in_window(self) -> bool: ...
    @property
    def unknown_code(self) -> str | None: ...
    @property
    def unknown_severity(self) -> str | None: ...


Reader = Callable[[pd.Series, ColumnSpec], tuple[pd.Series, pd.Series]]

DATE_FORMAT_TEXT = "Дата в виде ДД.ММ.ГГГГ"
NUMBER_TEXT = "Целое число не меньше 0, только цифры, например 150"
YES, NO = "да", "нет"
# «—», «-» or «–» alone is how a Russian table says «no figure»: an empty number cell
NO_FIGURE = ("-", "—", "–", "−")


@dataclass(frozen=True)
class Window:
    """What the texts about a column may name: the campaign's days and region."""

    start: date
    end: date
    region_genitive: str = ""
    municipalities: int = 0


@dataclass(frozen=True)
class ColumnType:
    name: str  # as a campaign file writes it
    # the cells as values and a mask of the non-empty cells not read; None: the text as typed
    # (a municipality is read by the tab reader, against the region's registry)
    read: Reader | None
    invalid: ProblemCode | None  # a cell `read` cannot read (a choice column may name its own code)
    to_type: Callable[[ColumnSpec, Window], str]  # what a coordinator types, in a few words
    allowed: Callable[[ColumnSpec, Window], str] = lambda column, window: ""  # «Допустимые значения»
    check: str | None = None  # the input check of a new sheet: "list", "date" or "number"
    empty_dtype: str = "str"  # the column of a tab with no rows
    blank: tuple[str, ...] = ()  # cells that mean an empty cell
    choice: bool = False  # values from the column's choices; what was typed is kept beside a mismatch
    width: int | None = None  # characters in a new sheet; None: from the header

    def empty(self, column: ColumnSpec) -> pd.Series:
        if self.choice:
            return pd.Series(pd.Categorical([], categories=choice_categories(column)))
        return pd.Series(dtype=self.empty_dtype)


def choice_categories(column: ColumnSpec) -> list[str]:
    """The categories of a choice column: "" (empty, or not recognised) and its values."""
    return ["", *dict.fromkeys(choice.value for choice in column.choices)]


def _read_choices(text: pd.Series, column: ColumnSpec) -> tuple[pd.Series, pd.Series]:
    return cells.read_choices(text, column.choices, column.default)


def _only(reader: Callable[[pd.Series], tuple[pd.Series, pd.Series]]) -> Reader:
    return lambda text, column: reader(text)


def _text(column: ColumnSpec, window: Window) -> str:
    return column.hint or "Текст"


def _choice(column: ColumnSpec, window: Window) -> str:
    text = "Значение из списка — выберите в ячейке"
    return text + (f"; пустая ячейка означает «{column.default}»" if column.default else "")


def _choice_values(column: ColumnSpec, window: Window) -> str:
    return "; ".join(choice.value for choice in column.choices)


def _date_window(column: ColumnSpec, window: Window) -> str:
    return f"с {day(window.start)} по {day(window.end)}" if column.in_window else ""


TYPES: dict[str, ColumnType] = {kind.name: kind for kind in (
    ColumnType("text", None, None, _text),
    ColumnType("municipality", None, codes.UNKNOWN_MUNICIPALITY,
               lambda column, window: "Муниципальное образование — выберите из списка в ячейке",
               lambda column, window: f"{count(window.municipalities, MUNICIPALITY_FORMS)} {window.region_genitive}",
               check="list", width=30),
    ColumnType("date", _only(cells.read_dates), codes.INVALID_DATE,
               lambda column, window: f"{DATE_FORMAT_TEXT}, например {day(window.start)}", _date_window,
               check="date", empty_dtype="datetime64[s]"),
    ColumnType("phone", _only(cells.read_phones), codes.INVALID_PHONE,
               lambda column, window: "Номер телефона, например +7 900 123-45-67 или 8 900 123-45-67"),
    ColumnType("inn", _only(cells.read_inns), codes.INVALID_INN,
               lambda column, window: "ИНН: 10 цифр у организации, 12 цифр у индивидуального предпринимателя"),
    ColumnType("link", _only(cells.read_links), codes.INVALID_LINK,
               lambda column, window: "Ссылка, начинающаяся с https://"),
    ColumnType("number", _only(cells.read_numbers), codes.INVALID_NUMBER,
               lambda column, window: NUMBER_TEXT, lambda column, window: "0 и больше",
               check="number", empty_dtype="Int64", blank=NO_FIGURE),
    ColumnType("email", _only(cells.read_emails), codes.INVALID_EMAIL,
               lambda column, window: "Адрес электронной почты, например name@example.ru"),
    ColumnType("choice", _read_choices, codes.UNKNOWN_VALUE, _choice, _choice_values, check="list", choice=True),
    # a choice of «да» / «нет» with the spellings coordinators use (spec.YES_NO_CHOICES)
    ColumnType("yesno", _read_choices, codes.INVALID_YES_NO,
               lambda column, window: f"«{YES}» или «{NO}» — выберите в ячейке", _choice_values,
               check="list", choice=True),
)}


def of(column: ColumnSpec) -> ColumnType:
    """The record of a column's type (a yes/no column is read as a choice: `column.type`)."""
    return TYPES["yesno" if column.yes_no else column.type]


def invalid_problem(column: ColumnSpec) -> ProblemCode | None:
    """The problem a cell of the column that cannot be read becomes: the type's, or the code
    and severity the campaign file names for the column."""
    problem = of(column).invalid
    if problem is not None and (column.unknown_code or column.unknown_severity):
        return problem.named(column.unknown_code or problem.code, column.unknown_severity or problem.severity)
    return problem
