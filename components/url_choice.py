"""A select box whose choice is kept in the URL (`?mo=…`), so a view can be bookmarked."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from components.text import CHOOSE, literal


def url_selectbox(label: str, options: list[str], *, param: str, key: str,
                  format_func: Callable[[str], str]) -> str:
    """The chosen option ("" for none); the URL and the widget follow each other.

    The widget keeps one key for the whole session: a key that changed with the URL would make
    Streamlit build a new widget and drop the next choice.
    """
    wanted = st.query_params.get(param, "")
    if wanted not in options:  # a mistyped link (said, not hidden), or the campaign shown before's choice
        if key not in st.session_state:
            st.warning(f"В ссылке выбрано «{literal(wanted)}», а здесь такого нет: показано всё.",
                       icon=":material/link_off:")
        st.query_params.pop(param, None)
        wanted = ""
    if (key not in st.session_state or st.session_state.get(f"{key}_url") != wanted
            or st.session_state[key] not in options):
        # first visit, the URL was changed from outside the widget (a link, a table click), or the
        # choice belongs to the campaign shown before (its municipalities are not this one's)
        st.session_state[key] = wanted
        st.session_state[f"{key}_url"] = wanted
    choice = st.selectbox(label, options, key=key, format_func=format_func, placeholder=CHOOSE)
    if choice != wanted:
        if choice:
            st.query_params[param] = choice
        else:
            st.query_params.pop(param, None)
        st.session_state[f"{key}_url"] = choice
    return choice


def url_text_input(label: str, *, param: str, key: str, placeholder: str) -> str:
    """A search box whose text is kept in the URL (`?q=…`): a bookmark or a colleague's link opens
    the same search. As `url_selectbox`: the URL and the widget follow each other."""
    wanted = st.query_params.get(param, "")
    if key not in st.session_state or st.session_state.get(f"{key}_url") != wanted:
        st.session_state[key] = wanted
        st.session_state[f"{key}_url"] = wanted
    text = st.text_input(label, key=key, placeholder=placeholder)
    if text != wanted:
        if text.strip():
            st.query_params[param] = text
        else:
            st.query_params.pop(param, None)
        st.session_state[f"{key}_url"] = text if text.strip() else ""
    return text
