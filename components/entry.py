"""Deep links on a fresh server: keep every page inside the app's navigation.

Streamlit treats a `pages/` folder beside the entry file as an old-style multipage app until
`st.navigation` has run once in the server process. So when the very first visitor opens a
bookmarked page (`/problems?mo=…`), Streamlit runs that page file alone: no sidebar, no
navigation, English page names. A page calls `run_app_if_opened_directly()` first; in that
case it runs `app.py` instead (which switches Streamlit to `st.navigation` for good and runs
the requested page), then stops.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import streamlit as st

APP = Path(__file__).resolve().parent.parent / "app.py"


def opened_directly() -> bool:
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without the old pages mode
        return False
    return bool(getattr(PagesManager, "uses_pages_directory", False))


def run_app_if_opened_directly() -> None:
    if opened_directly():
        runpy.run_path(str(APP), run_name="__main__")
        st.stop()
