"""Accessible and Russian at every visit, in headless Chromium: axe-core (vendored, MPL-2.0) finds
nothing critical or serious on every page (ГОСТ Р 52872-2019 ≈ WCAG 2.1 AA), light and dark, at
1920, 1366 and a phone's 390; Streamlit's own words are Russian; in-page links stay in the tab; a
phone shows a table as a list; the slide says in words what it shows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from components import page_list
from tests.browser.conftest import App, Runs, bounded, free_port, open_page, wait_idle

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
PAGES = [entry.url_path for entry in page_list.PAGES if entry.name != "regions"]  # «Регионы»: FEDERAL
CAMPAIGNS = ["amur-2022", "irkutsk-zastupnik-2024", "primorye-2022"]
FEDERAL = "regions?campaign=moyakhartiya-2022-rf"


def every_page(campaigns) -> list[str]:
    return [f"{page}?campaign={campaign}" for campaign in campaigns for page in PAGES]


def axe_findings(page) -> list[dict]:
    """axe-core's critical and serious findings on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .filter(v => v.impact === 'critical' || v.impact === 'serious')
        .map(v => ({rule: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 160))}))""")
    return found


def visit(browser, app: App, paths: list[str], width: int, height: int, dark: bool = False) -> dict[str, list]:
    """axe-core's findings on each page (a new tab per page: a new session, as a bookmark opens it)."""
    findings = {}
    context = browser.new_context(viewport={"width": width, "height": height},
                                  color_scheme="dark" if dark else "light",
                                  is_mobile=width < 500, has_touch=width < 500)
    try:
        for path in paths:
            page = bounded(context.new_page())
            Runs(page)
            page.goto(f"{app.url}/{path}")
            wait_idle(page)
            page.wait_for_function("() => document.documentElement.lang === 'ru'")
            findings[path] = axe_findings(page)
            page.close()
    finally:
        context.close()
    return {path: found for path, found in findings.items() if found}


def test_every_page_of_three_campaigns_and_the_federal_view_light_at_1920(browser, app):
    assert visit(browser, app, [*every_page(CAMPAIGNS), FEDERAL], 1920, 1080) == {}


def test_every_page_in_the_dark_theme_at_1366(browser, dark_app):
    assert visit(browser, dark_app, [*every_page(["amur-2022", "irkutsk-zastupnik-2024"]), FEDERAL],
                 1366, 768, dark=True) == {}


def test_every_page_on_a_phone_light_and_dark(browser, app, dark_app):
    """On a phone a wide table scrolled sideways and could not be reached by keyboard
    (scrollable-region-focusable): it is a list now, and a table still wider has a focusable frame."""
    assert visit(browser, app, [*every_page(["amur-2022"]), FEDERAL], 390, 844) == {}
    assert visit(browser, dark_app, every_page(["irkutsk-zastupnik-2024"]), 390, 844, dark=True) == {}


# --------------------------------------------------------------------------- Russian everywhere

ENGLISH = """() => {
  const latin = (text) => text && /[A-Za-z]{3,}/.test(text) && !/[А-Яа-яЁё]/.test(text);
  const found = [];
  for (const element of document.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
    for (const name of ["aria-label", "title", "placeholder", "alt"]) {
      const value = element.getAttribute(name);
      if (latin(value)) found.push(`${name}=${value}`);
    }
  }
  // text a screen reader reads or a copy takes: not inside what is hidden from both
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, noscript, [aria-hidden=true], .stDataFrame")) continue;
    if (latin(node.nodeValue.trim()) && !/^[\\w.-]+\\.(xlsx|csv)$/.test(node.nodeValue.trim())) found.push(`text=${node.nodeValue.trim()}`);
  }
  return found;
}"""


def test_streamlits_own_words_are_russian_and_icon_names_are_not_read(browser, app):
    """«Skip to main content», «Main menu», «Fullscreen», «Help for …», «Vega visualization» and
    the names of Material icons («fact_check», «keyboard_arrow_right»)."""
    found = {}
    for path in ["?campaign=amur-2022", "problems?campaign=amur-2022", "reports?campaign=amur-2022"]:
        page = open_page(browser, f"{app.url}/{path}")
        try:
            page.wait_for_function("() => document.documentElement.lang === 'ru'")
            english = page.evaluate(ENGLISH)
            if english:
                found[path] = english
            labels = page.evaluate("() => [...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'))")
            assert "Главное меню" in labels and "Страницы" in labels
            assert page.get_by_text("Перейти к содержимому").count() == 1
        finally:
            page.close()
    assert found == {}


def test_a_page_that_does_not_exist_is_said_in_russian(browser, app):
    page = open_page(browser, f"{app.url}/nonsense?campaign=amur-2022")
    try:
        dialog = page.get_by_role("dialog")
        dialog.wait_for()
        page.wait_for_function("() => document.querySelector('[role=dialog]').innerText.includes('Страница не найдена')")
        text = dialog.inner_text()
        assert "Страница не найдена" in text and "открыта главная страница" in text
        assert "Page not found" not in text and "Running" not in text
    finally:
        page.close()


# --------------------------------------------------------------------------- links, phone, slide

def test_the_first_screens_links_open_in_the_same_tab(browser, app):
    """A Markdown link opened a new tab (a new session, without the sign-in): «Кто отстаёт»'s
    municipality opens its rows here, in this tab."""
    page = open_page(browser, f"{app.url}/?campaign=amur-2022")
    try:
        link = page.locator("[data-testid='stMainBlockContainer'] a", has_text="Завитинский район").first
        assert link.get_attribute("target") == "_self"
        link.click()
        page.wait_for_url(re.compile(r"/municipalities\?mo="))
        wait_idle(page)
        assert len(page.context.pages) == 1
        page.get_by_role("heading", name="Завитинский район").wait_for()
    finally:
        page.close()


def test_a_phone_shows_the_problems_as_a_list_with_every_column_named(browser, app):
    page = open_page(browser, f"{app.url}/problems?campaign=amur-2022&mo=RU-AMU:белогорск:go", 390, 844)
    try:
        cell = page.locator("[data-testid='stTableStyledTable'] td[data-label='Как исправить']").first
        cell.wait_for()
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # on screen, not off to the right
        shown = page.evaluate("""() => [...document.querySelector("[data-testid='stTableStyledTable'] tbody tr").children]
            .map(cell => getComputedStyle(cell, "::before").content)""")  # what the phone shows before each cell
        assert shown == ['"Вид: "', '"Лист: "', '"Строка: "', '"Столбец: "', '"Что не так: "', '"Как исправить: "']
        assert page.locator("[data-testid='stTableStyledTable'] thead").first.is_hidden()
        assert "31.02.2022" in page.locator("[data-testid='stMainBlockContainer']").inner_text()
    finally:
        page.close()


def test_the_slide_says_what_it_shows_and_has_a_way_back(browser, app):
    page = open_page(browser, f"{app.url}/briefing?campaign=amur-2022", 390, 844)
    try:
        alt = page.locator("[data-testid='stImage'] img").get_attribute("alt")
        assert alt.startswith("Слайд «Акция #МояХартия — Амурская область» по состоянию на 22.02.2022.")
        assert "Присоединить к Хартии не менее 20 организаций: 54, выполнено." in alt
        assert "всего 54 (из них 1 без даты — не на графике)" in alt
        words = page.locator(".briefing-words")
        assert words.is_visible() and words.inner_text() == alt  # a phone shows the slide in words too
        back = page.get_by_role("link", name="← Сводка")
        assert back.is_visible()
        back.click()
        page.wait_for_url(re.compile(r"/\?campaign=amur-2022$"))
        wait_idle(page)
        page.get_by_role("heading", name="Акция #МояХартия — Амурская область").wait_for()
    finally:
        page.close()


def test_the_sign_in_providers_failure_is_said_in_russian(browser, tmp_path):
    """Streamlit answers «Authentication error» in English when the OIDC provider cannot be
    reached; the deployment's server (serve.py) says it in Russian with a way back."""
    nowhere = free_port()  # nothing listens there
    auth = {"redirect_uri": "http://localhost:{port}/oauth2callback", "cookie_secret": "cookie-secret-for-tests-0123456789",
            "client_id": "dashboard", "client_secret": "secret",
            "server_metadata_url": f"http://127.0.0.1:{nowhere}/.well-known/openid-configuration"}
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("[auth]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in auth.items()),
                       encoding="utf-8")
    server = App("light", env={"STREAMLIT_SECRETS_FILES": str(secrets)}, script="serve.py")
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = bounded(context.new_page())
        Runs(page)
        page.goto(f"{server.url}/?campaign=amur-2022")
        wait_idle(page)
        page.get_by_role("button", name="Войти").click()
        page.get_by_role("heading", name="Вход не удался").wait_for()
        assert page.evaluate("() => document.documentElement.lang") == "ru"
        assert "Authentication error" not in page.content()
        page.get_by_role("link", name="Вернуться к панели").click()
        wait_idle(page)
    finally:
        context.close()
        server.stop()
