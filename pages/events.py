"""Мероприятия: each event target, events over time, the list with links, the video contest."""

import altair as alt
import streamlit as st

from campaign import russian
from components.entry import run_app_if_opened_directly
from components.charts import russian_config
from components.access import current_access, may_show_personal
from components.data import loaded_or_stop
from components.header import page_header
from components.kpi import kpi_cards
from components.tables import rows_of

run_app_if_opened_directly()  # a bookmarked page opened on a fresh server

loaded = loaded_or_stop()
report = loaded.report
access = current_access() if may_show_personal() else None  # None: no personal data
page_header(loaded, "Мероприятия")

event_metrics = {m.id for m in report.campaign.metrics if m.tab == "events"}
kpi_cards(report, per_row=3, metric_ids=event_metrics)  # 4 a row cut «ещё …» at 1366 px
st.write(
    f"Всего мероприятий: {russian.number(report.metrics['events_total'])}; "
    f"охват: {russian.count(report.metrics['reach'], ('человек', 'человека', 'человек'))}."
)

events = report.counted("events_total")
st.subheader("Мероприятия по дням")
if events.empty:
    st.write("Мероприятий пока нет.")
else:
    by_day = events.dropna(subset=["held_on"]).groupby(["held_on", "kind"], observed=True).size().reset_index(name="n")
    chart = alt.Chart(by_day).mark_bar().encode(
        x=alt.X("held_on:T", title=None, timeUnit="yearmonthdate",
                axis=alt.Axis(format="%-d %b", labelAngle=0, tickCount="day")),
        y=alt.Y("n:Q", title="мероприятий", axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("kind:N", title="Вид"),
        tooltip=[alt.Tooltip("held_on:T", title="дата", format="%d.%m.%Y"), alt.Tooltip("kind:N", title="вид"),
                 alt.Tooltip("n:Q", title="мероприятий")],
    ).properties(height=260)
    st.altair_chart(russian_config(chart), width="stretch")

st.subheader("Список мероприятий")
listing = rows_of(report, "events", access=access, counted_metric="events_total")
listing.insert(1, "Муниципалитет", report.tabs["events"].frame["_mo"].to_numpy())
st.dataframe(listing.drop(columns=["Муниципальное образование"]), hide_index=True,
             column_config={"Ссылка": st.column_config.LinkColumn("Ссылка", display_text="открыть"),
                            "Охват, чел.": st.column_config.NumberColumn("Охват, чел.", format="localized")})

st.subheader("Конкурс видеороликов")
contest = report.tabs.get("contest")
if contest is None or not contest.present:
    st.write("Листа «Конкурс» в таблице нет.")
else:
    entries = rows_of(report, "contest", access=access)
    entries.insert(1, "Муниципалитет", contest.frame["_mo"].to_numpy())
    winners = entries[entries["Итог"] == "победитель"]
    st.write(f"Работ: {russian.number(len(entries))}; победителей: {russian.number(len(winners))}.")
    if access is None:
        st.caption("Имена участников скрыты: их видят координаторы и администраторы после входа, "
                   "с включённым «Показать контакты».")
    st.dataframe(entries.drop(columns=["Муниципальное образование"]), hide_index=True,
                 column_config={"Ссылка на видеоролик": st.column_config.LinkColumn("Видеоролик", display_text="смотреть")})
