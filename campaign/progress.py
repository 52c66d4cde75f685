"""Progress against the campaign's targets: metrics, per municipality, daily series, deadlines."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from campaign.duplicates import duplicate_groups, row_order
from campaign.problem_codes import ERROR, WARNING
from campaign.reading import TabData
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
    remaining: float  # how much is still missing to reach `min` (0 when met), in the metric's units
    above_max: bool
    source: str
    base: float | None = None  # for a share target: the value of `share_of` (all organisations)

    @property
    def is_share(self) -> bool:
        return self.base is not None

    @property
    def share(self) -> float | None:
        """value / base for a share target (None without a base to divide by)."""
        return self.value / self.base if self.base else None

    @property
    def goal(self) -> float | None:
        """`min` in the metric's units: for a share target, that share of the base."""
        if self.min is None or self.base is None:
            return self.min
        return math.ceil(self.min * self.base - 1e-9)


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
        mask &= filled(frame[column_id])
    if metric.unique and data.spec.unique is not None and mask.any():
        mask &= ~_later_duplicates(mask.to_numpy(), data)
    return mask


def filled(values: pd.Series) -> pd.Series:
    """Cells that hold something: a known choice, a date, a number or non-empty text."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return pd.Series(values.cat.codes.to_numpy() > 0, index=values.index)  # category 0 is ""
    if values.dtype.kind in "mMif" or str(values.dtype) in ("Int64", "Float64"):
        return values.notna()
    return values.notna() & (values != "")


def _later_duplicates(mask: np.ndarray, data: TabData) -> np.ndarray:
    """Among the rows in `mask`, the ones that repeat an earlier such row (same key of the
    tab's unique spec); False outside the mask."""
    rows = row_order(data.frame, data.spec)[mask]
    first = duplicate_groups(rows, [key[mask] for key in data.keys])
    later = np.zeros(len(mask), dtype=bool)
    later[mask] = (first >= 0) & (first != rows)
    return later


def metric_values(metric: MetricSpec, data: TabData, mask: pd.Series) -> pd.Series:
    """The per-row contribution of each counted row: 1 for a count, the number for a sum."""
    if metric.aggregate == "sum":
        assert metric.column is not None
        return data.frame[metric.column].where(mask).fillna(0).astype("int64")
    return mask.astype("int64")


def target_progress(target: TargetSpec, value: float, base: float | None = None) -> TargetProgress:
    """Progress toward a target; `base` is the value of its `share_of` metric, if it has one."""
    if target.share_of is not None:
        base = float(base or 0)
        goal = None if target.min is None else math.ceil(target.min * base - 1e-9)
        top = None if target.max is None else target.max * base
        met = goal is None or (value >= goal and base > 0)  # nothing to share of is not «all of it»
    else:
        base, goal, top = None, target.min, target.max
        met = goal is None or value >= goal
    remaining = 0.0 if met or goal is None else float(max(goal - value, 0))
    above = top is not None and value > top
    return TargetProgress(target.id, target.label, target.metric, value, target.min, target.max,
                          met, remaining, above, target.source, base)


def deadline_statuses(campaign: Campaign, as_of: date) -> list[DeadlineStatus]:
    return [
        DeadlineStatus(d.date, d.what, d.sender, d.recipient, d.source, (d.date - as_of).days)
        for d in sorted(campaign.deadlines, key=lambda d: d.date)
    ]


def daily_series(dates: pd.Series, values: pd.Series, start: date, end: date) -> pd.DataFrame:
    """Per-day totals and the running total, from `start` to `end` inclusive.

    Rows dated before the window count on its first day, rows dated after `end` on its last;
    only rows without a readable date are left out of the series (they are in the totals;
    `attrs["undated"]`).
    """
    days = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq="D")
    known = dates.notna().to_numpy()
    weights = values.to_numpy(dtype="float64")
    offsets = ((dates.to_numpy()[known] - np.datetime64(start, "D")) // np.timedelta64(1, "D")).astype("int64")
    offsets = np.clip(offsets, 0, len(days) - 1)
    daily = np.bincount(offsets, weights=weights[known], minlength=len(days)).astype("int64")
    series = pd.DataFrame({"date": days, "value": daily})
    series["cumulative"] = series["value"].cumsum()
    series.attrs["undated"] = int(weights[~known].sum())
    return series


def municipality_codes(frame: pd.DataFrame, registry: Registry) -> np.ndarray:
    """Each row's position in `registry.municipalities`, -1 where it has none."""
    uids = pd.Index([m.uid for m in registry.municipalities])
    return uids.get_indexer(frame["_uid"]).astype("int64")


def _per_code(codes: np.ndarray, weights: np.ndarray | None, size: int) -> np.ndarray:
    known = codes >= 0
    picked = None if weights is None else weights[known]
    return np.bincount(codes[known], weights=picked, minlength=size).astype("int64")


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
    size = len(registry.municipalities)
    codes = {tab_id: data.frame["_code"].to_numpy(dtype="int64") for tab_id, data in tabs.items()}
    for metric in campaign.metrics:
        data = tabs[metric.tab]
        values = metric_values(metric, data, masks[metric.id]).to_numpy(dtype="float64")
        table[metric.id] = _per_code(codes[metric.tab], values, size)
    for breakdown in campaign.breakdowns:
        metric = campaign.metric(breakdown.metric)
        data = tabs[metric.tab]
        mask = masks[metric.id].to_numpy()
        by = data.frame[breakdown.by]
        by_codes = by.cat.codes.to_numpy()
        for choice in data.spec.column(breakdown.by).choices:
            wanted = by.cat.categories.get_loc(choice.value)
            table[f"{breakdown.id}:{choice.value}"] = _per_code(
                codes[metric.tab], (mask & (by_codes == wanted)).astype("float64"), size)
    problem_codes = municipality_codes(problems.rename(columns={"municipality_uid": "_uid"}), registry)
    for severity, column in ((ERROR, "errors"), (WARNING, "warnings")):
        table[column] = _per_code(problem_codes, (problems["severity"] == severity).to_numpy("float64"), size)
    for target in campaign.targets:
        if target.share_of is not None:
            base = table[target.share_of].astype("float64")
            table[f"share:{target.id}"] = (table[target.metric] / base.where(base > 0)).astype("Float64")
    table["rows"] = 0  # rows that report something: quota rows are not a report
    quota_tab = campaign.quota.tab if campaign.quota else None
    for tab_id, data in tabs.items():
        if tab_id != quota_tab and data.present:
            table["rows"] += _per_code(codes[tab_id], None, size)
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
