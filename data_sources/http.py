"""What the adapters that download a file over HTTP share: one deadline for the whole answer, a
size limit, and the failures of the transport as typed Russian errors (`SourceError`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from campaign.workbook import SourceError

MAX_BYTES = 200 * 1024 * 1024  # far beyond the 10 million cells a sheet can hold as xlsx
MSG_TOO_SLOW = ("{where} не успел ответить за {seconds} с: связь слишком медленная или сервер перегружен. "
                "Попробуйте обновить позже.")
MSG_TOO_BIG = "{where} прислал слишком большой файл (больше 200 МБ): это не похоже на таблицу кампании."
MSG_NETWORK = "Нет связи с сервером {host}. Проверьте подключение к сети и попробуйте ещё раз."
MSG_FOREIGN_HOST = ("{where} отправил за файлом на другой сервер ({host}): такой адрес не читается. "
                    "Проверьте адрес источника в настройках.")
MAX_REDIRECTS = 10
MSG_SSL = ("Не удалось проверить сертификат сервера {host}. Если организация использует свой сертификат, "
           "обратитесь к администратору.")


@dataclass(frozen=True)
class Answer:
    """An HTTP answer read whole: its status, headers and body."""

    status: int
    headers: requests.structures.CaseInsensitiveDict
    content: bytes
    url: str
    redirects: int = 0

    @property
    def detail(self) -> str:
        """For logs and the administrator: never the body, never a password."""
        return f"HTTP {self.status} {self.headers.get('Content-Type', '')} from {self.url} ({len(self.content)} bytes)"


def fetch(session: requests.Session, method: str, url: str, *, timeout: float, where: str, host: str,
          headers: dict | None = None, data: bytes | None = None, auth=None, verify: bool | str = True,
          max_bytes: int = MAX_BYTES, ssl_message: str = MSG_SSL, network_message: str = MSG_NETWORK,
          slow_message: str | None = None, allowed: Callable[[str], bool] | None = None) -> Answer:
    """One request, its answer read in chunks against one deadline for the whole answer: a socket
    timeout bounds each read only, and a server dripping a byte at a time would never trip it.
    `where` names the server in messages («Сервер WebDAV»), `host` its address. With `allowed`, a
    redirect is followed only to an address it allows — checked before that address is asked."""
    deadline = time.monotonic() + timeout
    step = min(10.0, timeout)
    redirects = 0
    try:
        response = session.request(method, url, headers=headers, data=data, auth=auth, verify=verify,
                                   timeout=(step, step), stream=True, allow_redirects=allowed is None)
        while allowed is not None and response.is_redirect:
            target = urljoin(response.url, response.headers.get("Location", ""))
            response.close()
            if not allowed(target) or redirects >= MAX_REDIRECTS:
                raise SourceError("bad_response", MSG_FOREIGN_HOST.format(
                    where=where, host=urlsplit(target).netloc or "?"), detail=f"{url} -> {target}")
            redirects += 1
            method = "GET" if method in ("GET", "HEAD", "POST") and response.status_code in (301, 302, 303) \
                else method
            response = session.request(method, target, headers=headers, auth=auth, verify=verify,
                                       timeout=(step, step), stream=True, allow_redirects=False)
        chunks, size = [], 0
        try:
            # what has arrived, one receive at a time (a socket timeout bounds each wait): iter_content
            # waited for a whole chunk, so a body smaller than a chunk dripped a byte at a time was
            # never measured against the deadline
            while chunk := response.raw.read1(64 * 1024, decode_content=True):
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise SourceError("bad_response", MSG_TOO_BIG.format(where=where),
                                      detail=f"{size} bytes from {url}")
                if time.monotonic() > deadline:
                    slow = slow_message or MSG_TOO_SLOW.format(where=where, seconds="{seconds}")
                    raise SourceError("network", slow.format(seconds=round(timeout)),
                                      detail=f"{size} bytes in {timeout} s from {url}")
        finally:
            response.close()
    except requests.exceptions.SSLError as error:
        raise SourceError("network", ssl_message.format(host=host), detail=repr(error)) from None
    except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError) as error:
        # refused, reset, cut short (urllib3's own errors: the body is read below requests), timed out
        raise SourceError("network", network_message.format(host=host), detail=repr(error)) from None
    return Answer(response.status_code, response.headers, b"".join(chunks), response.url,
                  redirects or len(response.history))


def same_server(url: str) -> Callable[[str], bool]:
    """Allows an address of `url`'s own scheme, host and port only."""
    own = urlsplit(url)

    def allowed(target: str) -> bool:
        parts = urlsplit(target)
        return (parts.scheme, parts.hostname, parts.port) == (own.scheme, own.hostname, own.port)

    return allowed
