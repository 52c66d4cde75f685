"""Every page of the real app in headless Chromium, on the demo data, with screenshots."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import App, drawn_map, open_page, screenshot, wait_idle

pytestmark = pytest.mark.browser

PAGES = {"summary": "", "municipalities": "municipalities", "events": "events", "problems": "problems",
         "reports": "reports", "regions": "regions"}
SIZES = [(1920, 1080), (1366, 768)]


def distinct_colours(png: bytes) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGB").resize((200, 120))
    return len(image.getcolors(maxcolors=200 * 120) or [])


@pytest.mark.parametrize("width,height", SIZES)
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_without_an_exception(browser, app, name, width, height):
    page = open_page(browser, f"{app.url}/{PAGES[name]}", width, height)
    try:
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.locator("h1").first.inner_text() in ("Акция #МояХартия — Амурская область",
                                                         "Акция #МояХартия — по регионам")
        screenshot(page, f"{name}-{width}x{height}")
    finally:
        page.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_in_the_dark_theme(browser, dark_app, name):
    page = open_page(browser, f"{dark_app.url}/{PAGES[name]}", dark=True)
    try:
        assert page.locator("[data-testid='stException']").count() == 0
        screenshot(page, f"{name}-1920x1080-dark")
    finally:
        page.close()


def test_the_summary_shows_the_kpi_numbers_and_what_remains(browser, app):
    page = open_page(browser, app.url)
    try:
        def card_value(label: str) -> str:
            """The metric value in the smallest block that holds the card's label."""
            return page.evaluate(
                """(label) => {
                    const title = [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
                        .find(e => e.innerText.trim() === label);
                    let node = title;
                    while (node && !node.querySelector('[data-testid="stMetricValue"]')) node = node.parentElement;
                    return node ? node.querySelector('[data-testid="stMetricValue"]').innerText : null;
                }""",
                label,
            )

        assert card_value("Присоединить к Хартии не менее 10 организаций") == "54"
        assert card_value("Не менее 10 интервью / выступлений на радио или ТВ") == "8"
        body = page.locator("[data-testid='stMainBlockContainer']").inner_text()
        assert "ещё 2 интервью / выступления" in body
        assert "по состоянию на 22.02.2022" in body
        assert "Нет ни одной строки в таблице (12 из 29)" in body
    finally:
        page.close()


def test_the_map_is_drawn_offline_with_its_attribution(browser, app):
    page = open_page(browser, app.url)
    try:
        chart = drawn_map(page)
        assert chart.locator("canvas").count() >= 1
        assert distinct_colours(chart.screenshot()) > 8  # polygons in several colours, labels
        assert "© OpenStreetMap contributors" in page.locator("[data-testid='stMainBlockContainer']").inner_text()
        screenshot(page, "summary-map")
    finally:
        page.close()


def test_clicking_a_municipality_on_the_map_shows_its_numbers(browser, app):
    page = open_page(browser, app.url)
    try:
        chart = drawn_map(page)
        before = page.locator("h4").all_inner_texts()
        box = chart.bounding_box()
        for _attempt in range(3):  # a busy machine may still be drawing the first frame
            page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
            try:
                page.wait_for_selector("h4", timeout=10000)
                break
            except PlaywrightTimeout:  # no card yet: click again
                continue
        wait_idle(page)
        headings = page.locator("h4").all_inner_texts()
        assert headings != before
        assert any(h.strip() == "Зейский район" for h in headings)
        body = page.locator("[data-testid='stMainBlockContainer']").inner_text()
        assert "Ошибок в таблице" in body
        screenshot(page, "summary-map-clicked")
    finally:
        page.close()


def test_the_problems_page_remembers_the_municipality_in_the_url(browser, app):
    page = open_page(browser, f"{app.url}/problems?mo=RU-AMU:белогорск:go")
    try:
        body = page.locator("[data-testid='stMainBlockContainer']").inner_text()
        assert "г. Белогорск — 3 проблемы, из них 3 ошибки" in body
        assert "г. Благовещенск —" not in body
        # the rows themselves are drawn in a canvas grid: their text is checked with AppTest
    finally:
        page.close()


def test_a_bookmarked_page_opened_first_on_a_fresh_server_keeps_the_navigation(browser):
    """Streamlit runs a `pages/` file alone on a fresh server's first deep link; ours must not."""
    fresh = App("light")
    try:
        page = open_page(browser, f"{fresh.url}/problems?mo=RU-AMU:белогорск:go")
        navigation = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert "Проверка данных" in navigation and "Сводка" in navigation
        assert "summary" not in navigation
        body = page.locator("[data-testid='stMainBlockContainer']").inner_text()
        assert "г. Белогорск — 3 проблемы, из них 3 ошибки" in body
        assert "Обновить" in page.locator("[data-testid='stSidebar']").inner_text()
        page.close()
    finally:
        fresh.stop()


@pytest.mark.parametrize("url", ["briefing", "?briefing=1", "events?briefing=1"])
def test_the_briefing_is_one_16_9_screen_without_sidebar_or_scrollbars(browser, app, url):
    page = open_page(browser, f"{app.url}/{url}")
    try:
        page.wait_for_timeout(1500)
        assert page.locator("[data-testid='stException']").count() == 0
        assert not page.locator("[data-testid='stSidebar']").is_visible()
        sizes = page.evaluate("() => [document.querySelector('[data-testid=stMain]').scrollHeight,"
                              " window.innerHeight, document.documentElement.scrollWidth, window.innerWidth]")
        assert sizes[0] <= sizes[1] and sizes[2] <= sizes[3], sizes
        body = page.locator("[data-testid='stMainBlockContainer']").inner_text()
        assert "Акция #МояХартия — Амурская область" in body
        assert "по состоянию на 22.02.2022" in body
        assert page.locator("[data-testid='stDeckGlJsonChart'] canvas").count() >= 1
        for personal in ("Телефон", "ФИО", "+7 "):
            assert personal not in body
        if url == "briefing":
            screenshot(page, "briefing-1920x1080")
    finally:
        page.close()


@pytest.mark.parametrize("label, check", [
    ("Скачать PNG", lambda data: Image.open(io.BytesIO(data)).size == (1920, 1080)),
    ("Скачать DOCX", lambda data: data[:2] == b"PK" and b"word/document.xml" in data),
])
def test_a_download_on_the_reports_page_gives_the_file(browser, app, tmp_path, label, check):
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, accept_downloads=True)
    try:
        page.goto(f"{app.url}/reports")
        wait_idle(page)
        with page.expect_download(timeout=60000) as download:
            page.get_by_role("button", name=label).click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        assert check(path.read_bytes())
        assert path.name.startswith(("брифинг-amur-2022-2022-02-22", "итоги-акции-2022-02-22"))
    finally:
        page.close()
