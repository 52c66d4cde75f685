"""Who lags and what is due next: what the first screen and the slide answer before anything else.

Municipalities are ranked the way a ministry's «контроль поручений» ranks them: those that sent
nothing at all first, then the lowest share of their own target — the «Цели» tab's quota, or the
share targets of the campaign file («every organisation …») — each with what it still owes in
words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from campaign import russian
from campaign.pipeline import Report
from campaign.progress import DeadlineStatus


@dataclass(frozen=True)
class Laggard:
    uid: str
    name: str
    silent: bool  # no row at all in the sheet
    share: float | None  # of its quota, or the lowest of its share targets; None without a target
    owes: tuple[str, ...]  # «ещё 3 организации», «нет мероприятий»
    errors: int


def laggards(report: Report, limit: int | None = 5) -> list[Laggard]:
    """The municipalities furthest behind, the furthest first; only those that owe something."""
    campaign = report.campaign
    table = report.municipalities
    headline = campaign.headline
    shares = [t for t in campaign.targets if t.share_of is not None]
    events = _events_metric(report)
    found = []
    for row in table.to_dict("records"):
        owes: list[str] = []
        share: float | None = None
        quota = row.get("quota")
        if quota is not None and not pd.isna(quota) and quota > 0:
            value = int(row[headline.id])
            share = value / float(quota)
            if value < quota:
                owes.append("ещё " + _amount(int(quota) - value, headline.unit))
        missing = []
        for target in shares:
            base, value = int(row[target.share_of]), int(row[target.metric])
            if base == 0:
                continue
            needed = math.ceil((target.min or 0) * base - 1e-9)
            own = value / base
            share = own if share is None else min(share, own)
            if value < needed:
                missing.append((campaign.metric(target.metric), needed - value))
        if missing:  # one unit for all: «ещё организаций: ответственный назначен — 2, баннер размещён — 3»
            unit = missing[0][0].unit
            if len(missing) == 1 or not unit:
                owes += [f"{m.heading.lower()}: ещё {_amount(n, m.unit)}" for m, n in missing]
            else:
                owes.append(f"ещё {unit[2]}: " + ", ".join(f"{m.heading.lower()} — {russian.number(n)}"
                                                           for m, n in missing))
        silent = int(row["rows"]) == 0
        if events is not None and int(row[events.id]) == 0 and not silent:
            owes.append("нет мероприятий")
        if silent:
            owes.insert(0, "в таблице нет ни одной строки")
        if owes:
            found.append(Laggard(row["uid"], row["name"], silent, share, tuple(owes), int(row["errors"])))
    found.sort(key=lambda m: (not m.silent, m.share if m.share is not None else 2.0, -len(m.owes), m.name))
    return found if limit is None else found[:limit]


def _events_metric(report: Report):
    """The count of events, where the campaign has an events page."""
    dashboard = report.campaign.dashboard
    if dashboard is None or dashboard.events is None:
        return None
    return report.campaign.metric(dashboard.events.metric)


def _amount(value: int, unit: tuple[str, str, str] | None) -> str:
    return russian.count(value, unit) if unit else russian.number(value)


def next_deadline(report: Report) -> DeadlineStatus | None:
    """The first deadline from «as of» on (today's included); None when all have passed."""
    return next((d for d in report.deadlines if d.days_left >= 0), None)


def deadlines_due_together(report: Report) -> list[DeadlineStatus]:
    """Every deadline on the day of the next one (two letters may name the same day)."""
    upcoming = next_deadline(report)
    return [] if upcoming is None else [d for d in report.deadlines if d.date == upcoming.date]


def passed_deadlines(report: Report) -> list[DeadlineStatus]:
    return [d for d in report.deadlines if d.days_left < 0]


def reported_by(report: Report, deadline: DeadlineStatus) -> tuple[int, int] | None:
    """For a passed deadline the municipalities owed: how many of them had a counted row of the
    headline dated by then, of how many — whether it was met, as far as the sheet tells; None for
    a deadline of the ministry's own (the sheet does not say what it sent)."""
    metric = report.campaign.headline
    # the campaign file says who owes a deadline only in words: «Муниципалитеты…», «Муниципальные районы…»
    if deadline.days_left >= 0 or "муниципал" not in deadline.sender.lower() or not metric.date_column:
        return None
    frame = report.tabs[metric.tab].frame
    by_then = report.masks[metric.id] & (frame[metric.date_column] <= pd.Timestamp(deadline.date))
    uids = frame.loc[by_then, "_uid"]
    return int(uids[uids.astype("str") != ""].nunique()), len(report.registry)


@dataclass(frozen=True)
class Pending:
    """Rows that do not count yet because of a choice: «заявка подана» without a memorandum."""

    value: str
    rows: int


def pending(report: Report) -> list[Pending]:
    """Per choice value that keeps a row of the headline's tab out of its count: how many rows."""
    metric = report.campaign.headline
    data = report.tabs[metric.tab]
    found = []
    for column_id, allowed in metric.where.items():
        column = data.spec.column(column_id)
        if column.type != "choice" or column.yes_no:
            continue
        counts = data.frame[column_id].value_counts()
        for choice in column.choices:
            if choice.value not in allowed and int(counts.get(choice.value, 0)):
                found.append(Pending(choice.value, int(counts[choice.value])))
    return found


def laggard_line(laggard: Laggard) -> str:
    """«г. Зея — ещё 2 организации; нет мероприятий»."""
    return f"{laggard.name} — {'; '.join(laggard.owes)}"
