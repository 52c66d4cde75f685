"""Tables of the report for the pages: plain data in, DataFrames with Russian headers out."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from campaign.cells import format_phone
from campaign.access import Access
from campaign.pipeline import Report

PERSONAL_PLACEHOLDER = "скрыто"


def municipality_table(report: Report) -> pd.DataFrame:
    """One row per municipality, with Russian column names; for st.dataframe. The campaign's
    table metrics in order: a quota after its metric, a breakdown before its metric, a share
    (in %) after a target's metric."""
    table = report.municipalities
    campaign = report.campaign
    frame = pd.DataFrame({"Муниципалитет": table["name"], "uid": table["uid"]})
    breakdowns = {b.metric: b for b in campaign.breakdowns}
    shares = {t.metric: t for t in campaign.targets if t.share_of is not None}
    for metric in campaign.table_metrics:
        breakdown = breakdowns.get(metric.id)
        if breakdown is not None:
            for column in [c for c in table.columns if c.startswith(f"{breakdown.id}:")]:
                kind = column.split(":", 1)[1]
                frame[kind[:1].upper() + kind[1:]] = table[column]  # «…или ТВ» keeps its capitals
        frame[metric.heading] = table[metric.id]
        if campaign.quota is not None and metric.id == campaign.quota.metric and "quota" in table:
            frame["Цель"] = table["quota"]
            frame["Доля цели"] = (table["quota_share"].astype("Float64") * 100).round(0)
        if metric.id in shares:
            frame[share_heading(metric)] = (table[f"share:{shares[metric.id].id}"] * 100).round(0)
    frame["Ошибок"] = table["errors"]
    frame["Предупреждений"] = table["warnings"]
    return frame


def share_heading(metric) -> str:
    return f"{metric.heading}, %"


def rows_of(report: Report, tab_id: str, *, access: Access | None = None, uid: str | None = None,
            counted_metric: str | None = None) -> pd.DataFrame:
    """A tab's rows for display: row number, the spec's columns by name. Personal data leaves
    the server only for the rows `access` may see (None: nobody's); the rest say «скрыто»."""
    data = report.tabs[tab_id]
    frame = data.frame
    if uid is not None:
        frame = frame[frame["_uid"] == uid]
    out = pd.DataFrame({"Строка": frame["_row"]})
    allowed = (access.personal_rows(frame["_uid"]) if access is not None
               else pd.Series(False, index=frame.index))
    for column in data.spec.columns:
        values = frame[column.id]
        if column.type == "date":
            values = values.dt.strftime("%d.%m.%Y").fillna("")
        elif column.type == "choice" and f"_typed_{column.id}" in frame:
            typed = frame[f"_typed_{column.id}"]
            values = values.astype("str").where(typed == "", typed + " (не распознано)")
        if column.personal:
            shown = values.where(allowed, "")
            if column.type == "phone":
                shown = shown.map(format_phone)
            values = shown.where(allowed | (values.astype("str") == ""), PERSONAL_PLACEHOLDER)
        out[column.name] = values
    if counted_metric:
        out["Учтено"] = report.masks[counted_metric].reindex(frame.index).map({True: "да", False: "нет"})
    return out.reset_index(drop=True)


def link_columns(tab) -> dict:
    """Column config that shows a tab's link columns as links (only http(s) ever reaches them)."""
    return {c.name: st.column_config.LinkColumn(c.name, display_text="открыть") for c in tab.columns if c.type == "link"}
