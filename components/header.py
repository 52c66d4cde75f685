"""The header every page starts with: campaign, region, the two dates (what the figures are as
of, and when the sheet was read, with the region's time zone), the source; the browser tab's title.
The line of dates keeps itself up to date (components/live.py)."""

import streamlit as st

from campaign import russian
from components.data import Loaded
from components.entry import run_app_if_opened_directly
from components.live import banners, live_line, loaded_or_stop
from components.page_list import page
from components.sidebar import source_words
from components.text import literal


def tab_title(page_title: str, region: str) -> str:
    """The browser tab: «Сводка — Амурская область»."""
    return f"{page_title} — {region}"


def page_start(name: str) -> Loaded:
    """What a page of one campaign does first: the app's own run when the page was opened directly
    (a bookmark on a fresh server), the campaign's read (the page stops there, with the reason,
    when there is none), and the header under the page's title (components/page_list.py)."""
    run_app_if_opened_directly()
    loaded = loaded_or_stop()
    page_header(loaded, page(name).title)
    return loaded


def page_header(loaded: Loaded, page_title: str) -> None:
    campaign = loaded.report.campaign
    st.set_page_config(page_title=tab_title(page_title, campaign.region_name))
    st.title(f"{campaign.title} — {campaign.region_name}")
    live_line(loaded, lambda shown: header_line(shown, page_title))
    banners(loaded)  # under the line that says when the sheet was read, where the eye meets them


def header_line(loaded: Loaded, page_title: str) -> str:
    """«Сводка · сроки акции 01.02.2022–31.03.2022 · цифры по состоянию на 22.02.2022 · таблица
    прочитана 02.12.2026 05:10 (время Амурской области, UTC+9) · источник: …»."""
    report = loaded.report
    campaign = report.campaign
    return (f"{page_title} · сроки {campaign.of_what} {russian.day(campaign.start)}–{russian.day(campaign.end)} · "
            f"цифры по состоянию на {russian.day(report.as_of)} · "
            f"таблица прочитана {loaded.read_at_text()}"
            f"{' (данные устарели)' if loaded.stale_error is not None else ''} · "
            f"источник: {literal(report.source.label) if report.source.label else source_words(report.source)}")
