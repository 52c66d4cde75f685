"""Read a Google Sheet through the Sheets API v4 with a service account (via gspread).

One `read()` makes exactly two HTTP requests whatever the number of tabs: the spreadsheet
metadata (tab titles, sheet ids) and one `values:batchGet` for all tabs. Cells come back as
the sheet shows them (FORMATTED_VALUE), so "1 200", "15.02.2024" and "~150" arrive as text.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

import gspread
import requests
from google.auth import exceptions as google_auth_errors
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient

from campaign.workbook import RawTab, SourceError, SourceInfo, Workbook

from .base import tab_from_values
from .limits import DEFAULT_LIMITS, ReadLimits, check_grid

READONLY_SCOPES = ["https://www.googleapis.com/auth/spreadsheets.readonly"]
DEFAULT_TIMEOUT = 20.0  # seconds, per HTTP request

_KEY_IN_URL = re.compile(r"/spreadsheets/(?:u/\d+/)?d/([A-Za-z0-9_-]+)")
_KEY_PARAM = re.compile(r"[?&#]key=([A-Za-z0-9_-]+)")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")

MSG_NO_KEY = "Не указан адрес или ключ Google-таблицы."
MSG_BAD_URL = (
    "Не удалось найти ключ таблицы в адресе: {text}. Скопируйте адрес таблицы из адресной "
    "строки браузера — он выглядит так: https://docs.google.com/spreadsheets/d/<ключ>/edit."
)
MSG_PUBLISHED_URL = (
    "Это адрес копии, опубликованной в интернете (…/spreadsheets/d/e/…). Нужен обычный адрес "
    "таблицы из адресной строки браузера: https://docs.google.com/spreadsheets/d/<ключ>/edit."
)
MSG_NOT_FOUND = "Таблица не найдена. Проверьте ключ таблицы (часть адреса между /d/ и /edit): {key}"
MSG_NO_ACCESS = (
    "Нет доступа к таблице. Откройте доступ на чтение для адреса {email} "
    "(кнопка «Настройки доступа» в таблице)."
)
MSG_NO_ACCESS_UNKNOWN = (
    "Нет доступа к таблице. Откройте доступ на чтение для сервисного аккаунта приложения "
    "(кнопка «Настройки доступа» в таблице; адрес аккаунта — поле client_email в его JSON-ключе)."
)
MSG_API_DISABLED = (
    "В проекте Google Cloud, к которому относится сервисный аккаунт, не включён Google Sheets API. "
    "Включите его: console.cloud.google.com → «API и сервисы» → «Библиотека» → Google Sheets API → "
    "«Включить», и через пару минут попробуйте ещё раз."
)
MSG_QUOTA = "Превышен лимит запросов к Google Sheets. Попробуйте ещё раз через минуту."
MSG_NETWORK = "Нет связи с Google Sheets. Проверьте подключение к интернету и попробуйте ещё раз."
MSG_SSL = (
    "Не удалось установить защищённое соединение с Google Sheets (ошибка сертификата). "
    "Возможно, соединение перехватывает прокси-сервер организации — обратитесь к администратору сети."
)
MSG_SERVER = "Google Sheets временно не отвечает (ошибка {status}). Попробуйте ещё раз через несколько минут."
MSG_BAD_RESPONSE = (
    "Google Sheets прислал непонятный ответ. Попробуйте ещё раз; если ошибка повторится, "
    "сообщите администратору."
)
MSG_NO_CREDENTIALS = (
    "Не настроено подключение к Google Sheets: нет JSON-ключа сервисного аккаунта."
)
MSG_BAD_CREDENTIALS = (
    "JSON-ключ сервисного аккаунта Google повреждён или неполон. Скачайте новый ключ в Google "
    "Cloud Console («IAM и администрирование» → «Сервисные аккаунты» → «Ключи»)."
)
MSG_REJECTED_CREDENTIALS = (
    "Google не принял ключ сервисного аккаунта. Возможно, ключ отозван или аккаунт удалён — "
    "создайте новый JSON-ключ в Google Cloud Console."
)


def spreadsheet_key(key_or_url: str) -> str:
    """The spreadsheet key from a full Google Sheets URL or a bare key.

    Raises SourceError("config") when nothing is given and SourceError("not_found") when
    no key can be found in the text."""
    text = (key_or_url or "").strip()
    if not text:
        raise SourceError("config", MSG_NO_KEY)
    if "/" in text or "?" in text:
        if "/spreadsheets/d/e/" in text:
            raise SourceError("not_found", MSG_PUBLISHED_URL, detail=text)
        match = _KEY_IN_URL.search(text) or _KEY_PARAM.search(text)
        if match:
            return match.group(1)
        raise SourceError("not_found", MSG_BAD_URL.format(text=text), detail=text)
    if _BARE_KEY.fullmatch(text):
        return text
    raise SourceError("not_found", MSG_BAD_URL.format(text=text), detail=text)


def edit_url(key: str) -> str:
    return f"https://docs.google.com/spreadsheets/d/{key}/edit"


def range_for_title(title: str) -> str:
    """A range covering a whole tab: its title in single quotes, quotes doubled."""
    return "'" + title.replace("'", "''") + "'"


def tab_key(title: str) -> str:
    """A tab title normalised as the sheet template says tab names are matched:
    case-insensitive, «ё» = «е», ignoring surrounding and repeated spaces, text in
    parentheses and trailing punctuation."""
    text = title.replace("\u00a0", " ").casefold().replace("ё", "е")
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(" .,;:!?-–—").strip()


class GoogleSheetSource:
    """A Google Sheet read with a service account.

    Give `credentials` (the service account's JSON key as a dict) to have a gspread client
    built with the read-only scope, or a ready `client` (gspread.Client). When both are
    given, `client` does the HTTP and `credentials` only names the account (client_email)
    in the "no access" message.

    `tabs` limits reading to those tabs (matched like `tab_key`); tabs that the sheet does
    not have are silently left out — checking for missing tabs is the caller's job.
    `timeout` bounds each HTTP request (seconds); a client with its own timeout keeps it.

    `read()` raises only SourceError (kinds: config, not_found, no_access, quota, network,
    server, bad_response)."""

    kind = "google"

    def __init__(
        self,
        key_or_url: str,
        *,
        credentials: dict | None = None,
        client: gspread.Client | None = None,
        tabs: list[str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        limits: ReadLimits = DEFAULT_LIMITS,
    ) -> None:
        self.key = spreadsheet_key(key_or_url)
        self.limits = limits
        self._credentials = dict(credentials) if credentials else None
        self._client = client
        self._tabs = list(tabs) if tabs is not None else None
        self._timeout = timeout

    @property
    def url(self) -> str:
        return edit_url(self.key)

    @property
    def client_email(self) -> str | None:
        """The service account's address, when known."""
        email: Any = None
        if self._credentials:
            email = self._credentials.get("client_email")
        if not email and self._client is not None:
            auth = getattr(self._client.http_client, "auth", None)
            email = getattr(auth, "service_account_email", None)
        return email if isinstance(email, str) and "@" in email else None

    def read(self) -> Workbook:
        http = self._http_client()
        requests_made = 0
        url = edit_url(self.key)
        with self.translated_errors():
            requests_made += 1
            metadata = http.fetch_sheet_metadata(self.key)
            title, sheets, grids = _parse_metadata(metadata)
            wanted = None if self._tabs is None else {tab_key(t) for t in self._tabs}
            sheets = [s for s in sheets if wanted is None or tab_key(s[1]) in wanted]
            check_grid([(t, *grids[t]) for _, t in sheets], f"«{title}»", self.limits)
            value_ranges: list[dict] = []
            if sheets:
                requests_made += 1
                reply = http.values_batch_get(
                    self.key,
                    [range_for_title(sheet_title) for _, sheet_title in sheets],
                    params={"valueRenderOption": "FORMATTED_VALUE", "majorDimension": "ROWS"},
                )
                value_ranges = _parse_value_ranges(reply, len(sheets))

        tabs: list[RawTab] = [
            tab_from_values(sheet_title, value_range.get("values") or [], sheet_id)
            for (sheet_id, sheet_title), value_range in zip(sheets, value_ranges)
        ]
        properties = metadata.get("properties") or {}
        return Workbook(
            tabs=tabs,
            source=SourceInfo(kind="google", label=title, url=url),
            read_at=datetime.now(timezone.utc),
            requests_made=requests_made,
            extra={
                "spreadsheet_id": self.key,
                "locale": properties.get("locale"),
                "time_zone": properties.get("timeZone"),
            },
        )

    @contextmanager
    def translated_errors(self) -> Iterator[None]:
        """Any failure of the requests made inside as one SourceError with a Russian message."""
        try:
            yield
        except APIError as err:
            raise self._api_error(err) from None
        except requests.exceptions.JSONDecodeError as err:
            raise SourceError("bad_response", MSG_BAD_RESPONSE, detail=f"not JSON: {err}") from None
        except requests.exceptions.SSLError as err:
            raise SourceError("network", MSG_SSL, detail=repr(err)) from None
        except (requests.exceptions.RequestException, google_auth_errors.TransportError) as err:
            raise SourceError("network", MSG_NETWORK, detail=repr(err)) from None
        except google_auth_errors.RefreshError as err:
            raise SourceError("config", MSG_REJECTED_CREDENTIALS, detail=repr(err)) from None
        except google_auth_errors.GoogleAuthError as err:
            raise SourceError("config", MSG_BAD_CREDENTIALS, detail=repr(err)) from None

    # -- internals

    def _http_client(self) -> HTTPClient:
        """A plain gspread HTTPClient (no back-off retries) with a timeout."""
        if self._client is None:
            if not self._credentials:
                raise SourceError("config", MSG_NO_CREDENTIALS)
            try:
                self._client = gspread.service_account_from_dict(self._credentials, scopes=READONLY_SCOPES)
            except (ValueError, KeyError, TypeError, google_auth_errors.GoogleAuthError) as err:
                raise SourceError("config", MSG_BAD_CREDENTIALS, detail=repr(err)) from None
        given = self._client.http_client
        # gspread's BackOffHTTPClient sleeps up to minutes on 429/5xx; we answer at once instead.
        plain = HTTPClient(None, session=given.session)  # type: ignore[arg-type]
        plain.set_timeout(given.timeout if given.timeout is not None else self._timeout)
        return plain

    def _api_error(self, err: APIError) -> SourceError:
        response = err.response
        status = response.status_code
        error = err.error if isinstance(err.error, dict) else {}
        message = str(error.get("message", ""))
        detail = (
            f"HTTP {status} {error.get('status', '')}: {message[:500]} "
            f"({response.request.method if response.request else 'GET'} {response.url})"
        )
        if status == 404:
            return SourceError("not_found", MSG_NOT_FOUND.format(key=self.key), detail=detail)
        if status == 403:
            if _is_api_disabled(error):
                return SourceError("config", MSG_API_DISABLED, detail=detail)
            email = self.client_email
            text = MSG_NO_ACCESS.format(email=email) if email else MSG_NO_ACCESS_UNKNOWN
            return SourceError("no_access", text, detail=detail)
        if status == 401:
            return SourceError("config", MSG_REJECTED_CREDENTIALS, detail=detail)
        if status == 429:
            return SourceError("quota", MSG_QUOTA, detail=detail)
        if status == 408:
            return SourceError("network", MSG_NETWORK, detail=detail)
        if status >= 500:
            return SourceError("server", MSG_SERVER.format(status=status), detail=detail)
        return SourceError("bad_response", MSG_BAD_RESPONSE, detail=detail)


def _is_api_disabled(error: dict) -> bool:
    """403 because the Sheets API is off in the service account's project (not a sharing problem)."""
    for item in error.get("details") or []:
        if isinstance(item, dict) and item.get("reason") in {"SERVICE_DISABLED", "ACCESS_NOT_CONFIGURED"}:
            return True
    message = str(error.get("message", ""))
    return "has not been used in project" in message or "it is disabled" in message


def _parse_metadata(metadata: Any) -> tuple[str, list[tuple[int | None, str]], dict[str, tuple[int, int]]]:
    """(spreadsheet title, [(sheetId, title)] of the GRID tabs in sheet order, title -> (rows,
    columns) of each tab's grid)."""
    try:
        title = str(metadata["properties"]["title"])
        sheets, grids = [], {}
        for sheet in sorted(metadata.get("sheets") or [], key=lambda s: s["properties"].get("index", 0)):
            props = sheet["properties"]
            if props.get("sheetType", "GRID") != "GRID":  # charts and data-source sheets hold no cells
                continue
            sheets.append((props.get("sheetId"), str(props["title"])))
            grid = props.get("gridProperties") or {}
            grids[str(props["title"])] = (int(grid.get("rowCount") or 0), int(grid.get("columnCount") or 0))
    except (KeyError, TypeError, AttributeError, ValueError) as err:
        raise SourceError("bad_response", MSG_BAD_RESPONSE, detail=f"metadata without {err!r}") from None
    return title, sheets, grids


def _parse_value_ranges(reply: Any, expected: int) -> list[dict]:
    ranges: Iterable[Any] = reply.get("valueRanges") if isinstance(reply, dict) else None  # type: ignore[assignment]
    if not isinstance(ranges, list) or len(ranges) != expected or not all(isinstance(r, dict) for r in ranges):
        raise SourceError(
            "bad_response",
            MSG_BAD_RESPONSE,
            detail=f"values:batchGet: expected {expected} valueRanges, got {str(reply)[:300]}",
        )
    for value_range in ranges:
        values = value_range.get("values", [])
        if not isinstance(values, list) or not all(isinstance(row, list) for row in values):
            raise SourceError("bad_response", MSG_BAD_RESPONSE, detail=f"bad values in {str(value_range)[:300]}")
    return ranges
