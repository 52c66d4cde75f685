"""Tables of the report for the pages: plain data in, DataFrames with Russian headers out."""

from __future__ import annotations

import pandas as pd

from campaign.cells import format_phone
from campaign.access import Access
from campaign.pipeline import Report

PERSONAL_PLACEHOLDER = "скрыто"


def municipality_table(report: Report) -> pd.DataFrame:
    """One row per municipality, with Russian column names; for st.dataframe."""
    table = report.municipalities
    campaign = report.campaign
    frame = pd.DataFrame({"Муниципалитет": table["name"], "uid": table["uid"]})
    frame["Организаций"] = table["organisations_joined"]
    if "quota" in table:
        frame["Цель"] = table["quota"]
        frame["Доля цели"] = (table["quota_share"].astype("Float64") * 100).round(0)
    for breakdown in campaign.breakdowns:
        for column in [c for c in table.columns if c.startswith(f"{breakdown.id}:")]:
            kind = column.split(":", 1)[1]
            frame[kind[:1].upper() + kind[1:]] = table[column]  # «…или ТВ» keeps its capitals
    frame["Мероприятий всего"] = table["events_total"]
    frame["Охват, чел."] = table["reach"]
    frame["Ошибок"] = table["errors"]
    frame["Предупреждений"] = table["warnings"]
    return frame


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
