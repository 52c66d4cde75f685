"""Read a Google Sheet shared "anyone with the link can view", without credentials.

One request: the sheet's xlsx export (https://docs.google.com/spreadsheets/d/<key>/export?format=xlsx),
parsed in memory. Cells arrive typed (numbers, dates), not as the sheet formats them, so
"1,45" in the sheet reads as "1.45" and a date as "15.02.2024" (see base.cell_text).
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timezone
from urllib.parse import unquote, urlsplit

import requests

from campaign.workbook import SourceError, SourceInfo, Workbook

from .google_sheet import MSG_NETWORK, MSG_NOT_FOUND, MSG_QUOTA, MSG_SERVER, MSG_SSL, edit_url, spreadsheet_key
from .http import fetch
from .limits import DEFAULT_LIMITS, ReadLimits
from .local_file import xlsx_tabs

DEFAULT_TIMEOUT = 30.0  # seconds for the whole download: a big export takes Google a while
MSG_TOO_SLOW = ("Google-таблица не успела выгрузиться за {seconds} с: связь слишком медленная или Google "
                "перегружен. Попробуйте обновить позже.")
EXPORT_URL = "https://docs.google.com/spreadsheets/d/{key}/export?format=xlsx"
LOGIN_HOSTS = {"accounts.google.com"}

MSG_NOT_SHARED = (
    "Таблица не открыта по ссылке. В таблице: «Настройки доступа» → «Все, у кого есть ссылка» → «Читатель»."
)
MSG_BAD_EXPORT = (
    "Google прислал таблицу в непонятном виде. Попробуйте ещё раз; если ошибка повторится, "
    "сообщите администратору."
)


def local_base(key_or_url: str) -> str | None:
    """«http://127.0.0.1:8765» for a sheet URL on this machine (a local mirror or the test
    stand-in of Google); None for docs.google.com and bare keys. Only loopback hosts are
    honoured, so a configured URL can never send the dashboard to another server."""
    parts = urlsplit(key_or_url.strip()) if "://" in key_or_url else None
    if parts is None or parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        return None
    return f"{parts.scheme}://{parts.netloc}"


class PublicLinkSource:
    """A Google Sheet readable by anyone with the link. `session` (a requests.Session) is
    optional; `read()` raises only SourceError (not_found, no_access, quota, network,
    server, bad_response)."""

    kind = "link"

    def __init__(
        self,
        key_or_url: str,
        *,
        session: requests.Session | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        limits: ReadLimits = DEFAULT_LIMITS,
    ) -> None:
        self.key = spreadsheet_key(key_or_url)
        self.limits = limits
        self._base = local_base(key_or_url)
        self._session = session
        self._timeout = timeout

    @property
    def url(self) -> str:
        return edit_url(self.key)

    @property
    def export_url(self) -> str:
        url = EXPORT_URL.format(key=self.key)
        return url.replace("https://docs.google.com", self._base) if self._base else url

    def read(self) -> Workbook:
        session = self._session or requests.Session()
        try:
            answer = fetch(session, "GET", self.export_url, timeout=self._timeout, where="Google", host="Google",
                           network_message=MSG_NETWORK, ssl_message=MSG_SSL, slow_message=MSG_TOO_SLOW)
        finally:
            if self._session is None:
                session.close()

        status, content = answer.status, answer.content
        content_type = answer.headers.get("Content-Type", "")
        detail = answer.detail
        if status == 404:
            raise SourceError("not_found", MSG_NOT_FOUND.format(key=self.key), detail=detail)
        if status in (401, 403):
            raise SourceError("no_access", MSG_NOT_SHARED, detail=detail)
        if status == 429:
            raise SourceError("quota", MSG_QUOTA, detail=detail)
        if status >= 500:
            raise SourceError("server", MSG_SERVER.format(status=status), detail=detail)
        if status != 200:
            raise SourceError("bad_response", MSG_BAD_EXPORT, detail=detail)
        if not content.startswith(b"PK\x03\x04"):  # not a zip, so not an xlsx
            login = urlsplit(answer.url).hostname in LOGIN_HOSTS
            if login or "html" in content_type or content.lstrip()[:1] == b"<":
                # Google answers a sheet that is not shared by link with its login page.
                raise SourceError("no_access", MSG_NOT_SHARED, detail=detail)
            raise SourceError("bad_response", MSG_BAD_EXPORT, detail=detail)
        try:
            tabs = xlsx_tabs(io.BytesIO(content), name="выгрузки Google-таблицы", limits=self.limits)
        except SourceError:
            raise  # more than the limits allow
        except Exception as err:  # noqa: BLE001 - a damaged export: the reader raises many kinds
            raise SourceError("bad_response", MSG_BAD_EXPORT, detail=f"{detail}: {err!r}") from None

        return Workbook(
            tabs=tabs,
            source=SourceInfo(
                kind="link",
                # never the key: for a sheet shared by link it opens all of it, personal data included
                label=filename_title(answer.headers.get("Content-Disposition", "")) or "",  # no name: its kind says it
                url=edit_url(self.key),
            ),
            read_at=datetime.now(timezone.utc),
            requests_made=1 + answer.redirects,
            extra={"spreadsheet_id": self.key},
        )


def filename_title(disposition: str) -> str | None:
    """The sheet's title from `Content-Disposition: attachment; filename*=UTF-8''<title>.xlsx`."""
    match = re.search(r"filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)", disposition)
    if match:
        name = unquote(match.group(1).strip().strip('"'))
    else:
        match = re.search(r'filename\s*=\s*"([^"]*)"', disposition) or re.search(r"filename\s*=\s*([^;]+)", disposition)
        if not match:
            return None
        name = match.group(1).strip()
    if name.lower().endswith(".xlsx"):
        name = name[:-5]
    return name or None
