"""Брифинг: the slide itself (the same picture as the PNG download), fitted to the window, with
nothing around it — ready for a screenshot; no personal data. The picture says in words what it
shows (its text alternative); a phone, too small for the slide, shows those words under it, and a
way back that a screenshot at a desk does not catch."""

import streamlit as st

from campaign.briefing import WIDTH as SLIDE_WIDTH
from campaign.briefing import slide_description
from components.briefing_style import back_and_words, briefing_style
from components.downloads import slide_on_screen
from components.entry import run_app_if_opened_directly
from components.live import banners, loaded_or_stop

run_app_if_opened_directly()  # a bookmarked page opened on a fresh server

loaded = loaded_or_stop()
banners(loaded)
report = loaded.report
briefing_style()
st.set_page_config(page_title=f"Брифинг — {report.campaign.region_name}")
words = slide_description(report)  # the picture's text alternative
# its own width: «stretch» has Streamlit send a 1460 px copy, which the browser blew up to the
# window again — a softer slide than the PNG download (the CSS fits it to the window)
st.image(slide_on_screen(report), width=SLIDE_WIDTH, alt=words)
back_and_words(report.campaign.id, words)
