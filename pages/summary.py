"""Сводка: where the region stands — the next deadline, who lags and what changed first, then the
targets, the chart, the deadlines and the map."""

import streamlit as st

from campaign import russian
from campaign.access import ADMIN, COORDINATOR
from campaign.burnup import burnup, no_pace_text
from campaign.lagging import reported_by
from campaign.summary import summary_sentence
from components.access import current_access
from components.charts import burnup_chart, report_days_panel, show_chart
from components.data import hindsight, report_days
from components.header import page_start
from components.kpi import kpi_cards
from components.municipality_map import map_with_legend
from components.standing import change_panel, changes_section, laggards_panel, next_deadline_panel
from components.text import only_app_links, page_link_markdown

loaded = page_start("summary")
report = loaded.report
looking_back = hindsight(loaded)

deadline, lagging, changed = st.columns([0.9, 1.7, 1.1], gap="medium")
with deadline:
    next_deadline_panel(report)
role = current_access().role
with lagging:
    laggards_panel(report, letter=role != COORDINATOR)
with changed:
    change_panel(report, looking_back, admin=role == ADMIN)
kpi_cards(report, per_row=min(len(report.targets), 6), compact=True, changes=looking_back.yesterday)
st.markdown(summary_sentence(report, bold=True))

headline = report.campaign.headline
left, right = st.columns([3, 2])
with left:
    st.subheader(f"{headline.label} — по дням" if headline.date_column else "Цели по дням отчётов")
    # only the open tab runs (and is sent): «по дням отчётов» when it is chosen
    by_dates, by_reports = st.tabs(["По датам в таблице", "По дням отчётов"], key="summary_chart_tab",
                                   on_change="rerun") if headline.date_column else (None, st.container())
    if by_dates is not None and by_dates.open is not False:
        with by_dates:
            show_chart(report, burnup_chart, headline.id)
            chart = burnup(report, headline.id)
            quiet = no_pace_text(chart, report.as_of, report.campaign.end)
            if quiet:  # no dashed line: why
                st.caption(quiet[:1].upper() + quiet[1:] + ".")
            if chart.undated:  # the cards' figure and the line's end differ: why, where the eye meets it
                fix = page_link_markdown("«Проверка данных»", "/problems", campaign=report.campaign.id)
                rows = russian.count(chart.undated, ("строки", "строк", "строк"))
                st.caption(only_app_links(f"Всего {chart.end_figure}, на графике "
                                          f"{russian.number(chart.total - chart.undated)}: у {rows} дата не "
                                          f"читается — исправить: {fix}."), unsafe_allow_html=True)
    with by_reports:
        if getattr(by_reports, "open", True) is not False:
            report_days_panel(report, report_days(loaded))
with right:
    st.subheader("Сроки")
    for deadline in report.deadlines:
        when = russian.days_left(deadline.days_left)
        mark = ":gray[:material/event_available:]" if deadline.days_left < 0 else (
            ":red[:material/alarm:]" if deadline.days_left <= 3 else ":blue[:material/event:]")
        st.markdown(f"{mark} **{russian.day(deadline.date)}** ({when}) — {deadline.what}")
        met = reported_by(report, deadline)  # a passed deadline: was it met, as far as the sheet tells
        st.caption(f"{deadline.sender} → {deadline.recipient}"
                   + (f" · к сроку строки были у {russian.out_of(*met)} муниципалитетов" if met else ""))

st.subheader("Карта муниципалитетов")
map_with_legend(report, key="summary_map", basemap=loaded.settings.basemap)

changes_section(report, looking_back)

silent = report.silent_municipalities()
st.subheader("Пока ничего не сообщили")
if silent:
    st.write(f"Нет ни одной строки в таблице ({len(silent)} из {len(report.registry)}): " + ", ".join(silent) + ".")
else:
    st.write("Все муниципалитеты внесли данные в таблицу.")
