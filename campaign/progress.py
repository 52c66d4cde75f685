"""Progress against the campaign's targets: metrics, per municipality, daily series, deadlines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from campaign.reading import TabData, duplicate_groups
from campaign.registry import Registry
from campaign.spec import Campaign, MetricSpec, TargetSpec


@dataclass(frozen=True)
class TargetProgress:
    id: str
    label: str
    metric: str
    value: float
    min: float | None
    max: float | None
    met: bool
    remaining: float  # how much is still missing to reach `min` (0 when met)
    above_max: bool
    source: str


@dataclass(frozen=True)
class DeadlineStatus:
    date: date
    what: str
    sender: str
    recipient: str
    source: str
    days_left: int  # negative once it has passed


def counted_rows(metric: MetricSpec, data: TabData, campaign: Campaign) -> pd.Series:
    """Which rows of the metric's tab count toward it (the counting rules of the README)."""
    frame = data.frame
    mask = pd.Series(True, index=frame.index)
    for column_id, allowed in metric.where.items():
        mask &= frame[column_id].isin(allowed)
    for column_id in metric.present:
        mask &= frame[column_id].notna() & (frame[column_id].astype("str") != "")
    if metric.unique and data.spec.unique is not None and mask.any():
        mask &= ~_later_duplicates(frame[mask], data).reindex(frame.index, fill_value=False)
    return mask


def _later_duplicates(rows: pd.DataFrame, data: TabData) -> pd.Series:
    """Among `rows`, the ones that repeat an earlier row (same key of the tab's unique spec)."""
    keys = [key[rows.index] for key in data.keys]
    first = duplicate_groups(rows, keys)
    return (first >= 0) & (first != rows["_row"])


def metric_values(metric: MetricSpec, data: TabData, mask: pd.Series) -> pd.Series:
    """The per-row contribution of each counted row: 1 for a count, the number for a sum."""
    if metric.aggregate == "sum":
        assert metric.column is not None
        return data.frame[metric.column].where(mask).fillna(0).astype("int64")
    return mask.astype("int64")


def target_progress(target: TargetSpec, value: float) -> TargetProgress:
    met = target.min is None or value >= target.min
    remaining = 0.0 if met else float(target.min - value)  # type: ignore[operator]
    above = target.max is not None and value > target.max
    return TargetProgress(target.id, target.label, target.metric, value, target.min, target.max,
                          met, remaining, above, target.source)


def deadline_statuses(campaign: Campaign, as_of: date) -> list[DeadlineStatus]:
    return [
        DeadlineStatus(d.date, d.what, d.sender, d.recipient, d.source, (d.date - as_of).days)
        for d in sorted(campaign.deadlines, key=lambda d: d.date)
    ]


def daily_series(dates: pd.Series, values: pd.Series, start: date, end: date) -> pd.DataFrame:
    """Per-day totals and the running total, from `start` to `end` inclusive.

    Rows dated before the window count on its first day; rows without a readable date are left
    out of the series (they are in the totals and reported as problems).
    """
    days = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq="D")
    known = dates.notna()
    clipped = dates[known].clip(lower=days[0]).dt.normalize()
    daily = values[known].groupby(clipped).sum().reindex(days, fill_value=0)
    before_end = clipped <= days[-1]
    series = pd.DataFrame({"date": days, "value": daily.to_numpy()})
    series["cumulative"] = series["value"].cumsum()
    series.attrs["undated"] = int(values[~known].sum()) + int(values[known][~before_end].sum())
    return series


def per_municipality(
    campaign: Campaign,
    registry: Registry,
    tabs: dict[str, TabData],
    masks: dict[str, pd.Series],
    problems: pd.DataFrame,
) -> pd.DataFrame:
    """One row per municipality of the region (also those with no rows at all)."""
    table = pd.DataFrame(
        {
            "uid": [m.uid for m in registry.municipalities],
            "name": [m.name for m in registry.municipalities],
            "short_name": [m.short_name for m in registry.municipalities],
            "kind": [m.kind for m in registry.municipalities],
        }
    ).set_index("uid", drop=False)
    for metric in campaign.metrics:
        data = tabs[metric.tab]
        values = metric_values(metric, data, masks[metric.id])
        by_uid = values.groupby(data.frame["_uid"]).sum() if len(values) else pd.Series(dtype="int64")
        table[metric.id] = by_uid.reindex(table.index, fill_value=0).astype("int64")
    for breakdown in campaign.breakdowns:
        metric = campaign.metric(breakdown.metric)
        data = tabs[metric.tab]
        rows = data.frame[masks[metric.id]]
        counts = rows.groupby(["_uid", breakdown.by]).size()
        for choice in data.spec.column(breakdown.by).choices:
            column = f"{breakdown.id}:{choice.value}"
            if len(counts):
                part = counts.xs(choice.value, level=1) if choice.value in counts.index.get_level_values(1) else None
            else:
                part = None
            table[column] = (part.reindex(table.index, fill_value=0) if part is not None else 0)
            table[column] = table[column].astype("int64")
    for severity, column in (("error", "errors"), ("warning", "warnings")):
        hits = problems[problems["severity"] == severity].groupby("municipality_uid").size()
        table[column] = hits.reindex(table.index, fill_value=0).astype("int64")
    table["rows"] = 0  # rows that report something: quota rows are not a report
    quota_tab = campaign.quota.tab if campaign.quota else None
    for tab_id, data in tabs.items():
        if tab_id != quota_tab and data.present and len(data.frame):
            table["rows"] += data.frame.groupby("_uid").size().reindex(table.index, fill_value=0)
    if campaign.quota is not None:
        quota = _quotas(campaign, tabs)
        table["quota"] = quota.reindex(table.index).astype("Int64")
        reached = table[campaign.quota.metric]
        table["quota_share"] = (reached / table["quota"].astype("Float64")).astype("Float64")
    return table.reset_index(drop=True)


def _quotas(campaign: Campaign, tabs: dict[str, TabData]) -> pd.Series:
    assert campaign.quota is not None
    data = tabs[campaign.quota.tab]
    if not data.present or data.frame.empty:
        return pd.Series(dtype="Int64")
    frame = data.frame[data.frame["_uid"] != ""]
    # the last quota row of a municipality wins
    return frame.groupby("_uid")[campaign.quota.column].last()
