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

from dataclasses import dataclass, field, replace
from typing import Sequence

import numpy as np
import pandas as pd

from campaign import problem_codes as catalogue
from campaign import problems, russian
from campaign.cells import arrow_text, inn_digits
from campaign.duplicates import organisation_key
from campaign.reading import clean_header, find_columns, unresolved_label
from campaign.registry import Registry
from campaign.spec import Campaign, TabSpec
from campaign.text import clean, label_key
from campaign.workbook import RawTab


@dataclass(frozen=True)
class Moved:
    """Where the personal cells of one joined tab came from: its main rows' numbers -> the
    personal workbook's (file, tab, row); the personal columns by their header there."""

    main_file: str
    main_title: str
    labels: frozenset[str]  # the personal columns' headers as the personal workbook types them
    rows: dict[int, tuple[str, str, int]] = field(default_factory=dict)
    unmatched: frozenset[int] = frozenset()  # main rows without personal data (their own problem)


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
        wanted = {label_key(label) for label in spec.labels}
        side = next((tab for tab in personal if label_key(tab.title) in wanted), None)
        for number, main in enumerate(out):
            if main.personal or label_key(main.title) not in wanted:
                continue
            if side is None:
                found.append(_no_personal_tab(spec, personal))
                break
            out[number], tab_problems, tab_moved = _join_tab(spec, main, side, registry)
            found.append(tab_problems)
            moved.append(tab_moved)
    return Joined(out, problems.combine(found), tuple(moved))


def relocate(found: pd.DataFrame, joined: Joined) -> pd.DataFrame:
    """The pipeline's problems with those of personal cells moved to their cell in the personal
    workbook; the empty personal cells of a row that has no personal data at all are one problem
    of the join, not one per column."""
    if not joined.moved or found.empty:
        return found
    found = found.copy()
    keep = np.ones(len(found), dtype=bool)
    for moved in joined.moved:
        of_tab = ((found["file"] == moved.main_file) & (found["tab"] == moved.main_title)
                  & found["column"].isin(moved.labels)).to_numpy()
        for position in np.flatnonzero(of_tab):
            row = int(found["row"].iat[position])
            if row in moved.unmatched and found["code"].iat[position] == catalogue.MISSING_VALUE.code:
                keep[position] = False
            elif row in moved.rows:
                file, title, number = moved.rows[row]
                found.iloc[position, found.columns.get_indexer(["file", "tab", "row"])] = [file, title, number]
    return found[keep].reset_index(drop=True)


# ------------------------------------------------------------------------------ one tab


def _join_tab(spec: TabSpec, main: RawTab, side: RawTab, registry: Registry) -> tuple[RawTab, pd.DataFrame, Moved]:
    personal_ids = [c.id for c in spec.columns if c.personal]
    main_at, side_at = find_columns(spec, main.header), find_columns(spec, side.header)
    main_found, side_found = problems.Found(main.file), problems.Found(side.file)
    title, side_title = clean_header(main.title), clean_header(side.title)
    book = side.file

    main_cells = {cid: _column(main.rows, i) for cid, i in main_at.items()}
    side_cells = {cid: _column(side.rows, i) for cid, i in side_at.items()}
    _locate(main_found, main, spec, main_cells, registry)
    _locate(side_found, side, spec, side_cells, registry)

    # personal data typed into the shared sheet: never read from there, and said
    for cid in personal_ids:
        if cid in main_at and (main_cells[cid] != "").any():
            label = clean_header(main.header[main_at[cid]])
            count = russian.count(int((main_cells[cid] != "").sum()), ("строка", "строки", "строк"))
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
    for key in keys:
        main_key, side_key = _key(spec, key, main_cells, registry), _key(spec, key, side_cells, registry)
        open_side: dict[str, list[int]] = {}
        for position in np.flatnonzero(~used & (side_key != "").to_numpy()).tolist():
            open_side.setdefault(side_key.iat[position], []).append(position)
        open_main: dict[str, list[int]] = {}
        for position in np.flatnonzero((chosen < 0) & (main_key != "").to_numpy()).tolist():
            open_main.setdefault(main_key.iat[position], []).append(position)
        for value, mains in open_main.items():
            sides = open_side.get(value)
            if not sides:
                continue
            # a row repeated in both (a duplicate of the sheet) pairs in order; more rows on the
            # personal side than on the shared one: the last shared row takes the first left and says so
            for main_position, side_position in zip(mains, sides):
                chosen[main_position] = side_position
            used[sides] = True
            if len(sides) > len(mains):
                partners[mains[-1]] = sides[len(mains) - 1:]
    decided = chosen >= 0
    matched = used
    # a row of the shared sheet with no key at all: its empty key cell is its problem there
    keyless = np.ones(len(main.rows), dtype=bool)
    for key in keys:
        keyless &= (_key(spec, key, main_cells, registry) == "").to_numpy()

    side_numbers = np.asarray(side.row_numbers, dtype="int64")
    personal_labels = {cid: clean_header(side.header[side_at[cid]]) for cid in personal_ids if cid in side_at}
    described = _described(spec, keys, main_cells)
    problem = catalogue.PERSONAL_ROW_MISSING
    where_said = f"«{side_title}» книги «{book}»"
    columns_said = ", ".join(f"«{label}»" for label in personal_labels.values())
    unmatched_at = np.flatnonzero(~decided & ~keyless)
    if len(unmatched_at) and keys:
        main_found.at(unmatched_at, tab=title, column="", problem=problem,
                      message=[problem.message_for(where=where_said, key=described[p]) for p in unmatched_at.tolist()],
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
        side_described = _described(spec, keys, side_cells)
        side_found.at(orphans, tab=side_title, column="", problem=problem,
                      message=[problem.message_for(key=side_described[p]) for p in orphans.tolist()],
                      fix=problem.fix_for())

    # the joined tab: the shared sheet's columns (its personal ones unnamed, so never read), then
    # the personal workbook's personal columns
    header = [("" if any(main_at.get(cid) == index for cid in personal_ids) else name)
              for index, name in enumerate(main.header)]
    added = [cid for cid in personal_ids if cid in side_at]
    width = len(header)
    header += [side.header[side_at[cid]] for cid in added]
    rows = []
    for position, row in enumerate(main.rows):
        cells = list(row[:width]) + [""] * (width - len(row))
        source = chosen[position]
        other = side.rows[source] if source >= 0 else []
        cells += [(other[side_at[cid]] if side_at[cid] < len(other) else "") if source >= 0 else "" for cid in added]
        rows.append(cells)
    joined = replace(main, header=header, rows=rows)
    main_numbers = np.asarray(main.row_numbers, dtype="int64")
    moved = Moved(
        main.file, title, frozenset(personal_labels.values()),
        {int(main_numbers[p]): (book, side_title, int(side_numbers[chosen[p]])) for p in np.flatnonzero(chosen >= 0)},
        frozenset(int(n) for n in main_numbers[~decided]))
    return joined, problems.combine([main_found.table(), side_found.table()]), moved


def _no_personal_tab(spec: TabSpec, personal: Sequence[RawTab]) -> pd.DataFrame:
    file = personal[0].file
    found = problems.Found(file)
    others = ", ".join(f"«{t.title}»" for t in personal if t.title)
    existing = f" (есть: {others})" if others else "; в ней нет ни одного листа"
    problem = catalogue.MISSING_TAB
    found.single(spec.name, None, "", problem, problem.message_for(tab=spec.name, existing=existing),
                 problem.fix_for(tab=spec.name))
    return found.table()


def _column(rows: list[list[str]], index: int) -> pd.Series:
    return pd.Series([clean(row[index]) if index < len(row) else "" for row in rows], dtype="str")


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
            part = text.map(lambda name: registry.resolve(name).uid or name.lower() if name else "")
        elif kind in ("text",):
            part = organisation_key(text)
        else:
            part = text
        parts.append(part.astype("str").fillna(""))
    joined = parts[0]
    for part in parts[1:]:
        joined = (joined + "\x1f" + part).where((joined != "") & (part != ""), "")
    return joined.reset_index(drop=True)


def _described(spec: TabSpec, keys: Sequence[tuple[str, ...]], cells: dict[str, pd.Series]) -> list[str]:
    """How each row is looked for, for a message: «искали по «ИНН» «2801234567»», «искали по
    «Наименование организации» «…» и «Муниципальное образование» «…»», or what it lacks to be
    looked for (never a personal column: the keys are not personal)."""
    said = []
    for position in range(len(next(iter(cells.values()))) if cells else 0):
        for key in keys:
            values = [cells[c].iat[position] for c in key]
            if all(values):
                said.append("искали по " + " и ".join(f"«{spec.column(c).name}» «{v}»" for c, v in zip(key, values)))
                break
        else:
            lacking = dict.fromkeys(f"«{spec.column(c).name}»" for key in keys for c in key
                                    if not cells[c].iat[position])
            said.append("в строке не заполнены " + ("ни " + ", ни ".join(lacking) if len(lacking) > 1
                                                    else next(iter(lacking), "ключи")))
    return said


def _locate(found: problems.Found, tab: RawTab, spec: TabSpec, cells: dict[str, pd.Series], registry: Registry) -> None:
    """Each row's number and municipality, for the problems of the join (grouped by municipality)."""
    municipality = spec.municipality_column
    names = cells.get(municipality.id) if municipality is not None else None
    if names is None:
        names = pd.Series([""] * len(tab.rows), dtype="str")
    resolved = [registry.resolve(name).uid if name else None for name in names.tolist()]
    uids = pd.Series([uid or "" for uid in resolved], dtype="str")
    shown = pd.Series([registry.name(uid) if uid else unresolved_label(name)
                       for uid, name in zip(resolved, names.tolist())], dtype="str")
    found.locate(np.asarray(tab.row_numbers, dtype="int64"), arrow_text(uids), arrow_text(shown))
