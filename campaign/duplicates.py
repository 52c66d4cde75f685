"""Rows that describe the same thing: the tab's unique keys (ИНН, or a name in one municipality)
compared tolerantly, duplicate groups, and the problem each row of a group gets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from campaign import cells, problems
from campaign import problem_codes as catalogue
from campaign.cells import arrow_text
from campaign.spec import TabSpec
from campaign.text import drop_characters, map_distinct, text_codes

# invisible characters that would make one name look like two: zero-width spaces and joiners,
# direction marks, a byte-order mark
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Latin letters that look like Cyrillic ones («Школа» typed with a Latin «a» is the same name)
_HOMOGLYPHS = str.maketrans({**dict(zip("ABCEHKMOPTXYaceopxyk", "АВСЕНКМОРТХУасеорхук")),
                             **{character: None for character in INVISIBLE}})
_SUSPECT = "[A-Za-z" + INVISIBLE + "]"


def organisation_key(names: pd.Series) -> pd.Series:
    """Names compared for duplicates: case, quotes, punctuation, spaces and «ё» ignored, and
    invisible characters and Latin look-alikes of Cyrillic letters too."""
    cells = arrow_text(names)
    suspect = pc.match_substring_regex(cells, _SUSPECT)
    if pc.any(suspect).as_py():  # few rows: mended in Python, once per distinct name
        at = np.flatnonzero(suspect.to_numpy(zero_copy_only=False))
        mended = map_distinct(pd.Series(pd.array(cells.take(at), dtype="str")),
                              lambda name: name.translate(_HOMOGLYPHS))
        cells = pc.replace_with_mask(cells.cast(pa.large_string()), suspect, arrow_text(mended).cast(pa.large_string()))
    key = pc.replace_substring(pc.utf8_lower(cells), "ё", "е")
    key = drop_characters(key, "«»\"'“”„.,() \u00a0")
    return pd.Series(pd.array(key, dtype="str"), index=names.index)


def row_order(frame: pd.DataFrame, spec: TabSpec | None = None) -> np.ndarray:
    """A number per row that tells rows apart and puts them in the order that decides which of
    two same rows counts: the sheet's row number; for the rows of several files read as one tab
    (`_file`: a folder of municipal workbooks, read in the order of their names) an order that no
    file name decides — the earlier date of the tab's first date column (none: last), then the
    row's own number in its file, then the file's place."""
    if "_file" not in frame:
        return frame["_row"].to_numpy(dtype="int64")
    date_column = next((c.id for c in (spec.columns if spec else ()) if c.type == "date" and c.id in frame), None)
    latest = np.iinfo("int64").max
    if date_column is not None:
        days = pd.to_datetime(frame[date_column], errors="coerce")
        dated = days.to_numpy(dtype="datetime64[ns]").astype("int64")
        dated = np.where(days.isna().to_numpy(), latest, dated)
    else:
        dated = np.zeros(len(frame), dtype="int64")
    order = np.lexsort((np.arange(len(frame)), frame["_row"].to_numpy(dtype="int64"), dated))
    rank = np.empty(len(frame), dtype="int64")
    rank[order] = np.arange(len(frame), dtype="int64")
    return rank


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


def unique_keys(frame: pd.DataFrame, text: dict[str, pd.Series], spec: TabSpec,
                name_codes: dict[str, np.ndarray] | None = None) -> list[np.ndarray]:
    """One integer code per row for each key of the tab's unique spec; -1 where unknown.
    `name_codes`: the typed municipality names already coded in any case, by column id."""
    name_codes = name_codes or {}
    assert spec.unique is not None
    keys = []
    for key_columns in spec.unique.keys:
        key: np.ndarray | None = None
        for column_id in key_columns:
            column = spec.column(column_id)
            if column.type == "municipality":
                # a resolved municipality by its registry position, an unresolved one by its text
                resolved = frame["_code"].to_numpy()
                unresolved = name_codes.get(column_id)
                if unresolved is None:
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


def report_duplicates(frame: pd.DataFrame, keys: list[np.ndarray], spec: TabSpec, found: problems.Found, tab: str,
                      label: str | None) -> None:
    """Every row of a duplicate group is a problem naming its partner (`_duplicate_of` in the
    frame: the group's first row by `row_order`, -1 alone); the metrics count the first row only.
    In a tab read from several files a partner in another file is named with its file."""
    unique = spec.unique
    assert unique is not None
    rows = row_order(frame, spec)
    first = duplicate_groups(rows, keys)
    frame["_duplicate_of"] = first
    at = np.flatnonzero(first >= 0)
    if not len(at):
        return
    group, own = first[at], rows[at]
    later = own != group
    # the first row of a group names the next one (its smallest later row); later rows name the first
    next_row = pd.Series(own[later]).groupby(group[later]).min()
    partner = np.where(later, group, next_row.reindex(group).fillna(-1).to_numpy(dtype="int64"))
    problem = catalogue.DUPLICATE_ROW.named(unique.code, unique.severity)
    if "_file" in frame:  # positions: each partner by its row number in its file
        partner = np.argsort(rows)[partner]  # its place in the frame (`rows` ranks the rows)
        numbers, files = frame["_row"].to_numpy(dtype="int64"), frame["_file"].to_numpy(dtype=object)
        said = [f"{numbers[p]}" if files[p] == files[a] else f"{numbers[p]} файла «{files[p]}»"
                for a, p in zip(at.tolist(), partner.tolist())]
    else:
        said = partner.tolist()
    found.at(at, tab=tab, column=label or spec.column(unique.column).name, problem=problem,
             message=[problem.message_for(what=unique.what, row=row) for row in said],
             fix=problem.fix_for())
