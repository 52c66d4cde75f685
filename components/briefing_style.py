"""Styles of the one-screen briefing view: no sidebar, no toolbar, no scrollbars, large type."""

import streamlit as st

# Static CSS only (no sheet data ever goes into it), so st.html is safe here.
BRIEFING_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1.2rem 2.5rem 0 2.5rem !important; max-width: 100% !important; }
[data-testid="stAppViewContainer"], [data-testid="stMain"], html, body { overflow: hidden !important; }
h1 { font-size: 2.6rem !important; padding: 0 !important; }
[data-testid="stMarkdownContainer"] p { font-size: 1.15rem; }
[data-testid="stMetricValue"] p { font-size: 3.4rem !important; line-height: 1.1; }
.deck-widget-zoom, [class*="deck-widget"] { display: none !important; }
</style>
"""


def briefing_style() -> None:
    st.html(BRIEFING_CSS)
