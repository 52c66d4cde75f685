"""The deployment of README «Deployment», started for real: PostgreSQL (Debian's), nginx (Debian's)
with `deploy/nginx/dashboard.conf.template` and TLS, two app servers (`streamlit run serve.py`) and
the Sheets stand-in; Chromium through nginx.

- the sheet is read once per TTL for both servers (one reader);
- a browser through nginx sees the figures, and a page on each server shows a change of the sheet
  by itself;
- killing the server a page is on moves the page to the other, with the same data;
- the other server takes over as the reader within the stated bound, and a later change of the
  sheet still reaches the open pages."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

import pytest

from history.shared import TAKEOVER_BOUND_SECONDS
from tests.browser.conftest import START_LIMIT_S, App, Runs, bounded, screenshot, wait_idle
from tests.demo_figures import AMUR_JOINED
from tests.integration.test_pipeline_end_to_end import amur_cells_as_typed
from tests.integration.test_shared_reads import TITLE, one_more_school
from tests.nginx import NGINX, Nginx
from tests.postgres import PostgresServer, binaries
from tests.sheets_standin import SheetsStandIn

pytestmark = pytest.mark.browser

KEY = "1Deployment_0123456789abcdefghijklmnopqrstu"
TTL = 15
UPDATE_LIMIT_S = 150  # a bound, not a wait: a TTL, a read, the reader's round, a page's fragment round
SERVER_HEADER = "x-dashboard-server"


def answered_by(response) -> str:
    """The app server that answered through nginx (the last it tried: «dead, alive» lists both)."""
    return (response.headers.get(SERVER_HEADER) or "").split(", ")[-1]


def health(app: App) -> dict:
    try:
        with urllib.request.urlopen(f"{app.url}/health", timeout=10) as reply:
            return json.loads(reply.read())
    except OSError:
        return {}


def wait_until(condition, timeout: float, what: str) -> float:
    """Until `condition()` is true; returns how long it took (a state, not a time: the bound only
    fails a run that stopped)."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.2)
    return time.monotonic() - started


def shows(page, text: str, timeout_s: float = UPDATE_LIMIT_S) -> None:
    page.wait_for_function(
        "(text) => { const main = document.querySelector('[data-testid=stMainBlockContainer]');"
        " return main !== null && main.innerText.includes(text); }", arg=text, timeout=timeout_s * 1000)


def exports(standin) -> int:
    return sum(1 for _, path in standin.requests if "/export" in path)


def test_two_servers_behind_nginx_share_one_reader_and_keep_every_page_up_to_date(browser, tmp_path, certificate):
    if binaries() is None or not Path(NGINX).exists():
        pytest.skip("PostgreSQL and nginx are needed (apt-get install postgresql nginx-light; .ci/run does)")
    cells = amur_cells_as_typed()
    servers: list[App] = []
    nginx = None
    contexts = []
    with PostgresServer() as postgres, SheetsStandIn() as standin:
        standin.add_spreadsheet(KEY, TITLE, cells)
        env = {"CAMPAIGN_ID": "amur-2022", "CAMPAIGN_SOURCE": f"{standin.base_url}/spreadsheets/d/{KEY}/edit",
               "CAMPAIGN_SOURCE_KIND": "link", "CAMPAIGN_AS_OF": "2022-02-22", "CAMPAIGN_TTL_SECONDS": str(TTL),
               "CAMPAIGN_HISTORY_URL": postgres.url,
               "STREAMLIT_SERVER_COOKIE_SECRET": "one-secret-for-every-server-of-the-deployment"}
        try:
            servers = [App("light", env=env | {"CAMPAIGN_CACHE_DIR": str(tmp_path / f"cache-{n}")},
                           script="serve.py") for n in (1, 2)]
            nginx = Nginx(tmp_path, [app.port for app in servers], *certificate)
            by_address = {f"127.0.0.1:{app.port}": app for app in servers}

            # one server is the reader, and the sheet is read
            wait_until(lambda: exports(standin) >= 1 and all(health(app).get("fresh") for app in servers),
                       START_LIMIT_S, "the first read, fresh on both servers")
            first_read = time.monotonic()
            readers = [app for app in servers if health(app).get("reader")]
            assert len(readers) == 1
            reader = readers[0]

            # a browser through nginx: pages until there is one on each server
            pages = {}
            for _ in range(16):
                context = browser.new_context(viewport={"width": 1366, "height": 768}, ignore_https_errors=True)
                contexts.append(context)
                page = bounded(context.new_page())
                Runs(page)
                response = page.goto(nginx.url)
                address = answered_by(response)
                assert address in by_address, response.headers
                wait_idle(page)
                again = page.goto(nginx.url)  # the cookie keeps the browser on its server
                assert answered_by(again) == address
                wait_idle(page)
                pages.setdefault(by_address[address].port, page)
                if len(pages) == 2:
                    break
            assert len(pages) == 2, "16 browsers, all sent to one server"
            for page in pages.values():
                shows(page, f"Присоединились: {AMUR_JOINED} организации")
                assert page.locator("[data-testid='stException']").count() == 0
            screenshot(pages[reader.port], "deployment-through-nginx")

            # a change of the sheet reaches the open pages of both servers by itself
            standin.add_spreadsheet(KEY, TITLE, one_more_school(cells))
            for page in pages.values():
                shows(page, f"Присоединились: {AMUR_JOINED + 1} организаций")

            # the reader's process dies (killed: nothing let go cleanly): its page moves to the other
            # server with the same data, which becomes the reader
            other = next(app for app in servers if app is not reader)
            stopped = time.monotonic()
            reader.process.kill()
            reader.process.wait()
            moved = pages[reader.port]
            shows(moved, f"Присоединились: {AMUR_JOINED + 1} организаций")
            took = wait_until(lambda: health(other).get("reader"), TAKEOVER_BOUND_SECONDS + 30,
                              "the other server takes over as the reader")
            assert time.monotonic() - stopped <= TAKEOVER_BOUND_SECONDS + 30, took
            standin.add_spreadsheet(KEY, TITLE, one_more_school(one_more_school(cells), "МАОУ Лицей № 998"))
            for page in pages.values():
                shows(page, f"Присоединились: {AMUR_JOINED + 2} организаций")
                assert page.locator("[data-testid='stException']").count() == 0
            response = moved.goto(nginx.url)
            assert answered_by(response) == f"127.0.0.1:{other.port}"  # (after trying the stopped one)
            wait_idle(moved)
            shows(moved, f"Присоединились: {AMUR_JOINED + 2} организаций")

            # one read per TTL for both servers, all along (reads are at least a TTL apart)
            elapsed = time.monotonic() - first_read
            assert exports(standin) <= elapsed / TTL + 2, (exports(standin), elapsed)
            print(f"\n[deployment] {exports(standin)} reads in {elapsed:.0f} s with TTL {TTL} s; "
                  f"takeover in {took:.1f} s after the reader stopped")
        finally:
            for context in contexts:
                context.close()
            if nginx is not None:
                nginx.stop()
            for app in servers:
                app.stop()


def test_a_passcode_sign_in_holds_across_reloads_and_servers_and_wrong_codes_count_on_all(
        browser, tmp_path, certificate):
    """Passcodes through nginx on two servers: the sign-in is a cookie every server honours (a
    reload and the death of its server keep it); wrong codes are counted per address (nginx's
    X-Forwarded-For) in PostgreSQL, whichever server they reach."""
    import urllib.error
    import urllib.parse

    from campaign.access import hash_passcode
    from history.sign_ins import SignInFailures
    from history.store import HistoryStore

    if binaries() is None or not Path(NGINX).exists():
        pytest.skip("PostgreSQL and nginx are needed (apt-get install postgresql nginx-light; .ci/run does)")
    code = "Верный-код-2022"
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[campaign]\nid = "amur-2022"\n\n[access.passcodes]\n'
                       f'admin = "{hash_passcode(code, iterations=1_000)}"\n', encoding="utf-8")
    servers, nginx, context = [], None, None
    with PostgresServer() as postgres:
        env = {"STREAMLIT_SECRETS_FILES": str(secrets), "CAMPAIGN_HISTORY_URL": postgres.url,
               "CAMPAIGN_BEHIND_PROXY": "1", "STREAMLIT_SERVER_COOKIE_SECRET": "one-secret-for-every-server"}
        try:
            servers = [App("light", env=env | {"CAMPAIGN_CACHE_DIR": str(tmp_path / f"c{n}")}, script="serve.py")
                       for n in (1, 2)]
            nginx = Nginx(tmp_path, [app.port for app in servers], *certificate)
            import ssl

            unverified = ssl._create_unverified_context()  # the test CA's certificate, on loopback

            # wrong codes from one address, without cookies: nginx spreads them over both servers
            class NoRedirect(urllib.request.HTTPRedirectHandler):
                def redirect_request(self, *args, **kwargs):
                    return None

            opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=unverified), NoRedirect)
            answered, said = set(), []
            for _ in range(3):
                form = urllib.parse.urlencode({"passcode": "неверный код", "next": "/municipalities"}).encode()
                request = urllib.request.Request(f"{nginx.url}/sign-in", data=form, method="POST",
                                                 headers={"Origin": nginx.url})
                try:
                    opener.open(request, timeout=60)
                except urllib.error.HTTPError as reply:  # the 303 back to the page
                    answered.add(reply.headers[SERVER_HEADER].split(", ")[-1])
                    said.append(reply.headers["Location"])
            assert said == ["/municipalities?sign_in=failed"] * 3
            failures = SignInFailures(HistoryStore(postgres.url))
            assert len(failures.since("address:127.0.0.1", 0)) == 3  # all three, whichever server took them
            # another site's form is refused
            foreign = urllib.request.Request(f"{nginx.url}/sign-in", data=b"passcode=x", method="POST",
                                             headers={"Origin": "https://evil.example"})
            with pytest.raises(urllib.error.HTTPError) as refused:
                opener.open(foreign, timeout=60)
            assert refused.value.code == 403
            failures.clear("address:127.0.0.1")

            context = browser.new_context(viewport={"width": 1366, "height": 768}, ignore_https_errors=True)
            page = bounded(context.new_page())
            Runs(page)
            response = page.goto(f"{nginx.url}/municipalities")
            wait_idle(page)
            on = next(app for app in servers if answered_by(response) == f"127.0.0.1:{app.port}")
            sidebar = page.locator("[data-testid='stSidebar']")
            sidebar.get_by_label("Код доступа").fill(code)
            sidebar.get_by_role("button", name="Войти").click()
            page.wait_for_url("**/municipalities", timeout=60_000)
            wait_idle(page)
            assert "Роль: администратор (код доступа)" in sidebar.inner_text()
            cookie = next(c for c in context.cookies() if c["name"] == "dashboard_access")
            assert cookie["httpOnly"] and cookie["secure"] and code not in cookie["value"]

            page.reload()  # a reload keeps it
            wait_idle(page)
            assert "Роль: администратор (код доступа)" in sidebar.inner_text()
            on.process.kill()  # and so does the other server when this one dies
            on.process.wait()
            moved = page.reload()
            assert answered_by(moved) != f"127.0.0.1:{on.port}"
            wait_idle(page)
            assert "Роль: администратор (код доступа)" in sidebar.inner_text()
            screenshot(page, "deployment-signed-in-by-passcode")

            sidebar.get_by_role("button", name="Выйти").click()
            page.wait_for_function("() => document.querySelector('[data-testid=stSidebar]') && document.querySelector("
                                   "'[data-testid=stSidebar]').innerText.includes('Роль: наблюдатель')", timeout=60_000)
            assert not any(c["name"] == "dashboard_access" for c in context.cookies())
        finally:
            if context is not None:
                context.close()
            if nginx is not None:
                nginx.stop()
            for app in servers:
                app.stop()
