"""Муниципалитеты: every municipality of the region, sortable; one chosen in detail."""

import streamlit as st

from campaign import russian
from components.entry import run_app_if_opened_directly
from components.access import current_access, may_show_personal
from components.data import loaded_or_stop
from components.header import page_header
from components.tables import municipality_table, rows_of
from components.url_choice import url_selectbox

run_app_if_opened_directly()  # a bookmarked page opened on a fresh server

loaded = loaded_or_stop()
report = loaded.report
access = current_access() if may_show_personal() else None  # None: no personal data
page_header(loaded, "Муниципалитеты")

table = municipality_table(report)
top = max(int(table["Организаций"].max()), 1)
config = {
    "uid": None,
    "Организаций": st.column_config.ProgressColumn("Организаций", min_value=0, max_value=top, format="%d"),
}
if "Доля цели" in table:
    config["Доля цели"] = st.column_config.ProgressColumn("Доля цели", min_value=0, max_value=100, format="%d %%")
    config["Цель"] = st.column_config.NumberColumn("Цель", format="%d")
st.caption("Нажмите на строку или выберите муниципалитет ниже, чтобы увидеть его организации, мероприятия "
           "и проблемы. Сортировка — по заголовку столбца.")
event = st.dataframe(table, column_config=config, hide_index=True, on_select="rerun",
                     selection_mode="single-row", key="municipality_table", height=36 * min(len(table), 18) + 40)

names = dict(zip(table["uid"], table["Муниципалитет"]))
clicked = event.selection.rows if event and event.selection else []
if clicked and st.session_state.get("municipality_clicked") != clicked[0]:  # a new click on a row
    st.query_params["mo"] = table.iloc[clicked[0]]["uid"]
st.session_state["municipality_clicked"] = clicked[0] if clicked else None
uid = url_selectbox("Муниципалитет", ["", *names], param="mo", key="municipality_choice",
                    format_func=lambda key: names.get(key, "— выберите —"))

if uid:
    st.header(names[uid])
    organisations = rows_of(report, "organisations", access=access, uid=uid,
                            counted_metric="organisations_joined")
    events = rows_of(report, "events", access=access, uid=uid, counted_metric="events_total")
    st.subheader(f"Организации ({russian.number(len(organisations))})")
    st.dataframe(organisations, hide_index=True)
    st.subheader(f"Мероприятия ({russian.number(len(events))})")
    st.dataframe(events, hide_index=True,
                 column_config={"Ссылка": st.column_config.LinkColumn("Ссылка")})
    found = report.problems[report.problems["municipality_uid"] == uid]
    st.subheader(f"Проблемы в таблице ({russian.number(len(found))})")
    if found.empty:
        st.write("Проблем не найдено.")
    else:
        st.dataframe(found[["tab", "row", "column", "message", "fix"]].rename(columns={
            "tab": "Лист", "row": "Строка", "column": "Столбец", "message": "Что не так", "fix": "Как исправить"}),
            hide_index=True)
        st.page_link("pages/problems.py", label="Все проблемы муниципалитета на странице «Проверка данных»",
                     query_params={"mo": uid})
unassigned = report.unassigned.get("organisations_joined", 0)
if unassigned:
    counted = russian.plural(unassigned, ("учтена", "учтены", "учтены"))
    st.info(f"Ещё {russian.count(unassigned, ('организация', 'организации', 'организаций'))} {counted} "
            "в итоге по региону, но муниципалитет в таблице не распознан — см. «Проверка данных».")
