"""What the burn-up chart shows, the same on the dashboard and on the slide: a metric
cumulative by day, its targets, the deadlines, the «as of» day and an honest projection.

The projection continues the pace of the last days (`PACE_DAYS`), not the average since the
start; after `QUIET_DAYS` or more days with nothing added there is none (a pace that counts the
growth days before them is not «the pace now»), and the chart says how long it has been quiet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from campaign import russian
from campaign.pipeline import Report
from campaign.spec import MetricSpec

PACE_DAYS = 7
QUIET_DAYS = 3  # this many days in a row with nothing added: the pace of the days before is not today's
PAD_DAYS = 2  # room after the last day shown, for a label centred on it

_EMPTY_SERIES = pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "value": pd.Series(dtype="int64"),
                              "cumulative": pd.Series(dtype="int64")})


@dataclass(frozen=True)
class Pace:
    """The recent pace and where it leads by the end of the campaign."""

    days: int  # the days it is measured over
    per_day: float
    line: pd.DataFrame  # date, cumulative: from the last day shown to the campaign's end

    @property
    def end_total(self) -> float:
        return float(self.line["cumulative"].iloc[-1])

    @property
    def description(self) -> str:
        """«прогноз при темпе последних 7 дней (1,3 в день)»."""
        days = russian.count(self.days, ("дня", "дней", "дней"))
        return f"прогноз при темпе последних {days} ({russian.decimal(self.per_day)} в день)"


@dataclass(frozen=True)
class Burnup:
    metric: MetricSpec
    series: pd.DataFrame  # date, value, cumulative: one row a day from the start to the last day shown
    undated: int  # counted, but with no day to put them on
    goals: tuple[tuple[float, str], ...]  # (value, «цель: 20») of each target on the metric
    deadlines: pd.DataFrame  # date, text («9–10 марта»), what: one row per group of close deadlines
    as_of: date | None  # the «as of» day, where it falls inside the chart
    pace: Pace | None  # None when nothing was added lately, or the campaign is over
    quiet_days: int  # the days up to the last one shown with nothing added
    start: date
    end: date  # the last day on the x axis (the end, or the last deadline after it)

    @property
    def domain(self) -> tuple[date, date]:
        return self.start, self.end + timedelta(days=PAD_DAYS)

    @property
    def ticks(self) -> list[date]:
        """A tick every week from the start (every day for a campaign of two weeks or less)."""
        step = 1 if (self.end - self.start).days <= 14 else 7
        return [self.start + timedelta(days=step * i) for i in range((self.end - self.start).days // step + 1)]

    @property
    def total(self) -> int:
        """The figure the cards show: the line's end and the rows with no day to put them on."""
        dated = int(self.series["cumulative"].iloc[-1]) if not self.series.empty else 0
        return dated + self.undated

    @property
    def end_figure(self) -> str:
        """What the line's end says, on the page and on the slide: the cards' figure («54»)."""
        return russian.number(self.total)

    @property
    def end_note(self) -> str | None:
        """Under the figure, when some rows have no readable date: that the line leaves them out,
        so «54» beside a line ending at 53 does not contradict itself."""
        if not self.undated:
            return None
        return f"из них {russian.number(self.undated)} без даты — не на графике"

    @property
    def top(self) -> float:
        """The largest value any line reaches."""
        ends = [float(self.series["cumulative"].max()) if not self.series.empty else 0.0,
                *(goal for goal, _ in self.goals)]
        if self.pace is not None:
            ends.append(self.pace.end_total)
        return max(ends)


def burnup(report: Report, metric_id: str | None = None) -> Burnup:
    campaign = report.campaign
    metric = campaign.metric(metric_id or campaign.headline.id)
    series = report.series.get(metric.id)
    undated = int(series.attrs.get("undated", 0)) if series is not None else 0
    series = _EMPTY_SERIES if series is None else series[["date", "value", "cumulative"]]
    goals = tuple(dict.fromkeys((float(t.goal), f"цель: {russian.number(t.goal)}")
                                for t in report.targets if t.metric == metric.id and t.goal is not None))
    last = max([campaign.end, *(d.date for d in report.deadlines)])
    shown_as_of = report.as_of if campaign.start <= report.as_of <= last + timedelta(days=PAD_DAYS) else None
    return Burnup(metric, series, undated, goals, deadline_groups(report), shown_as_of,
                  recent_pace(report, series), quiet_days(series), campaign.start, last)


def quiet_days(series: pd.DataFrame) -> int:
    """How many days up to the last one shown added nothing (0 when the last day added some)."""
    values = series["value"].to_numpy()[::-1]
    added = values.nonzero()[0]
    return int(added[0]) if len(added) else len(values)


def recent_pace(report: Report, series: pd.DataFrame) -> Pace | None:
    """The pace of the last `PACE_DAYS` days (fewer at the start), continued to the campaign's end;
    None when nothing was added in the last `QUIET_DAYS` days, before the start and after the end."""
    campaign = report.campaign
    if series.empty or report.as_of < campaign.start:
        return None
    last_day = series["date"].iloc[-1].date()
    if last_day >= campaign.end:
        return None
    days = min(PACE_DAYS, len(series) - 1) if len(series) > 1 else 1
    total = float(series["cumulative"].iloc[-1])
    before = float(series["cumulative"].iloc[-1 - days]) if len(series) > days else 0.0
    per_day = (total - before) / days
    if per_day <= 0 or quiet_days(series) >= QUIET_DAYS:
        return None
    end_total = total + per_day * (campaign.end - last_day).days
    line = pd.DataFrame({"date": pd.to_datetime([last_day, campaign.end]), "cumulative": [total, end_total]})
    return Pace(days, per_day, line)


def deadline_groups(report: Report) -> pd.DataFrame:
    """One row per group of deadlines no more than two days apart: «15 февраля», «9–10 марта»,
    with what is due."""
    days = sorted({d.date for d in report.deadlines})
    groups: list[list[date]] = []
    for day in days:
        if groups and (day - groups[-1][-1]).days <= 2:
            groups[-1].append(day)
        else:
            groups.append([day])
    rows = []
    for group in groups:
        first, last = group[0], group[-1]
        what = "; ".join(dict.fromkeys(d.what for d in report.deadlines if first <= d.date <= last))
        rows.append({"date": pd.Timestamp(first + (last - first) / 2), "text": russian.day_span(first, last),
                     "what": what, "first": pd.Timestamp(first), "last": pd.Timestamp(last)})
    return pd.DataFrame(rows, columns=["date", "text", "what", "first", "last"])


def no_pace_text(chart: Burnup, as_of: date, end: date) -> str:
    """Why there is no projection, when there is none: «прогноза нет: 5 дней ничего не добавлялось»."""
    if chart.pace is not None or chart.series.empty or as_of >= end or not chart.quiet_days:
        return ""
    return f"прогноза нет: {russian.count(chart.quiet_days, russian.DAY_FORMS)} ничего не добавлялось"
