"""The real app in headless Debian Chromium: a `streamlit run` server and a Playwright browser."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class App:
    """`streamlit run app.py` on a free port, stopped at the end."""

    def __init__(self, theme: str = "light", env: dict | None = None) -> None:
        self.port = free_port()
        environment = {k: v for k, v in os.environ.items() if not k.startswith("CAMPAIGN_")}
        environment.update(env or {})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", f"--server.port={self.port}",
             "--server.headless=true", f"--theme.base={theme}", "--browser.gatherUsageStats=false",
             "--server.fileWatcherType=none"],  # an edit elsewhere in the tree must not rerun the pages
            cwd=REPO, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("streamlit did not start within 60 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


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


def open_page(browser, url: str, width: int = 1920, height: int = 1080, dark: bool = False):
    """A new page at `url`, waited until Streamlit has finished running the script."""
    page = browser.new_page(viewport={"width": width, "height": height},
                            color_scheme="dark" if dark else "light")
    page.goto(url)
    wait_idle(page)
    return page


def wait_idle(page, timeout_ms: int = 45000) -> None:
    """Until the script has run: a title, the slide or an error is on the page and nothing is running."""
    page.wait_for_selector("[data-testid='stMainBlockContainer'] h1, [data-testid='stAlert'], "
                           "[data-testid='stImage'] img", timeout=timeout_ms)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0",
        timeout=timeout_ms,
    )
    page.wait_for_timeout(800)


def drawn_map(page, nth: int = 0):
    """The `nth` pydeck map of the page, scrolled into view once its canvas is drawn."""
    chart = page.locator("[data-testid='stDeckGlJsonChart']").nth(nth)
    chart.scroll_into_view_if_needed()
    chart.locator("canvas").first.wait_for(timeout=20000)
    page.wait_for_timeout(1500)  # the first frame
    return chart


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
