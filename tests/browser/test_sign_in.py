"""Sign-in with `st.login` (OIDC) for real: the app started with `[auth]` in its secrets, a local
OpenID Connect provider (tests/oidc_standin.py) on loopback, and headless Chromium clicking
«Войти». The role comes from the signed-in e-mail (`[access.emails]`), and what each role sees of
the demo's contact persons is checked in the page and in everything the browser received."""

from __future__ import annotations

import json

import openpyxl
import phonenumbers
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import REPO, App, Runs, bounded, free_port, wait_idle
from tests.oidc_standin import OidcStandIn

pytestmark = pytest.mark.browser

ADMIN = "deputy.minister@example.org"
COORDINATOR = "coordinator.belogorsk@example.org"  # г. Белогорск
NOBODY = "teacher@example.org"  # signs in, but has no role
EMAILS = {ADMIN: "admin", COORDINATOR: "coordinator:RU-AMU:белогорск:go"}
BLAGOVESHCHENSK = "RU-AMU:благовещенск:go"
BELOGORSK = "RU-AMU:белогорск:go"
# contact persons of the demo workbook (Организации, rows 3 and 6)
BLAGOVESHCHENSK_CONTACT, BLAGOVESHCHENSK_PHONE = "Андреева Надежда Анатольевна", "+7 909 118-81-71"
BELOGORSK_CONTACT, BELOGORSK_PHONE = "Мельникова Анна Александровна", "+7 914 442-81-31"
BLAGOVESHCHENSK_ORGANISATION = "МОБУ «СОШ № 5 г. Благовещенска»"  # not personal: always shown
HIDDEN = "скрыто"


def demo_personal_data() -> dict[str, list[str]]:
    """Every contact name and phone (as the app prints it and in E.164) of the demo workbook."""
    sheet = openpyxl.load_workbook(REPO / "data/demo/amur-2022.xlsx", read_only=True)["Организации"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    names = {str(r[header.index("ФИО контактного лица")]).strip() for r in rows[1:] if r[header.index("ФИО контактного лица")]}
    phones: set[str] = set()
    for row in rows[1:]:
        try:
            number = phonenumbers.parse(str(row[header.index("Телефон")] or ""), "RU")
        except phonenumbers.NumberParseException:
            continue
        phones.add(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))
        phones.add(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    return {"names": sorted(names), "phones": sorted(phones)}


@pytest.fixture(scope="module")
def standin():
    with OidcStandIn(client_id="hod-akcii-dashboard", client_secret="client-secret-for-tests") as provider:
        yield provider


@pytest.fixture(scope="module")
def signed_app(standin, tmp_path_factory):
    """The app with `[auth]` and roles by e-mail in a secrets.toml of its own (no other secrets)."""
    auth = {"redirect_uri": "http://localhost:{port}/oauth2callback",  # Streamlit fills in its port
            "cookie_secret": "cookie-secret-for-tests-only-0123456789",
            "client_id": standin.client_id, "client_secret": standin.client_secret,
            "server_metadata_url": standin.metadata_url}
    lines = ["[campaign]", 'id = "amur-2022"', "", "[auth]", *(f"{key} = {json.dumps(value)}" for key, value in auth.items()),
             "", "[access.emails]",
             *(f"{json.dumps(email)} = {json.dumps(role, ensure_ascii=False)}" for email, role in EMAILS.items())]
    secrets = tmp_path_factory.mktemp("oidc") / "secrets.toml"
    secrets.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # no file watcher: a source file edited meanwhile must not leave «source changed» on the page
    server = App("light", env={"STREAMLIT_SECRETS_FILES": str(secrets), "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"})
    server.url = f"http://localhost:{server.port}"  # the redirect_uri's host: the auth cookies are set for it
    yield server
    server.stop()


class Visit:
    """One user's browser (cookies of its own) and every websocket message it received."""

    def __init__(self, browser, app: App) -> None:
        self.app = app
        self.context = browser.new_context(viewport={"width": 1920, "height": 1080})
        self.page = bounded(self.context.new_page())
        self.runs = Runs(self.page)
        self.received: list[bytes] = []
        self.page.on("websocket", lambda ws: ws.on(
            "framereceived", lambda payload: self.received.append(payload if isinstance(payload, bytes) else payload.encode())))

    def open(self, path: str = "") -> None:
        self.page.goto(f"{self.app.url}/{path}")
        wait_idle(self.page)

    def sidebar(self) -> str:
        return self.page.locator("[data-testid='stSidebar']").inner_text()

    def sign_in(self) -> None:
        """«Войти» and back from the provider (to «Сводка»), until the sidebar is complete."""
        self.page.goto(f"{self.app.url}/municipalities")
        self.page.get_by_role("button", name="Войти").click()
        self.wait_for_sidebar("Выйти")

    def wait_for_sidebar(self, button: str) -> None:
        """Until the sidebar has its sign-in `button` and the run that drew it has finished and
        settled (a title seen earlier may be the previous run's, its sidebar not yet complete)."""
        self.page.get_by_role("button", name=button).wait_for(timeout=45000)
        wait_idle(self.page)

    def show_contacts(self) -> None:
        switch = self.page.locator("[data-testid='stSidebar'] label", has_text="Показать контакты")
        with self.runs.rerun():
            switch.click()
        expect(switch.locator("input")).to_be_checked()

    def organisations(self, showing: str) -> str:
        """The text of the organisations table as drawn (the grid's cells in view), once it shows
        `showing`: the grid redraws its cells after the run that sent it has finished."""
        return self.page.wait_for_function(
            """(showing) => [...document.querySelectorAll("[data-testid='stDataFrame']")]
                .map(e => e.textContent).find(t => t.includes("Наименование организации") && t.includes(showing))""",
            arg=showing, timeout=45000).json_value()

    def everything_received(self) -> str:
        """The page's HTML and every websocket message (the tables travel there as Arrow data)."""
        return self.page.content() + "\n" + b"".join(self.received).decode("utf-8", errors="replace")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, signed_app):
    opened = Visit(browser, signed_app)
    yield opened
    opened.close()


def test_an_admin_signs_in_through_the_provider_and_sees_the_contacts(visit, standin, signed_app):
    standin.sign_in_as(ADMIN, name="Петрова Ольга Игоревна")
    standin.clear_requests()
    visit.sign_in()

    sidebar = visit.sidebar()
    assert f"Роль: администратор ({ADMIN})" in sidebar
    assert "Показать контакты" in sidebar
    # the authorization code flow went through the provider, with state, nonce and PKCE
    authorize = next(r for r in standin.requests if r.path == "/authorize")
    assert authorize.query["redirect_uri"] == f"{signed_app.url}/oauth2callback"
    assert authorize.query["client_id"] == standin.client_id
    assert authorize.query["state"] and authorize.query["nonce"]
    assert authorize.query["code_challenge_method"] == "S256"
    token = next(r for r in standin.requests if r.path == "/token")
    assert token.method == "POST" and token.status == 200 and token.form["code_verifier"]
    assert "/jwks" in standin.paths()  # the id_token's signature was checked
    assert any(c["name"] == "_streamlit_user" and c["domain"] == "localhost" for c in visit.context.cookies())

    visit.open(f"municipalities?mo={BLAGOVESHCHENSK}")
    assert BLAGOVESHCHENSK_CONTACT not in visit.organisations(BLAGOVESHCHENSK_ORGANISATION)  # off until switched on
    visit.show_contacts()
    assert BLAGOVESHCHENSK_CONTACT in visit.organisations(BLAGOVESHCHENSK_CONTACT)
    assert BLAGOVESHCHENSK_PHONE in visit.everything_received()


def test_a_coordinator_sees_only_their_own_municipalitys_contacts(visit, standin):
    standin.sign_in_as(COORDINATOR, name="Сидоров Иван Петрович")
    visit.sign_in()
    assert f"Роль: координатор — г. Белогорск ({COORDINATOR})" in visit.sidebar()

    visit.open(f"municipalities?mo={BELOGORSK}")
    visit.show_contacts()
    assert BELOGORSK_CONTACT in visit.organisations(BELOGORSK_CONTACT)
    assert BELOGORSK_PHONE in visit.everything_received()

    visit.received.clear()
    visit.open(f"municipalities?mo={BLAGOVESHCHENSK}")
    visit.show_contacts()
    table = visit.organisations(BLAGOVESHCHENSK_ORGANISATION)
    assert BLAGOVESHCHENSK_ORGANISATION in table and HIDDEN in table
    assert BLAGOVESHCHENSK_CONTACT not in table
    received = visit.everything_received()
    assert BLAGOVESHCHENSK_ORGANISATION in received  # the table did arrive …
    assert BLAGOVESHCHENSK_CONTACT not in received and BLAGOVESHCHENSK_PHONE not in received  # … without them


def test_a_signed_in_email_without_a_role_stays_a_viewer(visit, standin):
    standin.sign_in_as(NOBODY, name="Учитель Школы")
    visit.sign_in()
    sidebar = visit.sidebar()
    assert "Роль: наблюдатель" in sidebar and "Выйти" in sidebar
    assert "Показать контакты" not in sidebar

    visit.open(f"municipalities?mo={BLAGOVESHCHENSK}")
    assert visit.page.get_by_text("Показать контакты").count() == 0
    table = visit.organisations(BLAGOVESHCHENSK_ORGANISATION)
    assert BLAGOVESHCHENSK_ORGANISATION in table and HIDDEN in table
    received = visit.everything_received()
    assert BLAGOVESHCHENSK_ORGANISATION in received
    personal = demo_personal_data()
    assert len(personal["names"]) > 50 and BLAGOVESHCHENSK_PHONE in personal["phones"]
    assert [n for n in personal["names"] if n in received] == []
    assert [p for p in personal["phones"] if p in received] == []


def test_an_admins_email_the_provider_has_not_verified_gives_no_role(visit, standin):
    standin.sign_in_as(ADMIN, name="Кто-то Другой", email_verified=False)
    visit.sign_in()
    sidebar = visit.sidebar()
    assert "Роль: наблюдатель" in sidebar and "Выйти" in sidebar
    assert "администратор" not in sidebar and "Показать контакты" not in sidebar


def test_signing_out_returns_to_a_viewer(visit, standin):
    standin.sign_in_as(ADMIN, name="Петрова Ольга Игоревна")
    visit.sign_in()
    visit.open(f"municipalities?mo={BLAGOVESHCHENSK}")
    visit.show_contacts()
    assert BLAGOVESHCHENSK_CONTACT in visit.organisations(BLAGOVESHCHENSK_CONTACT)
    standin.clear_requests()

    visit.page.get_by_role("button", name="Выйти").click()
    visit.wait_for_sidebar("Войти")
    sidebar = visit.sidebar()
    assert "Роль: наблюдатель" in sidebar and ADMIN not in sidebar
    assert "Показать контакты" not in sidebar
    assert not any(c["name"].startswith("_streamlit_user") for c in visit.context.cookies())
    logout = next(r for r in standin.requests if r.path == "/logout")  # the provider's session ends too
    assert logout.query["id_token_hint"] and logout.query["post_logout_redirect_uri"].endswith("/oauth2callback")

    visit.received.clear()
    visit.open(f"municipalities?mo={BLAGOVESHCHENSK}")
    assert HIDDEN in visit.organisations(HIDDEN)
    received = visit.everything_received()
    assert BLAGOVESHCHENSK_CONTACT not in received and BLAGOVESHCHENSK_PHONE not in received


def test_an_oidc_sign_in_holds_when_the_browser_moves_to_another_server(browser, standin, tmp_path, certificate):
    """Two servers of a deployment behind nginx with one secrets.toml: the user's cookie, signed with
    the shared `cookie_secret` for the address users open, is honoured by the other server when the
    one the browser signed in on dies."""
    from tests.browser.test_deployment import answered_by
    from tests.nginx import Nginx, installed

    if not installed():
        pytest.skip("nginx is needed (apt-get install nginx-light; .ci/run does)")
    port = free_port()
    auth = {"redirect_uri": f"https://localhost:{port}/oauth2callback",  # the address users open: nginx's
            "cookie_secret": "one-cookie-secret-for-every-server-0123456789",
            "client_id": standin.client_id, "client_secret": standin.client_secret,
            "server_metadata_url": standin.metadata_url}
    lines = ["[campaign]", 'id = "amur-2022"', "", "[auth]", *(f"{key} = {json.dumps(value)}" for key, value in auth.items()),
             "", "[access.emails]", f"{json.dumps(ADMIN)} = \"admin\""]
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {"STREAMLIT_SECRETS_FILES": str(secrets), "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
    servers, nginx = [App("light", env=env | {"CAMPAIGN_CACHE_DIR": str(tmp_path / f"c{n}")}, script="serve.py")
                      for n in (1, 2)], None
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, ignore_https_errors=True)
    try:
        nginx = Nginx(tmp_path, [app.port for app in servers], *certificate, port=port)
        standin.sign_in_as(ADMIN, name="Петрова Ольга Игоревна")
        standin.clear_requests()
        page = bounded(context.new_page())
        Runs(page)
        response = page.goto(f"{nginx.url}/municipalities")
        on = next(app for app in servers if answered_by(response) == f"127.0.0.1:{app.port}")
        wait_idle(page)
        page.get_by_role("button", name="Войти").click()
        page.get_by_role("button", name="Выйти").wait_for(timeout=45000)
        wait_idle(page)
        sidebar = page.locator("[data-testid='stSidebar']")
        assert f"Роль: администратор ({ADMIN})" in sidebar.inner_text()

        on.process.kill()  # the server the browser signed in on dies
        on.process.wait()
        reloaded = page.reload()  # (or the page's own reconnection): the other server, the same cookie
        assert answered_by(reloaded) == next(f"127.0.0.1:{app.port}" for app in servers if app is not on)
        wait_idle(page)
        page.get_by_role("button", name="Выйти").wait_for(timeout=45000)
        assert f"Роль: администратор ({ADMIN})" in sidebar.inner_text()
        assert sum(1 for r in standin.requests if r.path == "/authorize") == 1  # signed in once
    finally:
        context.close()
        if nginx is not None:
            nginx.stop()
        for app in servers:
            app.stop()
