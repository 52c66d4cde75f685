"""Муниципалитеты: every municipality of the region, sortable; one chosen in detail."""

import streamlit as st

from campaign import russian
from campaign.problem_codes import ERROR
from components.access import current_access, may_show_personal
from components.data import hindsight
from components.header import page_start
from components.problem_list import in_page_order, problem_table
from components.tables import (
    INTEGER_FORMAT,
    counted_rows_note,
    day_heading,
    in_lag_order,
    link_columns,
    municipality_table,
    page_of,
    page_rows,
    percent_bar,
    rows_of,
    share_heading,
    show,
)
from components.url_choice import url_selectbox

loaded = page_start("municipalities")
report = loaded.report
access = current_access() if may_show_personal() else None  # None: no personal data

table = in_lag_order(municipality_table(report, hindsight(loaded).yesterday), report)
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
config[day_heading(campaign.headline)] = st.column_config.TextColumn(
    day_heading(campaign.headline), width=110,
    help=f"{campaign.headline.label}: изменение с последнего чтения прошлого дня (пусто — без изменений)")
shares = ["Доля цели", *(share_heading(campaign.metric(t.metric)) for t in campaign.targets if t.share_of)]
for heading in [h for h in shares if h in table]:
    config[heading] = percent_bar(heading, width=115)
st.caption("Сначала — кто отстаёт: ничего не приславшие, затем дальше всех от цели; сортировка — по "
           "заголовку столбца. Нажмите на строку или выберите муниципалитет ниже, чтобы увидеть его строки "
           f"в таблице и проблемы. Цифры — учтённые строки ({counted_rows_note(report)}).")
wanted = st.query_params.get("mo", "")
if wanted in set(table["uid"]):  # the chosen one first, where its selected row is seen
    table = table.iloc[(table["uid"] != wanted).argsort(kind="stable")].reset_index(drop=True)
row_of = {key: number for number, key in enumerate(table["uid"])}
# the municipality of the link or the choice is the table's selected row (a new table for each:
# a table's selection is set only when it is first drawn)
event = show(table, config, on_select="rerun", selection_mode="single-row", key=f"municipality_table_{wanted}",
             selection_default={"selection": {"rows": [row_of[wanted]]}} if wanted in row_of else None,
             height=36 * min(len(table), 18) + 40)

names = dict(zip(table["uid"], table["Муниципалитет"]))
clicked = event.selection.rows if event and event.selection else []
if clicked and table.iloc[clicked[0]]["uid"] != wanted:  # a click on another row
    st.query_params["mo"] = table.iloc[clicked[0]]["uid"]
uid = url_selectbox("Муниципалитет", ["", *names], param="mo", key="municipality_choice",
                    format_func=lambda key: names.get(key, "Выберите муниципалитет"))

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
    else:  # as on «Проверка данных»: the kind, the whole fix (wrapped), a list on a phone
        st.table(problem_table(page_of(in_page_order(found), "municipality_problems", "проблемы"), None),
                 hide_index=True)
        st.page_link("pages/problems.py", label="Все проблемы муниципалитета на странице «Проверка данных»",
                     query_params={"mo": uid})
else:
    headline_metric = campaign.headline
    unassigned = report.unassigned.get(headline_metric.id, 0)
    if unassigned and headline_metric.unit:  # the region's total, not any municipality's
        counted = russian.plural(unassigned, ("учтена", "учтены", "учтены") if headline_metric.unit[0].endswith("я")
                                 else ("учтено", "учтены", "учтены"))
        st.info(f"Ещё {russian.count(unassigned, headline_metric.unit)} {counted} "
                "в итоге по региону, но муниципалитет в таблице не распознан — см. «Проверка данных».")
