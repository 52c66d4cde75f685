"""Problems found in the sheet: one row per problem, with where it is and how to fix it."""

from __future__ import annotations

import pandas as pd

ERROR, WARNING = "error", "warning"

SEVERITY = {
    "missing_tab": ERROR,
    "missing_column": ERROR,
    "missing_value": ERROR,
    "unknown_municipality": ERROR,
    "ambiguous_municipality": ERROR,
    "duplicate_organisation": WARNING,
    "invalid_date": ERROR,
    "date_outside_campaign": WARNING,
    "invalid_phone": ERROR,
    "invalid_inn": ERROR,
    "invalid_link": ERROR,
    "invalid_number": ERROR,
    "invalid_email": WARNING,
    "unknown_event_kind": ERROR,
    "unknown_status": ERROR,
    "unknown_platform": ERROR,
}

SEVERITY_LABELS = {ERROR: "ошибка", WARNING: "предупреждение"}

COLUMNS = ["tab", "row", "column", "code", "severity", "message", "fix", "municipality_uid", "municipality"]

NO_MUNICIPALITY = "Муниципалитет не указан"
WHOLE_SHEET = "Таблица целиком"  # problems of a whole tab or column


def severity(code: str) -> str:
    """Codes not listed (a campaign file's own choice codes) are warnings."""
    return SEVERITY.get(code, WARNING)


_EMPTY = pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else "str") for c in COLUMNS})


def empty() -> pd.DataFrame:
    return _EMPTY.copy()


def for_rows(
    rows: pd.DataFrame,
    *,
    tab: str,
    column: str,
    code: str,
    message: pd.Series | str,
    fix: pd.Series | str,
) -> pd.DataFrame:
    """Problems for every row of `rows` (a slice of a tab frame with `_row`, `_uid`, `_mo`)."""
    if rows.empty:
        return empty()
    frame = pd.DataFrame(
        {
            "tab": tab,
            "row": rows["_row"].astype("int64"),
            "column": column,
            "code": code,
            "severity": severity(code),
            "message": message,
            "fix": fix,
            "municipality_uid": rows["_uid"],
            "municipality": rows["_mo"],
        },
        index=rows.index,
    )
    return frame[COLUMNS]


def single(tab: str, row: int | None, column: str, code: str, message: str, fix: str) -> pd.DataFrame:
    """One problem about a whole tab or column (not tied to a municipality)."""
    return pd.DataFrame(
        [[tab, row if row is not None else 0, column, code, severity(code), message, fix, "", WHOLE_SHEET]],
        columns=COLUMNS,
    ).astype({"row": "int64"})


def combine(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if not p.empty]
    if not parts:
        return empty()
    return pd.concat(parts, ignore_index=True)


def in_reading_order(frame: pd.DataFrame, tab_order: list[str]) -> pd.DataFrame:
    """By municipality, then tab (in the campaign's order), row, errors before warnings."""
    rank = {title: number for number, title in enumerate(tab_order)}
    keys = frame.assign(_tab=frame["tab"].map(rank).fillna(-1), _severity=(frame["severity"] != ERROR))
    keys = keys.sort_values(["municipality", "_tab", "row", "_severity", "column"], kind="stable")
    return keys.drop(columns=["_tab", "_severity"]).reset_index(drop=True)
