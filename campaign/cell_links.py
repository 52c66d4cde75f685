"""Links from a problem straight to its cell in the Google Sheet."""

from __future__ import annotations

import pandas as pd

from campaign.pipeline import Report


def problem_cell_urls(report: Report, problems: pd.DataFrame) -> pd.Series:
    """`…/edit#gid=<sheetId>&range=<A1>` for each problem; None where there is no such cell
    (a local file, a missing tab, or a sheet without ids)."""
    source = report.source
    base = source.url if source is not None and source.kind in ("google", "link") else None
    tabs = {data.title: data for data in report.tabs.values() if data.present}

    def url(problem) -> str | None:
        data = tabs.get(problem["tab"])
        if not base or data is None or problem["file"] or data.sheet_id is None:
            return None
        column_id = next((cid for cid, label in data.headers.items() if label == problem["column"]), None)
        letter = data.letters.get(column_id, "A") if column_id else "A"
        return f"{base}#gid={data.sheet_id}&range={letter}{int(problem['row']) or 1}"

    if problems.empty:
        return pd.Series([], dtype=object)
    return problems.apply(url, axis=1)
