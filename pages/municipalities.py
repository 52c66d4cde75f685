"""Муниципалитеты: every municipality of the region, sortable; one chosen in detail."""

import streamlit as st

from campaign import russian
from campaign.problem_codes import ERROR
from components.entry import run_app_if_opened_directly
from components.access import current_access, may_show_personal
from components.data import hindsight
from components.live import loaded_or_stop
from components.header import page_header
from components.tables import INTEGER_FORMAT, day_heading, link_columns, municipality_table, percent_bar, \
    page_of, page_rows, rows_of, share_heading, show
from components.url_choice import url_selectbox

run_app_if_opened_directly()  # a bookmarked page opened on a fresh server

loaded = loaded_or_stop()
report = loaded.report
access = current_access() if may_show_personal() else None  # None: no personal data
page_header(loaded, "Муниципалитеты")

table = municipality_table(report, hindsight(loaded).yesterday)
campaign = report.campaign
headline = campaign.headline.heading
config = {
    "uid": None,
    "Муниципалитет": st.column_config.TextColumn("Муниципалитет", pinned=True, width=185),
    headline: st.column_config.ProgressColumn(headline, min_value=0, max_value=max(int(table[headline].max()), 1),
                                              format=INTEGER_FORMAT, width=125),
}
for breakdown in campaign.breakdowns:  # a short heading; the whole value in its tooltip
    for choice in campaign.tab(campaign.metric(breakdown.metric).tab).column(breakdown.by).choices:
        config[breakdown.heading(choice.value)] = st.column_config.NumberColumn(help=russian.capitalised(choice.value))
config[day_heading(campaign.headline)] = st.column_config.NumberColumn(
    "за сутки", format="%+d", width=75, help="Изменение с последнего чтения прошлого дня")
shares = ["Доля цели", *(share_heading(campaign.metric(t.metric)) for t in campaign.targets if t.share_of)]
for heading in [h for h in shares if h in table]:
    config[heading] = percent_bar(heading, width=115)
st.caption("Нажмите на строку или выберите муниципалитет ниже, чтобы увидеть его строки в таблице "
           "и проблемы. Сортировка — по заголовку столбца. Цифры — учтённые строки (без повторов и "
           "заявок без меморандума).")
event = show(table, config, on_select="rerun", selection_mode="single-row", key="municipality_table",
             height=36 * min(len(table), 18) + 40)

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
        of_municipality = report.tabs[tab.id].frame["_uid"] == uid
        total = int(of_municipality.sum())
        counted_rows = int((report.masks[counted] & of_municipality).sum())
        st.subheader(f"{tab.name}: {russian.count(total, ('строка', 'строки', 'строк'))} в таблице, "
                     f"учтено {russian.number(counted_rows)}")
        shown = page_rows(total, f"municipality_rows_{tab.id}", "строки")
        show(rows_of(report, tab.id, access=access, uid=uid, counted_metric=counted, rows=shown), link_columns(tab))
    found = report.problems[report.problems["municipality_uid"] == uid]
    errors = int((found["severity"] == ERROR).sum())
    st.subheader(f"Проблемы в таблице: {russian.problems_count(errors, len(found) - errors)}")
    if found.empty:
        st.write("Проблем не найдено.")
    else:
        where = ["file"] if (found["file"] != "").any() else []  # a workbook made of several files
        show(page_of(found, "municipality_problems", "проблемы")[[*where, "tab", "row", "column", "message", "fix"]].rename(
            columns={"file": "Файл", "tab": "Лист", "row": "Строка", "column": "Столбец", "message": "Что не так",
                     "fix": "Как исправить"}))
        st.page_link("pages/problems.py", label="Все проблемы муниципалитета на странице «Проверка данных»",
                     query_params={"mo": uid})
headline_metric = campaign.headline
unassigned = report.unassigned.get(headline_metric.id, 0)
if unassigned and headline_metric.unit:
    counted = russian.plural(unassigned, ("учтена", "учтены", "учтены") if headline_metric.unit[0].endswith("я")
                             else ("учтено", "учтены", "учтены"))
    st.info(f"Ещё {russian.count(unassigned, headline_metric.unit)} {counted} "
            "в итоге по региону, но муниципалитет в таблице не распознан — см. «Проверка данных».")
