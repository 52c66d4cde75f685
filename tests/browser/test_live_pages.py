"""Pages that update themselves (components/live.py): an open page shows a new read of the sheet
without a click, keeps what the user chose and its map, and says when it was updated; while nothing
changes, only the header's small fragment runs, never the page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import RUNS, STEP_LIMIT_MS, App, drawn_map, open_page, screenshot
from tests.demo_figures import AMUR_JOINED
from tests.integration.test_pipeline_end_to_end import amur_cells_as_typed
from tests.integration.test_shared_reads import TITLE, one_more_school
from tests.sheets_standin import SheetsStandIn

pytestmark = pytest.mark.browser

KEY = "1LivePages_0123456789abcdefghijklmnopqrstu"
UPDATE_LIMIT_MS = 120_000  # a bound, not a wait: the TTL (5 s), a read, two fragment rounds (10 s each)


def body_of(page) -> str:
    return page.locator("[data-testid='stMainBlockContainer']").inner_text()


def choose(page, label: str, option: str) -> None:
    """Picks `option` in the selectbox `label` (the run it causes waited for)."""
    runs = RUNS[page]
    with runs.rerun():
        chooser = page.locator("[data-testid='stSelectbox']", has_text=label)
        chooser.scroll_into_view_if_needed()
        chooser.locator("div[role='combobox'], input").first.click()
        page.get_by_role("option", name=option).click()


def chosen_in(page, label: str) -> str:
    """What the selectbox `label` shows as chosen."""
    return page.locator("[data-testid='stSelectbox']", has_text=label).locator("input").first.input_value()


def test_an_open_page_shows_a_new_read_by_itself_and_keeps_the_users_choices(browser, tmp_path):
    cells = amur_cells_as_typed()
    with SheetsStandIn() as standin:
        standin.add_spreadsheet(KEY, TITLE, cells)
        app = App("light", env={
            "CAMPAIGN_ID": "amur-2022", "CAMPAIGN_SOURCE": f"{standin.base_url}/spreadsheets/d/{KEY}/edit",
            "CAMPAIGN_SOURCE_KIND": "link", "CAMPAIGN_AS_OF": "2022-02-22", "CAMPAIGN_TTL_SECONDS": "5",
            "CAMPAIGN_CACHE_DIR": str(tmp_path), "CAMPAIGN_BACKGROUND_READS": "0"})
        try:
            page = open_page(browser, app.url, 1366, 768)
            runs = RUNS[page]
            assert f"Присоединились: {AMUR_JOINED} организации" in body_of(page)
            choose(page, "Раскрасить карту", "Число: организации, присоединившиеся к Хартии")
            assert chosen_in(page, "Раскрасить карту") == "Число: организации, присоединившиеся к Хартии"
            chart = drawn_map(page)
            chart.locator("canvas").first.evaluate("canvas => canvas.dataset.before = 'yes'")

            # nothing changed: the header's fragment runs on its own, the page does not
            finished, fragments = runs.finished, runs.fragments
            assert runs.wait(lambda: runs.fragments >= fragments + 2, UPDATE_LIMIT_MS / 1000)
            assert runs.finished == finished
            assert "обновлено в" not in body_of(page)

            standin.add_spreadsheet(KEY, TITLE, one_more_school(cells))
            page.wait_for_function(
                "(text) => document.querySelector('[data-testid=stMainBlockContainer]').innerText.includes(text)",
                arg=f"Присоединились: {AMUR_JOINED + 1} организаций", timeout=UPDATE_LIMIT_MS)
            assert runs.wait(lambda: runs.finished > finished, STEP_LIMIT_MS / 1000)
            page.wait_for_function(
                "() => document.querySelector('[data-testid=stMainBlockContainer]').innerText.includes('обновлено в')",
                timeout=STEP_LIMIT_MS)
            # what the user chose stays, and the map is the same element (not drawn anew: no
            # flicker, its zoom kept)
            assert chosen_in(page, "Раскрасить карту") == "Число: организации, присоединившиеся к Хартии"
            assert drawn_map(page).locator("canvas[data-before='yes']").count() == 1
            screenshot(page, "summary-updated-by-itself")
            page.close()
        finally:
            app.stop()


def test_the_wall_screen_shows_summary_and_regions_in_turn_in_large_type(browser, app):
    page = open_page(browser, f"{app.url}/?screen=1&seconds=10", 1920, 1080)
    try:
        assert page.locator("h1").first.inner_text() == "Акция #МояХартия — Амурская область"
        assert not page.locator("[data-testid='stSidebar']").is_visible()
        assert page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)") >= 21
        assert page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight"
                             " <= window.innerHeight + 1 || getComputedStyle(document.querySelector("
                             "'[data-testid=stMain]')).overflow === 'hidden'")
        screenshot(page, "wall-screen-summary-1920x1080")
        page.wait_for_function("() => location.pathname.endsWith('/regions')", timeout=UPDATE_LIMIT_MS)
        page.wait_for_function("() => (document.querySelector('h1') || {innerText: ''}).innerText"
                               ".includes('по регионам')", timeout=STEP_LIMIT_MS)
        assert "screen=1" in page.url and not page.locator("[data-testid='stSidebar']").is_visible()
        screenshot(page, "wall-screen-regions-1920x1080")
        page.wait_for_function("() => !location.pathname.endsWith('/regions')", timeout=UPDATE_LIMIT_MS)
        page.wait_for_function("() => (document.querySelector('h1') || {innerText: ''}).innerText"
                               ".includes('Амурская область')", timeout=STEP_LIMIT_MS)
    finally:
        page.close()
