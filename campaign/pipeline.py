"""The whole pipeline: a workbook of raw tabs in, a report of progress and problems out."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from campaign import problems as problem_table
from campaign.frozen import frozen_frame, frozen_mapping, frozen_series
from campaign.municipal_files import folder_problems
from campaign.personal_join import join_personal, relocate
from campaign.problem_codes import ERROR, WARNING
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
from campaign.region_list import registry_for
from campaign.registry import Registry
from campaign.spec import Campaign
from campaign.workbook import RawTab, SourceInfo


@dataclass(frozen=True)
class Report:
    campaign: Campaign
    registry: Registry
    as_of: date
    tabs: Mapping[str, TabData]
    masks: Mapping[str, pd.Series]  # metric id -> rows of its tab that count
    metrics: Mapping[str, int]
    breakdowns: Mapping[str, Mapping[str, int]]
    targets: Sequence[TargetProgress]
    deadlines: Sequence[DeadlineStatus]
    municipalities: pd.DataFrame
    series: Mapping[str, pd.DataFrame]  # metric id -> daily series
    problems: pd.DataFrame
    source: SourceInfo | None = None
    read_at: datetime | None = None
    unassigned: Mapping[str, int] = field(default_factory=dict)  # metric id -> value with no municipality

    @property
    def errors(self) -> int:
        return int((self.problems["severity"] == ERROR).sum())

    @property
    def warnings(self) -> int:
        return int((self.problems["severity"] == WARNING).sum())

    @property
    def from_files(self) -> bool:
        """The rows came from several workbooks (a folder of municipal files): each row knows its file."""
        return any("_file" in tab.frame.columns for tab in self.tabs.values())

    @property
    def data_place(self) -> problem_table.DataPlace:
        """Where the municipalities type the data (campaign/problems.data_place)."""
        return problem_table.data_place(self.source, files=self.from_files)

    def where_to_fix(self, *, uploads: bool = False) -> str:
        """What a coordinator does to make a problem go away (campaign/problems.where_to_fix);
        `uploads`: the reader may upload the data."""
        return problem_table.where_to_fix(self.source, files=self.from_files, uploads=uploads)

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
    """The report as every session shares it (service/reads.py): nothing in it can be changed.
    Its frames, series and masks are the same data as tables that refuse any change in place
    (campaign/frozen.py: a value, a column, `inplace=True`, growing through `.loc`), their numbers
    read-only arrays; its dicts are read-only mappings, its lists tuples, the report and its
    tabs frozen dataclasses. What a page derives from them (a selection, `assign`, `copy`) is a
    plain pandas object it may change."""
    def keys(tab: TabData) -> tuple[np.ndarray, ...]:
        for codes in tab.keys:
            codes.flags.writeable = False
        return tuple(tab.keys)

    tabs = {tab_id: replace(tab, frame=frozen_frame(tab.frame), headers=frozen_mapping(tab.headers),
                            letters=frozen_mapping(tab.letters), keys=keys(tab))
            for tab_id, tab in report.tabs.items()}
    return replace(
        report,
        tabs=frozen_mapping(tabs),
        masks=frozen_mapping({k: frozen_series(v) for k, v in report.masks.items()}),
        metrics=frozen_mapping(report.metrics),
        breakdowns=frozen_mapping({k: frozen_mapping(v) for k, v in report.breakdowns.items()}),
        targets=tuple(report.targets),
        deadlines=tuple(report.deadlines),
        municipalities=frozen_frame(report.municipalities),
        series=frozen_mapping({k: frozen_frame(v) for k, v in report.series.items()}),
        problems=frozen_frame(report.problems),
        unassigned=frozen_mapping(report.unassigned),
    )


def restamped(report: Report, read_at: datetime | None, source: SourceInfo | None) -> Report:
    """The one change a shared report takes: a sheet read again unchanged keeps its report (and
    every drawing made of it) with the new read's time and source."""
    object.__setattr__(report, "read_at", read_at)
    object.__setattr__(report, "source", source)
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
    registry = registry or registry_for(campaign, tabs)
    as_of = as_of or date.today()
    window = (campaign.start, campaign.end)

    joined = join_personal(tabs, campaign, registry)  # personal columns kept apart, if any
    tabs = joined.tabs
    read: dict[str, TabData] = {}
    found = [joined.problems]
    for spec in campaign.tabs:
        read[spec.id], tab_problems = read_tab(spec, tabs, registry, window, campaign.of_what)
        found.append(tab_problems)
    found.append(folder_problems(tabs, campaign.tabs, {tab_id: data.frame for tab_id, data in read.items()},
                                 registry))
    tab_order = [tab.title or tab.spec.name for tab in read.values()]
    problems = problem_table.in_reading_order(relocate(problem_table.combine(found), joined), tab_order)

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
