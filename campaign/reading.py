"""Read one tab of the workbook by its spec: find the columns, parse every cell, report problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from campaign import cells, problems
from campaign.cells import arrow_text
from campaign.registry import Registry
from campaign.spec import ColumnSpec, TabSpec
from campaign.grid import text_columns
from campaign.text import clean, codes_of, label_key, spread, text_codes
from data_sources.base import RawTab

_READERS = {
    "date": cells.read_dates,
    "phone": cells.read_phones,
    "inn": cells.read_inns,
    "link": cells.read_links,
    "number": cells.read_numbers,
    "email": cells.read_emails,
}

_INVALID_CODES = {
    "date": "invalid_date",
    "phone": "invalid_phone",
    "inn": "invalid_inn",
    "link": "invalid_link",
    "number": "invalid_number",
    "email": "invalid_email",
}

_INVALID_FIXES = {
    "date": "Введите дату в виде ДД.ММ.ГГГГ, например 15.02.2022.",
    "phone": "Введите телефон с кодом города или оператора, например 8 (4162) 22-65-10 или +7 914 123-45-67.",
    "inn": "Проверьте ИНН: 10 цифр для организации или 12 для ИП; контрольная сумма не сходится.",
    "link": "Вставьте полную ссылку, начинающуюся с https://",
    "number": "Введите целое число без текста, например 150.",
    "email": "Проверьте адрес: он должен быть вида name@example.ru.",
}


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class TabData:
    """A tab read by its spec: parsed values by column id, plus `_row`, `_uid`, `_mo`."""

    spec: TabSpec
    title: str | None  # the tab's title in the sheet, None when it is missing
    sheet_id: int | None
    frame: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)  # column id -> header as typed
    letters: dict[str, str] = field(default_factory=dict)  # column id -> sheet column letter
    keys: list[np.ndarray] = field(default_factory=list)  # the unique spec's keys as codes, -1 unknown

    @property
    def present(self) -> bool:
        return self.title is not None

    def column_label(self, column_id: str) -> str:
        return self.headers.get(column_id) or self.spec.column(column_id).name


def find_tab(spec: TabSpec, tabs: list[RawTab]) -> RawTab | None:
    """The workbook's tab for `spec`, matched by name or alias."""
    wanted = {label_key(label) for label in spec.labels}
    return next((tab for tab in tabs if label_key(tab.title) in wanted), None)


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


_EMPTY_DTYPES = {"date": "datetime64[s]", "number": "Int64"}


def _empty_frame(spec: TabSpec) -> pd.DataFrame:
    """A tab with no rows (missing, or only its header), typed like a read one."""
    data: dict[str, pd.Series] = {"_row": pd.Series(dtype="int64")}
    for column in spec.columns:
        if column.type == "choice":
            categories = ["", *dict.fromkeys(choice.value for choice in column.choices)]
            data[column.id] = pd.Series(pd.Categorical([], categories=categories))
        else:
            data[column.id] = pd.Series(dtype=_EMPTY_DTYPES.get(column.type, "str"))
    data["_uid"] = pd.Series(dtype="str")
    data["_code"] = pd.Series(dtype="int64")
    data["_mo"] = pd.Series(dtype="str")
    return pd.DataFrame(data)


def _cell_columns(raw: RawTab, positions: dict[str, int], spec: TabSpec) -> tuple[dict[str, pd.Series], np.ndarray]:
    """(every column of the spec as stripped text, "" for empty or a column the sheet lacks;
    the positions of the rows kept). Rows of only empty cells are left out like blank rows.
    A dict, not a DataFrame: no copy to consolidate."""
    columns, kept = text_columns(raw.rows, positions)
    for column in spec.columns:
        if column.id not in columns:
            columns[column.id] = pd.Series(pd.array([""] * len(kept), dtype="str"),
                                           index=_index_of(columns, kept))
    return columns, kept


def _index_of(columns: dict[str, pd.Series], kept: np.ndarray) -> pd.Index:
    if columns:
        return next(iter(columns.values())).index
    return pd.Index(kept)


def read_tab(
    spec: TabSpec, tabs: list[RawTab], registry: Registry, window: tuple[date, date]
) -> tuple[TabData, pd.DataFrame]:
    raw = find_tab(spec, tabs)
    if raw is None:
        found = problems.empty()
        if spec.required:
            others = ", ".join(f"«{t.title}»" for t in tabs)
            existing = f" (есть: {others})" if others else "; в таблице нет ни одного листа"
            found = problems.single(
                spec.name, None, "", "missing_tab",
                f"В таблице нет листа «{spec.name}»{existing}.",
                f"Добавьте лист «{spec.name}» или переименуйте существующий.",
            )
        return TabData(spec, None, None, _empty_frame(spec)), found

    positions = find_columns(spec, raw.header)
    title = clean_header(raw.title)
    found_parts: list[pd.DataFrame] = []
    for column in spec.columns:
        if column.id not in positions and column.required:
            names = ", ".join(f"«{label}»" for label in column.labels)
            found_parts.append(problems.single(
                title, 1, column.name, "missing_column",
                f"На листе «{title}» нет обязательного столбца «{column.name}».",
                f"Добавьте в строку 1 столбец с одним из заголовков: {names}.",
            ))

    text, kept = _cell_columns(raw, positions, spec) if raw.rows and spec.columns else ({}, None)
    if not text:
        data = TabData(spec, title, raw.sheet_id, _empty_frame(spec))
        data.headers = {cid: clean_header(raw.header[i]) for cid, i in positions.items()}
        data.letters = {cid: column_letter(i) for cid, i in positions.items()}
        return data, problems.combine(found_parts)

    index = next(iter(text.values())).index
    frame = pd.DataFrame({"_row": np.asarray(raw.row_numbers, dtype="int64")[kept]}, index=index)

    municipality = spec.municipality_column
    if municipality is not None:
        header = clean_header(raw.header[positions[municipality.id]]) if municipality.id in positions else municipality.name
        found_parts.append(_read_municipalities(frame, text[municipality.id], registry, title, header))
    else:
        frame["_uid"] = ""
        frame["_code"] = -1
        frame["_mo"] = problems.NO_MUNICIPALITY

    headers = {cid: clean_header(raw.header[i]) for cid, i in positions.items()}
    for column in spec.columns:
        label = headers.get(column.id, column.name)
        cells_text = text[column.id]
        if column.required and column.id in positions:
            missing = frame[cells_text == ""]
            found_parts.append(problems.for_rows(
                missing, tab=title, column=label, code="missing_value",
                message=f"Не заполнено обязательное поле «{label}».",
                fix=f"Заполните «{label}»" + (f": {column.hint}." if column.hint else "."),
            ))
        if column.type == "municipality":
            frame[column.id] = frame["_mo"].where(frame["_uid"] != "", cells_text)
        elif column.type == "choice":
            values, invalid = cells.read_choices(cells_text, column.choices, column.default)
            frame[column.id] = values
            if invalid.any():  # what was typed, to show beside the problem
                frame[f"_typed_{column.id}"] = cells_text.where(invalid, "")
            found_parts.append(_invalid_choice(frame, cells_text, invalid, title, label, column))
        elif column.type in _READERS:
            values, invalid = _READERS[column.type](cells_text)
            frame[column.id] = values
            found_parts.append(_invalid_cells(frame, cells_text, invalid, title, label, column))
            if column.type == "date" and column.in_window:
                found_parts.append(_outside_window(frame, values, title, label, window))
        else:
            frame[column.id] = cells_text

    data = TabData(spec, title, raw.sheet_id, frame, headers,
                   {cid: column_letter(i) for cid, i in positions.items()})
    if spec.unique is not None:
        data.keys = unique_keys(frame, text, spec)
        found_parts.append(_duplicates(frame, data.keys, spec, title, headers.get(spec.unique.column)))
    return data, problems.combine(found_parts)


def clean_header(header: str) -> str:
    return " ".join(str(header).split())


def _quote(values: pd.Series, limit: int = 60) -> pd.Series:
    short = values.str.slice(0, limit)
    return "«" + short.where(values.str.len() <= limit, short + "…") + "»"


def unresolved_label(name: str) -> str:
    """How problems of a row with an unrecognised municipality are grouped."""
    return f"Не распознан: «{name}»" if name else problems.NO_MUNICIPALITY


def _read_municipalities(
    frame: pd.DataFrame, names: pd.Series, registry: Registry, tab: str, label: str
) -> pd.DataFrame:
    codes, uniques = codes_of(names)
    resolved = [registry.resolve(clean(name)) for name in uniques]
    frame["_uid"] = spread(codes, [r.uid or "" for r in resolved], names.index)
    frame["_code"] = np.array([registry.index(r.uid) for r in resolved], dtype="int64")[codes]
    frame["_mo"] = spread(codes, [registry.name(r.uid) if r.uid else unresolved_label(clean(n))
                                  for n, r in zip(uniques, resolved)], names.index)
    status = spread(codes, [r.status for r in resolved], names.index)
    suggestion = spread(codes, ["; ".join(r.suggestions) for r in resolved], names.index)
    parts = []
    unknown = status == "unknown"
    if unknown.any():
        hint = ("Возможно, имелось в виду: " + suggestion[unknown] + ".").where(suggestion[unknown] != "",
                                                                              "Выберите муниципалитет из списка региона.")
        parts.append(problems.for_rows(
            frame[unknown], tab=tab, column=label, code="unknown_municipality",
            message="Муниципалитет " + _quote(names[unknown]) + f" не найден среди муниципалитетов: {registry.region_name}.",
            fix=hint,
        ))
    ambiguous = status == "ambiguous"
    if ambiguous.any():
        parts.append(problems.for_rows(
            frame[ambiguous], tab=tab, column=label, code="ambiguous_municipality",
            message="Название " + _quote(names[ambiguous]) + " подходит к нескольким муниципалитетам: " + suggestion[ambiguous] + ".",
            fix="Уточните, город это или район: например, «г. …» или «… район».",
        ))
    return problems.combine(parts)


def _invalid_choice(frame, text, invalid, tab, label, column: ColumnSpec) -> pd.DataFrame:
    if not invalid.any():
        return problems.empty()
    allowed = column.hint or ", ".join(c.value for c in column.choices)
    return problems.for_rows(
        frame[invalid], tab=tab, column=label, code=column.unknown_code,
        message="Значение " + _quote(text[invalid]) + f" в столбце «{label}» не распознано.",
        fix=f"Выберите одно из значений: {allowed}.",
    )


def _invalid_cells(frame, text, invalid, tab, label, column: ColumnSpec) -> pd.DataFrame:
    if not invalid.any():
        return problems.empty()
    what = {"date": "дату", "phone": "телефон", "inn": "ИНН", "link": "ссылку", "number": "число",
            "email": "адрес электронной почты"}[column.type]
    if column.personal:  # personal data stays out of messages
        message: pd.Series | str = f"Не удалось прочитать {what} в столбце «{label}»."
    else:
        message = "Не удалось прочитать " + what + " " + _quote(text[invalid]) + f" в столбце «{label}»."
    return problems.for_rows(
        frame[invalid], tab=tab, column=label, code=_INVALID_CODES[column.type],
        message=message, fix=_INVALID_FIXES[column.type],
    )


def _outside_window(frame, values: pd.Series, tab: str, label: str, window: tuple[date, date]) -> pd.DataFrame:
    start, end = pd.Timestamp(window[0]), pd.Timestamp(window[1])
    outside = values.notna() & ((values < start) | (values > end))
    if not outside.any():
        return problems.empty()
    shown = values[outside].dt.strftime("%d.%m.%Y")
    period = f"{window[0]:%d.%m.%Y}–{window[1]:%d.%m.%Y}"
    return problems.for_rows(
        frame[outside], tab=tab, column=label, code="date_outside_campaign",
        message="Дата " + shown + f" вне сроков акции ({period}); строка всё равно учтена.",
        fix="Проверьте дату: возможно, опечатка в дне, месяце или годе.",
    )


def organisation_key(names: pd.Series) -> pd.Series:
    """Names compared for duplicates: case, quotes, punctuation, spaces and «ё» ignored."""
    cells = arrow_text(names)
    key = pc.replace_substring(pc.utf8_lower(cells), "ё", "е")
    key = pc.replace_substring_regex(key, "[«»\"'“”„.,() \u00a0]", "")
    return pd.Series(pd.array(key, dtype="str"), index=names.index)


def duplicate_groups(rows: np.ndarray, keys: list[np.ndarray]) -> np.ndarray:
    """For every row (by sheet row number), the first row number of its duplicate group, -1
    when it has none. Rows are the same when any one key is equal; a key is an integer code
    per row, -1 unknown."""
    group_first = np.full(len(rows), -1, dtype="int64")
    for key in keys:
        known = key >= 0
        if not known.any():
            continue
        codes, uniques = pd.factorize(key[known])
        counts = np.bincount(codes, minlength=len(uniques))
        first = np.full(len(uniques), np.iinfo("int64").max, dtype="int64")
        np.minimum.at(first, codes, rows[known])
        dup = np.zeros(len(rows), dtype=bool)
        dup[known] = counts[codes] > 1
        candidate = np.full(len(rows), -1, dtype="int64")
        candidate[known] = first[codes]
        better = dup & ((group_first < 0) | (candidate < group_first))
        group_first[better] = candidate[better]
    return group_first


def unique_keys(frame: pd.DataFrame, text: dict[str, pd.Series], spec: TabSpec) -> list[np.ndarray]:
    """One integer code per row for each key of the tab's unique spec; -1 where unknown."""
    assert spec.unique is not None
    keys = []
    for key_columns in spec.unique.keys:
        key: np.ndarray | None = None
        for column_id in key_columns:
            column = spec.column(column_id)
            if column.type == "municipality":
                # a resolved municipality by its registry position, an unresolved one by its text
                resolved = frame["_code"].to_numpy()
                unresolved = text_codes(text[column_id].str.lower())
                part = np.where(resolved >= 0, resolved, np.where(unresolved >= 0, unresolved + 10_000, -1))
            elif column.type == "inn":
                part = text_codes(cells.inn_digits(text[column_id]))
            else:
                part = text_codes(organisation_key(text[column_id]))
            if key is None:
                key = part
            else:
                both = (key >= 0) & (part >= 0)
                key = np.where(both, key * (int(part.max(initial=0)) + 1) + part, -1)
        keys.append(key if key is not None else np.full(len(frame), -1, dtype="int64"))
    return keys


def _duplicates(frame: pd.DataFrame, keys: list[pd.Series], spec: TabSpec, tab: str,
                label: str | None) -> pd.DataFrame:
    unique = spec.unique
    assert unique is not None
    first = pd.Series(duplicate_groups(frame["_row"].to_numpy(dtype="int64"), keys), index=frame.index)
    frame["_duplicate_of"] = first
    dup = first >= 0
    if not dup.any():
        return problems.empty()
    rows = frame.loc[dup, "_row"]
    is_first = rows == first[dup]
    # the first row of a group names the next one; later rows name the first
    others = rows[~is_first].groupby(first[dup][~is_first]).min()
    partner = first[dup].where(~is_first, first[dup].map(others).fillna(-1).astype("int64"))
    partner_text = partner.astype("str")
    message = (
        f"Повтор: {unique.what} уже есть в строке " + partner_text
        + " (совпадает ИНН или название в том же муниципалитете). Учитывается один раз, по первой строке."
    )
    return problems.for_rows(
        frame[dup], tab=tab, column=label or spec.column(unique.column).name, code=unique.code,
        message=message, fix="Удалите повторную строку или исправьте ИНН / название, если это разные организации.",
    )
