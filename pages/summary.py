"""Сводка: where the region stands against the campaign's targets."""

import streamlit as st

from campaign import russian
from campaign.summary import summary_sentence
from components.entry import run_app_if_opened_directly
from components.charts import burnup_chart, russian_config
from components.data import loaded_or_stop
from components.header import page_header
from components.kpi import kpi_cards
from components.municipality_map import map_with_legend

run_app_if_opened_directly()  # a bookmarked page opened on a fresh server

loaded = loaded_or_stop()
report = loaded.report
page_header(loaded, "Сводка")

kpi_cards(report)
st.markdown(summary_sentence(report, bold=True))

headline = report.campaign.headline
left, right = st.columns([3, 2])
with left:
    st.subheader(f"{headline.label} — по дням" if headline.date_column else headline.label)
    if headline.date_column:
        st.altair_chart(russian_config(burnup_chart(report, headline.id)), width="stretch")
        undated = report.series[headline.id].attrs.get("undated", 0)
        if undated:
            st.caption(f"Без читаемой даты (в график не попали, в итогах учтены): {russian.number(undated)}.")
with right:
    st.subheader("Сроки")
    for deadline in report.deadlines:
        when = russian.days_left(deadline.days_left)
        mark = ":gray[:material/event_available:]" if deadline.days_left < 0 else (
            ":red[:material/alarm:]" if deadline.days_left <= 3 else ":blue[:material/event:]")
        st.markdown(f"{mark} **{russian.day(deadline.date)}** ({when}) — {deadline.what}")
        st.caption(f"{deadline.sender} → {deadline.recipient}")

st.subheader("Карта муниципалитетов")
map_with_legend(report, key="summary_map", basemap=loaded.settings.basemap)

silent = report.silent_municipalities()
st.subheader("Пока ничего не сообщили")
if silent:
    st.write(f"Нет ни одной строки в таблице ({len(silent)} из {len(report.registry)}): " + ", ".join(silent) + ".")
else:
    st.write("Все муниципалитеты внесли данные в таблицу.")
