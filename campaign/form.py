"""The official results form and the contacts list, filled from a report (no file formats here)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from campaign import russian
from campaign.cells import format_phone
from campaign.pipeline import Report


@dataclass(frozen=True)
class FilledRow:
    label: str
    value: int | None  # None for a row of links only
    links: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class FilledForm:
    title: str
    as_of: str  # «по состоянию на 22.02.2022»
    rows: tuple[FilledRow, ...]
    municipality: str | None = None


def _rows_of(report: Report, metric_id: str, uid: str | None) -> pd.DataFrame:
    rows = report.counted(metric_id)
    return rows if uid is None else rows[rows["_uid"] == uid]


def metric_value(report: Report, metric_id: str, uid: str | None) -> int:
    if uid is None:
        return int(report.metrics[metric_id])
    table = report.municipalities.set_index("uid")
    return int(table.loc[uid, metric_id])


def form_title(report: Report, municipality_uid: str | None = None) -> str:
    """The title of the campaign's form, of the region or of one municipality."""
    campaign = report.campaign
    if campaign.form is None:
        raise ValueError(f"campaign {campaign.id} has no results form")
    names = {"region_genitive": campaign.region_name_genitive, "region_name": campaign.region_name}
    if municipality_uid is not None:
        names["municipality"] = report.registry.name(municipality_uid)
        return campaign.form.municipality_title.format(**names)
    return campaign.form.title.format(**names)


def results_form(report: Report, municipality_uid: str | None = None) -> FilledForm:
    """Every row of the campaign's form, in order, with numbers and links from the sheet."""
    title = form_title(report, municipality_uid)
    spec = report.campaign.form
    rows = []
    for row in spec.rows:
        value = sum(metric_value(report, m, municipality_uid) for m in row.metrics) if row.metrics else None
        links: tuple[str, ...] = ()
        if row.links_metric:
            counted = _rows_of(report, row.links_metric, municipality_uid)
            links = tuple(dict.fromkeys(link for link in counted[row.links_column].astype("str") if link))
        rows.append(FilledRow(row.label, value, links, row.note))
    as_of = f"по состоянию на {russian.day(report.as_of)}"
    municipality = report.registry.name(municipality_uid) if municipality_uid else None
    return FilledForm(title, as_of, tuple(rows), municipality)


def contacts_table(report: Report, municipality_uid: str | None = None) -> pd.DataFrame:
    """The organisations that joined with their contact person: personal data, handle with care."""
    campaign = report.campaign
    if campaign.contacts is None:
        raise ValueError(f"campaign {campaign.id} has no contacts list")
    spec = campaign.contacts
    metric = campaign.metric(spec.metric)
    tab = campaign.tab(metric.tab)
    rows = _rows_of(report, spec.metric, municipality_uid)
    table = pd.DataFrame(index=rows.index)
    for column_id in spec.columns:
        column = tab.column(column_id)
        values = rows[column_id].astype("str")
        if column.type == "phone":
            values = values.map(format_phone)
        table[column.name] = values
    return table.reset_index(drop=True)


@dataclass(frozen=True)
class RegionResults:
    region: str
    values: tuple[int, ...]  # one per numbered row of the form
    links: tuple[str, ...]  # the form's row of links only (the winners' videos)


@dataclass(frozen=True)
class FederalSummary:
    """The results form of every region of a federal campaign in one table: what the federal
    operator sums up from the regions' 15.03 reports."""

    title: str  # «Итоги акции #МояХартия на территории Российской Федерации»
    as_of: str
    columns: tuple[str, ...]  # the form's numbered rows, in its order
    links_label: str  # the form's row of links only
    regions: tuple[RegionResults, ...]
    total: tuple[int, ...]
    without_report: tuple[str, ...]  # the regions of the campaign with no report


def federal_summary(title: str, reports: list[Report], without_report: list[str]) -> FederalSummary:
    """Each region's filled form as a row, and their sum. `title`: the form's title of the whole
    country (the campaign's form title with the federal campaign's names)."""
    regions = []
    columns: tuple[str, ...] = ()
    links_label = ""
    for report in reports:
        form = results_form(report)
        columns = tuple(row.label for row in form.rows if row.value is not None)
        links_row = next((row for row in form.rows if row.value is None), None)
        links_label = links_row.label if links_row else ""
        regions.append(RegionResults(report.campaign.region_name,
                                     tuple(row.value for row in form.rows if row.value is not None),
                                     links_row.links if links_row else ()))
    total = tuple(sum(values) for values in zip(*(r.values for r in regions))) if regions else ()
    as_of = max((r.as_of for r in reports), default=None)
    return FederalSummary(title, f"по состоянию на {russian.day(as_of)}" if as_of else "", columns, links_label,
                          tuple(regions), total, tuple(without_report))
