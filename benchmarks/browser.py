"""Benchmark of clicks in the real app, in headless Debian Chromium (Playwright), on the demo.

    python benchmarks/browser.py --json [--rounds 5] [--size 1920x1080]

Starts `streamlit run app.py` on the bundled demo data, opens it in Chromium and clicks through
the pages in the sidebar (Сводка first and once more after «Регионы», the briefing last: it has
no sidebar), `--rounds` times in one tab after a first round that the tab (and the server)
warms up with. A click counts as answered when the page is drawn: its address is the page's,
Streamlit shows no running indicator and no element of the previous run, what the page is for
is on screen — the map's canvas, the charts, the table, the slide's image loaded — and the
browser has run its next task and two animation frames (a map's first frame included). Per
page (named by its file): `click_s`, the median of the rounds (with `min_s`, `max_s`);
`first_click_s`, the same click in the warming round (a page's components and, for a map,
WebGL shaders the tab has not used yet); `bytes`, what the server sent over the websocket for
the click (median). `new_session_s`: a new tab's first page drawn (median of `--rounds` tabs).

Headless Chromium here has no GPU: WebGL runs in software (SwiftShader), and a tab's first map
compiles its shaders on the CPU (about 3 s on the 2-core machine, the same for any map), which
a browser with a GPU does in milliseconds. `first_click_s` shows it; `click_s` does not.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from components import page_list  # noqa: E402 - imported once sys.path holds the project
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, NEXT_FRAME, App  # noqa: E402 - imported once sys.path holds the project

MAP = "[data-testid='stDeckGlJsonChart'] canvas"
CHART = "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg"
# what must be drawn on each page: something shown of each
DRAWN_ON = {"summary": [MAP, CHART], "municipalities": ["[data-testid='stDataFrame'] canvas"],
            "events": [CHART, "[data-testid='stDataFrame'] canvas"], "problems": ["[data-testid='stTable'] table"],
            "reports": ["[data-testid='stDownloadButton'] button"], "regions": [MAP],
            "briefing": ["[data-testid='stImage'] img"]}
# (file name, title in the sidebar, url path, what must be drawn), for every page (components/page_list.py)
PAGES = [(entry.name, entry.title, entry.url_path, DRAWN_ON[entry.name]) for entry in page_list.PAGES]

DRAWN = """([path, selectors]) => {
    const here = location.pathname.replace(/^\\/+|\\/+$/g, "");
    if (here !== path) return false;
    if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
    if (document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')) return false;
    const shown = e => e.tagName === "IMG" ? e.complete && e.naturalWidth > 0 : e.getBoundingClientRect().width > 0;
    // a map fitted to its column (components/column_width.py) is drawn when the page has run for the
    // width the browser measured: its second run of a first visit belongs to this click, not the next
    const fitted = [...document.querySelectorAll("[class*='_column_width']")].every(probe => {
        const measured = probe.querySelector("[data-measured]");
        return measured && measured.dataset.measured !== "" && measured.dataset.drawnFor === measured.dataset.measured;
    });
    return fitted && selectors.every(selector => [...document.querySelectorAll(selector)].some(shown));
}"""


class Frames:
    """Bytes the server sends over the page's websocket."""

    def __init__(self, page) -> None:
        self.received = 0
        page.on("websocket", lambda socket: socket.on("framereceived", self._count))

    def _count(self, payload) -> None:
        self.received += len(payload)


STEP_MS = 300_000  # a bound, not a figure: a slow click on a loaded machine is measured, not failed
SLOW_S = 5.0  # a click slower than this is reported with the machine's load at the time


def wait_drawn(page, path: str, selectors: list[str], timeout_ms: int = STEP_MS) -> None:
    page.wait_for_function(DRAWN, arg=[path, selectors], polling="raf", timeout=timeout_ms)
    page.evaluate(NEXT_FRAME)


def click(page, frames: Frames, title: str, path: str, selectors: list[str]) -> tuple[float, int, float]:
    """(seconds until the page is drawn, bytes received, the machine's load then) of a click on
    `title` in the sidebar."""
    link = page.locator("[data-testid='stSidebarNav'] a", has_text=title).first
    link.wait_for()
    before = frames.received
    started = time.perf_counter()
    link.click()
    wait_drawn(page, path, selectors)
    return time.perf_counter() - started, frames.received - before, os.getloadavg()[0]


def one_round(page, frames: Frames, url: str) -> dict[str, tuple[float, int]]:
    """Every page clicked to once, from «Сводка» (opened anew) to the briefing."""
    page.goto(url)
    wait_drawn(page, "", PAGES[0][3])
    clicks = {}
    for name, title, path, selectors in PAGES[1:]:
        clicks[name] = click(page, frames, title, path, selectors)
        if name == "regions":  # and back to «Сводка»: the first page is clicked to as well
            clicks["summary"] = click(page, frames, PAGES[0][1], "", PAGES[0][3])
    return clicks


def new_session(browser, url: str, size: tuple[int, int]) -> float:
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.set_default_timeout(STEP_MS)
    started = time.perf_counter()
    page.goto(url)
    wait_drawn(page, "", PAGES[0][3])
    seconds = time.perf_counter() - started
    page.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--port", type=int, help="measure the app already running on this port of 127.0.0.1 "
                                                 "(by default one is started on a free port)")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))

    from playwright.sync_api import sync_playwright

    app = None if args.port else App("light", env={"CAMPAIGN_BACKGROUND_READS": "0"})
    url = f"http://127.0.0.1:{args.port}" if args.port else app.url
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": size[0], "height": size[1]})
            page.set_default_timeout(STEP_MS)
            frames = Frames(page)
            first = one_round(page, frames, url)  # the server reads the demo and draws it once
            clicks: dict[str, list] = {}
            for _ in range(args.rounds):
                for name, figures in one_round(page, frames, url).items():
                    clicks.setdefault(name, []).append(figures)
            page.close()
            sessions = [new_session(browser, url, size) for _ in range(args.rounds)]
            browser.close()
    finally:
        if app is not None:
            app.stop()
    pages = {}
    for name, *_ in PAGES:
        seconds = [s for s, _b, _load in clicks[name]]
        pages[name] = {"click_s": round(statistics.median(seconds), 3), "min_s": round(min(seconds), 3),
                       "max_s": round(max(seconds), 3), "first_click_s": round(first[name][0], 3),
                       "bytes": int(statistics.median(b for _s, b, _load in clicks[name])),
                       "slow": [{"s": round(s, 1), "load": round(load, 1)}
                                for s, _b, load in clicks[name] if s > SLOW_S]}
    result = {"size": args.size, "rounds": args.rounds, "new_session_s": round(statistics.median(sessions), 3),
              "pages": pages}
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    print(f"new session: {result['new_session_s']} s (median of {args.rounds})")
    for name, figures in pages.items():
        slow = "; ".join(f"{click['s']} s at load {click['load']}" for click in figures["slow"])
        print(f"  {name:15} click {figures['click_s']:6.3f} s  ({figures['min_s']:.3f}–{figures['max_s']:.3f}), "
              f"first in the tab {figures['first_click_s']:.3f} s  {figures['bytes'] / 1024:8.1f} KB"
              + (f"  slow: {slow}" if slow else ""))


if __name__ == "__main__":
    main()
