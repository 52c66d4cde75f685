"""The official results form and the contacts list, filled from a report (no file formats here)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

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
    as_of = f"по состоянию на {report.as_of:%d.%m.%Y}"
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
