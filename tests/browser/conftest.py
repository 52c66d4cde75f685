"""The real app in headless Debian Chromium: a `streamlit run` server and a Playwright browser."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import weakref
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
STEP_LIMIT_MS = 90_000  # the bound of one step a test waits for (a run drawn, a screenshot taken)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


START_LIMIT_S = 180  # a bound, not a wait: the server is asked for its health until it answers


class App:
    """`streamlit run app.py` (or `script`: serve.py, the app of a deployment) on a free port,
    stopped at the end."""

    def __init__(self, theme: str = "light", env: dict | None = None, script: str = "app.py") -> None:
        self.port = free_port()
        environment = {k: v for k, v in os.environ.items() if not k.startswith("CAMPAIGN_")} | (env or {})
        # a history of its own unless the test names one: the machine's default cache folder would
        # carry reads of earlier runs into this one (a demo whose history has reads is not seeded
        # again, so «за сутки» compared with a read of another run once the region's day had turned)
        self.cache_dir = None
        if "CAMPAIGN_CACHE_DIR" not in environment:
            self.cache_dir = environment["CAMPAIGN_CACHE_DIR"] = tempfile.mkdtemp(prefix="app-cache-")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, f"--server.port={self.port}",
             "--server.headless=true", f"--theme.base={theme}", "--browser.gatherUsageStats=false",
             "--server.fileWatcherType=none"],  # an edit elsewhere in the tree must not rerun the pages
            cwd=REPO, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + START_LIMIT_S
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit did not start within {START_LIMIT_S} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.cache_dir is not None:
            shutil.rmtree(self.cache_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.skip(f"Debian chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def app():
    server = App("light")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dark_app():
    server = App("dark")
    yield server
    server.stop()


# the page has settled: nothing runs, no element is left of the previous run, nothing is loading
SETTLED = ("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
           " && !document.querySelector('[data-stale=\"true\"], [data-testid=\"stSkeleton\"]')")
# the browser's next task and two animation frames: what a change of state drew is on screen
NEXT_FRAME = ("() => new Promise(done => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(done)),"
              " 0))")


def bounded(page):
    """`page` with every Playwright action on it bounded by `STEP_LIMIT_MS` (Playwright's own 30 s
    for a screenshot of the map was exceeded at load 30 on 2 cores)."""
    page.set_default_timeout(STEP_LIMIT_MS)
    return page


def open_page(browser, url: str, width: int = 1920, height: int = 1080, dark: bool = False):
    """A new page at `url`, waited until Streamlit has finished running the script."""
    page = bounded(browser.new_page(viewport={"width": width, "height": height},
                                    color_scheme="dark" if dark else "light"))
    Runs(page)
    page.goto(url)
    wait_idle(page)
    return page


def wait_idle(page, timeout_ms: int = STEP_LIMIT_MS) -> None:
    """Until the script has run: a title, the slide or an error is on the page and nothing is running."""
    page.wait_for_selector("[data-testid='stMainBlockContainer'] h1, [data-testid='stAlert'], "
                           "[data-testid='stImage'] img", timeout=timeout_ms)
    page.wait_for_function(SETTLED, polling="raf", timeout=timeout_ms)
    page.evaluate(NEXT_FRAME)


RUNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # every watched page and its Runs


class Runs:
    """How many runs of the app's script have finished for a page: counted from the «script
    finished» messages its websocket receives, so a test can wait for the run its click caused."""

    def __init__(self, page) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        RUNS[page] = self
        self.page = page
        self.started = 0  # every run begins with a «new session» message
        self.finished = 0
        self.fragments = 0  # runs of a fragment alone (the header's line that keeps itself up to date)
        self._message = ForwardMsg
        page.on("websocket", lambda ws: ws.on("framereceived", self._received))

    def _received(self, payload) -> None:
        if not isinstance(payload, bytes):
            return
        message = self._message()
        try:
            message.ParseFromString(payload)
        except Exception:  # noqa: BLE001 - not one of Streamlit's messages
            return
        kind = message.WhichOneof("type")
        # a fragment's own run (the header's line that keeps itself up to date) is not a run of the page
        if kind == "new_session" and not message.metadata.run.fragment_ids:
            self.started += 1
        elif kind == "script_finished" and message.script_finished == self._message.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
            self.fragments += 1
        elif kind == "script_finished" and message.script_finished != self._message.FINISHED_EARLY_FOR_RERUN:
            self.finished += 1

    def wait(self, count: Callable[[], bool], timeout_s: float) -> bool:
        """Until `count()` is true (the websocket's messages handed over meanwhile); False at the limit."""
        deadline = time.monotonic() + timeout_s
        while not count():
            if time.monotonic() > deadline:
                return False
            self.page.wait_for_timeout(20)  # hands Playwright the websocket's messages
        return True

    @contextmanager
    def rerun(self, timeout_s: float = 45.0):
        """Around an action that reruns the script: until that run has finished and is drawn."""
        started, finished = self.started, self.finished
        yield
        if not self.wait(lambda: self.finished > finished, timeout_s):
            raise AssertionError(f"the script did not run again within {timeout_s:.0f} s (runs started "
                                 f"{self.started - started}, finished {self.finished - finished})")
        wait_idle(self.page)


# a map fitted to its column (components/column_width.py): the page was drawn for the width the
# browser measured (a map without such a probe beside it is drawn for a width of its own)
FITTED = ("nth => { const chart = document.querySelectorAll('[data-testid=\"stDeckGlJsonChart\"]')[nth];"
          " if (!chart) return false; const column = chart.closest('[data-testid=\"stVerticalBlock\"]');"
          " const probe = column && column.querySelector(\":scope > [class*='_column_width'] [data-measured]\");"
          " const container = column && column.querySelector(\":scope > [class*='_column_width']\");"
          " if (!container) return true;"
          " return !!probe && probe.dataset.measured !== '' && probe.dataset.drawnFor === probe.dataset.measured; }")


def drawn_map(page, nth: int = 0):
    """The `nth` pydeck map of the page, scrolled into view once it is drawn for its column's
    width and its canvas is painted."""
    chart = page.locator("[data-testid='stDeckGlJsonChart']").nth(nth)
    chart.wait_for(timeout=STEP_LIMIT_MS)
    page.wait_for_function(FITTED, arg=nth, polling="raf", timeout=STEP_LIMIT_MS)
    wait_idle(page)
    chart = page.locator("[data-testid='stDeckGlJsonChart']").nth(nth)
    chart.scroll_into_view_if_needed()
    canvas = chart.locator("canvas").first
    canvas.wait_for(timeout=20000)
    wait_painted(canvas)
    return chart


def wait_painted(canvas, timeout_s: float = 60.0) -> None:
    """Until the map's canvas shows something: its pixels on screen (WebGL's own buffer cannot
    be read back) hold more than the background's few colours. A state, not a time."""
    import io

    from PIL import Image

    deadline = time.monotonic() + timeout_s
    while True:
        shot = Image.open(io.BytesIO(canvas.screenshot(animations="disabled"))).convert("RGB")
        colours = shot.resize((96, 54)).getcolors(96 * 54) or []
        if len(colours) > 8:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"the map was not drawn within {timeout_s:.0f} s ({len(colours)} colours)")
        canvas.page.evaluate(NEXT_FRAME)


def still_screenshot(chart, timeout_s: float = 30.0) -> bytes:
    """A screenshot of `chart` once the mouse is off it (no tooltip, no hover highlight) and
    two frames in a row look the same: a state, not a time."""
    page = chart.page
    page.mouse.move(1, 1)
    page.wait_for_function("() => [...document.querySelectorAll('.deck-tooltip')]"
                           ".every(e => getComputedStyle(e).display === 'none' || !e.innerText.trim())",
                           timeout=timeout_s * 1000)
    deadline = time.monotonic() + timeout_s
    shot = chart.screenshot(animations="disabled")
    while True:
        page.evaluate(NEXT_FRAME)
        again = chart.screenshot(animations="disabled")
        if again == shot:
            return shot
        if time.monotonic() > deadline:
            raise AssertionError(f"the chart kept changing for {timeout_s:.0f} s")
        shot = again


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


@pytest.fixture
def certificate(tmp_path):
    """(the certificate chain, its key) of «localhost» from a test certificate authority (for
    nginx in front of the app: tests/nginx.py)."""
    import trustme

    authority = trustme.CA()
    issued = authority.issue_cert("localhost", "127.0.0.1")
    cert, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    cert.write_bytes(b"".join(blob.bytes() for blob in issued.cert_chain_pems))
    issued.private_key_pem.write_to_path(str(key))
    return cert, key
