"""Personal columns kept apart: a campaign deployed with no personal data in the shared (Google)
sheet takes each tab's personal columns from a second workbook hosted in Russia (152-ФЗ art. 18
part 5), joined to the shared sheet's rows by the tab's keys — those of the duplicate check (ИНН,
or the organisation's name in its municipality), or the tab's own `personal_keys`.

The join makes each tab of the shared sheet look as if it held the personal columns itself, so
that everything after it (reading, counting, roles, forms) is what it is for one sheet. Nothing is
dropped in silence: a row of the shared sheet with no row on the other side, or with several, and
a row of the personal workbook that matches none are problems (tab, row, column, fix); the counts
do not depend on the join. Problems of a personal cell (a phone that cannot be read) point at
that cell in the personal workbook, where it is to be fixed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from campaign import problem_codes as catalogue
from campaign import problems, russian
from campaign.cells import arrow_text, inn_digits
from campaign.duplicates import organisation_key
from campaign.grid import rows_from_columns, text_columns
from campaign.reading import clean_header, find_columns, unresolved_label
from campaign.registry import Registry
from campaign.spec import Campaign, TabSpec
from campaign.text import clean, codes_of, map_distinct, spread
from campaign.workbook import ArrowRows, RawTab


@dataclass(frozen=True, eq=False)
class Moved:
    """Where the personal cells of one joined tab came from: for each row number of the shared
    sheet, the row number in the personal workbook's tab (`file`, `title`; -1: none); the personal
    columns by their header there."""

    main_file: str
    main_title: str
    labels: frozenset[str]  # the personal columns' headers as the personal workbook types them
    file: str
    title: str
    rows: pd.Series  # shared row number -> personal row number, -1 for a row without personal data


@dataclass(frozen=True)
class Joined:
    tabs: list[RawTab]  # the workbook's tabs, the personal columns of each tab joined to it
    problems: pd.DataFrame  # of the join itself
    moved: tuple[Moved, ...] = ()


def join_personal(tabs: Sequence[RawTab], campaign: Campaign, registry: Registry) -> Joined:
    """The tabs with the personal workbook's columns joined to them (nothing to do when no tab is
    personal)."""
    personal = [tab for tab in tabs if tab.personal]
    if not personal:
        return Joined(list(tabs), problems.empty())
    out = [tab for tab in tabs if not tab.personal]
    found, moved = [], []
    for spec in campaign.tabs:
        columns = [c for c in spec.columns if c.personal]
        if not columns:
            continue
        side = next((tab for tab in personal if spec.is_named(tab.title)), None)
        for number, main in enumerate(out):
            if main.personal or not spec.is_named(main.title):
                continue
            if side is None:
                found.append(_no_personal_tab(spec, personal))
                break
            out[number], tab_problems, tab_moved = _join_tab(spec, main, side, registry)
            found.append(tab_problems)
            moved.append(tab_moved)
    return Joined(out, problems.combine(found), tuple(moved))


def split_positions(spec: TabSpec, header: Sequence[str]) -> tuple[list[int], list[int]]:
    """Where the columns of a tab typed under `header` go when its personal columns are kept
    apart: (the positions of the shared sheet's columns — all but the personal ones; those of the
    personal workbook's — the join keys and the personal columns, none when the tab has no
    personal column). What `init-sheet --personal-xlsx` lays out, for a tab that exists already."""
    ids = {index: cid for cid, index in find_columns(spec, list(header)).items()}
    personal = {c.id for c in spec.columns if c.personal}
    keys = {c for key in spec.join_keys for c in key}
    shared_at = [i for i in range(len(header)) if ids.get(i) not in personal]
    if not personal & set(ids.values()):
        return shared_at, []
    return shared_at, [i for i in range(len(header)) if ids.get(i) in personal | keys]


def relocate(found: pd.DataFrame, joined: Joined) -> pd.DataFrame:
    """The pipeline's problems with those of personal cells moved to their cell in the personal
    workbook; the empty personal cells of a row that has no personal data at all are one problem
    of the join, not one per column."""
    if not joined.moved or found.empty:
        return found
    found = found.copy()
    keep = np.ones(len(found), dtype=bool)
    for moved in joined.moved:
        at = np.flatnonzero(((found["file"] == moved.main_file) & (found["tab"] == moved.main_title)
                             & found["column"].isin(moved.labels)).to_numpy())
        if not len(at):
            continue
        there = moved.rows.reindex(found["row"].to_numpy()[at]).fillna(-1).to_numpy(dtype="int64")
        keep[at[(there < 0) & (found["code"].to_numpy()[at] == catalogue.MISSING_VALUE.code)]] = False
        moving = at[there >= 0]
        found.iloc[moving, found.columns.get_loc("file")] = moved.file
        found.iloc[moving, found.columns.get_loc("tab")] = moved.title
        found.iloc[moving, found.columns.get_loc("row")] = there[there >= 0]
    return found[keep].reset_index(drop=True)


# ------------------------------------------------------------------------------ one tab


def _join_tab(spec: TabSpec, main: RawTab, side: RawTab, registry: Registry) -> tuple[RawTab, pd.DataFrame, Moved]:
    personal_ids = [c.id for c in spec.columns if c.personal]
    main_at, side_at = find_columns(spec, main.header), find_columns(spec, side.header)
    main_found, side_found = problems.Found(main.file), problems.Found(side.file)
    title, side_title = clean_header(main.title), clean_header(side.title)
    book = side.file

    main_cells, side_cells = _columns(main, main_at), _columns(side, side_at)
    _locate(main_found, main, spec, main_cells, registry)
    _locate(side_found, side, spec, side_cells, registry)

    # personal data typed into the shared sheet: never read from there, and said
    for cid in personal_ids:
        if cid in main_at and (main_cells[cid] != "").any():
            label = clean_header(main.header[main_at[cid]])
            count = russian.count(int((main_cells[cid] != "").sum()), russian.ROW_FORMS)
            problem = catalogue.PERSONAL_IN_SHARED_SHEET
            main_found.single(title, 1, label, problem, problem.message_for(column=label, count=count, book=book),
                              problem.fix_for(column=label, book=book))

    keys = [key for key in spec.join_keys if all(c in main_at and c in side_at for c in key)]
    missing_keys = [key for key in spec.join_keys if key not in keys]
    if not keys:
        problem = catalogue.MISSING_COLUMN
        names = ", ".join(f"«{spec.column(c).name}»" for key in missing_keys for c in key if c not in side_at)
        side_found.single(side_title, 1, names, problem, problem.message_for(tab=side_title, column=names),
                          problem.fix_for(labels=names))

    chosen = np.full(len(main.rows), -1, dtype="int64")  # the personal row (position) of each main row
    used = np.zeros(len(side.rows), dtype=bool)
    partners: dict[int, list[int]] = {}  # main row -> the personal rows that fit it, when more than one
    main_keys = [_key(spec, key, main_cells, registry) for key in keys]
    for key, main_key in zip(keys, main_keys):
        _pair(main_key, _key(spec, key, side_cells, registry), chosen, used, partners)
    decided = chosen >= 0
    matched = used
    # a row of the shared sheet with no key at all: its empty key cell is its problem there
    keyless = np.ones(len(main.rows), dtype=bool)
    for main_key in main_keys:
        keyless &= (main_key == "").to_numpy()

    side_numbers = np.asarray(side.row_numbers, dtype="int64")
    personal_labels = {cid: clean_header(side.header[side_at[cid]]) for cid in personal_ids if cid in side_at}
    problem = catalogue.PERSONAL_ROW_MISSING
    where_said = f"«{side_title}» книги «{book}»"
    columns_said = ", ".join(f"«{label}»" for label in personal_labels.values())
    unmatched_at = np.flatnonzero(~decided & ~keyless)
    if len(unmatched_at) and keys:
        described = _described(spec, keys, main_cells, unmatched_at)
        main_found.at(unmatched_at, tab=title, column="", problem=problem,
                      message=[problem.message_for(where=where_said, key=said) for said in described],
                      fix=problem.fix_for(where=where_said, columns=columns_said))
    problem = catalogue.PERSONAL_ROW_AMBIGUOUS
    if partners:
        at = np.array(sorted(partners), dtype="int64")
        main_found.at(at, tab=title, column="", problem=problem,
                      message=[problem.message_for(where=where_said, rows=", ".join(
                          str(side_numbers[r]) for r in partners[p]), first=side_numbers[partners[p][0]])
                          for p in at.tolist()],
                      fix=problem.fix_for(where=where_said))
    orphans = np.flatnonzero(~matched)
    if len(orphans) and keys:
        problem = catalogue.PERSONAL_ROW_UNMATCHED
        side_described = _described(spec, keys, side_cells, orphans)
        side_found.at(orphans, tab=side_title, column="", problem=problem,
                      message=[problem.message_for(key=said) for said in side_described],
                      fix=problem.fix_for())

    # the joined tab: the shared sheet's columns (its personal ones unnamed, so never read), then
    # the personal workbook's personal columns
    header = [("" if any(main_at.get(cid) == index for cid in personal_ids) else name)
              for index, name in enumerate(main.header)]
    added = [cid for cid in personal_ids if cid in side_at]
    width = len(header)
    header += [side.header[side_at[cid]] for cid in added]
    joined = _with_columns(main, header, width, [side_cells[cid] for cid in added], chosen)
    there = np.where(chosen >= 0, side_numbers[np.maximum(chosen, 0)] if len(side_numbers) else -1, -1)
    moved = Moved(main.file, title, frozenset(personal_labels.values()), book, side_title,
                  pd.Series(there, index=np.asarray(main.row_numbers, dtype="int64")))
    return joined, problems.combine([main_found.table(), side_found.table()]), moved


def _with_columns(main: RawTab, header: list[str], width: int, added: list[pd.Series], chosen: np.ndarray) -> RawTab:
    """The shared sheet's tab, each row `width` cells long, then for each of `added` the cell of
    the personal row `chosen` for it ("" where none), under `header`. Made as Arrow (the rows are
    never walked in Python) unless a cell is not text."""
    lists = main.text_cells
    present = chosen >= 0
    at = np.maximum(chosen, 0)
    if lists is not None:
        columns = [pa.array(column.array, type=pa.large_string()).take(pa.array(at)) if len(column)
                   else pa.nulls(len(chosen), pa.large_string()) for column in added]
        cells = rows_from_columns(lists, width, columns, present)
        return replace(main, header=header, rows=ArrowRows(cells))
    taken = [np.where(present, column.to_numpy(dtype=object)[at], "").tolist() if len(column) else [""] * len(chosen)
             for column in added]
    rows = [(row + [""] * (width - len(row)) if len(row) < width else row[:width]) + list(extra)
            for row, extra in zip(main.rows, zip(*taken) if taken else ([] for _ in main.rows))]
    return replace(main, header=header, rows=rows)


def _no_personal_tab(spec: TabSpec, personal: Sequence[RawTab]) -> pd.DataFrame:
    file = personal[0].file
    found = problems.Found(file)
    others = ", ".join(f"«{t.title}»" for t in personal if t.title)
    existing = f" (есть: {others})" if others else "; в ней нет ни одного листа"
    problem = catalogue.MISSING_TAB
    found.single(spec.name, None, "", problem, problem.message_for(tab=spec.name, existing=existing),
                 problem.fix_for(tab=spec.name))
    return found.table()


def _columns(tab: RawTab, positions: dict[str, int]) -> dict[str, pd.Series]:
    """The tab's columns at `positions` as stripped text, one cell per row ("" where short)."""
    if not positions:
        return {}
    columns, kept = text_columns(tab.rows, positions, tab.text_cells)  # converted once, for the join too
    every = pd.RangeIndex(len(tab.rows))
    if len(kept) == len(tab.rows):
        return {cid: column.set_axis(every) for cid, column in columns.items()}
    return {cid: column.reindex(every, fill_value="") for cid, column in columns.items()}


def _key(spec: TabSpec, key: tuple[str, ...], cells: dict[str, pd.Series], registry: Registry) -> pd.Series:
    """One text per row for a key of the tab, compared as the duplicate check compares rows; ""
    where a part of it is empty."""
    parts = []
    for column_id in key:
        text = cells[column_id]
        kind = spec.column(column_id).type
        if kind == "inn":
            part = inn_digits(text)
        elif kind == "municipality":
            part = map_distinct(text, lambda name: (registry.resolve(clean(name)).uid or clean(name).lower())
                                if name else "")
        elif kind in ("text",):
            part = organisation_key(text)
        else:
            part = text
        parts.append(part.astype("str").fillna(""))
    joined = parts[0]
    for part in parts[1:]:
        joined = (joined + "\x1f" + part).where((joined != "") & (part != ""), "")
    return joined.reset_index(drop=True)


def _pair(main_key: pd.Series, side_key: pd.Series, chosen: np.ndarray, used: np.ndarray,
          partners: dict[int, list[int]]) -> None:
    """Pairs the rows not paired yet that share a key value: the k-th such row of the shared sheet
    with the k-th of the personal workbook (a row repeated in both, a duplicate, pairs in order).
    More personal rows than shared ones: the last shared row is paired with the first left over,
    and `partners` says which rows fitted it."""
    main_at = np.flatnonzero((chosen < 0) & (main_key != "").to_numpy())
    side_at = np.flatnonzero(~used & (side_key != "").to_numpy())
    if not len(main_at) or not len(side_at):
        return
    codes, _ = pd.factorize(np.concatenate([main_key.to_numpy(dtype=object)[main_at],
                                            side_key.to_numpy(dtype=object)[side_at]]))
    mains = pd.DataFrame({"value": codes[:len(main_at)], "main": main_at})
    sides = pd.DataFrame({"value": codes[len(main_at):], "side": side_at})
    mains["k"] = mains.groupby("value").cumcount()
    sides["k"] = sides.groupby("value").cumcount()
    pairs = mains.merge(sides, on=["value", "k"])
    chosen[pairs["main"].to_numpy()] = pairs["side"].to_numpy()
    shared_values = np.isin(sides["value"].to_numpy(), pairs["value"].to_numpy())
    used[sides["side"].to_numpy()[shared_values]] = True
    counts = mains.groupby("value").size()
    extra = sides[shared_values & (sides["k"].to_numpy() >= counts.reindex(sides["value"]).fillna(0).to_numpy())]
    for value, group in extra.groupby("value", sort=False):
        count = int(counts[value])
        last = int(mains.loc[mains["value"] == value, "main"].iloc[-1])
        first_left = sides.loc[(sides["value"] == value) & (sides["k"] == count - 1), "side"].tolist()
        partners[last] = first_left + group["side"].tolist()


def _described(spec: TabSpec, keys: Sequence[tuple[str, ...]], cells: dict[str, pd.Series],
               positions: np.ndarray) -> list[str]:
    """How each row is looked for, for a message: «искали по «ИНН» «2801234567»», «искали по
    «Наименование организации» «…» и «Муниципальное образование» «…»», or what it lacks to be
    looked for (never a personal column: the keys are not personal)."""
    said = []
    columns = {c: cells[c].to_numpy(dtype=object) for key in keys for c in key}
    for position in positions.tolist():
        for key in keys:
            values = [columns[c][position] for c in key]
            if all(values):
                said.append("искали по " + " и ".join(f"«{spec.column(c).name}» «{v}»" for c, v in zip(key, values)))
                break
        else:
            lacking = dict.fromkeys(f"«{spec.column(c).name}»" for key in keys for c in key
                                    if not columns[c][position])
            said.append("в строке не заполнены " + ("ни " + ", ни ".join(lacking) if len(lacking) > 1
                                                    else next(iter(lacking), "ключи")))
    return said


def _locate(found: problems.Found, tab: RawTab, spec: TabSpec, cells: dict[str, pd.Series], registry: Registry) -> None:
    """Each row's number and municipality, for the problems of the join (grouped by municipality)."""
    municipality = spec.municipality_column
    names = cells.get(municipality.id) if municipality is not None else None
    if names is None:
        names = pd.Series([""] * len(tab.rows), dtype="str")
    codes, uniques = codes_of(names)
    resolved = [registry.resolve(clean(name)).uid if name else None for name in uniques]
    uids = spread(codes, [uid or "" for uid in resolved], names.index)
    shown = spread(codes, [registry.name(uid) if uid else unresolved_label(clean(name))
                           for uid, name in zip(resolved, uniques)], names.index)
    found.locate(np.asarray(tab.row_numbers, dtype="int64"), arrow_text(uids), arrow_text(shown))
