"""Entry point: page setup and navigation only. Run: streamlit run app.py"""

import streamlit as st

st.set_page_config(page_title="Акция #МояХартия — ход акции", page_icon="📊", layout="wide")

pages = [
    st.Page("pages/summary.py", title="Сводка", icon="📊", default=True),
]
st.navigation(pages).run()
