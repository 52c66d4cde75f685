"""Мероприятия: each event target, events over time, the list with links, the contest
(the tabs and metrics named in the campaign file's [dashboard.events])."""

import streamlit as st

from campaign import russian
from components.access import current_access, how_to_see_personal, may_show_personal
from components.charts import events_by_day_chart, show_chart
from components.header import page_start
from components.kpi import kpi_cards
from components.tables import link_columns, page_rows, rows_of, show

loaded = page_start("events")
report = loaded.report
campaign = report.campaign
access = current_access() if may_show_personal() else None  # None: no personal data
page = campaign.dashboard.events if campaign.dashboard else None
if page is None:
    st.info("В этой кампании мероприятий нет.")
    st.stop()
metric = campaign.metric(page.metric)
tab = campaign.tab(metric.tab)

event_metrics = {m.id for m in campaign.metrics if m.tab == tab.id}
kpi_cards(report, per_row=3, metric_ids=event_metrics)  # 4 a row cut «ещё …» at 1366 px
total = f"Всего мероприятий: {russian.number(report.metrics[metric.id])}"
if page.reach:
    reach = campaign.metric(page.reach)
    total += f"; охват: {russian.count(report.metrics[reach.id], reach.unit or ('', '', ''))}"
st.write(total + ".")

if metric.date_column:
    st.subheader("Мероприятия по дням")
    if not report.masks[metric.id].any():
        st.write("Мероприятий пока нет.")
    else:
        show_chart(report, events_by_day_chart, metric.id, page.by)

st.subheader("Список мероприятий")
events_tab = report.tabs[tab.id].frame
shown_events = page_rows(len(events_tab), "events_page", "мероприятия")
listing = rows_of(report, tab.id, access=access, counted_metric=metric.id, rows=shown_events)
listing.insert(1, "Муниципалитет", events_tab["_mo"].iloc[shown_events].to_numpy())
show(listing.drop(columns=[tab.municipality_column.name]), link_columns(tab))

if page.contest_tab:
    contest_spec = campaign.tab(page.contest_tab)
    st.subheader(page.contest_title or contest_spec.name)
    contest = report.tabs.get(contest_spec.id)
    if contest is None or not contest.present:
        st.write(f"Листа «{contest_spec.name}» в таблице нет.")
    else:
        result = contest_spec.column(page.contest_result) if page.contest_result else None
        winners = int((contest.frame[result.id] == page.contest_winner).sum()) if result else 0
        st.write(f"Работ: {russian.number(len(contest.frame))}; победителей: {russian.number(winners)}.")
        shown = page_rows(len(contest.frame), "contest_page", "работы")
        entries = rows_of(report, contest_spec.id, access=access, rows=shown)
        entries.insert(1, "Муниципалитет", contest.frame["_mo"].iloc[shown].to_numpy())
        if access is None and any(c.personal for c in contest_spec.columns):
            st.caption("Имена участников скрыты (персональные данные). " + how_to_see_personal())
        links = {c.name: st.column_config.LinkColumn(c.name, display_text="смотреть")
                 for c in contest_spec.columns if c.type == "link"}
        show(entries.drop(columns=[contest_spec.municipality_column.name]), links)
