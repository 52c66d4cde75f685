"""Брифинг: the region on one 16:9 screen (1920×1080) for a slide; no personal data."""

import streamlit as st

from campaign import russian
from campaign.summary import summary_sentence
from components.briefing_style import briefing_style
from components.charts import burnup_chart, russian_config
from components.data import loaded_or_stop
from components.entry import run_app_if_opened_directly
from components.kpi import kpi_cards
from components.municipality_map import map_with_legend

run_app_if_opened_directly()  # a bookmarked page opened on a fresh server

loaded = loaded_or_stop()
report = loaded.report
campaign = report.campaign
briefing_style()

st.title(f"{campaign.title} — {campaign.region_name}")
st.markdown(f"по состоянию на **{russian.day(report.as_of)}** · " + summary_sentence(report, bold=True))
kpi_cards(report, per_row=len(report.targets), compact=True)
left, right = st.columns([1, 1])
with left:
    map_with_legend(report, key="briefing_map", height=560, compact=True)
with right:
    st.altair_chart(russian_config(burnup_chart(report, campaign.headline.id, height=540)), width="stretch")
