"""Fetching and checking for the pages, with Streamlit's caches around them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import streamlit as st

from campaign.pipeline import Report, run
from campaign.spec import load_campaign
from data_sources.base import SourceError, Workbook
from data_sources.config import Settings, load_settings, make_source


def current_settings() -> Settings:
    try:
        secrets = dict(st.secrets)
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):  # no secrets.toml: demo mode
        secrets = {}
    return load_settings(secrets=secrets)


@st.cache_data(ttl="60s", show_spinner="Читаем таблицу…")
def fetch_workbook(source: str, kind: str, _service_account: dict | None, ttl_seconds: int) -> Workbook:
    """One read of the sheet, shared by every session for the TTL."""
    return make_source(source, kind, _service_account).read()


@st.cache_data(show_spinner=False, max_entries=8)
def check_workbook(campaign_id: str, as_of, read_at: datetime, source_label: str, _workbook: Workbook) -> Report:
    """The pipeline over one read; keyed by when and what was read."""
    campaign = load_campaign(campaign_id)
    return run(_workbook.tabs, campaign, as_of=as_of, source=_workbook.source, read_at=_workbook.read_at)


@dataclass
class Loaded:
    settings: Settings
    report: Report | None
    error: SourceError | None


def load() -> Loaded:
    settings = current_settings()
    try:
        workbook = fetch_workbook(settings.source, settings.source_kind, settings.service_account,
                                  settings.ttl_seconds)
    except SourceError as error:
        return Loaded(settings, None, error)
    report = check_workbook(settings.campaign_id, settings.as_of, workbook.read_at, workbook.source.label, workbook)
    return Loaded(settings, report, None)
