"""Entry point: page setup, the shared sidebar and navigation. Run: streamlit run app.py"""

import streamlit as st

from components.data import load
from components.sidebar import sidebar

st.set_page_config(page_title="Ход акции", page_icon=":material/dashboard:", layout="wide")

pages = [
    st.Page("pages/summary.py", title="Сводка", icon=":material/dashboard:", default=True),
    st.Page("pages/municipalities.py", title="Муниципалитеты", icon=":material/map:", url_path="municipalities"),
    st.Page("pages/events.py", title="Мероприятия", icon=":material/event:", url_path="events"),
    st.Page("pages/problems.py", title="Проверка данных", icon=":material/fact_check:", url_path="problems"),
    st.Page("pages/reports.py", title="Отчёты и формы", icon=":material/download:", url_path="reports"),
    st.Page("pages/briefing.py", title="Брифинг (слайд)", icon=":material/slideshow:", url_path="briefing"),
]
navigation = st.navigation(pages)
if st.query_params.get("briefing") == "1" and navigation.url_path != "briefing":
    st.switch_page(pages[-1])  # «?briefing=1» on any page opens the one-screen briefing
if navigation.url_path != "briefing":
    sidebar(load())
navigation.run()
