"""«Заступник» and the federal view «Регионы» in headless Chromium, with screenshots."""

from __future__ import annotations

import pytest

from components import page_list
from tests.browser.conftest import drawn_map, open_page, screenshot, wait_idle
from tests.browser.test_app_in_chromium import distinct_colours
from tests.demo_figures import ZASTUPNIK

pytestmark = pytest.mark.browser

ZASTUPNIK_PAGES = {entry.name: entry.url_path for entry in page_list.PAGES
                   if entry.name not in ("events", "regions")}  # «Заступник» has no events, one region


def main_text(page) -> str:
    return page.locator("[data-testid='stMainBlockContainer']").inner_text()


@pytest.mark.parametrize("width,height", [(1920, 1080), (1366, 768)])
@pytest.mark.parametrize("name", list(ZASTUPNIK_PAGES))
def test_every_zastupnik_page_renders_from_its_campaign_file(browser, app, name, width, height):
    page = open_page(browser, f"{app.url}/{ZASTUPNIK_PAGES[name]}?campaign=irkutsk-zastupnik-2024", width, height)
    try:
        assert page.locator("[data-testid='stException']").count() == 0
        if name == "briefing":  # the slide: the picture of the PNG, its title inside it
            assert page.title() == "Брифинг — Иркутская область"
        else:
            assert "Социальный проект «Заступник» — Иркутская область" in page.locator("h1").first.inner_text()
        screenshot(page, f"zastupnik-{name}-{width}x{height}")
    finally:
        page.close()


def test_zastupnik_summary_shows_shares_and_the_irkutsk_map(browser, app):
    page = open_page(browser, f"{app.url}/?campaign=irkutsk-zastupnik-2024")
    try:
        text = main_text(page)
        responsible, total = ZASTUPNIK["responsible_appointed"], ZASTUPNIK["organisations_total"]
        assert f"{responsible} из {total} (72\u00a0%)" in text and f"ещё {total - responsible} организаций" in text
        assert "Мероприятия" not in page.locator("[data-testid='stSidebarNav']").inner_text()
        assert distinct_colours(drawn_map(page).screenshot()) > 8
        screenshot(page, "zastupnik-summary-map")
    finally:
        page.close()


def test_picking_a_campaign_in_the_sidebar_switches_the_whole_app(browser, app):
    page = open_page(browser, app.url)
    try:
        # every campaign's whole title is on screen: a list, not a box that cuts it
        choice = page.locator("[data-testid='stSidebar'] [data-testid='stRadio']", has_text="Кампания")
        assert [line for line in choice.inner_text().split("\n") if line.strip()][1:] == [
            "Амурская область: Акция #МояХартия", "Иркутская область: Социальный проект «Заступник»",
            "Приморский край: Акция #МояХартия", "Российская Федерация: Акция #МояХартия"]
        choice.get_by_text("Иркутская область: Социальный проект «Заступник»").click()
        page.wait_for_function("() => (document.querySelector('h1') || {innerText: ''}).innerText"
                               ".includes('Заступник')", timeout=45000)
        wait_idle(page)
        assert "campaign=irkutsk-zastupnik-2024" in page.url
        page.locator("[data-testid='stSidebarNav'] a", has_text="Проверка данных").click()
        page.wait_for_url("**/problems**", timeout=45000)
        wait_idle(page)
        assert "Социальный проект «Заступник»" in page.locator("h1").first.inner_text()
    finally:
        page.close()


@pytest.mark.parametrize("width,height", [(1920, 1080), (1366, 768)])
def test_the_federal_view_shows_russia_and_both_regions(browser, app, width, height):
    page = open_page(browser, f"{app.url}/regions", width, height)
    try:
        assert page.locator("[data-testid='stException']").count() == 0
        text = main_text(page)
        assert "Акция #МояХартия — по регионам" in text
        assert distinct_colours(drawn_map(page).screenshot()) > 4
        screenshot(page, f"regions-{width}x{height}")
        chooser = page.locator("[data-testid='stSelectbox']", has_text="Муниципалитеты региона")
        chooser.scroll_into_view_if_needed()
        chooser.locator("div[role='combobox'], input").first.click()
        page.get_by_role("option").last.wait_for(timeout=10000)
        options = page.get_by_role("option").all_inner_texts()
        assert "Амурская область" in options and "Приморский край" in options
        page.keyboard.press("Escape")
    finally:
        page.close()


def test_a_region_opens_its_municipality_map(browser, app):
    page = open_page(browser, f"{app.url}/regions?region=RU-PRI")
    try:
        drawn_map(page, 0)
        assert page.locator("[data-testid='stDeckGlJsonChart']").count() == 1  # in the place of Russia
        screenshot(page, "regions-primorye")
        page.get_by_text("Открыть сводку: Приморский край").click()
        page.wait_for_function("() => (document.querySelector('h1') || {innerText: ''}).innerText"
                               ".includes('Приморский край')", timeout=45000)
        assert "Акция #МояХартия — Приморский край" in page.locator("h1").first.inner_text()
    finally:
        page.close()


FIRST_SCREEN = {  # what «Сводка» answers without scrolling, per demo: the next deadline, who lags first, the change
    "amur-2022": ("09.03.2022", "1. Завитинский район", "За сутки: −1 организация"),
    "primorye-2022": ("10.03.2022", "1. ЗАТО Большой Камень", "За сутки: −1 организация"),
    "irkutsk-zastupnik-2024": ("05.06.2024", "1. Боханский район", "За сутки: организаций +12"),
}


@pytest.mark.parametrize("width,height", [(1920, 1080), (1366, 768)])
@pytest.mark.parametrize("campaign", list(FIRST_SCREEN))
def test_the_first_screen_says_the_next_deadline_who_lags_and_what_changed(browser, app, campaign, width, height):
    page = open_page(browser, f"{app.url}/?campaign={campaign}", width, height)
    try:
        main = page.locator("[data-testid='stMainBlockContainer']")
        for text in ("Ближайший срок", "Кто отстаёт", "Что изменилось", *FIRST_SCREEN[campaign]):
            found = main.get_by_text(text, exact=False).first
            box = found.bounding_box()
            assert box is not None and box["y"] + box["height"] <= height, f"«{text}» is below the first screen"
        ranked = main.get_by_role("link", name=FIRST_SCREEN[campaign][1][3:]).first
        assert "mo=" in (ranked.get_attribute("href") or "")  # the laggard links to its own view
        screenshot(page, f"first-screen-{campaign}-{width}x{height}")
    finally:
        page.close()


@pytest.mark.parametrize("width,height", [(1920, 1080), (1366, 768)])
def test_the_whole_country_shows_every_region_ranked_on_its_first_screen(browser, app, width, height):
    page = open_page(browser, f"{app.url}/?campaign=moyakhartiya-2022-rf", width, height)
    try:
        assert page.locator("[data-testid='stException']").count() == 0
        text = main_text(page)
        assert "Акция #МояХартия — по регионам" in text
        assert "Регионов: 89 · отчёт есть у 16" in text
        assert "Ближайший срок: 15.03.2022" in text and "Отстают сильнее всех: 1. Республика Саха (Якутия)" in text
        # the first screen answers without scrolling: the deadline and who lags are above the fold
        lags = page.get_by_text("Отстают сильнее всех").first.bounding_box()
        assert lags is not None and lags["y"] + lags["height"] < height
        assert distinct_colours(drawn_map(page).screenshot()) > 4
        screenshot(page, f"regions-russia-{width}x{height}")
    finally:
        page.close()


@pytest.mark.parametrize("width,height", [(1920, 1080), (1366, 768)])
def test_a_new_regions_summary_draws_its_map_from_the_federal_file(browser, app, width, height):
    page = open_page(browser, f"{app.url}/?campaign=moyakhartiya-2022-rf%4008", width, height)
    try:
        assert page.locator("[data-testid='stException']").count() == 0
        assert "Акция #МояХартия — Хабаровский край" in page.locator("h1").first.inner_text()
        assert distinct_colours(drawn_map(page).screenshot()) > 3
        screenshot(page, f"khabarovsk-summary-{width}x{height}")
    finally:
        page.close()


@pytest.mark.parametrize("path, said", [
    ("events", "В этой кампании мероприятий нет."),
    ("regions", "Сравнение по регионам — для кампаний, которые идут в нескольких регионах"),
])
def test_a_link_to_a_page_this_campaign_has_not_opens_in_russian(browser, app, path, said):
    """A colleague's link or a bookmark with the campaign changed: no English «Page not found»."""
    page = open_page(browser, f"{app.url}/{path}?campaign=irkutsk-zastupnik-2024", 1366, 768)
    try:
        assert said in main_text(page)
        body = page.locator("body").inner_text()
        assert "Page not found" not in body and "You have requested" not in body
        nav = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert "Мероприятия" not in nav and "Регионы" not in nav  # still out of the menu
    finally:
        page.close()


def test_no_select_box_says_choose_an_option_in_english(browser, app):
    for path in ("", "regions", "problems", "reports"):
        page = open_page(browser, f"{app.url}/{path}", 1366, 768)
        try:
            placeholders = page.locator("[data-testid='stSelectbox'] input").evaluate_all(
                "inputs => inputs.map(input => input.placeholder)")
            assert placeholders and all(p in ("Выберите…", "Выберите муниципалитет") for p in placeholders), placeholders
        finally:
            page.close()
