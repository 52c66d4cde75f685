"""Styles of the one-screen briefing view: no sidebar, no toolbar, no scrollbars; the slide
scaled to fit the window whatever its size."""

import html
from urllib.parse import urlencode

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
/* the way back: seen on a touch screen, on hover and with the keyboard; not in a screenshot at a desk */
.briefing-back { position: fixed; top: 0.5rem; left: 0.5rem; z-index: 1000; padding: 0.4rem 0.8rem;
  background: #ffffff; color: #0d47a1; border: 1px solid #0d47a1; border-radius: 0.4rem; opacity: 0;
  font-size: 1rem; text-decoration: none; }
.briefing-back:hover, .briefing-back:focus { opacity: 1; }
.briefing-words { display: none; }
/* the element holding them takes no room on a desk: the slide alone is the screen */
.stElementContainer:has(.briefing-back) { position: absolute; }
@media (hover: none), (max-width: 700px) { .briefing-back { opacity: 1; } }
/* a phone: the slide is a thumbnail there, its words follow it and the page scrolls */
@media (max-width: 700px) {
  [data-testid="stAppViewContainer"], [data-testid="stMain"], html, body { overflow: auto !important; }
  .briefing-words { display: block; padding: 1rem; font-size: 1rem; line-height: 1.5; }
  .stElementContainer:has(.briefing-back) { position: static; }
}
</style>
"""


def briefing_style() -> None:
    st.html(BRIEFING_CSS)


def back_and_words(campaign_id: str, words: str) -> None:
    """A link back to «Сводка» (in the same tab, the campaign kept) and, on a phone, the slide in
    `words` (hidden from screen readers: the picture's text alternative says the same)."""
    back = html.escape(f"/?{urlencode({'campaign': campaign_id})}")
    st.html(f'<a class="briefing-back" href="{back}">← Сводка</a>'
            f'<p class="briefing-words" aria-hidden="true">{html.escape(words)}</p>')
