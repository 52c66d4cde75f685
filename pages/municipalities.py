"""Муниципалитеты: every municipality of the region, sortable; one chosen in detail."""

import streamlit as st

from campaign import russian
from components.entry import run_app_if_opened_directly
from components.access import current_access, may_show_personal
from components.data import loaded_or_stop
from components.header import page_header
from components.tables import link_columns, municipality_table, rows_of, share_heading
from components.url_choice import url_selectbox

run_app_if_opened_directly()  # a bookmarked page opened on a fresh server

loaded = loaded_or_stop()
report = loaded.report
access = current_access() if may_show_personal() else None  # None: no personal data
page_header(loaded, "Муниципалитеты")

table = municipality_table(report)
campaign = report.campaign
headline = campaign.headline.heading
config = {
    "uid": None,
    headline: st.column_config.ProgressColumn(headline, min_value=0, max_value=max(int(table[headline].max()), 1),
                                              format="%d"),
}
shares = ["Доля цели", *(share_heading(campaign.metric(t.metric)) for t in campaign.targets if t.share_of)]
for heading in [h for h in shares if h in table]:
    config[heading] = st.column_config.ProgressColumn(heading, min_value=0, max_value=100, format="%d %%")
if "Цель" in table:
    config["Цель"] = st.column_config.NumberColumn("Цель", format="%d")
st.caption("Нажмите на строку или выберите муниципалитет ниже, чтобы увидеть его строки в таблице "
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
    for tab in campaign.tabs:  # every tab a coordinator reports on, with what counts
        counted = next((m.id for m in campaign.summary_metrics if m.tab == tab.id), None)
        if counted is None or not report.tabs[tab.id].present:
            continue
        rows = rows_of(report, tab.id, access=access, uid=uid, counted_metric=counted)
        st.subheader(f"{tab.name} ({russian.number(len(rows))})")
        st.dataframe(rows, hide_index=True, column_config=link_columns(tab))
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
headline_metric = campaign.headline
unassigned = report.unassigned.get(headline_metric.id, 0)
if unassigned and headline_metric.unit:
    counted = russian.plural(unassigned, ("учтена", "учтены", "учтены") if headline_metric.unit[0].endswith("я")
                             else ("учтено", "учтены", "учтены"))
    st.info(f"Ещё {russian.count(unassigned, headline_metric.unit)} {counted} "
            "в итоге по региону, но муниципалитет в таблице не распознан — см. «Проверка данных».")
