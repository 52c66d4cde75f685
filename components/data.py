"""Fetching and checking for the pages, with Streamlit's caches around them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import streamlit as st

from campaign.pipeline import Report, run
from campaign.spec import load_campaign
from data_sources.base import SourceError, Workbook
from components.text import literal
from data_sources.config import Settings, load_settings, make_source


def current_settings() -> Settings:
    try:
        secrets = st.secrets.to_dict()
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):  # no secrets.toml: demo mode
        secrets = {}
    return load_settings(secrets=secrets)


def _ttl() -> int:
    try:
        return current_settings().ttl_seconds
    except SourceError:
        return 60


@st.cache_data(ttl=_ttl(), show_spinner="Читаем таблицу…", max_entries=4)
def fetch_workbook(source: str, kind: str, _service_account: dict | None) -> Workbook:
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

    def local_time(self, moment: datetime) -> datetime:
        zone = ZoneInfo(self.report.campaign.timezone) if self.report else None
        return moment.astimezone(zone) if zone and moment.tzinfo else moment


def refresh() -> None:
    """The «Обновить» button: forget the cached read so the next run reads the sheet again."""
    fetch_workbook.clear()


def load() -> Loaded:
    try:
        settings = current_settings()
    except SourceError as error:
        return Loaded(None, None, error)  # type: ignore[arg-type]
    try:
        workbook = fetch_workbook(settings.source, settings.source_kind, settings.service_account)
    except SourceError as error:
        return Loaded(settings, None, error)
    report = check_workbook(settings.campaign_id, settings.as_of, workbook.read_at, workbook.source.label, workbook)
    return Loaded(settings, report, None)


def loaded_or_stop() -> Loaded:
    """For a page: the loaded report, or a clear banner and stop."""
    loaded = load()
    if loaded.error is not None:
        st.error(f"Не удалось прочитать таблицу. {literal(loaded.error.message)}", icon=":material/error:")
        st.stop()
    return loaded
