"""Проверка данных: what is wrong in the sheet, by municipality, tab and row, with the fix."""

import pandas as pd
import streamlit as st

from campaign import russian
from campaign.cell_links import problem_cell_urls
from campaign.problems import SEVERITY_LABELS
from components.entry import run_app_if_opened_directly
from components.data import loaded_or_stop
from components.header import page_header
from components.text import literal
from components.url_choice import url_selectbox

run_app_if_opened_directly()  # a bookmarked page opened on a fresh server

loaded = loaded_or_stop()
report = loaded.report
page_header(loaded, "Проверка данных")
problems = report.problems

st.write(
    "Здесь — всё, что дашборд не смог прочитать или посчитать. Исправьте строки в общей таблице: "
    "через минуту после правки (или по кнопке «Обновить») проблема исчезнет."
)

counts = (problems.assign(n=1).pivot_table(index="municipality", columns="severity", values="n", aggfunc="sum",
                                           fill_value=0)
          .reindex(columns=["error", "warning"], fill_value=0)
          .rename(columns={"error": "Ошибок", "warning": "Предупреждений"}))
names = {m.uid: m.name for m in report.registry.municipalities}
options = [""] + sorted(problems["municipality_uid"].replace("", pd.NA).dropna().unique(),
                        key=lambda uid: names.get(uid, uid))
choice = url_selectbox("Муниципалитет", options, param="mo", key="problems_municipality",
                       format_func=lambda uid: names.get(uid, uid) if uid else "Все муниципалитеты")

errors, warnings = report.errors, report.warnings
st.markdown(
    f"**{russian.count(errors, ('ошибка', 'ошибки', 'ошибок'))}**, "
    f"{russian.count(warnings, ('предупреждение', 'предупреждения', 'предупреждений'))} по всей таблице."
)
with st.expander("Сколько проблем у каждого муниципалитета", expanded=not choice):
    st.dataframe(counts.reset_index().rename(columns={"municipality": "Муниципалитет"}), hide_index=True)

shown = problems if not choice else problems[problems["municipality_uid"] == choice]
links = problem_cell_urls(report, shown)


if shown.empty:
    st.success("Проблем не найдено.")
for municipality, group in shown.groupby("municipality", sort=True):
    group_errors = int((group["severity"] == "error").sum())
    title = f"{municipality} — {russian.count(len(group), ('проблема', 'проблемы', 'проблем'))}"
    if group_errors:
        title += f", из них {russian.count(group_errors, ('ошибка', 'ошибки', 'ошибок'))}"
    st.subheader(literal(title))  # an unrecognised municipality is named by the sheet's text
    # st.table wraps long texts (a coordinator reads them whole); it renders Markdown, so
    # every text that may hold sheet data is escaped
    frame = pd.DataFrame({
        "Вид": group["severity"].map(SEVERITY_LABELS),
        "Лист": group["tab"].map(literal),
        "Строка": group["row"].map(lambda row: str(row) if row else "—"),
        "Столбец": group["column"].map(literal),
        "Что не так": group["message"].map(literal),
        "Как исправить": group["fix"].map(literal),
    })
    if links.notna().any():
        frame["Ячейка"] = links[group.index].map(lambda url: f"[открыть]({url})" if url else "")
    st.table(frame, hide_index=True)
