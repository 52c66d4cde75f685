"""Read a workbook shared on Yandex Disk «по ссылке» (https://disk.yandex.ru/d/…), with no
account: the public resources API gives the download address of the file
(`GET https://cloud-api.yandex.net/v1/disk/public/resources/download?public_key=<link>` → a Link
object `{"href", "method", "templated"}`), then the file is downloaded — two requests. A shared
folder comes as a zip of its files: a folder of municipal workbooks, each tab knowing its file.

The same bytes as the last read are not parsed again. An error of the API is its Error object
(`{"message", "description", "error"}`) with the HTTP status, made a typed Russian error. A link
on this machine (a local mirror, or the tests' stand-in) is answered by its own host's API;
no other host is ever asked.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime, timezone
from urllib.parse import urlencode, urlsplit

import requests

from campaign.workbook import RawTab, SourceError, SourceInfo, Workbook

from .http import MSG_FOREIGN_HOST, fetch, same_server
from .limits import DEFAULT_LIMITS, ReadLimits, check_files, check_zip
from .local_file import XLSX_SUFFIXES, workbook_of_folder, xlsx_tabs
from .public_link import filename_title, local_base

API = "https://cloud-api.yandex.net"
PUBLIC_HOSTS = {"disk.yandex.ru", "disk.yandex.com", "disk.yandex.kz", "disk.yandex.by", "disk.yandex.uz",
                "yadi.sk", "disk.360.yandex.ru"}
DOWNLOAD_DOMAINS = (".yandex.ru", ".yandex.net")  # where the API sends for a file, and its redirects
DEFAULT_TIMEOUT = 30.0
WHERE = "Яндекс Диск"
MSG_NOT_FOUND = ("Файл по ссылке Яндекс Диска не найден: ссылка неверна, файл удалён или владелец закрыл доступ "
                 "по ссылке.")
MSG_FORBIDDEN = "Владелец запретил скачивать файл по ссылке Яндекс Диска: попросите его разрешить скачивание."
MSG_LIMIT = "Превышен лимит скачиваний файла по ссылке Яндекс Диска. Попробуйте обновить позже."
MSG_QUOTA = "Яндекс Диск просит подождать (слишком много запросов). Попробуйте обновить через минуту."
MSG_SERVER = "Яндекс Диск временно не отвечает (ошибка {status}). Попробуйте обновить позже."
MSG_BAD_ANSWER = "Яндекс Диск ответил непонятно (ошибка {status}). Попробуйте ещё раз позже."
MSG_NOT_A_WORKBOOK = "По ссылке Яндекс Диска лежит не книга Excel (.xlsx) и не папка с книгами."
MSG_NETWORK = "Нет связи с Яндекс Диском. Проверьте подключение к сети и попробуйте ещё раз."
LIMIT_ERRORS = {"DiskResourceDownloadLimitExceededError", "TooManyRequestsError"}


def is_public_link(address: str) -> bool:
    """Whether an address is a Yandex Disk public link («/d/…», «/i/…»; a loopback one too)."""
    parts = urlsplit(address.strip())
    host = (parts.hostname or "").lower()
    if host in PUBLIC_HOSTS:
        return True
    return host in ("127.0.0.1", "localhost", "::1") and parts.path.startswith(("/d/", "/i/"))


class YandexPublicSource:
    kind = "yandex"

    def __init__(self, link: str, *, session: requests.Session | None = None,
                 timeout: float = DEFAULT_TIMEOUT, limits: ReadLimits = DEFAULT_LIMITS) -> None:
        self.link = link.strip()
        self.limits = limits
        if not is_public_link(self.link):
            raise SourceError("config", f"«{link}» — не публичная ссылка Яндекс Диска (https://disk.yandex.ru/d/…).")
        self._api = local_base(self.link) or API
        self._session = session
        self._timeout = timeout
        self._held: tuple[bytes, list[RawTab], str] | None = None  # digest, tabs, label of the last read

    def read(self) -> Workbook:
        session = self._session or requests.Session()
        try:
            link = self._ask(session, f"{self._api}/v1/disk/public/resources/download?"
                                      + urlencode({"public_key": self.link}))
            href = link.get("href") if isinstance(link, dict) else None
            if not isinstance(href, str) or urlsplit(href).scheme not in ("http", "https"):
                raise SourceError("bad_response", MSG_BAD_ANSWER.format(status=200),
                                  detail=f"Link without href: {link!r}")
            allowed = self._download_host
            if not allowed(href):  # the answer names the file's address: only Yandex's own are asked
                raise SourceError("bad_response", MSG_FOREIGN_HOST.format(where=WHERE, host=urlsplit(href).netloc),
                                  detail=f"href {href}")
            answer = fetch(session, "GET", href, timeout=self._timeout, where=WHERE, host="Яндекс Диск",
                           network_message=MSG_NETWORK, allowed=allowed)
        finally:
            if self._session is None:
                session.close()
        if answer.status != 200:
            self._raise_for(answer.status, _json(answer.content), answer.detail)
        digest = hashlib.sha256(answer.content).digest()
        if self._held is not None and self._held[0] == digest:
            tabs, label = self._held[1], self._held[2]
        else:
            label = filename_title(answer.headers.get("Content-Disposition", "")) or ""  # no name: its kind says it
            label = label.removesuffix(".zip")  # a shared folder comes as «<folder>.zip»
            tabs = self._tabs_of(answer.content, answer.detail, label, self.limits)
            self._held = (digest, tabs, label)
        return Workbook(tabs=list(tabs), source=SourceInfo(kind="yandex", label=label, url=None),
                        read_at=datetime.now(timezone.utc), requests_made=2 + answer.redirects,
                        extra={"host": urlsplit(self.link).hostname})

    # ------------------------------------------------------------------ internals

    def _download_host(self, url: str) -> bool:
        """Yandex's own download servers over HTTPS (downloader.disk.yandex.ru, *.storage.yandex.net);
        for a link on this machine (the tests' stand-in), its own server."""
        if self._api != API:
            return same_server(self._api)(url)
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        return parts.scheme == "https" and host.endswith(DOWNLOAD_DOMAINS)

    def _ask(self, session: requests.Session, url: str) -> dict:
        answer = fetch(session, "GET", url, timeout=self._timeout, where=WHERE, host="Яндекс Диск",
                       network_message=MSG_NETWORK, headers={"Accept": "application/json"})
        body = _json(answer.content)
        if answer.status != 200:
            self._raise_for(answer.status, body, answer.detail)
        if body is None:
            raise SourceError("bad_response", MSG_BAD_ANSWER.format(status=answer.status), detail=answer.detail)
        return body

    @staticmethod
    def _raise_for(status: int, body: dict | None, detail: str) -> None:
        error = (body or {}).get("error", "") if isinstance(body, dict) else ""
        detail = f"{detail} {error}".strip()
        if error in LIMIT_ERRORS or status == 429:
            raise SourceError("quota", MSG_LIMIT if error == "DiskResourceDownloadLimitExceededError" else MSG_QUOTA,
                              detail=detail)
        if status in (404, 410):
            raise SourceError("not_found", MSG_NOT_FOUND, detail=detail)
        if status in (401, 403):
            raise SourceError("no_access", MSG_FORBIDDEN, detail=detail)
        if status >= 500:
            raise SourceError("server", MSG_SERVER.format(status=status), detail=detail)
        raise SourceError("bad_response", MSG_BAD_ANSWER.format(status=status), detail=detail)

    @staticmethod
    def _tabs_of(content: bytes, detail: str, label: str = "",
                 limits: ReadLimits = DEFAULT_LIMITS) -> list[RawTab]:
        """An .xlsx; or a shared folder, which Yandex Disk gives as a zip of its files (what the
        zip says it unzips to, and its number of workbooks, within `limits` before one is read)."""
        if not zipfile.is_zipfile(io.BytesIO(content)):
            raise SourceError("bad_file", MSG_NOT_A_WORKBOOK, detail=detail)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" not in names:  # a folder: its workbooks
                books = sorted(n for n in names if n.lower().endswith(tuple(XLSX_SUFFIXES))
                               and not n.rsplit("/", 1)[-1].startswith((".", "~$")))
                if not books:
                    raise SourceError("bad_file", MSG_NOT_A_WORKBOOK, detail=detail)
                check_files(len(books), label or "Яндекс Диска", limits)  # «В папке Яндекс Диска …»
                return [tab for name in books for tab in workbook_of_folder(
                    name.rsplit("/", 1)[-1], lambda name=name: _member_tabs(archive, name, limits))]
        try:  # «Файл по ссылке Яндекс Диска распаковывается …» when the answer gave no name
            return xlsx_tabs(io.BytesIO(content), name=label or "по ссылке Яндекс Диска", limits=limits)
        except SourceError:
            raise  # more than the limits allow
        except Exception as error:  # noqa: BLE001 - a damaged workbook
            raise SourceError("bad_file", MSG_NOT_A_WORKBOOK, detail=f"{detail}: {error!r}") from None


def _member_tabs(archive: zipfile.ZipFile, member: str, limits: ReadLimits) -> list[RawTab]:
    """One workbook of a folder's zip: what it unzips to checked before it is taken out."""
    name = member.rsplit("/", 1)[-1]
    check_zip(archive, name, limits, members=[member])
    return xlsx_tabs(io.BytesIO(archive.read(member)), name=name, limits=limits)


def _json(content: bytes) -> dict | None:
    try:
        body = json.loads(content)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None

