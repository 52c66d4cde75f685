"""What changed between two reads of a sheet, and which rows disappeared from it.

`changes(now, before)` compares two reports: every target's value, every municipality's metrics,
problems fixed and new. `lost_rows(...)` takes the rows the history noted as gone and keeps those
nobody can find in the sheet any more: an organisation is found by its keys (ИНН, or its name in
its municipality — the keys of the duplicate check), so a row edited in place is not lost; a row
of another tab is found by its content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, Sequence
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from campaign import russian
from campaign.cells import inn_digits
from campaign.duplicates import organisation_key
from campaign.grid import text_column
from campaign.pipeline import Report
from campaign.reading import find_columns, find_tab, read_tab
from campaign.text import label_key
from campaign.workbook import RawTab, file_of, title_of


@dataclass(frozen=True)
class TargetChange:
    id: str
    label: str
    metric: str
    before: float
    now: float

    @property
    def delta(self) -> float:
        return self.now - self.before


@dataclass(frozen=True)
class MunicipalityChange:
    uid: str
    name: str
    deltas: dict[str, int]  # metric id -> now minus before (only those that changed)
    fixed: int  # problems gone
    new: int  # problems that appeared


@dataclass(frozen=True)
class Changes:
    since: datetime | None  # when the earlier read was made
    targets: tuple[TargetChange, ...]
    metrics: dict[str, int]  # metric id -> now minus before, region-wide
    municipalities: tuple[MunicipalityChange, ...]  # only those with a change
    fixed: int
    new: int

    def delta(self, metric_id: str) -> int:
        return self.metrics.get(metric_id, 0)

    @property
    def empty(self) -> bool:
        return not any(self.metrics.values()) and not self.fixed and not self.new


_PROBLEM_KEY = ["file", "tab", "column", "code", "message", "municipality_uid"]  # the same problem in two reads


def _problem_counts(report: Report) -> pd.Series:
    """How many times each problem (by `_PROBLEM_KEY`, not its row: rows move) is in the report."""
    return report.problems.groupby(_PROBLEM_KEY, sort=False, dropna=False).size()


def changes(now: Report, before: Report) -> Changes:
    """`now` against `before` (two reads of the same campaign)."""
    campaign = now.campaign
    metric_ids = [m.id for m in campaign.metrics]
    metrics = {m: int(now.metrics.get(m, 0)) - int(before.metrics.get(m, 0)) for m in metric_ids}
    earlier = {t.id: t for t in before.targets}
    targets = tuple(TargetChange(t.id, t.label, t.metric, float(earlier[t.id].value) if t.id in earlier else 0.0,
                                 float(t.value)) for t in now.targets)
    difference = _problem_counts(now).sub(_problem_counts(before), fill_value=0)
    new, gone = difference[difference > 0], -difference[difference < 0]
    new_by_uid = {k: int(v) for k, v in new.groupby(level="municipality_uid").sum().items()}
    fixed_by_uid = {k: int(v) for k, v in gone.groupby(level="municipality_uid").sum().items()}
    table_now = now.municipalities.set_index("uid")
    table_before = before.municipalities.set_index("uid")
    found = []
    for uid, row in table_now.iterrows():
        deltas = {}
        for metric_id in metric_ids:
            old = int(table_before.at[uid, metric_id]) if uid in table_before.index else 0
            if int(row[metric_id]) != old:
                deltas[metric_id] = int(row[metric_id]) - old
        if deltas or new_by_uid.get(uid) or fixed_by_uid.get(uid):
            found.append(MunicipalityChange(uid, row["name"], deltas, fixed_by_uid.get(uid, 0), new_by_uid.get(uid, 0)))
    return Changes(before.read_at, targets, metrics, tuple(found), int(gone.sum()), int(new.sum()))


def change_line(report: Report, change: Changes) -> str:
    """«+3 организации, +2 мероприятия; исправлено проблем: 4, новых: 1» — the summary metrics and
    the problems; «без изменений» when nothing moved."""
    metrics = report.campaign.summary_metrics
    by_unit = len({metric.unit for metric in metrics}) == len(metrics)  # else «ответственный назначен +13»
    parts = []
    for metric in metrics:
        delta = change.delta(metric.id)
        if delta:
            parts.append(signed(delta, metric.unit) if by_unit else f"{metric.heading.lower()} {signed(delta)}")
    problems = []
    if change.fixed:
        problems.append(f"исправлено проблем: {russian.number(change.fixed)}")
    if change.new:
        problems.append(f"новых проблем: {russian.number(change.new)}")
    text = "; ".join(part for part in (", ".join(parts), ", ".join(problems)) if part)
    return text or "без изменений"


def signed(delta: int, unit: tuple[str, str, str] | None = None) -> str:
    """«+3 организации», «−1 организация», «+2»."""
    sign = "+" if delta > 0 else "−"
    amount = russian.count(abs(delta), unit) if unit else russian.number(abs(delta))
    return f"{sign}{amount}"


# ---------------------------------------------------------------- lost rows


class GoneRow(Protocol):
    """A row the history noted as gone (history.store.GoneRow)."""

    tab: str
    row: int
    cells: list[str]
    header: list[str]
    last_seen: datetime


@dataclass(frozen=True)
class LostRow:
    tab: str  # the tab's place in the read that had it (its title, after its file's in a workbook of files)
    row: int  # its row number there
    municipality: str
    municipality_uid: str
    last_seen: datetime
    header: tuple[str, ...]
    cells: tuple[str, ...]


_OFFSET = 10_000_000  # row numbers of the gone rows while they are read beside the sheet's own


def lost_rows(report: Report, tabs: Sequence[RawTab], gone: Sequence[GoneRow]) -> list[LostRow]:
    """The gone rows nobody can find in the current read `tabs` (the report's own workbook)."""
    found: list[LostRow] = []
    campaign = report.campaign
    for spec in campaign.tabs:
        of_spec = [g for g in gone if spec.is_named(title_of(g.tab))]
        for file in dict.fromkeys(file_of(g.tab) for g in of_spec):  # each file of a workbook of files apart
            candidates = [g for g in of_spec if file_of(g.tab) == file]
            found.extend(_lost_of_tab(report, spec, find_tab(spec, [t for t in tabs if t.file == file]), candidates))
    found.sort(key=lambda lost: (lost.municipality_uid == "", lost.municipality, lost.tab, lost.row))
    return found


def _lost_of_tab(report: Report, spec, current: RawTab | None, candidates: Sequence[GoneRow]) -> list[LostRow]:
    """The candidates (gone rows of one tab) nobody can find in that tab now (`current`)."""
    campaign, found = report.campaign, []
    header = list(current.header) if current is not None else list(candidates[0].header)
    rows = list(current.rows) if current is not None else []
    numbers = list(current.row_numbers) if current is not None else []
    mapped = _in_header(candidates, header)
    # read beside the candidates only the rows of the sheet that may share a key with one
    nearby = _may_share_a_key(spec, header, rows, mapped) if spec.unique is not None else []
    together = RawTab(current.title if current is not None else title_of(candidates[0].tab), header,
                      [rows[i] for i in nearby] + mapped,
                      [numbers[i] for i in nearby] + [_OFFSET + i for i in range(len(mapped))])
    data, _problems = read_tab(spec, [together], report.registry, (campaign.start, campaign.end),
                               campaign.of_what)
    frame = data.frame
    row_numbers = frame["_row"].to_numpy(dtype="int64")
    is_candidate = row_numbers >= _OFFSET
    if spec.unique is not None and data.keys:
        # a candidate is still there when a row of the sheet has one of its keys
        still_there = np.zeros(len(row_numbers), dtype=bool)
        for key in data.keys:
            in_sheet = np.unique(key[~is_candidate & (key >= 0)])
            still_there |= is_candidate & (key >= 0) & np.isin(key, in_sheet)
    else:
        present = {tuple(str(cell).strip() for cell in row) for row in rows}
        still_there = np.array([row_number >= _OFFSET and tuple(
            cell.strip() for cell in mapped[row_number - _OFFSET]) in present for row_number in row_numbers])
    for position in np.flatnonzero(is_candidate & ~still_there):
        candidate = candidates[int(row_numbers[position]) - _OFFSET]
        found.append(LostRow(candidate.tab, candidate.row, str(frame["_mo"].iat[position]),
                             str(frame["_uid"].iat[position]), candidate.last_seen, tuple(candidate.header),
                             tuple(candidate.cells)))
    return found


def _in_header(gone: Sequence[GoneRow], header: list[str]) -> list[list[str]]:
    """The gone rows' cells in the order of the current header (columns may have moved)."""
    wanted = [label_key(name) for name in header]
    orders: dict[tuple[str, ...], list[int]] = {}
    mapped = []
    for row in gone:
        order = orders.get(tuple(row.header))
        if order is None:
            position = {label_key(name): index for index, name in enumerate(row.header)}
            order = orders[tuple(row.header)] = [position.get(key, -1) for key in wanted]
        cells = row.cells
        mapped.append([cells[i] if 0 <= i < len(cells) else "" for i in order])
    return mapped


def _may_share_a_key(spec, header: list[str], rows: list[list], candidates: list[list[str]]) -> list[int]:
    """The positions of the rows whose ИНН or name (as the duplicate check compares them) is that
    of a candidate: a superset of the rows that share a key of the tab's unique spec with one
    (every key has such a column besides the municipality). All rows when a key has none."""
    positions = find_columns(spec, header)
    columns = {}
    for key in spec.unique.keys:
        named = [c for c in key if spec.column(c).type != "municipality"]
        if not named:
            return list(range(len(rows)))
        columns.update({c: positions[c] for c in named if c in positions})
    if not columns:
        return []
    near = np.zeros(len(rows), dtype=bool)
    for column_id, position in columns.items():
        compared = inn_digits if spec.column(column_id).type == "inn" else organisation_key
        wanted = set(compared(text_column(candidates, position)).tolist()) - {""}
        near |= compared(text_column(rows, position)).isin(wanted).to_numpy()
    return np.flatnonzero(near).tolist()


def lost_headline(lost: Sequence[LostRow], zone: str) -> str:
    """«Из таблицы пропали 12 строк, которые были в ней 01.03.2022 10:00» (the latest of those
    times, in the region's time zone)."""
    latest = max(row.last_seen for row in lost).astimezone(ZoneInfo(zone))
    verb = russian.plural(len(lost), ("пропала", "пропали", "пропали"))
    which = russian.plural(len(lost), ("которая была", "которые были", "которые были"))
    return (f"Из таблицы {verb} {russian.count(len(lost), ('строка', 'строки', 'строк'))}, {which} в ней "
            f"{russian.moment(latest)}")
