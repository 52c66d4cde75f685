"""Deep links on a fresh server: keep every page inside the app's navigation.

Why this exists (Streamlit 1.67, checked in its source): a `pages/` folder beside the entry file
makes `PagesManager.uses_pages_directory` true when the server's first session starts
(runtime/pages_manager.py), and only `st.navigation` clears it again (commands/navigation.py).
Until then the script runner runs the old multipage mode (`_mpa_v1` in
runtime/scriptrunner/script_runner.py): the very first visitor who opens a bookmarked page
(`/problems?mo=…`) gets that page file run alone — no sidebar, no navigation, English page
names. No option turns that mode off, and the design keeps `pages/` at the top, so a page calls
`run_app_if_opened_directly()` first: in that one case it runs `app.py` instead (which calls
`st.navigation`, ending the old mode for the whole server, and runs the requested page), then
stops. tests/browser checks a deep link on a fresh server.
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
