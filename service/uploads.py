"""An upload in the app: an administrator's .xlsx becomes the campaign's data until the next
upload. It is read and checked first — a file that cannot be read, or holds no tab of the
campaign, is refused with the reason and changes nothing — then kept in the history of reads
(the same store as the last good read), with who uploaded it and when, and read by the server's
read service at once. No Streamlit here: components/upload.py draws the upload."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from campaign import russian
from campaign.errors import UserFacingError
from campaign.reading import find_tabs
from campaign.spec import Campaign, load_campaign
from campaign.workbook import SourceError
from data_sources.config import UPLOAD, Settings
from data_sources.uploaded import uploaded_workbook
from history.store import HistoryError, source_key

MSG_NO_TAB = "В файле «{name}» нет ни одного листа кампании: нужны {tabs} (есть: {found})."
MSG_NOT_UPLOADED = ("Эта кампания читает данные из своего источника, а не из загруженных файлов. Загружать таблицы "
                    "можно в кампанию, которая читает загрузки: source = \"upload\" в разделе [campaigns.{campaign}] "
                    "файла .streamlit/secrets.toml (или CAMPAIGN_SOURCE=upload), README «Where the data comes from».")
MSG_NO_HISTORY = "Загрузить нельзя: хранилище загрузок (история чтений) недоступно: {reason}"


class UploadRefused(UserFacingError):
    """The upload was not taken; `message` says why, in Russian. Nothing was changed."""

    reason = "upload_refused"


@dataclass(frozen=True)
class Uploaded:
    name: str
    rows: int
    at: datetime

    def said(self) -> str:
        return f"Таблица «{self.name}» загружена: {russian.count(self.rows, ('строка', 'строки', 'строк'))}."


def accept_upload(settings: Settings, name: str, content: bytes, by: str, *, store=None,
                  campaign: Campaign | None = None) -> Uploaded:
    """Checks the file and keeps it as the campaign's data (`store`: the history of reads, by
    default the one of the settings); raises UploadRefused."""
    if settings.source_kind != UPLOAD:
        raise UploadRefused(MSG_NOT_UPLOADED.format(campaign=settings.campaign_id))
    campaign = campaign or load_campaign(settings.campaign_id)
    try:
        workbook = uploaded_workbook(name, content, by, limits=settings.limits)
    except SourceError as error:
        raise UploadRefused(error.message) from None
    if not any(find_tabs(spec, workbook.tabs) for spec in campaign.tabs):
        tabs = ", ".join(f"«{spec.name}»" for spec in campaign.tabs if spec.required)
        found = ", ".join(f"«{tab.title}»" for tab in workbook.tabs) or "ни одного листа"
        raise UploadRefused(MSG_NO_TAB.format(name=workbook.source.label, tabs=tabs, found=found))
    if store is None:
        from service.reads import history_for

        store = history_for(settings)
    if store is None:
        raise UploadRefused(MSG_NO_HISTORY.format(reason="не настроено"))
    try:
        store.record(source_key(*settings.history_key), workbook)
    except HistoryError as error:
        raise UploadRefused(MSG_NO_HISTORY.format(reason=error.message)) from None
    return Uploaded(workbook.source.label, sum(len(tab.rows) for tab in workbook.tabs), workbook.read_at)
