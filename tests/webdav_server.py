"""A real WebDAV server on 127.0.0.1 for the tests: WsgiDAV serving a folder, with basic auth,
behind cheroot (WsgiDAV's own server), in a thread of the test process. A thin WSGI layer in front
of it counts the requests and can misbehave as servers do: hang on a request, or replace a file
while it is being sent."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from cheroot import wsgi
from wsgidav.wsgidav_app import WsgiDAVApp

USER, PASSWORD = "dashboard", "пароль-приложения"


@dataclass
class Seen:
    method: str
    path: str
    status: str
    headers: dict[str, str]


@dataclass
class Faults:
    hang: threading.Event | None = None  # every request waits for it
    during_get: dict[str, Callable[[], None]] = field(default_factory=dict)  # path -> done after the first chunk


class WebDavServer:
    def __init__(self, root: Path, *, auth: bool = True) -> None:
        self.root = root
        self.seen: list[Seen] = []
        self.faults = Faults()
        config = {
            "provider_mapping": {"/": str(root)},
            "simple_dc": {"user_mapping": {"*": {USER: {"password": PASSWORD}} if auth else True}},
            "http_authenticator": {"accept_basic": True, "accept_digest": False, "default_to_digest": False},
            "verbose": 0,
            "logging": {"enable": False, "enable_loggers": []},
            "property_manager": True,
            "lock_storage": True,
            "dir_browser": {"enable": False},
        }
        logging.getLogger("wsgidav").setLevel(logging.ERROR)
        self.app = WsgiDAVApp(config)
        self.server = wsgi.Server(("127.0.0.1", 0), self._front, numthreads=8)
        self.server.prepare()
        self.port = self.server.bind_addr[1]
        self.thread = threading.Thread(target=self.server.serve, name="webdav", daemon=True)
        self.thread.start()

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def stop(self) -> None:
        if self.faults.hang is not None:
            self.faults.hang.set()
        self.server.stop()
        self.thread.join(10)

    def requests(self, method: str | None = None) -> list[Seen]:
        return [s for s in self.seen if method is None or s.method == method]

    def forget(self) -> None:
        self.seen.clear()

    # ------------------------------------------------------------------ the layer in front

    def _front(self, environ, start_response):
        from urllib.parse import unquote

        # PATH_INFO is the request's bytes as Latin-1 (PEP 3333): the UTF-8 path a client sent
        path = unquote(environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace"))
        headers = {key[5:].replace("_", "-").title(): value for key, value in environ.items() if key.startswith("HTTP_")}
        if self.faults.hang is not None:
            self.faults.hang.wait(60)

        def recording_start(status, response_headers, exc_info=None):
            self.seen.append(Seen(environ["REQUEST_METHOD"], path, status, headers))
            return start_response(status, response_headers, exc_info)

        body = self.app(environ, recording_start)
        fault = self.faults.during_get.pop(path, None) if environ["REQUEST_METHOD"] == "GET" else None
        if fault is None:
            return body
        return _after_first_chunk(body, fault)


def _after_first_chunk(body, action):
    try:
        for number, chunk in enumerate(body):
            yield chunk
            if number == 0:
                action()
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
