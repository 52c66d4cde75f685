"""Tables of the report for the pages: plain data in, DataFrames with Russian headers out, and one
way to show any of them — numbers «12 000», an empty value «—», no empty columns, the first
column pinned."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from campaign import russian
from campaign.access import Access
from campaign.cells import format_phone
from campaign.changes import signed
from campaign.pipeline import Report
from components.text import BIDI_PATTERN

PERSONAL_PLACEHOLDER = "скрыто"
PERSONAL_COLUMN = "Персональные данные"  # where a role sees none of a table's personal columns
EMPTY = "—"
MISSING = -1  # stands for a missing number in a shown table: it sorts first and reads «—»
# printf for whole numbers with a non-breaking space between thousands («12 000»): the «'»
# flag names the separator of «,» in Streamlit's sprintf
INTEGER_FORMAT = "%'\u00a0,d"
PERCENT_FORMAT = "%d %%"
# A table's own «Скачать CSV» writes cells as they are: a cell starting like a formula would run
# as one in Excel. An invisible zero-width space first keeps it text (the app shows no difference).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRAL = "\u200b"


def day_heading(metric) -> str:
    return f"{metric.heading}: за сутки"


def municipality_table(report: Report, yesterday=None) -> pd.DataFrame:
    """One row per municipality, with Russian column names; for `show`. The campaign's table
    metrics in order: a quota after its metric, a breakdown before its metric, a share (in %)
    after a target's metric; with `yesterday` (campaign.changes.Changes), the headline's change
    since the last read of the previous day after the headline."""
    table = report.municipalities
    campaign = report.campaign
    frame = pd.DataFrame({"Муниципалитет": table["name"], "uid": table["uid"]})
    breakdowns = {b.metric: b for b in campaign.breakdowns}
    shares = {t.metric: t for t in campaign.targets if t.share_of is not None}
    for metric in campaign.table_metrics:
        breakdown = breakdowns.get(metric.id)
        if breakdown is not None:
            for column in [c for c in table.columns if c.startswith(f"{breakdown.id}:")]:
                frame[breakdown.heading(column.split(":", 1)[1])] = table[column]
        frame[metric.heading] = table[metric.id]
        if yesterday is not None and metric.id == campaign.headline.id:
            deltas = {m.uid: m.deltas.get(metric.id, 0) for m in yesterday.municipalities}
            # «+2», «−1»; nothing where nothing changed (a column of «+0» hid the few that moved)
            frame[day_heading(metric)] = table["uid"].map(deltas).fillna(0).astype("int64").map(
                lambda delta: signed(int(delta)) if delta else "")
        if campaign.quota is not None and metric.id == campaign.quota.metric and "quota" in table:
            frame["Цель"] = table["quota"]
            frame["Доля цели"] = (table["quota_share"].astype("Float64") * 100).round(0)
        if metric.id in shares:
            frame[share_heading(metric)] = (table[f"share:{shares[metric.id].id}"] * 100).round(0)
    frame["Ошибок"] = table["errors"]
    frame["Предупреждений"] = table["warnings"]
    return frame


def in_lag_order(table: pd.DataFrame, report: Report) -> pd.DataFrame:
    """`municipality_table` with those who lag first, as «Кто отстаёт» ranks them (silent ones,
    then the furthest behind), the rest in the registry's order."""
    from campaign.lagging import laggards

    rank = {laggard.uid: place for place, laggard in enumerate(laggards(report, limit=None))}
    order = table["uid"].map(rank).fillna(len(rank)).astype("int64")
    return table.iloc[order.argsort(kind="stable")].reset_index(drop=True)


def counted_rows_note(report: Report) -> str:
    """What the figures leave out: «повтор считается один раз; не учтены строки со статусом
    «заявка подана»» — from the campaign's own rules, not one campaign's words."""
    from campaign.lagging import pending

    left_out = [f"«{item.value}»" for item in pending(report)]
    note = "повтор одной организации считается один раз"
    return note + (f"; не учтены строки со статусом {', '.join(left_out)}" if left_out else "")


def share_heading(metric) -> str:
    return f"{metric.heading}, %"


PAGE_ROWS = 100  # rows of a listing per page: what a page sends never grows with the sheet
SHOWN_ROWS = 25  # rows a listing shows before it scrolls
ROW_PIXELS, HEADER_PIXELS = 35, 38  # Streamlit's row and header heights
LONG_TEXT = 30  # characters: a column of texts this long (a median) is drawn wide


def page_rows(total: int, key: str, what: str) -> slice:
    """Which rows of a listing of `total` to show now: all of them when they fit one page, else
    a page chosen by number, with «Показаны <what> 201–400 из 33 333.» (`what`: «мероприятия»)."""
    pages = max(1, -(-total // PAGE_ROWS))
    if pages == 1:
        return slice(0, total)
    number = st.number_input(f"Страница (всего {russian.number(pages)})", min_value=1, max_value=pages, value=1,
                             step=1, key=key)
    start = (min(int(number), pages) - 1) * PAGE_ROWS
    end = min(start + PAGE_ROWS, total)
    st.caption(f"Показаны {what} {russian.number(start + 1)}–{russian.number(end)} из {russian.number(total)}.")
    return slice(start, end)


def page_of(frame: pd.DataFrame, key: str, what: str) -> pd.DataFrame:
    """The page of a long table to show now (`page_rows`)."""
    return frame.iloc[page_rows(len(frame), key, what)]


def rows_of(report: Report, tab_id: str, *, access: Access | None = None, uid: str | None = None,
            counted_metric: str | None = None, rows: slice | None = None) -> pd.DataFrame:
    """A tab's rows for display: row number, the spec's columns by name. Personal data leaves
    the server only for the rows `access` may see (None: nobody's); the rest say «скрыто» — in
    one column «Персональные данные» where no row may be seen.
    `rows`: only these of them (a page of a long listing: `page_rows`)."""
    data = report.tabs[tab_id]
    frame = data.frame
    if uid is not None:
        frame = frame[frame["_uid"] == uid]
    if rows is not None:
        frame = frame.iloc[rows]
    out = pd.DataFrame({"Строка": frame["_row"]})
    allowed = (access.personal_rows(frame["_uid"]) if access is not None
               else pd.Series(False, index=frame.index))
    for column in data.spec.columns:
        values = frame[column.id]
        if column.type == "date":
            values = values.dt.strftime(russian.DAY_FORMAT).fillna("")
        elif column.type == "choice":
            values = values.astype("str")
            if f"_typed_{column.id}" in frame:
                typed = frame[f"_typed_{column.id}"]
                values = values.where(typed == "", typed + " (не распознано)")
        if column.personal:
            shown = values.where(allowed, "")
            if column.type == "phone":
                shown = shown.map(format_phone)
            values = shown.where(allowed | (values.astype("str") == ""), PERSONAL_PLACEHOLDER)
        out[column.name] = values
    personal = [column.name for column in data.spec.columns if column.personal]
    if personal and not allowed.any():  # nothing to show of it: one column says it is there, not four
        held = pd.concat([out[name].astype("str").str.strip() != "" for name in personal], axis=1).any(axis=1)
        at = list(out.columns).index(personal[0])
        out = out.drop(columns=personal)
        out.insert(at, PERSONAL_COLUMN, held.map({True: PERSONAL_PLACEHOLDER, False: ""}))
    if counted_metric:
        out["Учтено"] = report.masks[counted_metric].reindex(frame.index).map({True: "да", False: "нет"})
    return out.reset_index(drop=True)


def link_columns(tab) -> dict:
    """Column config that shows a tab's link columns as links (only http(s) ever reaches them)."""
    return {c.name: st.column_config.LinkColumn(c.name, display_text="открыть")
            for c in tab.columns if c.type == "link"}


# ---------------------------------------------------------------- showing a table


def _is_number(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _is_empty(values: pd.Series) -> bool:
    if _is_number(values):
        return bool(values.isna().all())
    return bool(values.isna().all() or (values.astype("str").str.strip() == "").all())


def _number_text(value) -> str:
    return EMPTY if value is None or pd.isna(value) or value == MISSING else russian.number(value)


def shown_table(frame: pd.DataFrame, config: dict | None = None, *, keep: tuple[str, ...] = ()):
    """(the table — a Styler only where one is needed —, column config) that show `frame` the
    Russian way: whole numbers «12 000» (Streamlit's own format) and fractions «2,5», an empty
    value «—», columns with nothing in them left out, the first column pinned. Numbers stay
    numbers, so a click on a header sorts them as numbers."""
    config = dict(config or {})
    hidden = {name for name, value in config.items() if value is None}
    frame = frame[[name for name in frame.columns
                   if name in hidden or name in keep or not _is_empty(frame[name])]].copy()
    numbers = [name for name in frame.columns if _is_number(frame[name]) and name not in hidden]
    styled = [name for name in numbers if name not in config or _plain(config[name])]
    first = next((name for name in frame.columns if name not in hidden), None)
    for name in [n for n in styled if n not in config and _whole_numbers(frame[n])]:
        # Streamlit formats these itself: no Styler to send; the first column stays pinned
        config[name] = number_column(name, **({"pinned": True} if name == first else {}))
        styled.remove(name)
    for name in styled:  # a bar or a format of its own shows a missing value as an empty cell
        values = frame[name]
        if values.isna().any():
            frame[name] = values.astype("Float64").fillna(MISSING)
    texts = [name for name in frame.columns if name not in numbers and name not in hidden]
    for name in texts:
        values = frame[name].astype("object")
        values = values.where(values.notna() & (values.astype("str").str.strip() != ""), EMPTY).astype("str")
        values = values.str.replace(BIDI_PATTERN, "", regex=True)  # «\u202eливе» would show as «евил»
        frame[name] = values.where(~values.str.startswith(FORMULA_STARTS), NEUTRAL + values)
        if name not in config and len(values) and values.str.len().median() > LONG_TEXT:
            config[name] = st.column_config.TextColumn(name, width="large")  # a title, not cut at 20 letters
    if first is not None and first not in config:
        config[first] = st.column_config.Column(pinned=True)
    if not styled:
        return frame, config  # nothing for a Styler to do: the table goes as it is (Arrow)
    styler = frame.style.format(_number_text, subset=styled)
    return styler, config


def _whole_numbers(values: pd.Series) -> bool:
    """Integers with nothing missing: Streamlit's own «12 000» shows them."""
    return pd.api.types.is_integer_dtype(values) and not values.isna().any()


def _plain(column_config) -> bool:
    """Whether a column's config leaves the display to the Styler (no format of its own)."""
    return isinstance(column_config, dict) and not (column_config.get("type_config") or {}).get("format")


def show(frame: pd.DataFrame, config: dict | None = None, *, keep: tuple[str, ...] = (), **options):
    """`st.dataframe` of `shown_table(frame)`; returns what st.dataframe returns (the selection).
    A listing is as tall as its rows up to `SHOWN_ROWS` (Streamlit's own is a box of ten)."""
    styler, config = shown_table(frame, config, keep=keep)
    options.setdefault("height", ROW_PIXELS * min(max(len(frame), 1), SHOWN_ROWS) + HEADER_PIXELS)
    return st.dataframe(styler, column_config=config, hide_index=True, **options)


def number_column(label: str, **options):
    """A column of whole numbers «12 000»."""
    return st.column_config.NumberColumn(label, format=INTEGER_FORMAT, **options)


def percent_bar(label: str, **options):
    """A share in % (0–100) as a bar with «72 %»."""
    return st.column_config.ProgressColumn(label, min_value=0, max_value=100, format=PERCENT_FORMAT, **options)
