"""The .xlsx reader: fastexcel (calamine in Rust, columns straight into Arrow), every cell as the
text openpyxl's value would show (`cell_text`), with no Python object per cell.

fastexcel gives a column of one kind of cell typed (numbers, dates, booleans, durations), and a
column that mixes text with another kind as text, rendering the other cells its own way (a date
«2024-02-15 00:00:00», a number to nine decimals, a checkbox «true»). So:

- a typed column is rendered here, vectorized, as `data_sources.base.cell_text` renders a value;
- in a column of text, a cell rendered as a date is read as that date («15.02.2024»);
- what that rendering cannot tell apart — «true»/«false» (a checkbox, or the word typed), a
  time of day or a duration (both look like a date in January 1900), a number that may have been
  rounded to nine decimals or is written without an exponent (0.0000001) — is asked again for
  those columns only, with the cell's kind (a second parse of the sheet, for a sheet that has such
  cells in a column of text);
- a column whose kinds fastexcel cannot combine (text with durations) is read as text, and its
  date-like cells asked again the same way.

Known limits, within a column that also holds text: a text typed exactly as «2024-02-15 00:00:00»
reads as the date («15.02.2024», which is what it says); a number with more than nine decimals
(a formula's result) reads rounded to nine. A column of one kind is exact.

Rows come as the rendered Arrow columns (`workbook.ArrowRows`): the pipeline reads them as they
are, the history joins each row's cells from them; nothing walks the rows in Python.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from campaign.workbook import ArrowRows, RawTab

from .base import cell_text
from .xlsx_reader import xlsx_value

# A cell rendered by fastexcel from a date (NaiveDateTime's Display), and the forms that need the
# cell's kind to be read exactly.
DATETIME_TEXT = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$"
BEFORE_MARCH_1900 = "1900-03-01"  # earlier «dates» are times of day or durations
# … and every form to look at again: a date, or what needs the cell's kind (a checkbox or the
# word, a number that may have been rounded to nine decimals or is written without an exponent)
NOTEWORTHY = r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?|true|false|-?\d+\.\d{9}|-?0\.0000\d*)$"
ALIAS = re.compile(r"^(.*)_(\d+)$", re.DOTALL)
UNCOMBINABLE = re.compile(r"could not determine dtype for column (.+)$", re.MULTILINE)


def arrow_tabs(source: str | Path | IO[bytes] | bytes) -> list[RawTab]:
    """Every worksheet as a RawTab: values only (the cached results of formulas), the sheet's own
    row numbers (the header is row 1), trailing empty cells dropped, blank rows left out — as
    `xlsx_reader.xlsx_tabs_openpyxl` reads them (the reference the tests compare with)."""
    import fastexcel

    # «Could not determine dtype for column 7, falling back to string»: a column of text, said here
    logging.getLogger("fastexcel").setLevel(logging.ERROR)
    if not isinstance(source, (str, Path, bytes)):
        source = source.read()
    reader = fastexcel.read_excel(source if isinstance(source, bytes) else str(source))
    return [_tab(reader, name) for name in reader.sheet_names]


def _tab(reader, name: str) -> RawTab:
    sheet, as_text = _load(reader, name)
    columns = sheet.selected_columns
    if not columns:
        return RawTab(name, [], [], [])
    batch = sheet.to_arrow()
    start = columns[0].absolute_index  # the range may start right of column A
    rendered, asked = [], {}
    for number, info in enumerate(columns):
        text, unsure = _render(batch.column(number), forced=info.name in as_text)
        rendered.append(text)
        if unsure is not None:
            asked[number] = unsure
    if asked:
        rendered = _ask_again(reader, name, columns, rendered, asked)
    header = _trimmed(_header_names(columns))
    header = [""] * start + header if header else []
    rows, kept = _rows(rendered, start, batch.num_rows)
    return RawTab(name, header, rows, (kept + 2).tolist())


def _load(reader, name: str):
    """The sheet with the header in row 1 and every row after it, a kind per column; a column whose
    kinds fastexcel cannot combine is read as text (said in the second value)."""
    from fastexcel import UnsupportedColumnTypeCombinationError

    as_text: dict[str, str] = {}
    while True:
        try:
            return reader.load_sheet(name, header_row=0, skip_rows=0, schema_sample_rows=None,
                                     dtypes=as_text or None), as_text
        except UnsupportedColumnTypeCombinationError as error:
            found = UNCOMBINABLE.search(str(error))
            if found is None or found.group(1) in as_text:
                raise
            as_text[found.group(1)] = "string"


def _header_names(columns) -> list[str]:
    """The header cells as typed: fastexcel names an empty one «__UNNAMED__n» and a repeated one
    «name_1», «name_2» (after «name», «name_1»): undone here."""
    names, seen = [], set()
    for info in columns:
        name = "" if info.column_name_from == "generated" else info.name
        repeated = ALIAS.match(name)
        if repeated is not None:
            base, depth = repeated.group(1), int(repeated.group(2))
            if base in seen and all(f"{base}_{d}" in seen for d in range(1, depth)):
                name = base
        seen.add(info.name)
        names.append(name)
    return names


def _render(column: pa.Array, forced: bool = False) -> tuple[pa.Array, np.ndarray | None]:
    """(the column as text cells, "" for empty; the positions whose kind must be asked, or None)."""
    kind = column.type
    if pa.types.is_null(kind):
        return pa.array([""] * len(column), pa.large_string()), None
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return _text_column(column.cast(pa.large_string()), forced)
    if pa.types.is_floating(kind):
        return _numbers(column), None
    if pa.types.is_integer(kind):
        return _filled(pc.cast(column, pa.large_string())), None
    if pa.types.is_boolean(kind):
        return _filled(pc.if_else(column, "ИСТИНА", "ЛОЖЬ").cast(pa.large_string())), None
    if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
        return _dates(column.cast(pa.timestamp("ms"))), None
    if pa.types.is_duration(kind):
        return _durations(column), None
    return _filled(pa.array([None if v is None else cell_text(v) for v in column.to_pylist()],
                            pa.large_string())), None


def _filled(text: pa.Array) -> pa.Array:
    return pc.fill_null(text, "") if text.null_count else text


def _text_column(text: pa.Array, forced: bool) -> tuple[pa.Array, np.ndarray | None]:
    text = _filled(text)
    noteworthy = pc.match_substring_regex(text, NOTEWORTHY)
    if not pc.any(noteworthy).as_py():  # most columns: text and whole numbers only
        return text, None
    at = np.flatnonzero(noteworthy.to_numpy(zero_copy_only=False))
    cells = text.take(pa.array(at))
    dated = pc.match_substring_regex(cells, DATETIME_TEXT)
    unsure = pc.or_(pc.invert(dated), pc.less(pc.utf8_slice_codeunits(cells, 0, 10), BEFORE_MARCH_1900))
    if forced:  # a column of text and durations: every date-like cell may be a duration
        unsure = pc.or_(unsure, dated)
    if pc.any(dated).as_py():
        when = pc.strptime(pc.utf8_slice_codeunits(pc.if_else(dated, cells, "1970-01-01 00:00:00"), 0, 19),
                           format="%Y-%m-%d %H:%M:%S", unit="s")
        cells = pc.if_else(dated, _dates(when), cells)
        text = pc.replace_with_mask(text, noteworthy, cells)
    asked = at[unsure.to_numpy(zero_copy_only=False)]
    return text, (asked if len(asked) else None)


def _numbers(column: pa.Array) -> pa.Array:
    """Numbers as `cell_text` renders them: a whole number without «.0», another as a sheet shows
    it (15 significant digits, Python's own shortest form)."""
    present = column.is_valid().to_numpy(zero_copy_only=False)
    values = np.where(present, pc.fill_null(column, 0.0).to_numpy(zero_copy_only=False), 0.0)
    whole = (np.floor(values) == values) & (np.abs(values) < 2**62)
    text = pc.cast(pa.array(values.astype(np.int64, copy=False) * whole), pa.large_string())
    others = np.flatnonzero(present & ~whole)
    if len(others):
        distinct = {v: cell_text(xlsx_value(v)) for v in np.unique(values[others]).tolist()}
        rendered = text.to_numpy(zero_copy_only=False)
        rendered[others] = [distinct[v] for v in values[others].tolist()]
        text = pa.array(rendered, pa.large_string())
    return pc.if_else(pa.array(present), text, "").cast(pa.large_string())


def _dates(when: pa.Array) -> pa.Array:
    """Dates as `cell_text` renders them: a day «15.02.2024», with a time «… 14:00:05»; a serial
    below 1 (shown as 31.12.1899) is a time of day, «09:00» (seconds when there are some)."""
    when = when.cast(pa.timestamp("s"), safe=False)  # whole seconds, as a sheet shows them
    stamp = pc.strftime(when, format="%d.%m.%Y %H:%M:%S")
    text = pc.if_else(pc.ends_with(stamp, " 00:00:00"), pc.utf8_slice_codeunits(stamp, 0, 10), stamp)
    time_of_day = pc.equal(pc.year(when), 1899)
    if pc.any(time_of_day).as_py():
        clock = pc.if_else(pc.ends_with(stamp, ":00"), pc.utf8_slice_codeunits(stamp, 11, 16),
                           pc.utf8_slice_codeunits(stamp, 11, 19))
        text = pc.if_else(time_of_day, clock, text)
    return _filled(text.cast(pa.large_string()))


def _durations(column: pa.Array) -> pa.Array:
    seconds = pc.divide(pc.cast(column, pa.int64()), 1000).to_numpy(zero_copy_only=False)
    present = column.is_valid().to_numpy(zero_copy_only=False)
    return pa.array([_duration_text(int(s)) if ok else "" for s, ok in zip(seconds.tolist(), present.tolist())],
                    pa.large_string())


def _duration_text(seconds: int) -> str:
    return xlsx_value(timedelta(seconds=seconds))


def _ask_again(reader, name: str, columns, rendered: list[pa.Array], asked: dict[int, np.ndarray]) -> list[pa.Array]:
    """The cells at `asked` (column number -> row positions) rendered by their kind. The columns
    are loaded again as durations: fastexcel reports every cell that is not one with its kind and value
    («… got 'Float(1e-7)'», «… got 'Bool(true)'», «… got 'String(…)'»); a cell that reads as a
    duration is a duration or a time of day, told apart by a load as numbers, whose report names
    the date's kind («… datetime_type: TimeDelta …»)."""
    wanted = {(int(row), columns[number].index) for number, rows in asked.items() for row in rows}
    names = [columns[number].name for number in asked]
    durations, kinds = _reported(reader, name, names, "duration", wanted)
    timed = {(row, at) for row, at in wanted if (row, at) not in kinds}
    if timed:
        kinds.update(_reported(reader, name, names, "float", timed)[1])
    rendered = list(rendered)
    for number, rows in asked.items():
        at = columns[number].index
        cells = rendered[number].to_numpy(zero_copy_only=False).copy()
        for row in rows.tolist():
            cells[row] = _of_kind(kinds.get((row, at), ""), cells[row])
        rendered[number] = pa.array(cells, pa.large_string())
    return rendered


def _reported(reader, name: str, names: list[str], dtype: str, wanted: set) -> tuple[pa.RecordBatch, dict]:
    sheet = reader.load_sheet(name, header_row=0, skip_rows=0, use_columns=names, dtypes=dtype)
    batch, errors = sheet.to_arrow_with_errors()
    return batch, {error.offset_position: error.detail for error in (errors.errors if errors is not None else [])
                   if error.offset_position in wanted}


REPORTED = re.compile(r"got '(\w+)\((.*)\)'$", re.DOTALL)
DATETIME_KIND = re.compile(r"value: ([^,]+), datetime_type: (\w+)")


def _of_kind(detail: str, shown: str) -> str:
    """A cell's text from what fastexcel reports of it: a number as a sheet shows it, a checkbox
    «ИСТИНА», a duration «26:05:00», a time of day «09:00»; else `shown` (as read in the column of
    text: the text itself, or the date)."""
    found = REPORTED.search(detail)
    if found is None:
        return shown
    kind, value = found.groups()
    if kind == "Float":
        return cell_text(xlsx_value(float(value)))
    if kind == "Int":
        return value
    if kind == "Bool":
        return cell_text(value == "true")
    dated = DATETIME_KIND.search(value) if kind == "DateTime" else None
    if dated is None:
        return shown
    serial = float(dated.group(1))
    span = timedelta(milliseconds=round(serial * 86_400_000))  # as openpyxl rounds it
    if dated.group(2) == "TimeDelta":
        return xlsx_value(span)
    if 0 <= serial < 1:
        return xlsx_value((datetime(1899, 12, 30) + span).time())
    return shown


def _trimmed(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and cells[end - 1] == "":
        end -= 1
    return cells[:end]


def _rows(columns: list[pa.Array], start: int, count: int) -> tuple[ArrowRows, np.ndarray]:
    """The text columns as rows (held as columns: each row's cells start at column A, trailing
    empty cells dropped) and the positions of the rows kept: a row of only empty or blank cells
    is left out."""
    content = np.zeros(count, dtype=bool)
    last = np.zeros(count, dtype=np.int64)  # the cells a row keeps: up to its last non-empty one
    for j, column in enumerate(columns):
        filled = pc.binary_length(column).to_numpy(zero_copy_only=False) > 0
        if filled.any():
            content |= pc.binary_length(pc.utf8_trim_whitespace(column)).to_numpy(zero_copy_only=False) > 0
            last[filled] = j + 1
    kept = np.flatnonzero(content)
    if len(kept) < count:
        chosen = pa.array(kept)
        columns = [column.take(chosen) for column in columns]
    return ArrowRows(columns=columns, start=start, widths=last[kept] + start), kept
