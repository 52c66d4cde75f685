"""«Загрузить таблицу»: for an administrator of a campaign whose data is uploaded, an .xlsx
dropped in the sidebar becomes the campaign's data until the next upload (service/uploads.py)."""

from __future__ import annotations

import streamlit as st

from campaign.access import ADMIN, ROLE_NAMES
from components.access import current_access
from components.data import Loaded, reads
from components.text import literal
from data_sources.config import UPLOAD
from service.uploads import UploadRefused, accept_upload

DONE_KEY = "upload_done"  # the id of the file last taken or refused: each dropped file once
SAID_KEY = "upload_said"


def upload_panel(loaded: Loaded) -> None:
    settings = loaded.settings
    if settings is None or settings.source_kind != UPLOAD:
        return
    access = current_access()
    if access.role != ADMIN:
        return
    with st.expander("Загрузить таблицу", icon=":material/upload_file:", expanded=loaded.report is None):
        st.caption("Книга Excel (.xlsx) с листами кампании: она заменит данные дашборда до следующей загрузки. "
                   "Файл с ошибкой чтения не принимается и ничего не меняет.")
        dropped = st.file_uploader("Книга Excel (.xlsx)", type=["xlsx"], key="upload_file",
                                   label_visibility="collapsed")
        if dropped is not None and st.session_state.get(DONE_KEY) != dropped.file_id:
            st.session_state[DONE_KEY] = dropped.file_id
            who = ROLE_NAMES[access.role] + (f" ({access.who})" if access.who else "")
            try:
                uploaded = accept_upload(settings, dropped.name, dropped.getvalue(), by=who)
            except UploadRefused as refused:
                st.session_state[SAID_KEY] = ("error", f"Файл не принят. {refused.message}")
            else:
                reads().refresh_quietly(settings)  # the pages of the next run show it
                st.session_state[SAID_KEY] = ("success", uploaded.said())
                st.rerun()
    said = st.session_state.pop(SAID_KEY, None)  # below the panel: seen when the panel has closed
    if said is not None:
        kind, text = said
        (st.error if kind == "error" else st.success)(literal(text))
