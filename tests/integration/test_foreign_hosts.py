"""A source asks only its own server (issue 27): a Yandex Disk API answer that names another host
for the file, or a WebDAV server that redirects to another host or port, is refused before that
address is asked — the other server's file never becomes the data, and the WebDAV account's
password never goes there."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from campaign.workbook import SourceError
from data_sources.webdav import WebDavSource
from data_sources.yandex_public import YandexPublicSource
from tests.demo_figures import AMUR_XLSX


class Server:
    """A server on 127.0.0.1 that answers every GET with `answer(path)` -> (status, headers, body),
    and counts what it was asked."""

    def __init__(self, answer) -> None:
        self.asked: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                outer.asked.append(self.path)
                status, headers, body = answer(self.path)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_PROPFIND = do_GET

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def elsewhere():
    """Another server (another port: another origin) with a workbook that is not the data."""
    server = Server(lambda path: (200, {"Content-Type": "application/octet-stream"}, AMUR_XLSX.read_bytes()))
    yield server
    server.stop()


def yandex_refusal(answer) -> SourceError:
    """The refusal of a read of a public link whose API (and download) a server answering
    `answer(path, api_url)` plays."""
    api = Server(lambda path: answer(path, api.url))
    try:
        with pytest.raises(SourceError) as info:
            YandexPublicSource(f"{api.url}/d/AbCdEf").read()
    finally:
        api.stop()
    return info.value


def test_a_yandex_answer_that_names_another_host_is_refused_unasked(elsewhere):
    error = yandex_refusal(lambda path, api: (200, {"Content-Type": "application/json"}, json.dumps(
        {"href": f"{elsewhere.url}/file.xlsx", "method": "GET", "templated": False}).encode()))
    assert error.kind == "bad_response"
    assert error.message.startswith("Яндекс Диск отправил за файлом на другой сервер (127.0.0.1:")
    assert elsewhere.asked == []


def test_a_yandex_download_redirected_to_another_host_is_refused_unasked(elsewhere):
    def answer(path, api):
        if path.startswith("/v1/"):
            return 200, {"Content-Type": "application/json"}, json.dumps({"href": f"{api}/download/1"}).encode()
        return 302, {"Location": f"{elsewhere.url}/file.xlsx"}, b""

    error = yandex_refusal(answer)
    assert "на другой сервер" in error.message and elsewhere.asked == []


def test_a_webdav_redirect_to_another_port_is_refused_and_the_password_stays(elsewhere):
    webdav = Server(lambda path: (302, {"Location": f"{elsewhere.url}/amur-2022.xlsx"}, b""))
    try:
        with pytest.raises(SourceError) as info:
            WebDavSource(f"{webdav.url}/amur-2022.xlsx", credentials=("координатор", "пароль")).read()
    finally:
        webdav.stop()
    assert info.value.kind == "bad_response"
    assert info.value.message.startswith("Сервер WebDAV отправил за файлом на другой сервер")
    assert elsewhere.asked == []


def test_a_redirect_on_the_same_server_is_followed(tmp_path):
    def answer(path):
        if path == "/old/amur-2022.xlsx":
            return 301, {"Location": "/new/amur-2022.xlsx"}, b""
        return 200, {"Content-Type": "application/octet-stream", "ETag": '"1"'}, AMUR_XLSX.read_bytes()

    webdav = Server(answer)
    try:
        workbook = WebDavSource(f"{webdav.url}/old/amur-2022.xlsx").read()
    finally:
        webdav.stop()
    assert "Организации" in workbook.tab_titles()
