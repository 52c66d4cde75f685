"""Every page of the real app in headless Chromium, on the demo data, with screenshots."""

from __future__ import annotations

import io
import time

import pytest
from PIL import Image

from components import page_list
from tests.browser.conftest import (
    REPO,
    RUNS,
    STEP_LIMIT_MS,
    App,
    bounded,
    drawn_map,
    open_page,
    screenshot,
    still_screenshot,
    wait_idle,
)
from tests.demo_figures import AMUR_EVENTS, AMUR_JOINED, AMUR_MUNICIPALITIES, AMUR_SILENT, INTERVIEW

pytestmark = pytest.mark.browser

PAGES = {entry.name: entry.url_path for entry in page_list.PAGES if entry.name != "briefing"}
SIZES = [(1920, 1080), (1366, 768)]
TITLES = {entry.name: entry.title for entry in page_list.PAGES}


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
        assert page.title() == (f"{TITLES[name]} — Амурская область" if name != "regions"
                                else "Регионы — Акция #МояХартия")  # the browser tab names the page
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

        assert card_value("Присоединить к Хартии не менее 10 организаций") == str(AMUR_JOINED)
        assert card_value("Не менее 10 интервью / выступлений на радио или ТВ") == str(AMUR_EVENTS[INTERVIEW])
        body = page.locator("[data-testid='stMainBlockContainer']").inner_text()
        assert "ещё 2 интервью / выступления" in body
        assert "по состоянию на 22.02.2022" in body
        assert f"Нет ни одной строки в таблице ({len(AMUR_SILENT)} из {AMUR_MUNICIPALITIES})" in body
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


CLICK_LIMIT_S = 240  # for the clicks on a municipality until one of them selects it


def click_until_card(page, x: float, y: float, heading: str) -> None:
    """Click at (x, y) until the card with `heading` shows. Before each click the mouse rests
    there until the map's tooltip names `heading`: the map picks what is under the mouse (its
    picking shaders compiled, which software WebGL on a loaded machine takes long to do), and it
    is the right thing. A click is repeated only when it started no run (a second click on a slow
    machine would deselect what the first one selected), until `CLICK_LIMIT_S`: deck.gl takes a
    press and release for a click only when it handles both within 250 ms by `Date.now()` (not by
    the events' own time stamps), and the map picks again on the press — with software WebGL on a
    machine whose cores are all busy that pick alone can take longer, so a click is made again
    until one falls in a calmer moment."""
    runs = RUNS[page]
    started, finished = runs.started, runs.finished
    deadline = time.monotonic() + CLICK_LIMIT_S
    clicks = 0
    while runs.started == started:
        assert time.monotonic() < deadline, (f"{clicks} clicks on «{heading}» in {CLICK_LIMIT_S} s, "
                                             "none of them started a run")
        page.mouse.move(1, 1)
        page.mouse.move(x, y)
        page.wait_for_function(
            "(h) => [...document.querySelectorAll('.deck-tooltip')].some(e => getComputedStyle(e).display !== 'none'"
            " && e.innerText.trim().split('\\n')[0] === h)", arg=heading, timeout=STEP_LIMIT_MS)
        page.mouse.click(x, y)
        clicks += 1
        runs.wait(lambda: runs.started > started, 15)
    assert runs.wait(lambda: runs.finished > finished, STEP_LIMIT_MS / 1000), "the click's run did not finish"
    wait_idle(page)  # and is drawn
    page.wait_for_function("(h) => [...document.querySelectorAll('h4')].some(e => e.innerText.trim() === h)",
                           arg=heading)


def test_clicking_a_municipality_on_the_map_shows_its_numbers(browser, app):
    page = open_page(browser, app.url)
    try:
        chart = drawn_map(page)
        box = chart.bounding_box()
        x, y = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5
        page.mouse.move(x, y)  # what is in the middle depends on where the labels went: the tooltip says
        tooltip = page.locator(".deck-tooltip").filter(has_text="Проблем в таблице")
        name, *lines = tooltip.inner_text().strip().split("\n")
        assert name.endswith("район") or name.startswith("г. "), name
        click_until_card(page, x, y, name)
        body = page.locator("[data-testid='stMainBlockContainer']").inner_text()
        problems = next(line for line in lines if line.startswith("Проблем в таблице: ")).split(": ")[1]
        assert ("Проблемы в таблице: нет" in body) == (problems == "0")
        assert "Строки муниципалитета в таблице" in body and "Проблемы муниципалитета" in body
        card_box = page.locator("h4", has_text=name).bounding_box()
        map_box = drawn_map(page).bounding_box()
        assert card_box["x"] >= map_box["x"] + map_box["width"] - 1  # beside the map, not below it
        assert card_box["y"] < map_box["y"] + map_box["height"]
        screenshot(page, "summary-map-clicked")
    finally:
        page.close()


def drawn_width(page) -> int:
    """The width the summary's map was drawn for: its column's, as the browser measured it."""
    return int(page.locator("[class*='summary_map_column_width'] [data-measured]").get_attribute("data-drawn-for"))


def screen_point(chart_box: dict, lon: float, lat: float, width: int) -> tuple[float, float]:
    """Where a lon/lat is drawn on the summary's map (its view as components/map.py sets it)."""
    import math

    from campaign.map_view import mercator, region_extent
    from components.map import box_view

    view = box_view(*region_extent("RU-AMU"), width=width, height=round(chart_box["height"]))
    scale = 512 * 2 ** view.zoom / (2 * math.pi)
    (x, y), (cx, cy) = mercator(lon, lat), mercator(view.longitude, view.latitude)
    return (chart_box["x"] + chart_box["width"] / 2 + (x - cx) * scale,
            chart_box["y"] + chart_box["height"] / 2 - (y - cy) * scale)


def test_clicking_a_town_s_label_opens_the_town_and_keeps_every_colour(browser, app, demo_report):
    from campaign.map_view import map_measures, page_labels
    from components.map import page_frame

    report = demo_report("amur-2022")
    page = open_page(browser, app.url)
    try:
        chart = drawn_map(page)
        box, width = chart.bounding_box(), drawn_width(page)
        [tynda] = [label for label in page_labels(report, map_measures(report)[0], page_frame(width, round(box["height"])))
                   if label.uid == "RU-AMU:тында:go"]
        assert tynda.marker  # the town inside its grey district: a dot in its own colour, the text beside it
        before = still_screenshot(chart)
        x, y = screen_point(box, tynda.lon, tynda.lat, width)
        click_until_card(page, x, y, "г. Тында")
        after = still_screenshot(drawn_map(page))
        # no polygon faded: the map's main colours are the same before and after the click
        def main_colours(png: bytes) -> set:
            image = Image.open(io.BytesIO(png)).convert("RGB")
            counts = sorted(image.getcolors(maxcolors=1 << 22), reverse=True)
            return {colour for count, colour in counts[:8] if count > 300 and colour != (255, 255, 255)}

        old, new = main_colours(before), main_colours(after)
        assert len(old) >= 3 and old == new, (old, new)
    finally:
        page.close()


def painted_box(png: bytes) -> tuple[int, int, int, int, int, int]:
    """(left, top, right, bottom, width, height): what is drawn on a map's screenshot — whatever
    differs from the page's background in its corner."""
    from PIL import ImageChops

    image = Image.open(io.BytesIO(png)).convert("RGB")
    background = Image.new("RGB", image.size, image.getpixel((0, 0)))
    left, top, right, bottom = ImageChops.difference(image, background).point(lambda v: 255 if v > 24 else 0).getbbox()
    return left, top, right, bottom, *image.size


@pytest.mark.parametrize("width,height", [(1920, 1080), (1366, 768), (390, 844)])
@pytest.mark.parametrize("path", ["", "regions?campaign=moyakhartiya-2022-rf"])
def test_the_region_fills_its_map_whole_at_every_width(browser, app, path, width, height):
    """Fitted into the width of its column as the browser measured it: the whole region (or
    Russia) inside the frame with a margin, and across most of it (it was 45 % of a wide screen's
    frame, and cut on a phone)."""
    page = open_page(browser, f"{app.url}/{path}", width, height)
    try:
        left, top, right, bottom, frame_w, frame_h = painted_box(still_screenshot(drawn_map(page)))
        # nothing reaches the frame's edge (a label may come close to it: a cut one would touch it)
        assert left > 0 and top > 0 and right < frame_w and bottom < frame_h, (left, top, right, bottom, frame_w, frame_h)
        across, down = (right - left) / frame_w, (bottom - top) / frame_h
        assert max(across, down) > 0.85 and min(across, down) > 0.5, (across, down)
        screenshot(page, f"{path.partition('?')[0] or 'summary'}-map-{width}")
    finally:
        page.close()


def test_the_mouse_wheel_over_the_map_scrolls_the_page(browser, app):
    page = open_page(browser, app.url, 1366, 768)
    try:
        chart = drawn_map(page)
        page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollBy(0, -200)")
        box = chart.bounding_box()
        main = "() => document.querySelector('[data-testid=stMain]').scrollTop"
        before = page.evaluate(main)
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.wheel(0, 300)
        page.wait_for_function(f"() => document.querySelector('[data-testid=stMain]').scrollTop > {before}",
                               timeout=10000)
    finally:
        page.close()


def test_the_problems_page_remembers_the_municipality_in_the_url(browser, app):
    page = open_page(browser, f"{app.url}/problems?mo=RU-AMU:белогорск:go")
    try:
        body = page.locator("[data-testid='stMainBlockContainer']").inner_text()
        assert "г. Белогорск — 3 ошибки" in body
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
        assert "г. Белогорск — 3 ошибки" in body
        assert "Обновить" in page.locator("[data-testid='stSidebar']").inner_text()
        page.close()
    finally:
        fresh.stop()


@pytest.mark.parametrize("url", ["briefing", "?briefing=1", "events?briefing=1"])
def test_the_briefing_is_one_16_9_screen_without_sidebar_or_scrollbars(browser, app, url):
    page = open_page(browser, f"{app.url}/{url}")
    try:
        assert page.locator("[data-testid='stException']").count() == 0
        assert not page.locator("[data-testid='stSidebar']").is_visible()
        sizes = page.evaluate("() => [document.querySelector('[data-testid=stMain]').scrollHeight,"
                              " window.innerHeight, document.documentElement.scrollWidth, window.innerWidth]")
        assert sizes[0] <= sizes[1] and sizes[2] <= sizes[3], sizes
        assert page.title() == "Брифинг — Амурская область"
        if url == "briefing":
            screenshot(page, "briefing-1920x1080")
    finally:
        page.close()


def slide_pixels(image: Image.Image):
    import numpy as np

    return np.asarray(image.convert("RGB").resize((480, 270), Image.Resampling.BOX), dtype=float)


def test_the_browser_slide_is_the_png_download(browser, app, demo_report):
    """The same picture: the page shows the slide that «Скачать PNG» gives, at full size."""
    from campaign.briefing import briefing_png

    page = open_page(browser, f"{app.url}/briefing")
    try:
        import numpy as np

        image = page.locator("[data-testid='stImage'] img")
        box = image.bounding_box()
        assert (round(box["width"]), round(box["height"])) == (1920, 1080)
        # the picture sent is the slide's own size, not a smaller copy the browser blows up (softer)
        assert image.evaluate("i => [i.naturalWidth, i.naturalHeight]") == [1920, 1080]
        shown = Image.open(io.BytesIO(page.screenshot()))
        png = Image.open(io.BytesIO(briefing_png(demo_report("amur-2022"))))
        difference = abs(slide_pixels(shown) - slide_pixels(png)).mean()
        assert difference < 3, difference  # only the fewer colours of the picture on screen
        # pixel for pixel too: a resampled copy differs at every edge of every letter
        full = np.abs(np.asarray(shown.convert("RGB"), dtype=float) - np.asarray(png.convert("RGB"), dtype=float))
        assert full.mean() < 3, full.mean()
    finally:
        page.close()


@pytest.mark.parametrize("width,height", [(1366, 768), (1280, 1024), (1024, 768)])
def test_the_browser_slide_scales_to_a_smaller_window_whole(browser, app, width, height):
    page = open_page(browser, f"{app.url}/briefing", width, height)
    try:
        box = page.locator("[data-testid='stImage'] img").bounding_box()
        assert box["x"] >= 0 and box["y"] >= 0
        assert box["x"] + box["width"] <= width + 1 and box["y"] + box["height"] <= height + 1
        assert abs(box["width"] / box["height"] - 16 / 9) < 0.01
        assert box["width"] >= width - 2 or box["height"] >= height - 2  # as large as the window allows
        screenshot(page, f"briefing-{width}x{height}")
    finally:
        page.close()


@pytest.mark.parametrize("label, check", [
    ("Скачать PNG", lambda data: Image.open(io.BytesIO(data)).size == (1920, 1080)),
    ("Скачать DOCX", lambda data: data[:2] == b"PK" and b"word/document.xml" in data),
])
def test_a_download_on_the_reports_page_gives_the_file(browser, app, tmp_path, label, check):
    page = bounded(browser.new_page(viewport={"width": 1920, "height": 1080}, accept_downloads=True))
    try:
        page.goto(f"{app.url}/reports")
        wait_idle(page)
        with page.expect_download(timeout=60000) as download:
            page.get_by_role("button", name=label).click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        assert check(path.read_bytes())
        assert path.name.startswith(("брифинг-Амурская-область-2022-02-22", "итоги-акции-Амурская-область-2022-02-22"))
    finally:
        page.close()


@pytest.mark.parametrize("name", ["summary", "regions", "problems", "briefing"])
def test_a_page_asks_nothing_from_outside_this_server(browser, app, name):
    """Offline for real: no page icon from fonts.gstatic.com, no map style from basemaps.cartocdn.com."""
    page = bounded(browser.new_page(viewport={"width": 1920, "height": 1080}))
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith((app.url, "data:", "blob:", "ws://127.0.0.1")) else None)
    try:
        page.goto(f"{app.url}/{PAGES.get(name, name)}")
        wait_idle(page)
        if name in ("summary", "regions"):
            drawn_map(page)
        assert outside == []
    finally:
        page.close()


def test_sheet_text_in_problem_messages_is_never_a_link_nor_reversed(browser, tmp_path):
    """Messages quote cells; Markdown would link «http://…» and «www.…» by itself, and a
    direction override would show «evil» as «live»."""
    from tests.unit.conftest import EVENT_HEADER, ORG_HEADER, SheetBuilder

    builder = SheetBuilder()
    folder = tmp_path / "csv"
    folder.mkdir()
    names = ["http://evil.example", "www.evil.example", "почта admin@evil.example", "\u202eевил"]
    rows = [builder.org(municipality=name, name=f"Школа {i}") for i, name in enumerate(names)]
    (folder / "Организации.csv").write_text("\n".join(";".join(r) for r in [ORG_HEADER, *rows]) + "\n",
                                            encoding="utf-8")
    (folder / "Мероприятия.csv").write_text(";".join(EVENT_HEADER) + "\n" + ";".join(builder.event()) + "\n",
                                            encoding="utf-8")
    app = App("light", env={"CAMPAIGN_ID": "amur-2022", "CAMPAIGN_SOURCE": str(folder),
                            "CAMPAIGN_AS_OF": "2022-02-20", "CAMPAIGN_CACHE_DIR": str(tmp_path / "cache")})
    try:
        page = open_page(browser, f"{app.url}/problems?mo=unresolved")
        body = page.locator("[data-testid='stMainBlockContainer']")
        text = body.inner_text()
        shown = text.replace("\u2060", "")  # an invisible word joiner keeps them from being links
        assert "http://evil.example" in shown and "www.evil.example" in shown and "admin@evil.example" in shown
        links = body.locator("a").evaluate_all("(nodes) => nodes.map(a => a.href)")
        assert not [href for href in links if "evil" in href and not href.startswith(app.url)], links
        assert "\u202e" not in text
        page.close()
    finally:
        app.stop()


def test_the_stale_data_banner_is_whole_under_the_title_and_its_line(browser, tmp_path):
    """The sheet can no longer be read: the banner says so under the header's line (it was drawn
    first, its top cut under Streamlit's header)."""
    import shutil

    source = tmp_path / "amur.xlsx"
    shutil.copy(REPO / "data" / "demo" / "amur-2022.xlsx", source)
    app = App("light", env={"CAMPAIGN_ID": "amur-2022", "CAMPAIGN_SOURCE": str(source), "CAMPAIGN_SOURCE_KIND": "file",
                            "CAMPAIGN_AS_OF": "2022-02-22", "CAMPAIGN_TTL_SECONDS": "5",
                            "CAMPAIGN_CACHE_DIR": str(tmp_path / "cache")})
    try:
        page = open_page(browser, app.url, 1366, 768)
        source.unlink()  # the open page learns of the failed read by itself (components/live.py)
        banner = page.locator("[data-testid='stAlert']", has_text="Не удалось обновить данные")
        banner.wait_for(timeout=STEP_LIMIT_MS)
        wait_idle(page)
        header = page.locator("[data-testid='stHeader']").bounding_box()
        title = page.locator("h1").first.bounding_box()
        line = page.locator("[data-testid='stCaptionContainer']", has_text="таблица прочитана").first.bounding_box()
        box = banner.bounding_box()
        assert box["y"] >= header["y"] + header["height"]  # not under Streamlit's header
        assert title["y"] < line["y"] < box["y"]  # title, when the sheet was read, then what went wrong
        assert "Показаны данные на" in banner.inner_text()
        screenshot(page, "stale-banner-1366")
        page.close()
    finally:
        app.stop()
