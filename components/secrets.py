"""The app's secrets.toml as a plain dict ({} when there is none: the demo)."""

from __future__ import annotations

import streamlit as st


def app_secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):  # no secrets.toml: demo mode
        return {}
