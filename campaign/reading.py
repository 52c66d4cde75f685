"""Read one tab of the workbook by its spec: find the columns, parse every cell, report problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from campaign import column_types, problems, russian
from campaign import problem_codes as catalogue
from campaign.cells import arrow_text
from campaign.duplicates import report_duplicates, unique_keys
from campaign.grid import text_columns
from campaign.municipal_files import file_municipality
from campaign.problem_codes import cell_quoted
from campaign.registry import Registry
from campaign.spec import ColumnSpec, TabSpec
from campaign.text import clean, codes_of, label_key, spread, text_codes
from campaign.workbook import RawTab


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class TabData:
    """A tab read by its spec: parsed values by column id, plus `_row`, `_uid`, `_mo`."""

    spec: TabSpec
    title: str | None  # the tab's title in the sheet, None when it is missing
    sheet_id: int | None
    frame: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)  # column id -> header as typed
    letters: dict[str, str] = field(default_factory=dict)  # column id -> sheet column letter
    keys: Sequence[np.ndarray] = field(default_factory=list)  # the unique spec's keys as codes, -1 unknown

    @property
    def present(self) -> bool:
        return self.title is not None

    def column_label(self, column_id: str) -> str:
        return self.headers.get(column_id) or self.spec.column(column_id).name


def find_tab(spec: TabSpec, tabs: list[RawTab]) -> RawTab | None:
    """The workbook's tab for `spec`, matched by name or alias."""
    return next((tab for tab in tabs if spec.is_named(tab.title)), None)


def find_columns(spec: TabSpec, header: list[str]) -> dict[str, int]:
    """Column id -> index in the header; the first of duplicate headers wins."""
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        positions.setdefault(label_key(cell), index)
    found = {}
    for column in spec.columns:
        for label in column.labels:
            if label_key(label) in positions:
                found[column.id] = positions[label_key(label)]
                break
    return found


def _empty_frame(spec: TabSpec) -> pd.DataFrame:
    """A tab with no rows (missing, or only its header), typed like a read one."""
    data: dict[str, pd.Series] = {"_row": pd.Series(dtype="int64")}
    for column in spec.columns:
        data[column.id] = column_types.of(column).empty(column)
    data["_uid"] = pd.Series(dtype="str")
    data["_code"] = pd.Series(dtype="int64")
    data["_mo"] = pd.Series(dtype="str")
    return pd.DataFrame(data)


def _cell_columns(raw: RawTab, positions: dict[str, int], spec: TabSpec) -> tuple[dict[str, pd.Series], np.ndarray]:
    """(every column of the spec as stripped text, "" for empty or a column the sheet lacks;
    the positions of the rows kept). Rows of only empty cells are left out like blank rows.
    A dict, not a DataFrame: no copy to consolidate."""
    columns, kept = text_columns(raw.rows, positions, raw.converted_cells())
    for column in spec.columns:
        if column.id not in columns:
            columns[column.id] = pd.Series(pd.array([""] * len(kept), dtype="str"),
                                           index=_index_of(columns, kept))
    return columns, kept


def _index_of(columns: dict[str, pd.Series], kept: np.ndarray) -> pd.Index:
    if columns:
        return next(iter(columns.values())).index
    return pd.Index(kept)


def find_tabs(spec: TabSpec, tabs: list[RawTab]) -> list[RawTab]:
    """The tabs for `spec`, one per file (a workbook made of several files has one in each): the
    first matched by name or alias in each file. The tabs of personal columns are not among them
    (they are joined to these: campaign/personal_join.py)."""
    found: dict[str, RawTab] = {}
    for tab in tabs:
        if not tab.personal and tab.file not in found and spec.is_named(tab.title):
            found[tab.file] = tab
    return list(found.values())


@dataclass
class _Read:
    """One file's tab read by its spec, before the tabs of several files are put together."""

    frame: pd.DataFrame | None  # None: the tab has no rows
    text: dict[str, pd.Series]
    name_codes: dict[str, np.ndarray]
    found: problems.Found
    title: str
    raw: RawTab
    headers: dict[str, str]
    letters: dict[str, str]


def read_tab(
    spec: TabSpec, tabs: list[RawTab], registry: Registry, window: tuple[date, date], of_what: str = "акции"
) -> tuple[TabData, pd.DataFrame]:
    """The tab of `spec` read, and its problems. In a workbook made of several files (a folder of
    municipal workbooks) the tab of every file is read, and their rows put together: each row
    keeps its file (`_file`) and the row number it has there; a repeated row is found across files."""
    raws = find_tabs(spec, tabs)
    if not raws:  # in no file (a file of a folder that lacks it: campaign/municipal_files.py)
        return TabData(spec, None, None, _empty_frame(spec)), _missing_tab(spec, tabs)
    reads = [_read_raw(spec, raw, registry, window, of_what) for raw in raws]
    first = reads[0]
    if len(reads) == 1 and not first.raw.file:
        frame, text, name_codes, repeated = first.frame, first.text, first.name_codes, first.found
    else:
        frame, text, name_codes = _together(reads)
        repeated = problems.Found()
        if frame is not None:
            repeated.locate(frame["_row"].to_numpy(), arrow_text(frame["_uid"]), arrow_text(frame["_mo"]),
                            files=arrow_text(frame["_file"]))
    if frame is None:
        data = TabData(spec, first.title, first.raw.sheet_id, _empty_frame(spec), first.headers, first.letters)
        return data, problems.combine([r.found.table() for r in reads])
    keys: list[np.ndarray] = []
    if spec.unique is not None:
        keys = unique_keys(frame, text, spec, name_codes)
        report_duplicates(frame, keys, spec, repeated, first.title, first.headers.get(spec.unique.column))
    found = [r.found.table() for r in reads]
    if repeated is not first.found:
        found.append(repeated.table())
    data = TabData(spec, first.title, first.raw.sheet_id, frame, first.headers, first.letters, keys)
    return data, problems.combine(found)


def _missing_tab(spec: TabSpec, tabs: list[RawTab]) -> pd.DataFrame:
    """`missing_tab` for a required tab the workbook lacks."""
    found = problems.Found()
    if spec.required:
        problem = catalogue.MISSING_TAB
        others = ", ".join(f"«{t.title}»" for t in tabs if t.title and not t.personal)
        existing = f" (есть: {others})" if others else "; в таблице нет ни одного листа"
        found.single(spec.name, None, "", problem, problem.message_for(tab=spec.name, existing=existing),
                     problem.fix_for(tab=spec.name))
    return found.table()


def _together(reads: list[_Read]) -> tuple[pd.DataFrame | None, dict[str, pd.Series], dict[str, np.ndarray]]:
    """The rows of each file's tab as one tab: `_file` names each row's file."""
    read = [r for r in reads if r.frame is not None]
    if not read:
        return None, {}, {}
    frame = pd.concat([r.frame for r in read], ignore_index=True)
    frame["_file"] = pd.array(np.repeat([r.raw.file for r in read], [len(r.frame) for r in read]), dtype="str")
    text = {column: pd.concat([r.text[column] for r in read], ignore_index=True) for column in read[0].text}
    name_codes: dict[str, np.ndarray] = {}
    for column in read[0].name_codes:  # each file's codes of typed names, made distinct across files
        parts, base = [], 0
        for r in read:
            codes = r.name_codes[column]
            parts.append(np.where(codes >= 0, codes + base, -1))
            base += int(codes.max(initial=-1)) + 1
        name_codes[column] = np.concatenate(parts)
    return frame, text, name_codes


def _read_raw(spec: TabSpec, raw: RawTab, registry: Registry, window: tuple[date, date], of_what: str) -> _Read:
    """One file's tab: its columns found, every cell read, its problems (but repeated rows)."""
    found = problems.Found(raw.file)
    positions = find_columns(spec, raw.header)
    title = clean_header(raw.title)
    headers = {cid: clean_header(raw.header[i]) for cid, i in positions.items()}
    letters = {cid: column_letter(i) for cid, i in positions.items()}
    _duplicate_headers(found, raw, spec, positions, title)
    for column in spec.columns:
        if column.id not in positions and column.required:
            names = ", ".join(f"«{label}»" for label in column.labels)
            problem = catalogue.MISSING_COLUMN
            found.single(title, 1, column.name, problem, problem.message_for(tab=title, column=column.name),
                         problem.fix_for(labels=names))

    text, kept = _cell_columns(raw, positions, spec) if raw.rows and spec.columns else ({}, None)
    if not text:
        return _Read(None, {}, {}, found, title, raw, headers, letters)

    index = next(iter(text.values())).index
    frame = pd.DataFrame({"_row": np.asarray(raw.row_numbers, dtype="int64")[kept]}, index=index)

    municipality = spec.municipality_column
    shown: dict[str, pd.Series] = {}  # column id -> the municipality as the dashboard shows it
    name_codes: dict[str, np.ndarray] = {}  # column id -> a code per row for the typed name, any case
    if municipality is not None:
        header = (clean_header(raw.header[positions[municipality.id]]) if municipality.id in positions
                  else municipality.name)
        if raw.file and municipality.id in text:  # an empty cell of a municipality's own file: the file's
            text[municipality.id] = _file_municipality(text[municipality.id], raw.file, registry)
        shown[municipality.id], name_codes[municipality.id] = _read_municipalities(
            frame, text[municipality.id], registry, found, title, header)
    else:
        frame["_uid"] = ""
        frame["_code"] = -1
        frame["_mo"] = problems.NO_MUNICIPALITY
        found.locate(frame["_row"].to_numpy(), arrow_text(frame["_uid"]), arrow_text(frame["_mo"]))

    examples = {"date": russian.day(window[0]), "phone": registry.phone_example}
    for column in spec.columns:
        kind = column_types.of(column)
        label = headers.get(column.id, column.name)
        cells_text = text[column.id]
        if kind.blank:
            cells_text = cells_text.where(~cells_text.isin(kind.blank), "")
        if column.required and column.id in positions:
            found.where((cells_text == "").to_numpy(), tab=title, column=label, problem=catalogue.MISSING_VALUE,
                        message=catalogue.MISSING_VALUE.message_for(column=label),
                        fix=catalogue.MISSING_VALUE.fix_for(column=label, hint=_hint(column)))
        if kind.name == "municipality":
            if column.id in shown:
                frame[column.id] = shown[column.id]
            else:
                frame[column.id] = frame["_mo"].where(frame["_uid"] != "", cells_text)
        elif kind.read is None:
            frame[column.id] = cells_text
        else:
            values, invalid = kind.read(cells_text, column)
            frame[column.id] = values
            if kind.choice and invalid.any():  # what was typed, to show beside the problem
                typed = arrow_text(cells_text)
                frame[f"_typed_{column.id}"] = pd.Series(pd.array(pc.if_else(
                    invalid.to_numpy(), typed, pa.scalar("", typed.type)), dtype="str"), index=frame.index)
            allowed = column.hint or ", ".join(c.value for c in column.choices)
            _invalid_cells(found, cells_text, invalid, title, label, column, {**examples, "allowed": allowed})
            if kind.name == "date" and column.in_window:
                _outside_window(found, values, title, label, window, of_what)

    for column in spec.columns:
        if column.required_when and column.id in positions:
            _required_when(found, frame, text[column.id], column, title, headers)

    _source_defects(found, raw, frame, spec, positions, title)
    return _Read(frame, text, name_codes, found, title, raw, headers, letters)


def _file_municipality(names: pd.Series, file: str, registry: Registry) -> pd.Series:
    """A municipal file's municipality column, its empty cells filled from the file's name."""
    empty = names == ""
    if not empty.any():
        return names
    uid = file_municipality(file, registry)
    return names if uid is None else names.where(~empty, registry.name(uid))


def _duplicate_headers(found: problems.Found, raw: RawTab, spec: TabSpec, positions: dict[str, int],
                       tab: str) -> None:
    """A column of the spec whose header appears twice, the second time with data: only the
    first is read, so say so (the second's data would be lost silently)."""
    for column in spec.columns:
        if column.id not in positions:
            continue
        others = [i for i, cell in enumerate(raw.header) if i != positions[column.id] and column.is_named(cell)]
        for index in others:
            if any(index < len(row) and str(row[index]).strip() for row in raw.rows):
                first, second = column_letter(positions[column.id]), column_letter(index)
                header = clean_header(raw.header[index])
                problem = catalogue.DUPLICATE_COLUMN
                found.single(tab, 1, header, problem, problem.message_for(column=header, first=first, second=second),
                             problem.fix_for(first=first, second=second))


def _source_defects(found: problems.Found, raw: RawTab, frame: pd.DataFrame, spec: TabSpec,
                    positions: dict[str, int], tab: str) -> None:
    """What the source found wrong while reading its rows (an unclosed quote), at their rows;
    the cell's text is quoted unless its column holds personal data."""
    if not raw.defects:
        return
    personal = {index for cid, index in positions.items() if spec.column(cid).personal}
    rows = frame["_row"].to_numpy()
    for defect in raw.defects:
        column = clean_header(raw.header[defect.column]) if defect.column is not None and defect.column < len(
            raw.header) else ""
        value = f" «{defect.value}…»" if defect.value and defect.column not in personal else ""
        at = np.flatnonzero(rows == defect.row)
        problem = catalogue.CATALOGUE[defect.code]
        message, fix = problem.message_for(value=value), problem.fix_for()
        if len(at):
            found.at(at[:1], tab=tab, column=column, problem=problem, message=message, fix=fix)
        else:
            found.single(tab, defect.row, column, problem, message, fix)


def _required_when(found: problems.Found, frame: pd.DataFrame, cells_text: pd.Series, column: ColumnSpec,
                   tab: str, headers: dict[str, str]) -> None:
    """An empty cell where the row's choices require it (`required_when`): «incomplete_row»."""
    wanted = (cells_text == "").to_numpy()
    said = []
    for other, values in column.required_when.items():
        if other not in frame:
            return  # the column the rule depends on is missing: that is reported already
        wanted = wanted & frame[other].isin(values).to_numpy()
        said.append(f"«{headers.get(other, other)}» — {' или '.join(f'«{v}»' for v in values)}")
    label = headers.get(column.id, column.name)
    problem = catalogue.INCOMPLETE_ROW
    found.where(wanted, tab=tab, column=label, problem=problem,
                message=problem.message_for(said="; ".join(said), column=label),
                fix=problem.fix_for(column=label, hint=_hint(column)))


def _hint(column: ColumnSpec) -> str:
    """The column's hint as a fix ends with it: «: what to type», or nothing."""
    return f": {column.hint}" if column.hint else ""


def clean_header(header: str) -> str:
    return " ".join(str(header).split())


def _texts(values: pd.Series, positions: np.ndarray) -> list[str]:
    """The cells at `positions` (a few rows of a column) as Python strings."""
    return arrow_text(values).take(positions).to_pylist()


def unresolved_label(name: str) -> str:
    """How problems of a row with an unrecognised municipality are grouped."""
    return f"Не распознан: «{name}»" if name else problems.NO_MUNICIPALITY


def _read_municipalities(
    frame: pd.DataFrame, names: pd.Series, registry: Registry, found: problems.Found, tab: str, label: str
) -> tuple[pd.Series, np.ndarray]:
    """Resolves each distinct name once; returns the column as shown (the registry's name, or
    the text as typed when it does not resolve) and a code per row for the typed name in any
    case (-1 when empty), for duplicate keys."""
    codes, uniques = codes_of(names)
    resolved = [registry.resolve(clean(name)) for name in uniques]
    frame["_uid"] = spread(codes, [r.uid or "" for r in resolved], names.index)
    frame["_code"] = np.array([registry.index(r.uid) for r in resolved], dtype="int64")[codes]
    frame["_mo"] = spread(codes, [registry.name(r.uid) if r.uid else unresolved_label(clean(n))
                                  for n, r in zip(uniques, resolved)], names.index)
    found.locate(frame["_row"].to_numpy(), arrow_text(frame["_uid"]), arrow_text(frame["_mo"]))
    unknown = np.flatnonzero(np.array([r.status == "unknown" for r in resolved], dtype=bool)[codes])
    if len(unknown):
        problem, region = catalogue.UNKNOWN_MUNICIPALITY, registry.region_genitive
        found.at(
            unknown, tab=tab, column=label, problem=problem,
            message=[problem.message_for(value=cell_quoted(uniques[code]), region=region) for code in codes[unknown]],
            fix=[problem.fix_for(suggestions="; ".join(resolved[code].suggestions)) if resolved[code].suggestions
                 else problem.fix_otherwise.format(region=region, value=cell_quoted(uniques[code]))
                 for code in codes[unknown]],
        )
    ambiguous = np.flatnonzero(np.array([r.status == "ambiguous" for r in resolved], dtype=bool)[codes])
    if len(ambiguous):
        problem = catalogue.AMBIGUOUS_MUNICIPALITY
        found.at(
            ambiguous, tab=tab, column=label, problem=problem,
            message=[problem.message_for(value=cell_quoted(uniques[code]),
                                         suggestions="; ".join(resolved[code].suggestions))
                     for code in codes[ambiguous]],
            fix=problem.fix_for(),
        )
    shown = spread(codes, [registry.name(r.uid) if r.uid else name for name, r in zip(uniques, resolved)], names.index)
    lowered = pd.Series(pd.array(pc.utf8_lower(pa.array(uniques, pa.large_string())), dtype="str"))
    return shown, text_codes(lowered)[codes]


def _invalid_cells(found: problems.Found, text: pd.Series, invalid: pd.Series, tab: str, label: str,
                   column: ColumnSpec, examples: dict[str, str]) -> None:
    """The cells of a column its type could not read (`examples`: what a fix may name)."""
    at = np.flatnonzero(invalid.to_numpy())
    problem = column_types.invalid_problem(column)
    if not len(at) or problem is None:
        return
    if column.personal:  # personal data stays out of messages
        message: list[str] | str = problem.message_for(value="", column=label)
    else:
        message = [problem.message_for(value=cell_quoted(value), column=label) for value in _texts(text, at)]
    found.at(at, tab=tab, column=label, problem=problem, message=message, fix=problem.fix_for(**examples))


def _outside_window(found: problems.Found, values: pd.Series, tab: str, label: str,
                    window: tuple[date, date], of_what: str) -> None:
    start, end = pd.Timestamp(window[0]), pd.Timestamp(window[1])
    outside = (values.notna() & ((values < start) | (values > end))).to_numpy()
    at = np.flatnonzero(outside)
    if not len(at):
        return
    shown = values.iloc[at].dt.strftime(russian.DAY_FORMAT).tolist()
    period = f"{russian.day(window[0])}–{russian.day(window[1])}"
    problem = catalogue.DATE_OUTSIDE_CAMPAIGN
    found.at(at, tab=tab, column=label, problem=problem,
             message=[problem.message_for(date=day, of_what=of_what, period=period) for day in shown],
             fix=problem.fix_for())
