"""Read the campaign workbook from a WebDAV server: Yandex Disk (webdav.yandex.ru), Nextcloud,
Р7-Офис and МойОфис document servers and most on-premises file shares speak it — the way to keep
a campaign's data on servers in Russia.

An address ending in «/» is a folder of workbooks, one per municipality (each tab knows its file,
as for a local folder); any other is one .xlsx. A refresh costs one request when nothing changed:
a file is asked for with `If-None-Match` / `If-Modified-Since` (304: the workbook read before is
served again), a folder is listed with one PROPFIND and only the files whose ETag changed are
downloaded. A file replaced while it was being downloaded (its ETag changed meanwhile, the body
cut short or not a workbook) is a transient failure, read again by the resilient wrapper; a
server that hangs is given up on at the deadline.

Written on `requests` rather than a WebDAV client library: a conditional GET is all a file
needs, and webdav4 (httpx) asks PROPFIND before each download and has no conditional request, so
an unchanged file would cost two requests and a changed one three.
"""

from __future__ import annotations

import io
import threading
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

import requests

from campaign.workbook import RawTab, SourceError, SourceInfo, Workbook

from .http import Answer, fetch, same_server
from .limits import DEFAULT_LIMITS, ReadLimits, check_files
from .local_file import XLSX_SUFFIXES, workbook_of_folder, xlsx_tabs

DEFAULT_TIMEOUT = 30.0
WHERE = "Сервер WebDAV"
MSG_AUTH = ("Сервер WebDAV {host} не принял имя пользователя или пароль. Проверьте [webdav.\"{host}\"] в "
            "secrets.toml (для Яндекс Диска нужен пароль приложения, а не пароль от почты).")
MSG_NO_CREDENTIALS = ("Сервер WebDAV {host} просит имя пользователя и пароль: добавьте их в secrets.toml, "
                      "в таблицу [webdav.\"{host}\"] (user, password).")
MSG_FORBIDDEN = "Сервер WebDAV {host} не разрешает читать «{name}»: попросите владельца папки открыть доступ."
MSG_NOT_FOUND = "На сервере WebDAV {host} нет «{name}»: проверьте адрес (папки и имя файла)."
MSG_QUOTA = "Сервер WebDAV {host} просит подождать (слишком много запросов). Попробуйте обновить через минуту."
MSG_SERVER = "Сервер WebDAV {host} временно не отвечает (ошибка {status}). Попробуйте обновить позже."
MSG_BAD_ANSWER = "Сервер WebDAV {host} ответил непонятно (ошибка {status}): проверьте адрес."
MSG_NOT_A_WORKBOOK = "Файл «{name}» на сервере WebDAV {host} — не книга Excel (.xlsx) или повреждён."
MSG_CHANGED = "Файл «{name}» менялся, пока его читали: он будет прочитан ещё раз."
MSG_EMPTY_FOLDER = "В папке «{name}» на сервере WebDAV {host} нет книг .xlsx."
MSG_PASSWORD_IN_URL = ("Не пишите имя и пароль в адресе сервера WebDAV: укажите их в secrets.toml, в таблице "
                       "[webdav.\"{host}\"].")
DAV = "{DAV:}"


@dataclass(frozen=True)
class _Held:
    """A file read before: its validators and its tabs."""

    etag: str | None
    modified: str | None
    tabs: tuple[RawTab, ...]


def webdav_url(address: str) -> str:
    """«webdav://…» and «davs://…» as the http(s) address they stand for."""
    for scheme, real in (("webdavs://", "https://"), ("davs://", "https://"), ("webdav://", "http://"),
                         ("dav://", "http://")):
        if address.lower().startswith(scheme):
            return real + address[len(scheme):]
    return address


class WebDavSource:
    """An .xlsx, or a folder of municipal .xlsx (an address ending in «/»), on a WebDAV server.
    `credentials`: (user, password) for this server, from secrets. `read()` raises only
    SourceError (not_found, no_access, quota, network, server, bad_response, bad_file, changed)."""

    kind = "webdav"

    def __init__(self, address: str, *, credentials: tuple[str, str] | None = None,
                 session: requests.Session | None = None, timeout: float = DEFAULT_TIMEOUT,
                 ca_file: str | None = None, limits: ReadLimits = DEFAULT_LIMITS) -> None:
        url = webdav_url(address.strip())
        self.limits = limits
        parts = urlsplit(url)
        self.host = parts.hostname or ""
        if parts.username or parts.password:
            raise SourceError("config", MSG_PASSWORD_IN_URL.format(host=self.host))
        if parts.scheme not in ("http", "https") or not self.host:
            raise SourceError("config", f"Адрес сервера WebDAV «{address}» не распознан: нужен https://…")
        self.url = urlunsplit((parts.scheme, parts.netloc, quote(unquote(parts.path), safe="/"), parts.query, ""))
        self.is_folder = self.url.endswith("/")
        self.name = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) or self.host
        # UTF-8, as RFC 7617 allows and servers read it (requests would send a Cyrillic password as Latin-1)
        self._auth = tuple(part.encode("utf-8") for part in credentials) if credentials else None
        self._session = session
        self._timeout = timeout
        self._verify: bool | str = ca_file or True
        self._held: dict[str, _Held] = {}  # url -> the file read before
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ the port

    def read(self) -> Workbook:
        session = self._session or requests.Session()
        try:
            with self._lock:  # one read at a time keeps the held files consistent
                tabs, requests_made = self._read_folder(session) if self.is_folder else self._read_file(session)
        finally:
            if self._session is None:
                session.close()
        return Workbook(
            tabs=tabs,
            source=SourceInfo(kind="webdav", label=self.name, url=None),
            read_at=datetime.now(timezone.utc),
            requests_made=requests_made,
            extra={"host": self.host},
        )

    # ------------------------------------------------------------------ one file

    def _read_file(self, session: requests.Session) -> tuple[list[RawTab], int]:
        held = self._held.get(self.url)
        answer = self._get(session, self.url, self.name, held)
        if answer.status == 304 and held is not None:
            return list(held.tabs), 1
        tabs, requests_made = self._workbook_of(session, self.url, self.name, answer)
        return tabs, requests_made

    def _workbook_of(self, session: requests.Session, url: str, name: str, answer: Answer,
                     file: str = "") -> tuple[list[RawTab], int]:
        """The tabs of a downloaded workbook (held for the next read). A body that is no workbook
        is a file replaced while it was read when the server's ETag has changed since."""
        try:
            tabs = xlsx_tabs(io.BytesIO(answer.content), name=name, limits=self.limits)
        except SourceError:
            raise  # more than the limits allow: a folder says it for that file
        except Exception as error:  # noqa: BLE001 - a damaged or half-written file
            now = self._request(session, "HEAD", url, name)
            if now.status == 200 and not _same_etag(now.headers.get("ETag"), answer.headers.get("ETag")):
                raise SourceError("changed", MSG_CHANGED.format(name=name), detail=repr(error)) from None
            raise SourceError("bad_file", MSG_NOT_A_WORKBOOK.format(name=name, host=self.host),
                              detail=f"{answer.detail}: {error!r}") from None
        if file:
            tabs = [replace(tab, file=file) for tab in tabs]
        self._held[url] = _Held(answer.headers.get("ETag"), answer.headers.get("Last-Modified"), tuple(tabs))
        return tabs, 1

    # ------------------------------------------------------------------ a folder

    def _read_folder(self, session: requests.Session) -> tuple[list[RawTab], int]:
        listing = self._request(session, "PROPFIND", self.url, self.name, headers={"Depth": "1"},
                                data=_PROPFIND_BODY)
        if listing.status != 207:
            self._raise_for(listing, self.name)
        files = _workbooks_listed(listing.content, self.url)
        check_files(len(files), self.name, self.limits)
        if not files:
            raise SourceError("bad_file", MSG_EMPTY_FOLDER.format(name=self.name, host=self.host))
        tabs: list[RawTab] = []
        made = 1
        held_now: dict[str, _Held] = {}
        for name, url, etag in files:
            held = self._held.get(url)
            if held is not None and etag and _same_etag(held.etag, etag):  # unchanged since the last read
                tabs.extend(held.tabs)
                held_now[url] = held
                continue
            made += 1
            try:
                answer = self._get(session, url, name, None)
                file_tabs, _ = self._workbook_of(session, url, name, answer, file=name)
            except SourceError as error:
                if error.kind in ("changed", "network", "server", "quota", "no_access"):
                    raise  # the folder as a whole is read again, or not at all
                file_tabs = workbook_of_folder(name, lambda error=error: _raise(error))  # said for that file
            tabs.extend(file_tabs)
            if url in self._held:
                held_now[url] = self._held[url]
        self._held = held_now  # a file gone from the folder is forgotten
        return tabs, made

    # ------------------------------------------------------------------ requests

    def _get(self, session: requests.Session, url: str, name: str, held: _Held | None) -> Answer:
        headers = {}
        if held is not None and held.etag:
            headers["If-None-Match"] = held.etag
        elif held is not None and held.modified:
            headers["If-Modified-Since"] = held.modified
        answer = self._request(session, "GET", url, name, headers=headers)
        if answer.status == 304 and held is not None:
            return answer
        if answer.status != 200:
            self._raise_for(answer, name)
        length = answer.headers.get("Content-Length")
        if length is not None and length.isdigit() and int(length) != len(answer.content):
            raise SourceError("changed", MSG_CHANGED.format(name=name), detail=answer.detail)
        return answer

    def _request(self, session: requests.Session, method: str, url: str, name: str, *,
                 headers: dict | None = None, data: bytes | None = None) -> Answer:
        # a redirect to another host or port would make another server's file the data (and send it the
        # account's password): only the configured server is asked
        return fetch(session, method, url, timeout=self._timeout, where=WHERE, host=self.host, headers=headers,
                     data=data, auth=self._auth, verify=self._verify, allowed=same_server(self.url))

    def _raise_for(self, answer: Answer, name: str) -> None:
        status, host = answer.status, self.host
        if status == 401:
            message = MSG_AUTH if self._auth else MSG_NO_CREDENTIALS
            raise SourceError("no_access", message.format(host=host), detail=answer.detail)
        if status == 403:
            raise SourceError("no_access", MSG_FORBIDDEN.format(host=host, name=name), detail=answer.detail)
        if status == 404:
            raise SourceError("not_found", MSG_NOT_FOUND.format(host=host, name=name), detail=answer.detail)
        if status == 429:
            raise SourceError("quota", MSG_QUOTA.format(host=host), detail=answer.detail)
        if status >= 500:
            raise SourceError("server", MSG_SERVER.format(host=host, status=status), detail=answer.detail)
        raise SourceError("bad_response", MSG_BAD_ANSWER.format(host=host, status=status), detail=answer.detail)


_PROPFIND_BODY = (b'<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop>'
                  b'<d:resourcetype/><d:getetag/><d:getlastmodified/><d:getcontentlength/></d:prop></d:propfind>')


def _workbooks_listed(body: bytes, folder_url: str) -> list[tuple[str, str, str | None]]:
    """(name, url, ETag) of each .xlsx right in the folder of a PROPFIND answer, by name; hidden
    files and Excel's lock files («~$…») left out."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        raise SourceError("bad_response", "Сервер WebDAV прислал список файлов в непонятном виде.",
                          detail=repr(error)) from None
    found = []
    folder_path = unquote(urlsplit(folder_url).path).rstrip("/")
    for response in root.iter(f"{DAV}response"):
        href = response.findtext(f"{DAV}href") or ""
        path = unquote(urlsplit(href).path)
        if path.rstrip("/") == folder_path:
            continue
        if response.find(f".//{DAV}resourcetype/{DAV}collection") is not None:
            continue
        name = path.rstrip("/").rsplit("/", 1)[-1]
        if name.startswith((".", "~$")) or not name.lower().endswith(tuple(XLSX_SUFFIXES)):
            continue
        etag = response.findtext(f".//{DAV}getetag")
        found.append((name, urljoin(folder_url, quote(name)), etag.strip() if etag else None))
    return sorted(found)


def _same_etag(one: str | None, other: str | None) -> bool:
    """Whether two ETags name one version: a listing gives them bare, a header quoted (RFC 7232),
    a weak one marked «W/»."""
    def bare(tag: str | None) -> str | None:
        return tag.strip().removeprefix("W/").strip('"') if tag else None

    return bare(one) is not None and bare(one) == bare(other)


def _raise(error: SourceError):
    raise error
