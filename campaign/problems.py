"""Problems found in the sheet: one row per problem, with where it is and how to fix it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from campaign.problem_codes import ERROR, ProblemCode
from campaign.workbook import SourceInfo

# `file`: the file a problem is in, for a workbook made of several files ("" otherwise)
COLUMNS = ["file", "tab", "row", "column", "code", "severity", "message", "fix", "municipality_uid", "municipality"]

NO_MUNICIPALITY = "Муниципалитет не указан"
WHOLE_SHEET = "Таблица целиком"  # problems of a whole tab or column


_EMPTY = pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else "str") for c in COLUMNS})


def empty() -> pd.DataFrame:
    return _EMPTY.copy()


class Found:
    """The problems of one tab, gathered check by check and built into one table at the end.

    Most checks find a handful of rows; building a DataFrame for each of them cost more than
    the checks themselves, so a check only records the positions of its rows and its texts.
    """

    def __init__(self, file: str = "") -> None:
        self.file = file  # the file the tab is in, for a workbook made of several files
        self._parts: list[tuple[np.ndarray | None, dict[str, object]]] = []
        self._rows = np.zeros(0, dtype="int64")
        self._uids: pa.Array = pa.array([], pa.large_string())
        self._names: pa.Array = pa.array([], pa.large_string())
        self._files: pa.Array | None = None

    def locate(self, rows: np.ndarray, uids: pa.Array, names: pa.Array, files: pa.Array | None = None) -> None:
        """The sheet row number and the municipality (uid, name) of every row of the tab; `files`:
        each row's file, for the rows of several files read as one tab."""
        self._rows, self._uids, self._names, self._files = rows, uids, names, files

    def at(self, positions: np.ndarray, *, column: str, problem: ProblemCode, tab: str,
           message: Sequence[str] | str, fix: Sequence[str] | str) -> None:
        """Problems for the tab's rows at `positions`; a message or fix per row, or one for all."""
        if len(positions):
            self._parts.append((np.asarray(positions, dtype="int64"), {
                "tab": tab, "column": column, "code": problem.code, "severity": problem.severity,
                "message": message, "fix": fix,
            }))

    def where(self, mask: np.ndarray, **texts) -> None:
        """Problems for the tab's rows where `mask` is true (see `at`)."""
        self.at(np.flatnonzero(mask), **texts)

    def single(self, tab: str, row: int | None, column: str, problem: ProblemCode, message: str, fix: str) -> None:
        """One problem about a whole tab or column (not tied to a municipality)."""
        self._parts.append((None, {
            "tab": tab, "row": row if row is not None else 0, "column": column, "code": problem.code,
            "severity": problem.severity, "message": message, "fix": fix,
        }))  # no municipality: `table` names it WHOLE_SHEET

    def table(self) -> pd.DataFrame:
        if not self._parts:
            return empty()
        sizes = [1 if positions is None else len(positions) for positions, _ in self._parts]
        part = np.repeat(np.arange(len(sizes)), sizes)  # the part each problem comes from
        at = np.concatenate([np.full(1, -1) if positions is None else positions for positions, _ in self._parts])
        single = at < 0
        where = pa.array(at, mask=single)  # a problem of a whole tab points at no row
        row = np.zeros(len(at), dtype="int64")
        row[~single] = self._rows[at[~single]]
        row[single] = [texts["row"] for positions, texts in self._parts if positions is None]
        columns = {"row": row}
        for name in ("tab", "column", "code", "severity"):  # one per part
            columns[name] = pa.array([texts[name] for _, texts in self._parts], pa.large_string()).take(part)
        for name in ("message", "fix"):  # one per part, or one per problem
            values: list[str] = []
            for size, (_, texts) in zip(sizes, self._parts):
                value = texts[name]
                values.extend([value] * size if isinstance(value, str) else value)
            columns[name] = pa.array(values, pa.large_string())
        columns["file"] = (pa.array([self.file] * len(at), pa.large_string()) if self._files is None
                           else pc.fill_null(self._files.take(where), self.file))
        columns["municipality_uid"] = pc.fill_null(self._uids.take(where), "")
        columns["municipality"] = pc.fill_null(self._names.take(where), WHOLE_SHEET)
        return pd.DataFrame({name: columns[name] if name == "row" else pd.array(columns[name], dtype="str")
                             for name in COLUMNS})


def combine(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if not p.empty]
    if not parts:
        return empty()
    return pd.concat(parts, ignore_index=True)


def in_reading_order(frame: pd.DataFrame, tab_order: list[str]) -> pd.DataFrame:
    """By municipality, then tab (in the campaign's order), file, row, errors before warnings."""
    rank = {title: number for number, title in enumerate(tab_order)}
    tab_codes, tabs = pd.factorize(frame["tab"])
    tab_rank = np.array([rank.get(title, -1) for title in tabs], dtype="int64")[tab_codes]
    # np.lexsort is stable and takes the last key first
    order = np.lexsort((_sorted_codes(frame["column"]), (frame["severity"] != ERROR).to_numpy(),
                        frame["row"].to_numpy(), _sorted_codes(frame["file"]), tab_rank,
                        _sorted_codes(frame["municipality"])))
    return frame.take(order).reset_index(drop=True)


def _sorted_codes(values: pd.Series) -> np.ndarray:
    """An integer per row that sorts like the text."""
    return pd.factorize(values, sort=True)[0]


@dataclass(frozen=True)
class DataPlace:
    """Where the municipalities type the campaign's data, in the words a sentence needs."""
    of: str  # «По данным общей таблицы»
    in_: str  # «Исправьте строки в общей таблице»
    where: str  # how a problem's place is given: «лист, строка, столбец»
    asked: str  # what a letter asks: «внести недостающие сведения в общую таблицу и исправить ошибки»
    uploaded: bool = False  # a file the dashboard's administrator uploads: corrected, it is uploaded again


def data_place(source: SourceInfo | None, *, files: bool = False) -> DataPlace:
    """The one answer to «where is the data typed?» for the problems page, the problem list sent
    to coordinators and the reminder letter. `files`: the rows came from several workbooks."""
    kind = source.kind if source is not None else ""
    cell = "лист, строка, столбец"
    if kind == "upload":
        return DataPlace("таблицы", "в файле", cell,
                         "направить администратору дашборда недостающие сведения и исправленные строки",
                         uploaded=True)
    if kind == "folder" or files:
        return DataPlace("файлов муниципалитетов", "в файлах муниципалитетов (файл указан у каждой проблемы)",
                         f"файл, {cell}", "внести недостающие сведения в файл своего муниципалитета и исправить ошибки")
    if source is not None and source.personal_label:
        personal = f"«{source.personal_label}»"
        return DataPlace("общей таблицы", f"в общей таблице, а персональные данные — в книге {personal}", cell,
                         f"внести недостающие сведения в общую таблицу (персональные данные — в книгу {personal}) "
                         "и исправить ошибки")
    return DataPlace("общей таблицы", "в общей таблице", cell,
                     "внести недостающие сведения в общую таблицу и исправить ошибки")


def where_to_fix(source: SourceInfo | None, *, files: bool = False, uploads: bool = False) -> str:
    """What a coordinator does to make a problem go away, said where the problems are listed
    (the place is `data_place`'s). `uploads`: the reader may upload the data (an administrator),
    else someone who may does."""
    place = data_place(source, files=files)
    if place.uploaded and uploads:
        then = ("загрузите его снова («Загрузить таблицу» на боковой панели): проблема исчезнет, как только файл "
                "будет принят")
    elif place.uploaded:
        then = "передайте его администратору дашборда: проблема исчезнет, как только он загрузит исправленный файл"
    else:
        return f"Исправьте строки {place.in_}: через минуту после правки (или по кнопке «Обновить») проблема исчезнет."
    return f"Исправьте строки {place.in_} и {then}."


def all_of_it(files: bool) -> str:
    """Where the problems counted are, after their count: the sheet, or the files of a folder."""
    return "во всех файлах" if files else "по всей таблице"

