"""The header every page starts with: campaign, region, «данные на …», source."""

import streamlit as st

from campaign import russian
from components.data import Loaded
from components.text import literal


def page_header(loaded: Loaded, page_title: str) -> None:
    report = loaded.report
    campaign = report.campaign
    st.title(f"{campaign.title} — {campaign.region_name}")
    st.caption(
        f"{page_title} · сроки {campaign.of_what} {russian.day(campaign.start)}–{russian.day(campaign.end)} · "
        f"по состоянию на {russian.day(report.as_of)} · "
        f"данные на {russian.moment(loaded.local_time(report.read_at))}"
        f"{' (устарели)' if loaded.stale_error is not None else ''} · "
        f"источник: {literal(report.source.label)}"
    )
