"""The one way the adapters download (data_sources/http.py): a body dripped a byte at a time is
given up on at the deadline even when it is smaller than one chunk (issue 27, F1)."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from campaign.workbook import SourceError
from data_sources.http import fetch

BODY = 200  # bytes: far less than one 64 KB chunk
DRIP_SECONDS = 0.2  # a byte every 0.2 s: the body would take 40 s


@pytest.fixture
def dripping():
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(BODY))
            self.end_headers()
            for _ in range(BODY):
                if stop.wait(DRIP_SECONDS):
                    return
                try:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                except OSError:
                    return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/file.xlsx"
    stop.set()
    server.shutdown()
    server.server_close()


def test_a_body_smaller_than_a_chunk_dripped_a_byte_at_a_time_is_given_up_at_its_deadline(dripping):
    started = time.monotonic()
    with pytest.raises(SourceError) as info:
        fetch(requests.Session(), "GET", dripping, timeout=2, where="Сервер WebDAV", host="127.0.0.1")
    elapsed = time.monotonic() - started
    assert info.value.kind == "network" and "не успел ответить за 2 с" in info.value.message
    assert elapsed < 2 + 5 * DRIP_SECONDS + 5  # the deadline, a receive or two, and a busy machine's slack
    assert elapsed < BODY * DRIP_SECONDS / 2  # not the whole body's time
