"""A small local stand-in of the Google Sheets API v4 and of the docs.google.com xlsx export.

It is a real HTTP server on 127.0.0.1 holding spreadsheets in memory, so gspread and
`requests` run unmodified against it. The response shapes follow the real Google responses
recorded in `tests/reference/sheets-api-recordings/` (see the test that checks this,
`tests/integration/test_standin_matches_recordings.py`).

    with SheetsStandIn() as standin:
        standin.add_spreadsheet("KEY", "Кампания", {"Организации": [["МО", "ИНН"], ["г. Тында", "2808001234"]]})
        client = gspread.Client(auth=None, session=standin.session())   # or standin.client()
        client.http_client.fetch_sheet_metadata("KEY")

What it serves:
- `GET /v4/spreadsheets/{key}`                  metadata (includeGridData=false)
- `GET /v4/spreadsheets/{key}/values/{range}`   one range
- `GET /v4/spreadsheets/{key}/values:batchGet?ranges=..&ranges=..`
- `POST /v4/spreadsheets/{key}:batchUpdate`     addSheet, deleteSheet, updateSheetProperties,
                                                updateCells, setDataValidation, repeatCell,
                                                updateDimensionProperties, autoResizeDimensions;
                                                applied atomically (all or nothing), as Google does
- `/spreadsheets/d/{key}/export?format=xlsx`    on docs.google.com (built with openpyxl)
- `/ServiceLogin`                               on accounts.google.com (the login page a
                                                private sheet's export redirects to)

Ranges: a sheet title, quoted or not (`Sheet1`, `'Лист 1'`, `'It''s'`), optionally with
`!A1`, `!A1:D4`, `!A:C`, `!2:5`, `!A2:D`; or bare A1 notation (the first sheet). Ranges are
clipped to the sheet's grid like Google does (`A:A` on a 10x10 sheet -> `A1:A10`).

Cells are stored as given (str, int, float, bool, date, datetime, time or None). The values
endpoints answer with FORMATTED strings, approximating Google's automatic formats for the
spreadsheet's locale (ru_RU: `1,45`, `15.02.2024`, `ИСТИНА`; otherwise en_US style). The
xlsx export keeps the typed values. A formula written by updateCells is kept as its text (the
stand-in computes nothing). Bodies of requests are kept: `standin.request_bodies`.
"""

from __future__ import annotations

import copy
import io
import json
import re
import threading
import time as _time
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

from tests.loopback import LoopbackServer

REDIRECTED_ORIGINS = (
    "https://sheets.googleapis.com",
    "https://www.googleapis.com",  # Drive API v3: files.list, the change check of many sheets

    "https://docs.google.com",
    "https://accounts.google.com",
)
DEFAULT_GRID = (1000, 26)  # a new Google sheet
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON_MIME = "application/json; charset=UTF-8"
HTML_MIME = "text/html; charset=utf-8"

# Google's default spreadsheet format and theme, as in the recorded metadata.
_DEFAULT_FORMAT = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}
_THEME_COLORS = [
    ("TEXT", {}),
    ("BACKGROUND", {"red": 1, "green": 1, "blue": 1}),
    ("ACCENT1", {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}),
    ("ACCENT2", {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}),
    ("ACCENT3", {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}),
    ("ACCENT4", {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}),
    ("ACCENT5", {"red": 1, "green": 0.42745098, "blue": 0.003921569}),
    ("ACCENT6", {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}),
    ("LINK", {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}),
]

# Error bodies as Google sends them (404/403 recorded; 429 as reported publicly).
_API_ERRORS = {
    400: ("Bad request.", "INVALID_ARGUMENT"),
    403: ("The caller does not have permission", "PERMISSION_DENIED"),
    404: ("Requested entity was not found.", "NOT_FOUND"),
    429: (
        "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per "
        "user' of service 'sheets.googleapis.com' for consumer 'project_number:000000000000'.",
        "RESOURCE_EXHAUSTED",
    ),
    500: ("Internal error encountered.", "INTERNAL"),
    501: ("Not implemented.", "UNIMPLEMENTED"),
    502: ("Bad gateway.", "UNAVAILABLE"),
    503: ("The service is currently unavailable.", "UNAVAILABLE"),
}
_QUOTA_DETAILS = [
    {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "RATE_LIMIT_EXCEEDED",
        "domain": "googleapis.com",
        "metadata": {
            "quota_metric": "sheets.googleapis.com/read_requests",
            "quota_limit": "ReadRequestsPerMinutePerUser",
            "quota_limit_value": "60",
            "quota_location": "global",
            "consumer": "projects/000000000000",
            "service": "sheets.googleapis.com",
        },
    },
    {
        "@type": "type.googleapis.com/google.rpc.Help",
        "links": [
            {
                "description": "Request a higher quota limit.",
                "url": "https://cloud.google.com/docs/quotas/help/request_increase",
            }
        ],
    },
]


def api_error_body(code: int, message: str | None = None, status: str | None = None) -> dict:
    """The JSON error body the Sheets API sends for `code`."""
    default_message, default_status = _API_ERRORS.get(code, ("Error.", "UNKNOWN"))
    error: dict[str, Any] = {
        "code": code,
        "message": message or default_message,
        "status": status or default_status,
    }
    if code == 429:
        error["details"] = _QUOTA_DETAILS
    return {"error": error}


# ---------------------------------------------------------------------------- the model


@dataclass
class _Tab:
    title: str
    sheet_id: int
    index: int
    row_count: int
    column_count: int
    cells: list[list[object]]
    hidden: bool = False
    frozen_rows: int = 0
    notes: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column), 0-based
    formats: dict[tuple[int, int], dict] = field(default_factory=dict)  # userEnteredFormat by cell
    validations: list[dict] = field(default_factory=list)  # setDataValidation requests as sent
    repeated: list[dict] = field(default_factory=list)  # repeatCell requests as sent
    widths: dict[int, int] = field(default_factory=dict)  # column -> pixels

    def properties(self) -> dict:
        """`sheets[].properties` as Google writes them (zero and false values left out)."""
        grid: dict[str, int] = {"rowCount": self.row_count, "columnCount": self.column_count}
        if self.frozen_rows:
            grid["frozenRowCount"] = self.frozen_rows
        props: dict[str, Any] = {
            "sheetId": self.sheet_id, "title": self.title, "index": self.index, "sheetType": "GRID",
            "gridProperties": grid,
        }
        if self.hidden:
            props["hidden"] = True
        return props


@dataclass
class _Spreadsheet:
    key: str
    title: str
    locale: str
    time_zone: str
    tabs: list[_Tab]
    public_link: bool
    modified: datetime = datetime(2022, 2, 8, tzinfo=timezone.utc)  # Drive's modifiedTime

    def metadata(self) -> dict:
        return {
            "spreadsheetId": self.key,
            "properties": {
                "title": self.title,
                "locale": self.locale,
                "autoRecalc": "ON_CHANGE",
                "timeZone": self.time_zone,
                "defaultFormat": _DEFAULT_FORMAT,
                "spreadsheetTheme": {
                    "primaryFontFamily": "Arial",
                    "themeColors": [
                        {"colorType": kind, "color": {"rgbColor": rgb}} for kind, rgb in _THEME_COLORS
                    ],
                },
            },
            "sheets": [{"properties": tab.properties()} for tab in self.tabs],
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{self.key}/edit",
        }


@dataclass
class _Action:
    status: int | None = None  # answer with this status instead of serving the request
    body: str | bytes | None = None
    content_type: str | None = None
    delay: float = 0.0  # sleep this long first
    drop: bool = False  # close the connection without any response
    drip: float = 0.0  # send the body one byte at a time, this many seconds apart


@dataclass
class _Response:
    status: int
    body: bytes
    content_type: str | None
    headers: dict[str, str] = field(default_factory=dict)
    drip: float = 0.0  # seconds between the body's bytes (a slow, dripping server)


_DROPPED = _Response(0, b"", None)  # the connection is closed without a response


class _BadRange(Exception):
    pass


# --------------------------------------------------------------------- A1 notation

_CORNER = re.compile(r"([A-Za-z]*)([0-9]*)")
_SIMPLE_TITLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CELL_LIKE = re.compile(r"[A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc][0-9]*")


def quote_title(title: str) -> str:
    """A sheet title as Google writes it in a returned range: plain ASCII names as is
    (`Sheet1`), anything else in single quotes (`'🌵 test 1'`, `'Лист2'`), `'` doubled."""
    if _SIMPLE_TITLE.fullmatch(title) and not _CELL_LIKE.fullmatch(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - ord("A") + 1
    return number


def _split_sheet(text: str) -> tuple[str | None, str | None]:
    """Split `'Title'!A1:B2` into (title, a1). Either part may be None."""
    if text.startswith("'"):
        i, title = 1, []
        while i < len(text):
            if text[i] == "'":
                if text[i + 1 : i + 2] == "'":
                    title.append("'")
                    i += 2
                    continue
                rest = text[i + 1 :]
                if rest == "":
                    return "".join(title), None
                if rest.startswith("!") and len(rest) > 1:
                    return "".join(title), rest[1:]
                raise _BadRange(text)
            title.append(text[i])
            i += 1
        raise _BadRange(text)
    if "!" in text:
        title, _, a1 = text.rpartition("!")
        if not title or not a1:
            raise _BadRange(text)
        return title, a1
    return None, text


def _parse_a1(a1: str) -> tuple[int | None, int | None, int | None, int | None]:
    """`A1:D4` -> (row1, col1, row2, col2); open ends are None."""
    parts = a1.split(":")
    if len(parts) > 2:
        raise _BadRange(a1)
    corners = []
    for part in parts:
        match = _CORNER.fullmatch(part)
        if not match or not (match.group(1) or match.group(2)):
            raise _BadRange(a1)
        letters, digits = match.groups()
        if digits and int(digits) == 0:
            raise _BadRange(a1)
        corners.append((int(digits) if digits else None, _column_number(letters) if letters else None))
    if len(corners) == 1:
        row, col = corners[0]
        if row is None or col is None:  # "A" or "3" alone is not a range
            raise _BadRange(a1)
        return row, col, row, col
    (r1, c1), (r2, c2) = corners
    return r1, c1, r2, c2


def _a1(row: int, col: int) -> str:
    return f"{column_letters(col)}{row}"


# ------------------------------------------------------------------ cell formatting


def formatted(value: object, locale: str) -> str:
    """A cell as FORMATTED_VALUE text (an approximation of Google's automatic formats)."""
    russian = locale.lower().startswith("ru")
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        if russian:
            return "ИСТИНА" if value else "ЛОЖЬ"
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else format(value, ".15g")
        return text.replace(".", ",") if russian else text
    if isinstance(value, datetime):
        pattern = "%d.%m.%Y %H:%M:%S" if russian else "%m/%d/%Y %H:%M:%S"
        return value.strftime(pattern)
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y" if russian else "%m/%d/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    return str(value)


def _trimmed(row: list[str]) -> list[str]:
    end = len(row)
    while end and row[end - 1] == "":
        end -= 1
    return row[:end]


# ------------------------------------------------------------------------- the server


class SheetsStandIn(LoopbackServer):
    """An in-memory Google Sheets API v4 on 127.0.0.1 (a free port)."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._spreadsheets: dict[str, _Spreadsheet] = {}
        self._denied: set[str] = set()
        self._no_disposition: set[str] = set()  # exports sent without Content-Disposition
        self._actions: list[_Action] = []
        self._requests: list[tuple[str, str]] = []
        self._bodies: list[tuple[str, str, Any]] = []
        self.clock = None  # datetime.now(UTC) unless a test gives its own: Drive's modifiedTime



    # -- content

    def add_spreadsheet(
        self,
        key: str,
        title: str,
        tabs: dict[str, list[list[object]]],
        *,
        grid: tuple[int, int] | dict[str, tuple[int, int]] | None = None,
        locale: str = "ru_RU",
        time_zone: str = "Europe/Moscow",
        public_link: bool = True,
    ) -> dict[str, int]:
        """Add (or replace) a spreadsheet. Returns {tab title: sheetId}.

        `grid` is (rowCount, columnCount) for every tab, or a dict per tab title; a tab
        without one gets Google's default 1000x26, grown to fit its data. The first tab's
        sheetId is 0 (as in a new Google sheet), the others are stable numbers derived
        from key and title. `public_link=False`: the xlsx export needs a login (the sheet
        is not shared "anyone with the link"); the API still answers."""
        built: list[_Tab] = []
        used_ids: set[int] = set()
        for index, (tab_title, values) in enumerate(tabs.items()):
            rows = [list(row) for row in values]
            data_rows = len(rows)
            data_cols = max((len(row) for row in rows), default=0)
            size = grid.get(tab_title) if isinstance(grid, dict) else grid
            if size is None:
                size = (max(DEFAULT_GRID[0], data_rows), max(DEFAULT_GRID[1], data_cols))
            row_count, column_count = size
            if data_rows > row_count or data_cols > column_count:
                raise ValueError(f"tab {tab_title!r}: data {data_rows}x{data_cols} exceeds grid {size}")
            sheet_id = 0 if index == 0 else zlib.crc32(f"{key}/{tab_title}".encode()) & 0x7FFFFFFF
            while sheet_id in used_ids:
                sheet_id = (sheet_id + 1) & 0x7FFFFFFF
            used_ids.add(sheet_id)
            built.append(_Tab(tab_title, sheet_id, index, row_count, column_count, rows))
        with self._lock:
            self._spreadsheets[key] = _Spreadsheet(key, title, locale, time_zone, built, public_link,
                                                   self.modified_now())
        return {tab.title: tab.sheet_id for tab in built}

    def modified_now(self) -> datetime:
        """The modifiedTime a change made now gets (Drive keeps milliseconds); a test may set
        `self.clock` to a function of its own time."""
        now = self.clock() if self.clock is not None else datetime.now(timezone.utc)
        return now.replace(microsecond=now.microsecond // 1000 * 1000)

    def omit_disposition(self, key: str) -> None:
        """Send `key`'s export without Content-Disposition (no title for the app to show)."""
        with self._lock:
            self._no_disposition.add(key)

    def deny(self, key: str) -> None:
        """The caller has no access to `key`: 403 from the API, a login redirect from the export."""
        with self._lock:
            self._denied.add(key)

    def fail_next(
        self,
        status: int,
        times: int = 1,
        *,
        after: int = 0,
        body: str | bytes | dict | None = None,
        content_type: str | None = None,
    ) -> None:
        """Answer the next `times` requests (any endpoint) with `status`, after letting
        `after` requests through normally.

        Without `body`, the body is Google's error for that status (429 RESOURCE_EXHAUSTED,
        500 INTERNAL, 503 UNAVAILABLE, ...): JSON on the API, HTML on docs.google.com. A
        custom `body` (e.g. `fail_next(200, body="{not json")`) is sent as given."""
        if isinstance(body, dict):
            body = json.dumps(body, indent=2, ensure_ascii=False) + "\n"
            content_type = content_type or JSON_MIME
        with self._lock:
            self._actions.extend(_Action() for _ in range(after))
            self._actions.extend(_Action(status, body, content_type) for _ in range(times))

    def delay_next(self, seconds: float, times: int = 1) -> None:
        """Sleep `seconds` before answering each of the next `times` requests (for timeouts)."""
        with self._lock:
            self._actions.extend(_Action(delay=seconds) for _ in range(times))

    def drip_next(self, seconds_per_byte: float, times: int = 1) -> None:
        """Answer each of the next `times` requests normally, but send the body one byte every
        `seconds_per_byte` (each socket read gets data in time; the whole answer takes ages)."""
        with self._lock:
            self._actions.extend(_Action(drip=seconds_per_byte) for _ in range(times))

    def drop_next(self, times: int = 1, *, after: int = 0) -> None:
        """Close the connection of each of the next `times` requests without sending any
        response (a dropped connection), after letting `after` requests through normally."""
        with self._lock:
            self._actions.extend(_Action() for _ in range(after))
            self._actions.extend(_Action(drop=True) for _ in range(times))

    # -- what was received

    @property
    def requests(self) -> list[tuple[str, str]]:
        """(method, path?query) of every request received, raw as sent, oldest first."""
        with self._lock:
            return list(self._requests)

    @property
    def request_bodies(self) -> list[tuple[str, str, Any]]:
        """(method, path?query, body) of every request that had a body: parsed JSON, or the
        raw text when it is not JSON. Oldest first."""
        with self._lock:
            return list(self._bodies)

    def batch_updates(self, key: str | None = None) -> list[dict]:
        """The bodies of the `:batchUpdate` requests received (for `key`, or any)."""
        return [body for method, path, body in self.request_bodies
                if method == "POST" and urlsplit(path).path.endswith(":batchUpdate")
                and (key is None or urlsplit(path).path == f"/v4/spreadsheets/{key}:batchUpdate")]

    def tab(self, key: str, title: str) -> _Tab:
        """A tab of a spreadsheet as the stand-in holds it now (for checking what was written)."""
        book, _ = self._lookup(key)
        if book is None:
            raise KeyError(key)
        tab = _find_tab(book, title)
        if tab is None:
            raise KeyError(title)
        return tab

    def reset_requests(self) -> None:
        with self._lock:
            self._requests.clear()
            self._bodies.clear()

    # -- clients

    def session(self, *, timeout: float = 5.0) -> requests.Session:
        """A requests.Session whose https://sheets.googleapis.com, docs.google.com and
        accounts.google.com traffic goes to this stand-in over real HTTP. Requests sent
        without a timeout get `timeout`."""
        session = requests.Session()
        adapter = StandInAdapter(self, default_timeout=timeout)
        for origin in REDIRECTED_ORIGINS:
            session.mount(origin + "/", adapter)
        return session

    def client(self, *, timeout: float = 5.0):
        """A gspread.Client talking to this stand-in (no credentials)."""
        import gspread

        return gspread.Client(auth=None, session=self.session(timeout=timeout))

    # -- request handling (called from server threads)

    def _receive(self, method: str, path: str, body: bytes) -> _Action | None:
        with self._lock:
            self._requests.append((method, path))
            if body:
                text = body.decode("utf-8", "replace")
                try:
                    parsed: Any = json.loads(text)
                except ValueError:
                    parsed = text
                self._bodies.append((method, path, parsed))
            return self._actions.pop(0) if self._actions else None

    def _lookup(self, key: str) -> tuple[_Spreadsheet | None, bool]:
        with self._lock:
            return self._spreadsheets.get(key), key in self._denied

    def _handle(self, method: str, raw_path: str, body: bytes = b"") -> _Response:
        action = self._receive(method, raw_path, body)
        split = urlsplit(raw_path)
        path, query = split.path, parse_qs(split.query, keep_blank_values=True)
        on_api = path.startswith(("/v4/", "/drive/"))  # JSON errors, as Google's APIs answer
        if action is not None:
            if action.delay:
                _time.sleep(action.delay)
            if action.drop:
                return _DROPPED
            if action.status is not None:
                return self._canned(action, on_api)
        served = self._route(method, path, query, raw_path, body, on_api)
        if action is not None and action.drip and served is not _DROPPED:
            served.drip = action.drip
        return served

    def _route(self, method: str, path: str, query: dict[str, list[str]], raw_path: str, body: bytes,
               on_api: bool) -> _Response:
        if method == "POST" and on_api:
            match = re.fullmatch(r"/v4/spreadsheets/([^/:]+):batchUpdate", path)
            if match:
                return self._batch_update(unquote(match.group(1)), body)
        if method != "GET":
            return _json(501, api_error_body(501, f"sheets stand-in: {method} {path} is not implemented"))
        if path == "/drive/v3/files":
            return self._drive_files(query)
        if on_api:
            return self._api(path, query)
        if path == "/ServiceLogin":
            return _html(200, "<!doctype html><html><head><title>Google Accounts</title></head>"
                              "<body><form>Sign in</form></body></html>")
        match = re.fullmatch(r"/spreadsheets/d/([^/]+)/export", path)
        if match:
            return self._export(unquote(match.group(1)), query, raw_path)
        return _html(404, "<!doctype html><html><body>Not Found</body></html>")

    # Drive API v3 files.list, as far as the change check uses it: q with mimeType, trashed and
    # «modifiedTime > 'RFC 3339'» joined by «and»; fields; pageSize (≤ 1000) and pageToken.
    _DRIVE_TERM = re.compile(r"\s*(mimeType|modifiedTime|trashed)\s*(=|>|>=)\s*('([^']*)'|true|false)\s*")

    def _drive_files(self, query: dict[str, list[str]]) -> _Response:
        text = query.get("q", [""])[0]
        terms = [t for t in re.split(r"\band\b", text) if t.strip()] if text else []
        since, since_inclusive, mime = None, False, None
        for term in terms:
            match = self._DRIVE_TERM.fullmatch(term)
            if match is None:
                return _json(400, api_error_body(400, f"Invalid Value: q ({term.strip()})"))
            name, operator, value = match.group(1), match.group(2), match.group(4)
            if name == "modifiedTime":
                since = datetime.fromisoformat(value.replace("Z", "+00:00"))
                since = since if since.tzinfo else since.replace(tzinfo=timezone.utc)
                since_inclusive = operator == ">="
            elif name == "mimeType":
                mime = value
        if mime not in (None, "application/vnd.google-apps.spreadsheet"):
            found: list[_Spreadsheet] = []
        else:
            with self._lock:
                found = sorted((book for key, book in self._spreadsheets.items() if key not in self._denied),
                               key=lambda book: book.key)
        if since is not None:
            found = [b for b in found if b.modified > since or (since_inclusive and b.modified == since)]
        size = min(int(query.get("pageSize", ["100"])[0]), 1000)
        start = int(query.get("pageToken", ["0"])[0] or 0)
        page = found[start:start + size]
        reply: dict[str, Any] = {"files": [
            {"id": book.key, "modifiedTime": book.modified.strftime("%Y-%m-%dT%H:%M:%S.") +
             f"{book.modified.microsecond // 1000:03d}Z"} for book in page]}
        if start + size < len(found):
            reply["nextPageToken"] = str(start + size)
        return _json(200, reply)

    def _canned(self, action: _Action, on_api: bool) -> _Response:
        status = action.status or 500
        if action.body is not None:
            body = action.body.encode() if isinstance(action.body, str) else action.body
            return _Response(status, body, action.content_type or (JSON_MIME if on_api else HTML_MIME))
        if on_api:
            return _json(status, api_error_body(status))
        return _html(status, f"<!doctype html><html><body>Error {status}</body></html>")

    def _api(self, path: str, query: dict[str, list[str]]) -> _Response:
        match = re.fullmatch(r"/v4/spreadsheets/([^/:]+)(/values/([^/]+)|/values:batchGet)?", path)
        if not match:
            return _json(501, api_error_body(501, f"sheets stand-in: {path} is not implemented"))
        key = unquote(match.group(1))
        book, denied = self._lookup(key)
        if book is None:
            return _json(404, api_error_body(404))
        if denied:
            return _json(403, api_error_body(403))
        if match.group(2) is None:
            if query.get("includeGridData", ["false"])[0].lower() == "true":
                return _json(501, api_error_body(501, "sheets stand-in: includeGridData is not implemented"))
            return _json(200, book.metadata())
        try:
            if match.group(3) is not None:
                return _json(200, self._value_range(book, unquote(match.group(3))))
            ranges = query.get("ranges", [])
            body: dict[str, Any] = {"spreadsheetId": book.key}
            if ranges:
                body["valueRanges"] = [self._value_range(book, text) for text in ranges]
            return _json(200, body)
        except _BadRange as err:
            return _json(400, api_error_body(400, str(err)))

    def _batch_update(self, key: str, raw: bytes) -> _Response:
        book, denied = self._lookup(key)
        if book is None:
            return _json(404, api_error_body(404))
        if denied:
            return _json(403, api_error_body(403))
        try:
            body = json.loads(raw.decode("utf-8") or "null")
        except ValueError as err:
            return _json(400, api_error_body(400, f"Invalid JSON payload received. {err}"))
        requests_ = body.get("requests") if isinstance(body, dict) else None
        if not isinstance(requests_, list) or not requests_:
            return _json(400, api_error_body(400, "Must specify at least one request."))
        with self._lock:
            tabs = copy.deepcopy(book.tabs)  # Google applies a batch atomically: all or nothing
            try:
                replies = [_apply(book.key, tabs, number, request) for number, request in enumerate(requests_)]
            except _BadRequest as err:
                return _json(400, api_error_body(400, str(err)))
            except _Unsupported as err:
                return _json(501, api_error_body(501, f"sheets stand-in: {err} is not implemented"))
            book.tabs = tabs
        return _json(200, {"spreadsheetId": book.key, "replies": replies})

    def _value_range(self, book: _Spreadsheet, text: str) -> dict:
        try:
            title, a1 = _split_sheet(text)
            tab = None
            if title is not None:
                tab = _find_tab(book, title)
            elif a1 is not None and _find_tab(book, a1) is not None:
                tab, a1 = _find_tab(book, a1), None  # a bare sheet title
            else:
                tab = book.tabs[0] if book.tabs else None
            if tab is None:
                raise _BadRange(text)
            r1, c1, r2, c2 = _parse_a1(a1) if a1 is not None else (None, None, None, None)
        except _BadRange:
            raise _BadRange(f"Unable to parse range: {text}") from None
        r1, c1 = r1 or 1, c1 or 1
        r2, c2 = r2 or tab.row_count, c2 or tab.column_count
        r1, r2 = min(r1, r2), max(r1, r2)
        c1, c2 = min(c1, c2), max(c1, c2)
        if r1 > tab.row_count or c1 > tab.column_count:
            raise _BadRange(
                f"Range ({quote_title(tab.title)}!{_a1(r1, c1)}) exceeds grid limits. "
                f"Max rows: {tab.row_count}, max columns: {tab.column_count}"
            )
        r2, c2 = min(r2, tab.row_count), min(c2, tab.column_count)
        values: list[list[str]] = []
        for r in range(r1, r2 + 1):
            source = tab.cells[r - 1] if r - 1 < len(tab.cells) else []
            cells = [formatted(source[c - 1], book.locale) if c - 1 < len(source) else "" for c in range(c1, c2 + 1)]
            values.append(_trimmed(cells))
        while values and not values[-1]:
            values.pop()
        corner = _a1(r1, c1) if (r1, c1) == (r2, c2) else f"{_a1(r1, c1)}:{_a1(r2, c2)}"
        result: dict[str, Any] = {"range": f"{quote_title(tab.title)}!{corner}", "majorDimension": "ROWS"}
        if values:
            result["values"] = values
        return result

    def _export(self, key: str, query: dict[str, list[str]], raw_path: str) -> _Response:
        book, denied = self._lookup(key)
        if book is None:
            return _html(404, "<!doctype html><html><head><title>Page Not Found</title></head>"
                              "<body>Sorry, unable to open the file at this time.</body></html>")
        if denied or not book.public_link:
            back = "https://docs.google.com" + raw_path
            login = "https://accounts.google.com/ServiceLogin?" + urlencode(
                {"service": "wise", "passive": "1209600", "continue": back, "followup": back}
            )
            response = _html(302, f'<HTML><BODY>Moved <A HREF="{login}">here</A>.</BODY></HTML>')
            response.headers["Location"] = login
            return response
        export_format = (query.get("format") or query.get("exportFormat") or [""])[0]
        if export_format != "xlsx":
            return _html(400, "<!doctype html><html><body>Bad Request</body></html>")
        filename = book.title + ".xlsx"
        ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
        response = _Response(200, _xlsx_bytes(book), XLSX_MIME)
        if key not in self._no_disposition:
            response.headers["Content-Disposition"] = (
                f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
            )
        return response


def _find_tab(book: _Spreadsheet, title: str) -> _Tab | None:
    for tab in book.tabs:
        if tab.title == title:
            return tab
    folded = title.casefold()
    for tab in book.tabs:
        if tab.title.casefold() == folded:
            return tab
    return None


# ------------------------------------------------------------------- batchUpdate


class _BadRequest(Exception):
    """A request Google refuses with 400 INVALID_ARGUMENT (the message is Google's)."""


class _Unsupported(Exception):
    """A request kind or field the stand-in does not implement."""


def _apply(key: str, tabs: list[_Tab], number: int, request: object) -> dict:
    """Apply one request of a batchUpdate to `tabs` (a working copy); its reply."""
    if not isinstance(request, dict) or len(request) != 1:
        raise _BadRequest(f"Invalid requests[{number}]: exactly one kind of request must be set")
    kind, args = next(iter(request.items()))
    operation = _OPERATIONS.get(kind)
    if operation is None:
        raise _Unsupported(f"batchUpdate {kind}")
    where = f"Invalid requests[{number}].{kind}"
    reply = operation(key, tabs, args if isinstance(args, dict) else {}, where)
    return {kind: reply} if reply is not None else {}


def _tab_by_id(tabs: list[_Tab], sheet_id: object, where: str) -> _Tab:
    for tab in tabs:
        if tab.sheet_id == sheet_id:
            return tab
    raise _BadRequest(f"{where}: No grid with id: {sheet_id}")


def _renumber(tabs: list[_Tab]) -> None:
    for index, tab in enumerate(tabs):
        tab.index = index


def _add_sheet(key: str, tabs: list[_Tab], args: dict, where: str) -> dict:
    props = args.get("properties") or {}
    title = props.get("title") or f"Sheet{len(tabs) + 1}"
    if any(tab.title.casefold() == title.casefold() for tab in tabs):
        raise _BadRequest(f'{where}: A sheet with the name "{title}" already exists. Please enter another name.')
    if "sheetId" in props:
        sheet_id = props["sheetId"]
        if any(tab.sheet_id == sheet_id for tab in tabs):
            raise _BadRequest(f"{where}: Sheet with id {sheet_id} already exists.")
    else:
        sheet_id = zlib.crc32(f"{key}/{title}".encode()) & 0x7FFFFFFF
        while any(tab.sheet_id == sheet_id for tab in tabs):
            sheet_id = (sheet_id + 1) & 0x7FFFFFFF
    grid = props.get("gridProperties") or {}
    index = min(max(int(props.get("index", len(tabs))), 0), len(tabs))
    tab = _Tab(title, sheet_id, index, int(grid.get("rowCount", DEFAULT_GRID[0])),
               int(grid.get("columnCount", DEFAULT_GRID[1])), [],
               hidden=bool(props.get("hidden", False)), frozen_rows=int(grid.get("frozenRowCount", 0)))
    tabs.insert(index, tab)
    _renumber(tabs)
    return {"properties": tab.properties()}


def _delete_sheet(key: str, tabs: list[_Tab], args: dict, where: str) -> None:
    tab = _tab_by_id(tabs, args.get("sheetId"), where)
    if not any(other is not tab and not other.hidden for other in tabs):
        raise _BadRequest(f"{where}: You can't remove all the visible sheets in a document.")
    tabs.remove(tab)
    _renumber(tabs)


_SHEET_FIELDS = {"title", "index", "hidden", "gridProperties.rowCount", "gridProperties.columnCount",
                 "gridProperties.frozenRowCount"}


def _update_sheet_properties(key: str, tabs: list[_Tab], args: dict, where: str) -> None:
    props = args.get("properties") or {}
    tab = _tab_by_id(tabs, props.get("sheetId"), where)
    fields = {f.strip().replace("/", ".") for f in str(args.get("fields", "")).split(",") if f.strip()}
    if not fields:
        raise _BadRequest(f"{where}: At least one field must be updated. Use the 'fields' parameter.")
    if "*" in fields or "gridProperties" in fields:
        fields = (fields - {"*", "gridProperties"}) | {f for f in _SHEET_FIELDS if f.startswith("gridProperties.")}
        if "*" in fields:
            fields |= _SHEET_FIELDS
    unknown = fields - _SHEET_FIELDS
    if unknown:
        raise _Unsupported(f"updateSheetProperties fields {sorted(unknown)}")
    grid = props.get("gridProperties") or {}
    if "title" in fields:
        tab.title = str(props.get("title", ""))
    if "hidden" in fields:
        tab.hidden = bool(props.get("hidden", False))
    if "gridProperties.rowCount" in fields:
        tab.row_count = int(grid.get("rowCount", 0))
        del tab.cells[tab.row_count:]
    if "gridProperties.columnCount" in fields:
        tab.column_count = int(grid.get("columnCount", 0))
        tab.cells = [row[: tab.column_count] for row in tab.cells]
    if "gridProperties.frozenRowCount" in fields:
        tab.frozen_rows = int(grid.get("frozenRowCount", 0))
    if "index" in fields:
        tabs.remove(tab)
        tabs.insert(min(max(int(props.get("index", 0)), 0), len(tabs)), tab)
        _renumber(tabs)


def _cell_value(cell: dict) -> object:
    value = cell.get("userEnteredValue") or {}
    for name in ("stringValue", "numberValue", "boolValue", "formulaValue"):
        if name in value:
            return value[name]
    return None


def _update_cells(key: str, tabs: list[_Tab], args: dict, where: str) -> None:
    fields = {f.strip() for f in str(args.get("fields", "")).split(",") if f.strip()}
    if not fields:
        raise _BadRequest(f"{where}: At least one field must be updated. Use the 'fields' parameter.")
    if "start" in args:
        start = args["start"]
        row0, col0 = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
    else:
        start = args.get("range") or {}
        row0, col0 = int(start.get("startRowIndex", 0)), int(start.get("startColumnIndex", 0))
    tab = _tab_by_id(tabs, start.get("sheetId", 0), where)
    every = "*" in fields
    for r, row in enumerate(args.get("rows") or [], start=row0):
        for c, cell in enumerate(row.get("values") or [], start=col0):
            if r >= tab.row_count or c >= tab.column_count:
                raise _BadRequest(f"{where}: Range ({quote_title(tab.title)}!{_a1(r + 1, c + 1)}) "
                                  f"exceeds grid limits. Max rows: {tab.row_count}, max columns: {tab.column_count}")
            if every or "userEnteredValue" in fields:
                while len(tab.cells) <= r:
                    tab.cells.append([])
                cells = tab.cells[r]
                cells.extend([None] * (c + 1 - len(cells)))
                cells[c] = _cell_value(cell)
            if every or "note" in fields:
                if cell.get("note"):
                    tab.notes[(r, c)] = cell["note"]
                else:
                    tab.notes.pop((r, c), None)
            if every or any(f.startswith("userEnteredFormat") for f in fields):
                tab.formats[(r, c)] = dict(cell.get("userEnteredFormat") or {})


def _grid_tab(tabs: list[_Tab], args: dict, where: str) -> _Tab:
    grid_range = args.get("range")
    if not isinstance(grid_range, dict):
        raise _BadRequest(f"{where}: range is required")
    return _tab_by_id(tabs, grid_range.get("sheetId", 0), where)


def _set_data_validation(key: str, tabs: list[_Tab], args: dict, where: str) -> None:
    tab = _grid_tab(tabs, args, where)
    rule = args.get("rule")
    if rule is not None and not (rule.get("condition") or {}).get("type"):
        raise _BadRequest(f"{where}: Invalid ConditionType: CONDITION_TYPE_UNSPECIFIED")
    tab.validations.append(args)


def _repeat_cell(key: str, tabs: list[_Tab], args: dict, where: str) -> None:
    _grid_tab(tabs, args, where).repeated.append(args)


def _dimension_range(tabs: list[_Tab], args: dict, where: str) -> tuple[_Tab, dict]:
    dimensions = args.get("range") or args.get("dimensions") or {}
    if dimensions.get("dimension") not in ("ROWS", "COLUMNS"):
        raise _BadRequest(f"{where}: Invalid dimension: {dimensions.get('dimension')}")
    return _tab_by_id(tabs, dimensions.get("sheetId", 0), where), dimensions


def _update_dimension_properties(key: str, tabs: list[_Tab], args: dict, where: str) -> None:
    tab, dimensions = _dimension_range(tabs, args, where)
    size = (args.get("properties") or {}).get("pixelSize")
    if dimensions["dimension"] == "COLUMNS" and size is not None:
        for column in range(int(dimensions.get("startIndex", 0)), int(dimensions.get("endIndex", tab.column_count))):
            tab.widths[column] = int(size)


def _auto_resize_dimensions(key: str, tabs: list[_Tab], args: dict, where: str) -> None:
    _dimension_range(tabs, args, where)


_OPERATIONS = {
    "addSheet": _add_sheet,
    "deleteSheet": _delete_sheet,
    "updateSheetProperties": _update_sheet_properties,
    "updateCells": _update_cells,
    "setDataValidation": _set_data_validation,
    "repeatCell": _repeat_cell,
    "updateDimensionProperties": _update_dimension_properties,
    "autoResizeDimensions": _auto_resize_dimensions,
}


def _xlsx_bytes(book: _Spreadsheet) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for tab in book.tabs:
        sheet = workbook.create_sheet(tab.title)
        if tab.hidden:
            sheet.sheet_state = "hidden"
        for r, row in enumerate(tab.cells, start=1):
            for c, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, datetime):
                    cell.number_format = "dd.mm.yyyy hh:mm:ss"
                elif isinstance(value, date):
                    cell.number_format = "dd.mm.yyyy"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _json(status: int, payload: dict) -> _Response:
    body = (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return _Response(status, body, JSON_MIME)


def _html(status: int, text: str) -> _Response:
    return _Response(status, text.encode("utf-8"), HTML_MIME)


class _Handler(BaseHTTPRequestHandler):
    def version_string(self) -> str:
        return "ESF"

    def _serve(self) -> None:
        standin: SheetsStandIn = self.server.standin  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        try:
            response = standin._handle(self.command, self.path, body)
        except Exception as err:  # noqa: BLE001 - a bug in the stand-in: say so loudly
            response = _json(500, api_error_body(500, f"sheets stand-in crashed: {err!r}"))
        if response is _DROPPED:
            self.close_connection = True
            return
        try:
            self.send_response(response.status)
            if response.content_type:
                self.send_header("Content-Type", response.content_type)
            for name, value in response.headers.items():
                self.send_header(name, value)
            if response.content_type == JSON_MIME:
                self.send_header("Vary", "Origin, X-Origin, Referer")
                self.send_header("Cache-Control", "private")
                self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if response.drip:
                for index in range(len(response.body)):
                    self.wfile.write(response.body[index:index + 1])
                    self.wfile.flush()
                    _time.sleep(response.drip)
            else:
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeouts)
            pass

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the standard library's name; keep test output clean
        pass


class StandInAdapter(HTTPAdapter):
    """Sends https://<google host>/path?query to http://127.0.0.1:<port>/path?query.

    The response keeps the original URL and request, so redirects (relative or to another
    Google host) and gspread's error messages look as they would against Google."""

    def __init__(self, standin: SheetsStandIn, *, default_timeout: float | None = 5.0) -> None:
        super().__init__()
        self._standin = standin
        self._default_timeout = default_timeout

    def send(self, request, **kwargs):  # type: ignore[override]
        if self._standin.port is None:
            raise RuntimeError("the stand-in was never started")
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self._default_timeout
        kwargs["proxies"] = {}  # proxies from the environment were chosen for the Google URL
        original_url = request.url
        parts = urlsplit(original_url)
        local = request.copy()
        local.url = urlunsplit(("http", f"127.0.0.1:{self._standin.port}", parts.path, parts.query, ""))
        response = super().send(local, **kwargs)
        response.url = original_url
        response.request = request
        return response


SheetsStandIn.handler = _Handler
