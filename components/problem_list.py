"""The list of problems on «Проверка данных»: which municipalities it can be narrowed to, the
search, and the tables by municipality with the severity in colour."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from campaign import russian
from campaign.pipeline import Report
from campaign.problem_codes import ERROR, SEVERITY_LABELS, WARNING
from components.text import literal

ALL = ""
WITHOUT_MUNICIPALITY = "unresolved"  # the rows whose municipality is not recognised, and whole tabs
WITHOUT_MUNICIPALITY_LABEL = "Нераспознанные названия, пустой муниципалитет, лист целиком"
SEVERITY_MARKS = {ERROR: "✖", WARNING: "⚠"}
# the severity cell in Streamlit's own colours (they follow the light and the dark theme), bold;
# Markdown of the table itself: a plain table goes to the browser as Arrow, no Styler per rerun
SEVERITY_COLOURS = {ERROR: "red", WARNING: "orange"}


def scopes(report: Report) -> tuple[list[str], dict[str, str]]:
    """(the filter's options: all, every municipality of the region by name, then the rows without
    a recognised municipality; their names)."""
    names = {m.uid: m.name for m in report.registry.municipalities}
    options = [ALL, *sorted(names, key=lambda uid: names[uid].removeprefix("г. ").removeprefix("ЗАТО ")),
               WITHOUT_MUNICIPALITY]
    names = {ALL: "Все муниципалитеты", **names, WITHOUT_MUNICIPALITY: WITHOUT_MUNICIPALITY_LABEL}
    return options, names


def in_scope(problems: pd.DataFrame, scope: str) -> pd.DataFrame:
    if scope == ALL:
        return problems
    if scope == WITHOUT_MUNICIPALITY:
        return problems[problems["municipality_uid"] == ""]
    return problems[problems["municipality_uid"] == scope]


def matching(problems: pd.DataFrame, query: str) -> pd.DataFrame:
    """The problems whose file, tab, row, column, message, fix or municipality holds `query` (any case)."""
    query = query.strip().casefold()
    if not query:
        return problems
    text = (problems["municipality"] + "\n" + problems["file"] + "\n" + problems["tab"] + "\n"
            + problems["row"].astype("str") + "\n"
            + problems["column"] + "\n" + problems["message"] + "\n" + problems["fix"]).str.casefold()
    return problems[text.str.contains(query, regex=False)]


def in_page_order(problems: pd.DataFrame) -> pd.DataFrame:
    """By municipality name, the rows without a recognised municipality last (as they came:
    by tab and row within a municipality)."""
    last = problems["municipality_uid"] == ""
    order = pd.DataFrame({"last": last.to_numpy(), "name": problems["municipality"].to_numpy(),
                          "at": range(len(problems))}).sort_values(["last", "name", "at"], kind="stable")
    return problems.take(order.index.to_numpy())


def group_title(municipality: str, group: pd.DataFrame) -> str:
    """«г. Белогорск — 3 ошибки», «г. Благовещенск — 4 ошибки, 2 предупреждения»."""
    errors = int((group["severity"] == ERROR).sum())
    return f"{municipality} — {russian.problems_count(errors, len(group) - errors)}"


def severity_text(severity: str) -> str:
    return f"{SEVERITY_MARKS.get(severity, '')} {SEVERITY_LABELS[severity]}".strip()


def severity_cell(severity: str) -> str:
    """«✖ ошибка» in bold on Streamlit's red background (Markdown of st.table)."""
    colour = SEVERITY_COLOURS.get(severity)
    text = "**" + severity_text(severity).replace(" ", "\u00a0") + "**"  # the mark and the word on one line
    return f":{colour}-background[{text}]" if colour else text


def problem_table(group: pd.DataFrame, links: pd.Series | None) -> pd.DataFrame:
    """One municipality's problems for st.table (it wraps long texts, and renders Markdown, so
    every text that may hold sheet data is escaped); the severity cell coloured."""
    files = {"Файл": group["file"].map(literal)} if (group["file"] != "").any() else {}
    frame = pd.DataFrame({
        "Вид": group["severity"].map(severity_cell),
        **files,
        "Лист": group["tab"].map(literal),
        "Строка": group["row"].map(lambda row: str(row) if row else "—"),
        "Столбец": group["column"].map(lambda column: literal(column) if column else "—"),
        "Что не так": group["message"].map(literal),
        "Как исправить": group["fix"].map(literal),
    })
    if links is not None:
        frame["Ячейка"] = links[group.index].map(lambda url: f"[открыть]({url})" if url else "")
    return frame


def problem_groups(problems: pd.DataFrame, links: pd.Series | None, counts: pd.DataFrame) -> None:
    """A heading and a table per municipality; the heading counts the municipality's problems
    of the whole filtered list (`counts`), not only of this page."""
    for municipality, group in problems.groupby("municipality", sort=False):
        st.subheader(literal(group_title(municipality, counts[counts["municipality"] == municipality])))
        st.table(problem_table(group, links), hide_index=True)


def lost_section(report: Report, lost, scope: str, *, admin: bool, expanded: bool) -> None:
    """The rows that disappeared from the sheet since an earlier read: where they were, and for
    an administrator the rows themselves to paste back."""
    from campaign.changes import lost_headline
    from components.downloads import lost_rows_file

    shown = [row for row in lost if scope == ALL or (scope == WITHOUT_MUNICIPALITY and not row.municipality_uid)
             or row.municipality_uid == scope]
    if not shown:
        return
    headline = lost_headline(shown, report.campaign.timezone)
    with st.expander(f":orange[:material/warning:] {headline}", expanded=expanded):
        st.write("Этих строк нет в последнем чтении таблицы, и ни одна строка сейчас не совпадает с ними "
                 "(для организаций — по ИНН или по названию в том же муниципалитете). Строку, исправленную на "
                 "месте, дашборд не считает пропавшей. Проверьте, не удалил ли их кто-то по ошибке.")
        frame = pd.DataFrame({
            "Муниципалитет": [row.municipality for row in shown],
            "Лист": [row.tab for row in shown],
            "Строка, где была": [row.row for row in shown],
            "Последний раз в таблице": [russian.moment(row.last_seen.astimezone(_zone(report))) for row in shown],
        })
        from components.tables import show

        show(frame)
        if admin:
            st.download_button("Скачать пропавшие строки (XLSX, с персональными данными)",
                               lost_rows_file(report, shown), icon=":material/download:",
                               file_name=russian.file_name("пропавшие-строки", report.campaign.region_name,
                                                           f"{report.as_of:%Y-%m-%d}", extension="xlsx"),
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               on_click="ignore")
        else:
            st.caption("Сами строки (с персональными данными) может скачать администратор, чтобы вставить их обратно.")


def _zone(report: Report):
    from zoneinfo import ZoneInfo

    return ZoneInfo(report.campaign.timezone)
