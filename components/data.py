"""The campaign a session looks at and its report, from the server's one ReadService (service/reads.py)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import streamlit as st

from campaign import russian
from campaign.federal import family_members
from campaign.pipeline import Report
from campaign.spec import REGION_SEPARATOR, CampaignFileError, load_campaign
from campaign.workbook import SourceError
from components.secrets import app_secrets
from components.text import literal
from data_sources.config import (
    Settings,
    configured_campaigns,
    google_reads_per_minute,
    history_url_of,
    kept_fresh,
    load_settings,
    service_account,
)
from data_sources.drive_changes import DriveChanges
from service.reads import MSG_READER_SILENT, ReadService, Refresher
from service.sheet_schedule import DEFAULT_PER_MINUTE, SheetSchedule

CAMPAIGN_KEY = "campaign_id"  # the campaign this session looks at (also `?campaign=` in the URL)


def campaign_ids() -> list[str]:
    """The campaigns configured (all bundled demos when nothing is)."""
    return configured_campaigns(secrets=app_secrets())


def selected_campaign() -> str:
    """The campaign this session looks at: a `?campaign=` that changed from outside (a link, a
    bookmark), else the session's choice, else the first configured."""
    ids = campaign_ids()
    wanted = st.query_params.get("campaign")
    if is_configured(wanted, ids) and wanted != st.session_state.get(f"{CAMPAIGN_KEY}_url"):
        st.session_state[CAMPAIGN_KEY] = st.session_state[f"{CAMPAIGN_KEY}_url"] = wanted
    chosen = st.session_state.get(CAMPAIGN_KEY)
    return chosen if is_configured(chosen, ids) else ids[0]


def is_configured(campaign_id: str | None, ids: list[str]) -> bool:
    """A configured campaign, or a region (`<id>@<code>`) of a configured federal campaign."""
    if not campaign_id:
        return False
    if campaign_id in ids:
        return True
    base = campaign_id.partition(REGION_SEPARATOR)[0]
    return base in ids and campaign_id in family_members(base, ids)


def current_settings(campaign_id: str | None = None) -> Settings:
    return load_settings(secrets=app_secrets(), campaign_id=campaign_id or selected_campaign())


@st.cache_resource(show_spinner=False)
def reads() -> ReadService:
    """The reads of every campaign for the whole server: one report per read, shared by all
    sessions (see service/reads.py)."""
    secrets = app_secrets()
    try:
        shared = history_url_of(secrets=secrets)
    except SourceError:
        shared = None  # the pages say what is wrong with the settings
    return ReadService(schedule=sheet_schedule(secrets), shared_url=shared)


def sheet_schedule(secrets) -> SheetSchedule | None:
    """With a service account, its Google sheets are read by the background reads within the
    Sheets quota, after one Drive change check a round (service/sheet_schedule.py)."""
    try:
        account = service_account(secrets=secrets)
        per_minute = google_reads_per_minute(secrets)
    except SourceError:
        return None  # the pages say what is wrong with the settings
    if account is None:
        return None
    try:
        drive = DriveChanges.for_service_account(account)
    except (ValueError, KeyError, TypeError):
        drive = None  # a broken key: the reads themselves say so; within the budget all the same
    return SheetSchedule(drive, per_minute=per_minute or DEFAULT_PER_MINUTE)


@st.cache_resource(show_spinner=False)
def background_reads() -> Refresher | None:
    """One thread for the server reading every configured campaign when its TTL has run out,
    also while nobody looks (CAMPAIGN_BACKGROUND_READS=0 turns it off: the tests do)."""
    if os.environ.get("CAMPAIGN_BACKGROUND_READS", "1") == "0":
        return None
    secrets = app_secrets()  # read here: the thread runs outside any session

    def every() -> list[Settings]:
        return [load_settings(secrets=secrets, campaign_id=c) for c in kept_fresh(secrets=secrets)]

    return Refresher(reads(), every, interval=30).start()


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
    "changed": "файл меняли, пока его читали",
    "not_found": "таблица не найдена",
    "pending": "таблица ещё в очереди на чтение",
    "reader": MSG_READER_SILENT,
}


def stale_reason(error: SourceError, settings: Settings | None) -> str:
    """A Russian message of what failed, without secrets or personal data."""
    is_file = settings is not None and settings.source_kind == "file"
    google = settings is None or settings.source_kind in ("google", "link")
    if error.kind == "no_data":
        return "данные ещё не загружены: их загружает администратор"
    if error.kind in ("quota", "server") and not google:
        return {"quota": "источник данных просит подождать",
                "server": "источник данных временно не отвечает"}[error.kind]
    if error.kind == "not_found":
        return f"Файл не найден: {Path(settings.source).name}" if is_file else "Таблица не найдена"
    if error.kind == "too_large":  # names the file and the limit only (data_sources/limits.py)
        return error.message[:1].lower() + error.message[1:].rstrip(".")
    if error.kind == "bad_file" and is_file:
        return f"файл {Path(settings.source).name} не читается"
    return STALE_REASONS.get(error.kind, "источник данных недоступен")


@dataclass
class Loaded:
    settings: Settings
    report: Report | None
    error: SourceError | None
    stale_error: SourceError | None = None  # the data is the last good read; this is why
    history_error: str | None = None  # the history of reads cannot be used now
    failed: str = "Не удалось прочитать таблицу."  # what could not be done, before the error's message

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


def refresh() -> int | None:
    """The «Обновить» button: the sheet is read again now (its campaign only), but not more often
    than once in half a minute; returns the seconds to wait when it is too soon."""
    try:
        settings = current_settings()
    except SourceError:
        return None
    return reads().refresh(settings)


RUN_LOADS = "_loads_of_this_run"  # campaign id -> Loaded, cleared by app.py at the start of each run


def begin_run() -> None:
    """app.py, first thing in every run: the pages of this run then share its loads."""
    st.session_state[RUN_LOADS] = {}


def load(campaign_id: str | None = None) -> Loaded:
    """The report of a campaign (the session's chosen one by default), or what went wrong;
    loaded once per run of the script (app.py and the page share it)."""
    campaign_id = campaign_id or selected_campaign()
    loads = st.session_state.get(RUN_LOADS)
    if loads is not None and campaign_id in loads:
        return loads[campaign_id]
    loaded = _load(campaign_id)
    if loads is not None:
        loads[campaign_id] = loaded
    return loaded


def _load(campaign_id: str) -> Loaded:
    try:
        settings = current_settings(campaign_id)
        load_campaign(settings.campaign_id)  # a wrong id or file: say so on the page
    except SourceError as error:
        return Loaded(None, None, error)  # type: ignore[arg-type]
    except CampaignFileError as error:
        return Loaded(None, None, SourceError("config", str(error)),  # type: ignore[arg-type]
                      failed=f"Кампания «{campaign_id}» не открыта: в её файле ошибка.")
    with st.spinner("Читаем таблицу…", show_time=True):
        current = reads().current(settings)
    loaded = Loaded(settings, current.report, current.error, current.stale_error, current.history_error)
    if current.error is not None and current.error.kind == "no_data":
        loaded.failed = ""  # the message says it all
    return loaded


def hindsight(loaded: Loaded):
    """What the history says of the loaded read: the change since yesterday, lost rows."""
    from service.reads import NO_HINDSIGHT

    if loaded.report is None or loaded.settings is None:
        return NO_HINDSIGHT
    return reads().hindsight(loaded.settings)


def report_days(loaded: Loaded):
    """«По дням отчётов» of the loaded read (service.reads.ReportDays)."""
    from service.reads import ReportDays

    if loaded.report is None or loaded.settings is None:
        return ReportDays(())
    return reads().report_days(loaded.settings)


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


def error_text(loaded: Loaded) -> str:
    """Why there is nothing to show: the source's own message (with what to do) for an
    administrator; for anyone else without a sheet key, a folder or an account's address."""
    from components.access import current_access

    error = loaded.error
    if current_access().role == "admin" or loaded.settings is None:
        return error.message
    reason = stale_reason(error, loaded.settings)
    return reason[:1].upper() + reason[1:] + "."


def lost_banner(loaded: Loaded) -> None:
    """For an administrator, on every page: rows disappeared from the sheet."""
    from campaign.changes import lost_headline
    from components.access import current_access

    if current_access().role != "admin":
        return
    lost = hindsight(loaded).lost
    if lost:
        them = russian.plural(len(lost), ("Её", "Их", "Их"))
        st.warning(f"{lost_headline(lost, loaded.report.campaign.timezone)}. {them} можно скачать и вставить "
                   "обратно на странице «Проверка данных».", icon=":material/warning:")


def history_banner(loaded: Loaded) -> None:
    """When the history of reads cannot be used: the dashboard works on, and says so."""
    if loaded.history_error is not None:
        st.info(f"История чтений недоступна: {literal(loaded.history_error)} Дашборд показывает свежие данные; "
                "сравнение с прошлыми чтениями появится, когда история снова будет доступна.",
                icon=":material/history:")
