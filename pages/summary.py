"""Сводка: where the region stands against the campaign's targets."""

import streamlit as st

from campaign import russian
from campaign.summary import problems_headline
from components.data import load
from components.kpi import kpi_card
from components.text import literal

loaded = load()
if loaded.error is not None:
    st.error(f"Не удалось прочитать таблицу: {loaded.error.message}", icon="⚠️")
    st.stop()
report = loaded.report
campaign = report.campaign

st.title(f"{campaign.title} — {campaign.region_name}")
read_at = report.read_at.astimezone(__import__("zoneinfo").ZoneInfo(campaign.timezone))
st.caption(
    f"Сроки акции: {russian.day(campaign.start)}–{russian.day(campaign.end)} · "
    f"по состоянию на {russian.day(report.as_of)} · данные на {russian.moment(read_at)} · "
    f"источник: {literal(report.source.label)}"
)

columns = st.columns(3)
for index, target in enumerate(report.targets):
    with columns[index % 3]:
        kpi_card(target, campaign.metric(target.metric))

st.subheader("Итоги")
joined = report.metrics["organisations_joined"]
events = report.metrics["events_total"]
st.write(
    f"Присоединились: {russian.count(joined, ('организация', 'организации', 'организаций'))}; "
    f"мероприятий: {russian.number(events)}; охват: {russian.count(report.metrics['reach'], ('человек', 'человека', 'человек'))}."
)
silent = report.silent_municipalities()
if silent:
    st.write(f"Нет ни одной строки в таблице ({len(silent)} из {len(report.registry)}): " + ", ".join(silent) + ".")
st.write(problems_headline(report))
