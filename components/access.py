"""Sign-in for the pages: OIDC through st.login when [auth] is configured, otherwise a
passcode per role kept as a hash in [access.passcodes]; with neither, everyone is a viewer."""

from __future__ import annotations

import hashlib
import logging
import secrets as secrets_module
import time

import streamlit as st

from campaign import russian
from campaign.access import (ROLE_NAMES, VIEWER, Access, Throttle, access_for_email, access_for_passcode,
                             email_roles)
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
    return st.session_state.get(SESSION_KEY) or Access()


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


def sign_in_panel() -> None:
    """In the sidebar: who is signed in, and the way to sign in or out."""
    secrets = app_secrets()
    access = current_access()
    st.caption(f"Роль: {ROLE_NAMES[access.role]}" + (f" ({access.who})" if access.who and access.role != VIEWER else ""))
    if _oidc_configured(secrets):
        if access.role == VIEWER and not getattr(st.user, "is_logged_in", False):
            st.button("Войти", icon=":material/login:", on_click=st.login)
        else:
            st.button("Выйти", icon=":material/logout:", on_click=st.logout)
        return
    passcodes = (secrets.get("access") or {}).get("passcodes") or {}
    if not passcodes:
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


def _attempt_keys() -> list[str]:
    """This session and, where it is known, the client's address (which a reload keeps)."""
    session = st.session_state.setdefault("_sign_in_session", secrets_module.token_hex(8))
    keys = [f"session:{session}"]
    address = client_address()
    if address:
        keys.append(f"address:{address}")
    return keys


def client_address() -> str | None:
    """The browser's address: behind the deployment's reverse proxy (`[app] behind_proxy`) the one
    the proxy added last to X-Forwarded-For (what it saw itself; the entries before it are the
    client's own word); otherwise the connection's own (None on localhost)."""
    if behind_proxy(secrets=app_secrets()):
        forwarded = st.context.headers.get("X-Forwarded-For") or ""
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return getattr(st.context, "ip_address", None)


def _try_passcode(passcode: str, passcodes: dict) -> None:
    """Checks a code unless this session or address has to wait after wrong ones; logs every
    wrong one (never the code)."""
    keys = _attempt_keys()
    wait = max(throttle().wait(key) for key in keys)
    if wait > 0:
        st.error(f"Слишком много неверных кодов. Попробуйте снова через "
                 f"{russian.count(int(wait) + 1, ('секунду', 'секунды', 'секунд'))}.")
        LOG.warning("Вход по коду отклонён до истечения паузы: клиент %s", _client_tag(keys))
        return
    found = access_for_passcode(passcode, passcodes)
    if found is None:
        failures = max(throttle().failed(key) for key in keys)
        LOG.warning("Неверный код доступа (%d подряд): клиент %s", failures, _client_tag(keys))
        st.error("Код доступа не подошёл.")
        return
    for key in keys:
        throttle().succeeded(key)
    LOG.info("Вход по коду: роль %s, клиент %s", found.role, _client_tag(keys))
    st.session_state[SESSION_KEY] = found
    st.rerun()


def _client_tag(keys: list[str]) -> str:
    """A short hash of the session and address: enough to tell attempts apart, names nobody."""
    return hashlib.sha256("|".join(keys).encode("utf-8")).hexdigest()[:10]
