"""Styles of the one-screen briefing view: no sidebar, no toolbar, no scrollbars; the slide
scaled to fit the window whatever its size."""

import streamlit as st

# Static CSS only (no sheet data ever goes into it), so st.html is safe here.
BRIEFING_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stElementToolbar"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
[data-testid="stAppViewContainer"], [data-testid="stMain"], html, body { overflow: hidden !important; }
[data-testid="stFullScreenFrame"] > div, [data-testid="stImage"], [data-testid="stImageContainer"] {
  width: 100% !important; display: flex; justify-content: center; }
/* the slide as large as the window allows, 16:9 kept: full width on a wide window, full height on a tall one */
[data-testid="stImage"] img { width: min(100vw, calc(100vh * 16 / 9)) !important; height: auto !important;
  max-width: none !important; }
</style>
"""


def briefing_style() -> None:
    st.html(BRIEFING_CSS)
