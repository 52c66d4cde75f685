"""Entry point: page setup, the campaign picker, the shared sidebar and navigation. Run: streamlit run app.py"""

from pathlib import Path

import streamlit as st

from components.data import background_reads, begin_run, load
from components.regions import family_campaigns
from components.sidebar import PAGE_CSS, campaign_picker, sidebar

FAVICON = Path(__file__).resolve().parent / "assets" / "favicon.png"

# the icon is a file of ours: a Material icon would be fetched from fonts.gstatic.com on every load
st.set_page_config(page_title="Ход акции", page_icon=str(FAVICON), layout="wide")
st.html(PAGE_CSS)
begin_run()  # the pages of this run share its loads
background_reads()  # started once for the server

campaign = campaign_picker()
loaded = load(campaign)
spec = loaded.report.campaign if loaded.report else None
pages = [
    st.Page("pages/summary.py", title="Сводка", icon=":material/dashboard:", default=True),
    st.Page("pages/municipalities.py", title="Муниципалитеты", icon=":material/map:", url_path="municipalities"),
    st.Page("pages/events.py", title="Мероприятия", icon=":material/event:", url_path="events"),
    st.Page("pages/problems.py", title="Проверка данных", icon=":material/fact_check:", url_path="problems"),
    st.Page("pages/reports.py", title="Отчёты и формы", icon=":material/download:", url_path="reports"),
    st.Page("pages/regions.py", title="Регионы", icon=":material/public:", url_path="regions"),
    st.Page("pages/briefing.py", title="Брифинг (слайд)", icon=":material/slideshow:", url_path="briefing"),
]
hidden = set()
if spec is not None and (spec.dashboard is None or spec.dashboard.events is None):
    hidden.add("events")  # a campaign without events (the file has no [dashboard.events])
if len(family_campaigns(campaign)) < 2:
    hidden.add("regions")  # the federal view needs several regions of one campaign
navigation = st.navigation([page for page in pages if page.url_path not in hidden])
if st.query_params.get("briefing") == "1" and navigation.url_path != "briefing":
    st.switch_page(pages[-1])  # «?briefing=1» on any page opens the one-screen briefing
if navigation.url_path != "briefing":
    sidebar(loaded)
navigation.run()
