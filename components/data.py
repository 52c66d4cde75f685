"""Fetching and checking for the pages, with Streamlit's caches around them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import streamlit as st

from campaign import russian
from campaign.pipeline import Report, run
from campaign.spec import CampaignFileError, load_campaign
from data_sources.base import SourceError, Workbook
from components.text import literal
from data_sources.config import Settings, configured_campaigns, load_settings, make_source
from data_sources.resilient import Fetched, ResilientSource


CAMPAIGN_KEY = "campaign_id"  # the campaign this session looks at (also `?campaign=` in the URL)


def _secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):  # no secrets.toml: demo mode
        return {}


def campaign_ids() -> list[str]:
    """The campaigns configured (all bundled demos when nothing is)."""
    return configured_campaigns(secrets=_secrets())


def selected_campaign() -> str:
    """The campaign this session looks at: a `?campaign=` that changed from outside (a link, a
    bookmark), else the session's choice, else the first configured."""
    ids = campaign_ids()
    wanted = st.query_params.get("campaign")
    if wanted in ids and wanted != st.session_state.get(f"{CAMPAIGN_KEY}_url"):
        st.session_state[CAMPAIGN_KEY] = st.session_state[f"{CAMPAIGN_KEY}_url"] = wanted
    chosen = st.session_state.get(CAMPAIGN_KEY)
    return chosen if chosen in ids else ids[0]


def current_settings(campaign_id: str | None = None) -> Settings:
    return load_settings(secrets=_secrets(), campaign_id=campaign_id or selected_campaign())


def _ttl() -> int:
    try:
        return load_settings(secrets=_secrets()).ttl_seconds
    except SourceError:
        return 60


def snapshot_path(cache_dir: Path, source: str, kind: str) -> Path:
    """Where the last good read of a source is kept: a file named by a hash of the source
    (no key or path in the name)."""
    digest = hashlib.sha256(f"{kind}\n{source}".encode("utf-8")).hexdigest()[:24]
    return Path(cache_dir) / f"workbook-{digest}.pickle"


@st.cache_resource(show_spinner=False, max_entries=16)
def resilient_source(source: str, kind: str, _service_account: dict | None, cache_dir: str | None) -> ResilientSource:
    """One ResilientSource per (source, kind) for the whole server: shared retries, single
    flight and the last good data. The bundled demo keeps its last good read in memory only."""
    path = snapshot_path(Path(cache_dir), source, kind) if cache_dir is not None else None
    return ResilientSource(make_source(source, kind, _service_account), snapshot_path=path)


@st.cache_data(ttl=_ttl(), show_spinner="Читаем таблицу…", max_entries=16)
def fetch_workbook(source: str, kind: str, _service_account: dict | None, cache_dir: str | None = None) -> Fetched:
    """One read of the sheet, shared by every session for the TTL: fresh, or the last good
    one marked stale when the sheet cannot be read now."""
    return resilient_source(source, kind, _service_account, cache_dir).read()


# What failed, for the «stale data» banner: short, and never the sheet key, a file's folder
# or the service account's address (the source's own messages may include them).
STALE_REASONS = {
    "quota": "превышен лимит запросов к Google Sheets",
    "server": "Google Sheets временно не отвечает",
    "network": "нет связи с источником данных",
    "no_access": "нет доступа к таблице",
    "bad_response": "источник прислал непонятный ответ",
    "bad_file": "файл не читается",
    "config": "ошибка в настройках подключения",
}


def stale_reason(error: SourceError, settings: Settings | None) -> str:
    """A Russian message of what failed, without secrets or personal data."""
    is_file = settings is not None and settings.source_kind == "file"
    if error.kind == "not_found":
        return f"Файл не найден: {Path(settings.source).name}" if is_file else "Таблица не найдена"
    if error.kind == "bad_file" and is_file:
        return f"файл {Path(settings.source).name} не читается"
    return STALE_REASONS.get(error.kind, "источник данных недоступен")


@st.cache_data(show_spinner=False, max_entries=16)
def check_workbook(campaign_id: str, as_of, read_at: datetime, source_label: str, _workbook: Workbook) -> Report:
    """The pipeline over one read; keyed by when and what was read."""
    campaign = load_campaign(campaign_id)
    return run(_workbook.tabs, campaign, as_of=as_of, source=_workbook.source, read_at=_workbook.read_at)


@dataclass
class Loaded:
    settings: Settings
    report: Report | None
    error: SourceError | None
    stale_error: SourceError | None = None  # the data is the last good read; this is why

    @property
    def stale(self) -> bool:
        return self.stale_error is not None

    def local_time(self, moment: datetime) -> datetime:
        zone = ZoneInfo(self.report.campaign.timezone) if self.report else None
        return moment.astimezone(zone) if zone and moment.tzinfo else moment

    def read_at_text(self) -> str:
        """When the sheet was read, in the region's time, saying so: «02.12.2026 05:10 (время
        Амурской области, UTC+9)»."""
        report = self.report
        local = self.local_time(report.read_at)
        if local.tzinfo is None:
            return russian.moment(local)
        return (f"{russian.moment(local)} (время {report.campaign.region_name_genitive}, "
                f"{russian.utc_offset(local)})")


def refresh() -> None:
    """The «Обновить» button: forget the cached read so the next run reads the sheet again."""
    fetch_workbook.clear()


def load(campaign_id: str | None = None) -> Loaded:
    """The report of a campaign (the session's chosen one by default), or what went wrong."""
    try:
        settings = current_settings(campaign_id)
        load_campaign(settings.campaign_id)  # a wrong id or file: say so on the page
    except SourceError as error:
        return Loaded(None, None, error)  # type: ignore[arg-type]
    except CampaignFileError as error:
        return Loaded(None, None, SourceError("config", f"Кампания «{campaign_id or selected_campaign()}» "
                                                        f"не настроена: {error}"))  # type: ignore[arg-type]
    try:
        fetched = fetch_workbook(
            settings.source, settings.source_kind, settings.service_account,
            None if settings.is_demo else str(settings.cache_dir),
        )
    except SourceError as error:
        return Loaded(settings, None, error)
    workbook = fetched.workbook
    report = check_workbook(settings.campaign_id, settings.as_of, workbook.read_at, workbook.source.label, workbook)
    return Loaded(settings, report, None, fetched.error if fetched.stale else None)


def stale_banner(loaded: Loaded) -> None:
    """When the data is the last good read: say so, what failed, and how old the data is."""
    if loaded.stale_error is None or loaded.report is None:
        return
    reason = stale_reason(loaded.stale_error, loaded.settings)
    when = loaded.read_at_text()
    st.warning(
        f"Не удалось обновить данные: {literal(reason)}. Показаны данные на {when}.",
        icon=":material/cloud_off:",
    )


def loaded_or_stop() -> Loaded:
    """For a page: the loaded report, or a clear banner and stop."""
    loaded = load()
    if loaded.error is not None:
        st.error(f"Не удалось прочитать таблицу. {literal(loaded.error.message)}", icon=":material/error:")
        st.stop()
    stale_banner(loaded)
    return loaded
