"""A load test: 30 browser sessions at once against the app reading the Sheets stand-in.

All pages render, and the sheet is read once for them all (one request within the TTL).
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest

from components import page_list
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, App
from tests.demo_figures import AMUR_JOINED
from tests.integration.test_pipeline_end_to_end import KEY, amur_cells_as_typed
from tests.sheets_standin import SheetsStandIn

pytestmark = pytest.mark.browser

SESSIONS = 30
PAGES = [entry.url_path for entry in page_list.PAGES if entry.name not in ("regions", "briefing")]


# A session is stuck, not slow, when no session has gone a step further for this long: 30
# renderers on 2 cores take 85 s each when idle and several times that beside other tests, so a
# bound on a session's own time would fail a slow run; this one fails only a run that stopped.
STALL_S = 300


async def _open_all(url: str) -> list[dict]:
    from playwright.async_api import TimeoutError as PlaywrightTimeout
    from playwright.async_api import async_playwright

    progress = [time.monotonic()]  # when a session last went a step further

    async def until(step) -> None:
        """Waits for `step(timeout_ms)`'s state while any session makes progress."""
        while True:
            try:
                await step(5_000)
            except PlaywrightTimeout:
                if time.monotonic() - progress[0] > STALL_S:
                    raise
                continue
            progress[0] = time.monotonic()
            return

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        async def session(number: int) -> dict:
            context = await browser.new_context(viewport={"width": 1366, "height": 768})
            page = await context.new_page()
            started = time.monotonic()
            path = PAGES[number % len(PAGES)]
            shown = path or "summary"
            try:
                await page.goto(f"{url}/{path}", wait_until="commit", timeout=STALL_S * 1000)
                progress[0] = time.monotonic()
                await until(lambda ms: page.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=ms))
                await until(lambda ms: page.wait_for_function(
                    "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=ms))
            except PlaywrightTimeout:  # said with what the page showed instead, for all sessions at once
                try:
                    seen = await page.locator("body").inner_text(timeout=30_000)
                except PlaywrightTimeout:
                    seen = "(the page did not answer)"
                await context.close()
                return {"page": shown, "stuck": f"after {time.monotonic() - started:.0f} s, showing {seen[:300]!r}"}
            result = {
                "page": shown,
                "seconds": time.monotonic() - started,
                "exceptions": await page.locator("[data-testid='stException']").count(),
                "title": await page.locator("h1").first.inner_text(),
                "body": await page.locator("[data-testid='stMainBlockContainer']").inner_text(),
            }
            await context.close()
            return result

        results = await asyncio.gather(*(session(n) for n in range(SESSIONS)))
        await browser.close()
        return results


def test_thirty_sessions_at_once_render_every_page_and_read_the_sheet_once(tmp_path):
    with SheetsStandIn() as standin:
        standin.add_spreadsheet(KEY, "#МояХартия — Амурская область", amur_cells_as_typed())
        app = App("light", env={
            "CAMPAIGN_ID": "amur-2022",
            "CAMPAIGN_SOURCE": f"{standin.base_url}/spreadsheets/d/{KEY}/edit",
            "CAMPAIGN_SOURCE_KIND": "link",
            "CAMPAIGN_AS_OF": "2022-02-22",
            "CAMPAIGN_TTL_SECONDS": "600",
            "CAMPAIGN_CACHE_DIR": str(tmp_path),
        })
        try:
            started = time.monotonic()
            # a thread of its own: the other browser tests' sync Playwright keeps a loop running here
            with ThreadPoolExecutor(1) as pool:
                results = pool.submit(lambda: asyncio.run(_open_all(app.url))).result()
            elapsed = time.monotonic() - started
        finally:
            app.stop()
        exports = [path for _, path in standin.requests if "/export" in path]

    stuck = [f"{r['page']}: {r['stuck']}" for r in results if "stuck" in r]
    assert not stuck, f"{len(stuck)} of {SESSIONS} sessions not drawn: " + "; ".join(stuck)
    assert len(results) == SESSIONS
    assert all(r["exceptions"] == 0 for r in results)
    assert all(r["title"] == "Акция #МояХартия — Амурская область" for r in results)
    summaries = [r for r in results if r["page"] == "summary"]
    assert all(f"Присоединились: {AMUR_JOINED} организации" in r["body"] for r in summaries)
    assert len(exports) == 1  # thirty sessions, one read of the sheet within the TTL
    slowest = max(r["seconds"] for r in results)
    print(f"\n[load] {datetime.now():%Y-%m-%d %H:%M} {SESSIONS} sessions: all rendered in {elapsed:.1f} s, "
          f"slowest page {slowest:.1f} s, median {sorted(r['seconds'] for r in results)[SESSIONS // 2]:.1f} s, "
          f"sheet requests {len(exports)}")
