"""The upload for real: the app started with a campaign whose data is uploaded (source = "upload")
and a passcode for the administrator in a secrets.toml of its own; in Chromium the administrator
signs in, drops the demo workbook on «Загрузить таблицу», and every figure appears."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from campaign.access import hash_passcode
from tests.browser.conftest import App, open_page, screenshot, wait_idle
from tests.demo_figures import AMUR_JOINED, AMUR_XLSX

pytestmark = pytest.mark.browser

PASSCODE = "код-администратора"


@pytest.fixture(scope="module")
def upload_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("upload")
    secrets = folder / "secrets.toml"
    secrets.write_text("\n".join([
        "[campaign]", 'id = "amur-2022"', 'source = "upload"', 'as_of = "2022-02-22"',
        "", "[access.passcodes]",
        f'admin = "{hash_passcode(PASSCODE, iterations=1_000)}"']) + "\n", encoding="utf-8")
    server = App("light", env={"STREAMLIT_SECRETS_FILES": str(secrets), "CAMPAIGN_CACHE_DIR": str(folder / "кэш")})
    yield server
    server.stop()


def test_an_administrator_drops_a_workbook_and_the_dashboard_shows_it(browser, upload_app):
    page = open_page(browser, upload_app.url)
    try:
        main = page.locator("[data-testid='stMainBlockContainer']")
        expect(main).to_contain_text("Данные ещё не загружены: их загружает администратор.", timeout=90000)
        sidebar = page.locator("[data-testid='stSidebar']")
        expect(sidebar).not_to_contain_text("Загрузить таблицу")  # a viewer has no upload

        sidebar.locator("input[type=password]").fill(PASSCODE, timeout=90000)
        page.get_by_role("button", name="Войти").click(timeout=90000)
        expect(sidebar).to_contain_text("Загрузить таблицу", timeout=90000)
        wait_idle(page)
        expect(main).to_contain_text("Данные кампании ещё не загружены: администратор загружает таблицу")
        screenshot(page, "upload-waiting")
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(AMUR_XLSX), timeout=90000)

        expect(sidebar).to_contain_text("Таблица «amur-2022.xlsx» загружена", timeout=90000)
        expect(main).to_contain_text(f"Присоединились: {AMUR_JOINED} организации", timeout=90000)
        wait_idle(page)
        expect(sidebar).to_contain_text("Источник: загруженный файл «amur-2022.xlsx»")
        expect(sidebar).to_contain_text("администратор (код доступа)")
        screenshot(page, "upload-done")
    finally:
        page.close()
