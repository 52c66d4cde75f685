"""Sign-in for the pages: OIDC through st.login when [auth] is configured, otherwise a
passcode per role kept as a hash in [access.passcodes]; with neither, everyone is a viewer."""

from __future__ import annotations

import hashlib
import html
import logging
import os
import secrets as secrets_module
import time
from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit

import streamlit as st

from campaign import russian
from campaign.access import (
    ROLE_NAMES,
    VIEWER,
    Access,
    Throttle,
    access_for_email,
    access_from_ticket,
    access_ticket,
    email_roles,
    parse_role,
    passcode_role,
)
from campaign.workbook import SourceError
from components.secrets import app_secrets
from data_sources.config import behind_proxy, history_url_of
from history.shared import is_shared
from history.sign_ins import SignInFailures
from history.store import HistoryStore

SESSION_KEY = "access"
LOG = logging.getLogger("campaign.access")


def _oidc_configured(secrets: dict) -> bool:
    auth = secrets.get("auth") or {}
    return bool(auth.get("client_id") or any(isinstance(v, dict) and v.get("client_id") for v in auth.values()))


def current_access() -> Access:
    """The role of this session (a viewer unless signed in)."""
    secrets = app_secrets()
    if _oidc_configured(secrets):
        try:
            if st.user.is_logged_in:
                # a provider that leaves out email_verified is trusted; one that says false is not
                return access_for_email(st.user.get("email"), email_roles(secrets),
                                        verified=st.user.get("email_verified") is not False)
        except AttributeError:  # a Streamlit without st.user
            pass
        return Access()
    signed = access_from_ticket(st.context.cookies.get(ACCESS_COOKIE), passcodes_of(secrets), cookie_secret())
    return signed or st.session_state.get(SESSION_KEY) or Access()


def role_line(access: Access, names: Mapping[str, str]) -> str:
    """«Роль: координатор — г. Белогорск (код доступа)», «Роль: наблюдатель»."""
    line = f"Роль: {ROLE_NAMES[access.role]}"
    if access.municipality_uid:
        line += f" — {names.get(access.municipality_uid, access.municipality_uid)}"
    return line + (f" ({access.who})" if access.who and access.role != VIEWER else "")


def sign_in_configured() -> bool:
    secrets = app_secrets()
    return _oidc_configured(secrets) or bool(((secrets.get("access") or {}).get("passcodes")))


def how_to_see_personal() -> str:
    """What this user has to do to see personal data — nothing that does not exist here."""
    if current_access().may_see_personal:
        return "Включите «Показать контакты» на боковой панели."
    if sign_in_configured():
        return ("Их видят координаторы (свой муниципалитет) и администраторы: войдите на боковой панели "
                "и включите «Показать контакты».")
    return ("Их видят координаторы и администраторы, но вход в этом дашборде не настроен: "
            "обратитесь к администратору дашборда.")


def may_show_personal() -> bool:
    """Personal data is shown only to a role that may see it and only while it is switched on."""
    return current_access().may_see_personal and bool(st.session_state.get("show_contacts", False))


def sign_in_panel(names: Mapping[str, str] | None = None) -> None:
    """In the sidebar: who is signed in (a coordinator with their municipality, `names`: uid -> its
    name), and the way to sign in or out."""
    secrets = app_secrets()
    access = current_access()
    st.caption(role_line(access, names or {}))
    if _oidc_configured(secrets):
        if access.role == VIEWER and not getattr(st.user, "is_logged_in", False):
            st.button("Войти", icon=":material/login:", on_click=st.login)
        else:
            st.button("Выйти", icon=":material/logout:", on_click=st.logout)
        return
    passcodes = passcodes_of(secrets)
    if not passcodes:
        return
    if os.environ.get(ROUTES) == "1":
        _cookie_sign_in(access)
        return
    if access.role != VIEWER:
        if st.button("Выйти", icon=":material/logout:", key="sign_out"):
            st.session_state.pop(SESSION_KEY, None)
            st.session_state["show_contacts"] = False
            st.rerun()
        return
    with st.form("sign_in", clear_on_submit=True, border=False):
        passcode = st.text_input("Код доступа", type="password", key="passcode",
                                 help="Для координаторов и администраторов: открывает контактные данные")
        if st.form_submit_button("Войти", icon=":material/login:"):
            _try_passcode(passcode, passcodes)


@st.cache_resource(show_spinner=False)
def throttle() -> Throttle:
    """Wrong codes of every session and client address: of every server of a deployment, counted
    in the shared history's database (PostgreSQL), else of this server."""
    try:
        url = history_url_of(secrets=app_secrets())
    except SourceError:
        url = None
    if is_shared(url):
        return Throttle(time.time, SignInFailures(HistoryStore(url)))
    return Throttle()


UNKNOWN_ADDRESS = "address:неизвестен"


def _attempt_keys() -> list[str]:
    """This session and the client's address (which a reload keeps); where the address is not
    known, all such clients together — a fresh session per guess would otherwise guess for ever."""
    session = st.session_state.setdefault("_sign_in_session", secrets_module.token_hex(8))
    address = client_address()
    return [f"session:{session}", f"address:{address}" if address else UNKNOWN_ADDRESS]


def client_address() -> str | None:
    """The browser's address: behind the deployment's reverse proxy (`[app] behind_proxy`) the one
    the proxy added last to X-Forwarded-For (what it saw itself; the entries before it are the
    client's own word); otherwise the connection's own (None on localhost)."""
    own = getattr(st.context, "ip_address", None)
    return forwarded_address(st.context.headers) or (own if isinstance(own, str) and own else None)


def forwarded_address(headers) -> str | None:
    """Behind the deployment's reverse proxy (`[app] behind_proxy`), the address it added last to
    X-Forwarded-For (what it saw itself); None otherwise. The pages and serve.py's routes alike."""
    if not behind_proxy(secrets=app_secrets()):
        return None
    return (headers.get("X-Forwarded-For") or "").split(",")[-1].strip() or None


def _try_passcode(passcode: str, passcodes: dict) -> None:
    """The sidebar's own form (the app run without serve.py): the sign-in holds for the session."""
    role, wait = check_passcode(passcode, passcodes, _attempt_keys())
    if role is None:
        st.error(wait_text(wait) if wait else WRONG_CODE)
        return
    st.session_state[SESSION_KEY] = parse_role(role, "код доступа")
    st.rerun()


def check_passcode(passcode: str, passcodes: dict, keys: list[str]) -> tuple[str | None, float]:
    """(the role of a right code or None, the seconds to wait when `keys` — a session, an address —
    may not try yet after wrong codes); every wrong one is logged (never the code, the client by a
    hash)."""
    wait = max(throttle().wait(key) for key in keys)
    if wait > 0:
        LOG.warning("Вход по коду отклонён до истечения паузы: клиент %s", _client_tag(keys))
        return None, wait
    role = passcode_role(passcode, passcodes)
    if role is None:
        failures = max(throttle().failed(key) for key in keys)
        LOG.warning("Неверный код доступа (%d подряд): клиент %s", failures, _client_tag(keys))
        return None, 0.0
    for key in keys:
        throttle().succeeded(key)
    LOG.info("Вход по коду: роль %s, клиент %s", role.partition(":")[0], _client_tag(keys))
    return role, 0.0


WRONG_CODE = "Код доступа не подошёл."


def wait_text(seconds: float) -> str:
    return (f"Слишком много неверных кодов. Попробуйте снова через "
            f"{russian.count(int(seconds) + 1, ('секунду', 'секунды', 'секунд'))}.")


# ---------------------------------------------------------------------- a sign-in that holds
# Served by serve.py (a deployment), a passcode sign-in is a cookie: its POST /sign-in checks the
# code and sets `ACCESS_COOKIE` (HttpOnly, signed with the servers' shared `server.cookieSecret`,
# bound to the role's current code, TICKET_HOURS long), so it holds across reloads and servers.

ACCESS_COOKIE = "dashboard_access"
ROUTES = "CAMPAIGN_SIGN_IN_ROUTES"  # set by serve.py: its routes sign in and out
SAID = "sign_in"  # the query a route sends the page back with: «failed», «wait-<seconds>»


def cookie_secret() -> str:
    """The servers' shared secret (STREAMLIT_SERVER_COOKIE_SECRET / server.cookieSecret)."""
    from streamlit import config

    return str(config.get_option("server.cookieSecret") or "")


def passcodes_of(secrets: dict) -> dict:
    return (secrets.get("access") or {}).get("passcodes") or {}


def ticket_for(passcode: str, address: str | None) -> tuple[str | None, str]:
    """For POST /sign-in: (the cookie's value after a right code, or None; what the page is told)."""
    passcodes = passcodes_of(app_secrets())
    role, wait = check_passcode(passcode, passcodes, [f"address:{address}" if address else UNKNOWN_ADDRESS])
    if role is None:
        return None, f"wait-{int(wait) + 1}" if wait else "failed"
    return access_ticket(role, passcodes, cookie_secret()), ""


def _cookie_sign_in(access: Access) -> None:
    """The sidebar's sign-in and sign-out as forms posted to serve.py's routes."""
    said = st.query_params.get(SAID, "")
    if said == "failed":
        st.error(WRONG_CODE)
    elif said.startswith("wait-") and said[5:].isdigit():
        st.error(wait_text(int(said[5:]) - 1))
    here = html.escape(_here(), quote=True)
    if access.role != VIEWER:
        st.html(f'<form class="access-form" method="post" action="/sign-out"><input type="hidden" name="next" '
                f'value="{here}"><button type="submit">Выйти</button></form>{FORM_CSS}')
        return
    st.html(f'<form class="access-form" method="post" action="/sign-in"><label>Код доступа<input type="password" '
            f'name="passcode" autocomplete="current-password" required></label><input type="hidden" name="next" '
            f'value="{here}"><button type="submit">Войти</button></form>{FORM_CSS}')


def _here() -> str:
    """This page's path and query (without what a route said), to come back to after signing in."""
    path = urlsplit(st.context.url or "/").path or "/"
    query = {key: value for key, value in st.query_params.to_dict().items() if key != SAID}
    return path + (f"?{urlencode(query)}" if query else "")


# Static CSS only (no sheet data ever goes into it): the forms look like the sidebar's widgets.
FORM_CSS = ("<style>.access-form { display: flex; flex-direction: column; gap: .5rem; font-size: .875rem; }"
            ".access-form label { display: flex; flex-direction: column; gap: .25rem; }"
            ".access-form input { font: inherit; color: inherit; background: transparent; padding: .45rem .6rem;"
            " border: 1px solid rgba(128, 128, 128, .6); border-radius: .5rem; }"
            ".access-form button { font: inherit; color: inherit; background: transparent; align-self: flex-start;"
            " padding: .4rem .8rem; border: 1px solid rgba(128, 128, 128, .6); border-radius: .5rem; cursor: pointer; }"
            "</style>")


def _client_tag(keys: list[str]) -> str:
    """A short hash of the session and address: enough to tell attempts apart, names nobody."""
    return hashlib.sha256("|".join(keys).encode("utf-8")).hexdigest()[:10]
