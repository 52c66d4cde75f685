"""The wall screen of a situation centre (`?screen=1` on any page): large type, no sidebar, no
toolbar, the first screen of «Сводка» and of «Регионы» in turn (each for `SCREEN_SECONDS`, or
`&seconds=N`, 10–3600), each updating itself as every page does (components/live.py). A campaign
without «Регионы» shows its «Сводка» alone; the whole country of a federal campaign its «Регионы»."""

from __future__ import annotations

import time

import streamlit as st

SCREEN_SECONDS = 60  # how long each page stays on the wall screen (`&seconds=N` in the URL)
SECONDS_RANGE = (10, 3600)
SHOWN_AT = "_screen_shown_at"  # when this session's wall screen drew its current page
TURN = "_screen_turn"  # (the pages in turn, the one shown, seconds each), or None: one page only

# Static CSS only (no sheet data ever goes into it), so st.html is safe here.
SCREEN_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stElementToolbar"] { display: none !important; }
html { font-size: clamp(16px, 1.1vw, 40px); }  /* 21 px on a 1920 px wall, 40 px on 4K */
[data-testid="stMainBlockContainer"] { padding: 1.2rem 2.2rem 0 2.2rem !important; max-width: 100% !important; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2.4rem; }
[data-testid="stAppViewContainer"], [data-testid="stMain"], html, body { overflow: hidden !important; }
</style>
"""


def is_wall_screen() -> bool:
    return st.query_params.get("screen") == "1"


def screen_seconds() -> int:
    """How long each page stays: `&seconds=N` within SECONDS_RANGE, else SCREEN_SECONDS."""
    try:
        wanted = int(st.query_params.get("seconds", SCREEN_SECONDS))
    except ValueError:
        return SCREEN_SECONDS
    return min(max(wanted, SECONDS_RANGE[0]), SECONDS_RANGE[1])


def wall_screen(in_turn: list, current) -> None:
    """Styles the page for the wall and, when several pages take turns, plans the next one: the
    page's own fragment that keeps it up to date (components/live.py) shows it after
    `screen_seconds()` — one timer a page, none of the page's runs until then."""
    st.html(SCREEN_CSS)
    st.session_state[SHOWN_AT] = time.monotonic()
    st.session_state[TURN] = (in_turn, current.url_path, screen_seconds()) if len(in_turn) > 1 else None


def turn_if_due() -> None:
    """On a wall screen whose page has been shown its time: the next page (from a fragment's run)."""
    plan = st.session_state.get(TURN) if is_wall_screen() else None
    if not plan:
        return
    in_turn, shown, seconds = plan
    if time.monotonic() - st.session_state.get(SHOWN_AT, 0.0) < seconds - 1:
        return
    paths = [page.url_path for page in in_turn]
    following = in_turn[(paths.index(shown) + 1) % len(in_turn)] if shown in paths else in_turn[0]
    st.switch_page(following, query_params=st.query_params.to_dict())
