"""A stand-in of Yandex Disk's public resources on 127.0.0.1, written from the API's documentation
(tests/reference/yandex-disk-api/): a public link `http://127.0.0.1:<port>/d/<key>`, its download
address from `GET /v1/disk/public/resources/download?public_key=<link>` (a Link object), the
address redirecting to the file as Yandex's downloader does, and errors as Error objects."""

from __future__ import annotations

import io
import json
import secrets
import threading
import zipfile
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

from tests.loopback import LoopbackServer

NOT_FOUND = {"message": "Не удалось найти запрошенный ресурс.", "description": "Resource not found.",
             "error": "DiskNotFoundError"}
LIMIT = {"message": "Превышен лимит на скачивание.", "description": "Download limit exceeded.",
         "error": "DiskResourceDownloadLimitExceededError"}
TOO_MANY = {"message": "Слишком много запросов.", "description": "Too Many Requests.", "error": "TooManyRequestsError"}


class YandexDiskStandIn(LoopbackServer):
    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._shared: dict[str, tuple[str, bytes]] = {}  # key -> (name, bytes)
        self._tokens: dict[str, str] = {}  # download token -> key
        self._fail: list[tuple[int, dict]] = []
        self.requests: list[str] = []

    def share(self, key: str, path: Path) -> str:
        """Publish a file «по ссылке»; returns its public link."""
        with self._lock:
            self._shared[key] = (path.name, path.read_bytes())
        return self.link(key)

    def share_folder(self, key: str, folder: Path) -> str:
        """Publish a folder: it is downloaded as a zip of its files, as Yandex Disk gives it."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for path in sorted(folder.iterdir()):
                archive.write(path, f"{folder.name}/{path.name}")
        with self._lock:
            self._shared[key] = (f"{folder.name}.zip", buffer.getvalue())
        return self.link(key)

    def unshare(self, key: str) -> None:
        with self._lock:
            self._shared.pop(key, None)

    def link(self, key: str) -> str:
        return f"{self.base_url}/d/{key}"

    def fail_next(self, status: int, error: dict) -> None:
        with self._lock:
            self._fail.append((status, error))

    # ------------------------------------------------------------------ answers

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, dict[str, str], bytes]:
        with self._lock:
            self.requests.append(path)
            failing = self._fail.pop(0) if self._fail else None
        if failing is not None:
            return _json(*failing)
        if path == "/v1/disk/public/resources/download":
            link = (query.get("public_key") or [""])[0]
            key = urlsplit(link).path.removeprefix("/d/")
            if key not in self._shared:
                return _json(404, NOT_FOUND)
            token = secrets.token_urlsafe(16)
            with self._lock:
                self._tokens[token] = key
            name = self._shared[key][0]
            href = f"{self.base_url}/disk/{token}?filename={quote(name)}&disposition=attachment&hash=&limit=0"
            return _json(200, {"href": href, "method": "GET", "templated": False})
        if path.startswith("/disk/"):  # the downloader redirects to the file's node
            return 302, {"Location": f"{self.base_url}/node{path.removeprefix('/disk')}"}, b""
        if path.startswith("/node/"):
            key = self._tokens.get(path.removeprefix("/node/"))
            if key is None or key not in self._shared:
                return 404, {"Content-Type": "text/html"}, b"<html>not found</html>"
            name, content = self._shared[key]
            return 200, {"Content-Type": "application/octet-stream",
                         "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}, content
        return _json(404, NOT_FOUND)

    class handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            status, headers, body = self.server.standin.answer(parts.path, parse_qs(parts.query))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)


def _json(status: int, body: dict) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(body, ensure_ascii=False).encode()
