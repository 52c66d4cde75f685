"""The header every page starts with: campaign, region, the two dates (what the figures are as
of, and when the sheet was read, with the region's time zone), the source; the browser tab's title."""

import streamlit as st

from campaign import russian
from components.data import Loaded
from components.text import literal


def tab_title(page_title: str, region: str) -> str:
    """The browser tab: «Сводка — Амурская область»."""
    return f"{page_title} — {region}"


def page_header(loaded: Loaded, page_title: str) -> None:
    report = loaded.report
    campaign = report.campaign
    st.set_page_config(page_title=tab_title(page_title, campaign.region_name))
    st.title(f"{campaign.title} — {campaign.region_name}")
    st.caption(
        f"{page_title} · сроки {campaign.of_what} {russian.day(campaign.start)}–{russian.day(campaign.end)} · "
        f"цифры по состоянию на {russian.day(report.as_of)} · "
        f"таблица прочитана {loaded.read_at_text()}"
        f"{' (данные устарели)' if loaded.stale_error is not None else ''} · "
        f"источник: {literal(report.source.label)}"
    )
