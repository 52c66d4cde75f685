"""«По дням отчётов»: each target's value as the dashboard saw it at the end of each day, from the
history of reads — beside the burn-up, which counts the rows by the dates typed in them.

The two disagree on purpose: a row typed today with last week's date moves last week on the
burn-up and today here. A day's figure is that of the day's last read (the region's own days).
Figures are small (a value and a goal per target), so they are kept with the read's snapshot and
a past day never needs its workbook again (`figures_of`, `campaign_digest`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol, Sequence
from zoneinfo import ZoneInfo

import pandas as pd

from campaign import russian
from campaign.pipeline import Report
from campaign.spec import Campaign

# what a figure means changes with the counting rules: a new version makes every figure again
FIGURES_VERSION = 1

Figures = dict[str, tuple[float, float | None]]  # target id -> (value, goal in the metric's units)


class Read(Protocol):
    read_at: datetime
    snapshot_id: int


@dataclass(frozen=True)
class ReportDay:
    day: date  # in the region's time
    read_at: datetime  # of the day's last read
    figures: Figures


def figures_of(report: Report) -> Figures:
    return {t.id: (float(t.value), None if t.goal is None else float(t.goal)) for t in report.targets}


def campaign_digest(campaign: Campaign) -> str:
    """Names the counting rules figures were made with: the campaign's rules and `FIGURES_VERSION`
    (figures made under other rules are not reused)."""
    return hashlib.sha256(f"{FIGURES_VERSION}\n{campaign!r}".encode("utf-8")).hexdigest()[:32]


def day_ends(reads: Sequence[Read], zone: str) -> list[Read]:
    """The last read of each day (in the time zone `zone`), oldest day first."""
    tz = ZoneInfo(zone)
    last: dict[date, Read] = {}
    for read in sorted(reads, key=lambda r: r.read_at):
        last[read.read_at.astimezone(tz).date()] = read
    return [last[day] for day in sorted(last)]


def charted_metrics(campaign: Campaign) -> list[str]:
    """The metrics with a target, the headline's first: what «по дням отчётов» can show."""
    ids = list(dict.fromkeys(t.metric for t in campaign.targets))
    headline = campaign.headline.id
    return ([headline] if headline in ids else []) + [m for m in ids if m != headline]


def report_days_frame(days: Sequence[ReportDay], campaign: Campaign, metric_id: str) -> pd.DataFrame:
    """One row per day and target of the metric: date, target (its label), value, goal (None when
    the target has none), the tooltip's texts and the day's last read."""
    zone = ZoneInfo(campaign.timezone)
    rows = []
    for point in days:
        for target in campaign.targets:
            if target.metric != metric_id or target.id not in point.figures:
                continue
            value, goal = point.figures[target.id]
            rows.append({"date": pd.Timestamp(point.day), "target": target.label, "value": value, "goal": goal,
                         "text": russian.number(value) if goal is None else russian.out_of(value, goal),
                         "goal_text": None if goal is None else f"цель: {russian.number(goal)}",
                         "read_at": russian.moment(point.read_at.astimezone(zone))})
    return pd.DataFrame(rows, columns=["date", "target", "value", "goal", "text", "goal_text", "read_at"])
