"""The whole pipeline: a workbook of raw tabs in, a report of progress and problems out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd

from campaign import problems as problem_table
from campaign.progress import (
    DeadlineStatus,
    TargetProgress,
    counted_rows,
    daily_series,
    deadline_statuses,
    metric_values,
    per_municipality,
    target_progress,
)
from campaign.reading import TabData, read_tab
from campaign.registry import Registry, load_registry
from campaign.spec import Campaign
from data_sources.base import RawTab, SourceInfo


@dataclass
class Report:
    campaign: Campaign
    registry: Registry
    as_of: date
    tabs: dict[str, TabData]
    masks: dict[str, pd.Series]  # metric id -> rows of its tab that count
    metrics: dict[str, int]
    breakdowns: dict[str, dict[str, int]]
    targets: list[TargetProgress]
    deadlines: list[DeadlineStatus]
    municipalities: pd.DataFrame
    series: dict[str, pd.DataFrame]  # metric id -> daily series
    problems: pd.DataFrame
    source: SourceInfo | None = None
    read_at: datetime | None = None
    unassigned: dict[str, int] = field(default_factory=dict)  # metric id -> value with no municipality

    @property
    def errors(self) -> int:
        return int((self.problems["severity"] == "error").sum())

    @property
    def warnings(self) -> int:
        return int((self.problems["severity"] == "warning").sum())

    def silent_municipalities(self) -> list[str]:
        """Municipalities with no rows at all in the sheet."""
        table = self.municipalities
        return table.loc[table["rows"] == 0, "name"].tolist()

    def counted(self, metric_id: str) -> pd.DataFrame:
        """The rows that count toward a metric."""
        metric = self.campaign.metric(metric_id)
        frame = self.tabs[metric.tab].frame
        return frame[self.masks[metric_id]]


def read_only(report: Report) -> Report:
    """The report's tables made read-only where pandas allows it: writing a value into one of
    its frames, series or masks raises instead of changing what every session is shown (the
    report of a read is shared: service/reads.py). Text columns are Arrow arrays, immutable
    already. Returns the report."""
    def freeze(data) -> None:
        blocks = data._mgr.blocks
        for block in blocks:
            values = getattr(block, "values", None)
            if isinstance(values, np.ndarray):
                values.flags.writeable = False

    frames = [report.municipalities, report.problems, *report.series.values(), *report.masks.values(),
              *(tab.frame for tab in report.tabs.values())]
    for frame in frames:
        freeze(frame)
    return report


def run(
    tabs: list[RawTab],
    campaign: Campaign,
    *,
    as_of: date | None = None,
    registry: Registry | None = None,
    source: SourceInfo | None = None,
    read_at: datetime | None = None,
) -> Report:
    registry = registry or load_registry(campaign.region_iso)
    as_of = as_of or date.today()
    window = (campaign.start, campaign.end)

    read: dict[str, TabData] = {}
    found = []
    for spec in campaign.tabs:
        read[spec.id], tab_problems = read_tab(spec, tabs, registry, window, campaign.of_what)
        found.append(tab_problems)
    tab_order = [tab.title or tab.spec.name for tab in read.values()]
    problems = problem_table.in_reading_order(problem_table.combine(found), tab_order)

    masks: dict[str, pd.Series] = {}
    metrics: dict[str, int] = {}
    unassigned: dict[str, int] = {}
    series: dict[str, pd.DataFrame] = {}
    series_end = max(min(as_of, campaign.end), campaign.start)
    for metric in campaign.metrics:
        data = read[metric.tab]
        mask = counted_rows(metric, data, campaign)
        values = metric_values(metric, data, mask)
        masks[metric.id] = mask
        metrics[metric.id] = int(values.sum())
        unassigned[metric.id] = int(values[data.frame["_uid"] == ""].sum()) if len(values) else 0
        if metric.date_column:
            series[metric.id] = daily_series(data.frame[metric.date_column][mask], values[mask],
                                             campaign.start, series_end)

    breakdowns = {}
    for breakdown in campaign.breakdowns:
        metric = campaign.metric(breakdown.metric)
        data = read[metric.tab]
        counts = data.frame.loc[masks[metric.id], breakdown.by].value_counts()
        breakdowns[breakdown.id] = {
            choice.value: int(counts.get(choice.value, 0)) for choice in data.spec.column(breakdown.by).choices
        }

    return Report(
        campaign=campaign,
        registry=registry,
        as_of=as_of,
        tabs=read,
        masks=masks,
        metrics=metrics,
        breakdowns=breakdowns,
        targets=[target_progress(t, metrics[t.metric], metrics.get(t.share_of)) for t in campaign.targets],
        deadlines=deadline_statuses(campaign, as_of),
        municipalities=per_municipality(campaign, registry, read, masks, problems),
        series=series,
        problems=problems,
        source=source,
        read_at=read_at,
        unassigned=unassigned,
    )
