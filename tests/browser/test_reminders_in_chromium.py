"""The reminders' sending for real: the app with a passcode for the administrator, coordinators'
addresses and a local SMTP server that holds the second letter; in Chromium the administrator
presses «Отправить», the page shows the sending's progress and stays usable, and once the server
answers it says what went."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from campaign.access import hash_passcode
from tests.browser.conftest import App, open_page, screenshot, wait_idle
from tests.browser.test_accessibility import axe_findings
from tests.smtp_standin import SmtpStandIn

pytestmark = pytest.mark.browser

PASSCODE = "код-администратора"
PROGRESS = "Идёт рассылка: отправлено 1 из 2 писем. Страницу можно закрыть — письма уйдут и без неё."


@pytest.fixture(scope="module")
def mail_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reminders")
    with SmtpStandIn() as server:
        server.held.add("raichikhinsk@example.ru")  # the second letter waits for the server
        secrets = folder / "secrets.toml"
        secrets.write_text("\n".join([
            "[campaign]", 'id = "amur-2022"',
            "", "[access.passcodes]", f'admin = "{hash_passcode(PASSCODE, iterations=1_000)}"',
            "", "[access.emails]", '"zeya@example.ru" = "coordinator:RU-AMU:зейский:mr"',
            '"raichikhinsk@example.ru" = "coordinator:RU-AMU:райчихинск:go"',
            "", "[smtp]", 'host = "127.0.0.1"', f"port = {server.port}", 'security = "none"',
            'from = "dashboard@obr.example.ru"',
            "", "[app]", 'url = "https://dash.example.ru"']) + "\n", encoding="utf-8")
        app = App("light", env={"STREAMLIT_SECRETS_FILES": str(secrets), "CAMPAIGN_CACHE_DIR": str(folder / "кэш")})
        try:
            yield app, server
        finally:
            server.release.set()
            app.stop()


def test_the_sending_shows_its_progress_and_the_page_stays_usable(browser, mail_app):
    app, server = mail_app
    page = open_page(browser, f"{app.url}/reports", 1366, 768)
    try:
        sidebar = page.locator("[data-testid='stSidebar']")
        sidebar.locator("input[type=password]").fill(PASSCODE, timeout=90000)
        page.get_by_role("button", name="Войти").click(timeout=90000)
        expect(sidebar).to_contain_text("администратор (код доступа)", timeout=90000)
        wait_idle(page)
        main = page.locator("[data-testid='stMainBlockContainer']")
        main.get_by_role("button", name="Отправить 2 письма").click(timeout=90000)
        expect(main).to_contain_text(PROGRESS, timeout=90000)
        expect(main.get_by_role("button", name="Отправить 2 письма")).to_have_count(0)  # no second sending
        main.get_by_text(PROGRESS).scroll_into_view_if_needed()
        screenshot(page, "reminders-progress-1366")
        assert axe_findings(page) == []
        for width, height in [(1920, 1080), (390, 844)]:  # a wide screen, a phone
            page.set_viewport_size({"width": width, "height": height})
            expect(main).to_contain_text(PROGRESS, timeout=90000)
            main.get_by_text(PROGRESS).scroll_into_view_if_needed()
            screenshot(page, f"reminders-progress-{width}")
        assert axe_findings(page) == []
        page.set_viewport_size({"width": 1366, "height": 768})
        server.release.set()
        expect(main).to_contain_text("Отправлено: 2 письма.", timeout=90000)  # the page ran again by itself
        expect(main.get_by_role("button", name="Отправлять нечего")).to_be_visible()
        main.get_by_text("Отправлено: 2 письма.").scroll_into_view_if_needed()
        screenshot(page, "reminders-sent-1366")
    finally:
        page.close()
