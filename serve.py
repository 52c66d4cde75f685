"""The app as a server of a deployment: `streamlit run serve.py` (the same options as app.py) serves
the dashboard (app.py) and two addresses for what runs around it:

- `/health` — for the load balancer: 200 while the server is up, with what it knows as JSON
  (`fresh`: every campaign's latest read within its bound; `reader`: whether this server reads the
  sheets of a shared history);
- `/health/fresh` — for monitoring: 200 when the data is fresh, 503 when a campaign's latest read
  is too old (the sheet cannot be read, or no server reads it);
- `POST /sign-in`, `POST /sign-out` — the passcode sign-in as a cookie (components/access.py): it
  holds across reloads and on every server that shares `server.cookieSecret`;
- Streamlit's own `st.login` answers «Authentication error» in English when the provider cannot be
  reached: said here in Russian, with a way back.

Streamlit's own `/_stcore/health` only says the server is up. The server's background reads start
with it (not with its first visitor): with a shared history every server is ready to take over as
the reader. See README «Deployment».
"""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse
from starlette.routing import Route

APP = Path(__file__).resolve().parent / "app.py"
os.environ["CAMPAIGN_SIGN_IN_ROUTES"] = "1"  # the sidebar's passcode form posts to the routes below


def _health() -> dict:
    from components.data import reads
    from components.secrets import app_secrets
    from data_sources.config import kept_fresh, load_settings
    from service.health import health

    secrets = app_secrets()
    campaigns = [load_settings(secrets=secrets, campaign_id=c) for c in kept_fresh(secrets=secrets)]
    return health(campaigns, reads())


async def up(request) -> JSONResponse:
    return JSONResponse(await run_in_threadpool(_health))


async def fresh(request) -> JSONResponse:
    found = await run_in_threadpool(_health)
    return JSONResponse(found, status_code=200 if found["fresh"] else 503)


def _back_to(next_path: str, said: str = "") -> str:
    """Where a route sends the browser: a path of this site only (never another host), with what
    it has to say to the page."""
    parts = urlsplit(next_path or "/")
    path = parts.path if parts.path.startswith("/") and not parts.path.startswith("//") and not parts.netloc else "/"
    query = parts.query
    if said:
        query = f"{query}&{urlencode({'sign_in': said})}" if query else urlencode({"sign_in": said})
    return path + (f"?{query}" if query else "")


def _same_site(request) -> bool:
    """A form of this site (its Origin's host is the Host), not another site's."""
    origin = request.headers.get("origin")
    host = (request.headers.get("host") or "").rsplit(":", 1)[0].strip("[]")
    return origin is None or urlsplit(origin).hostname == host


def _address(request) -> str | None:
    from components.access import forwarded_address

    return forwarded_address(request.headers) or (request.client.host if request.client else None)


def _secure(request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


async def sign_in(request) -> PlainTextResponse | RedirectResponse:
    from campaign.access import TICKET_HOURS
    from components.access import ACCESS_COOKIE, ticket_for

    if not _same_site(request):
        return PlainTextResponse("Форма входа другого сайта не принимается.", status_code=403)
    form = await request.form()
    ticket, said = await run_in_threadpool(ticket_for, str(form.get("passcode", "")), _address(request))
    response = RedirectResponse(_back_to(str(form.get("next", "/")), said), status_code=303)
    if ticket is not None:
        response.set_cookie(ACCESS_COOKIE, ticket, max_age=TICKET_HOURS * 3600, httponly=True,
                            secure=_secure(request), samesite="lax", path="/")
    return response


async def sign_out(request) -> PlainTextResponse | RedirectResponse:
    from components.access import ACCESS_COOKIE

    if not _same_site(request):
        return PlainTextResponse("Форма выхода другого сайта не принимается.", status_code=403)
    form = await request.form()
    response = RedirectResponse(_back_to(str(form.get("next", "/"))), status_code=303)
    response.delete_cookie(ACCESS_COOKIE, path="/", secure=_secure(request), httponly=True, samesite="lax")
    return response


def _start_reads() -> None:
    from components.data import background_reads

    background_reads()


def _stop_reads() -> None:
    from components.data import reads

    reads().close()  # a clean stop lets the reader's lock go: another server reads at once


AUTH_ERROR_PAGE = """<!doctype html><html lang="ru"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Вход не удался</title>
<style>body { font: 18px/1.5 "DejaVu Sans", sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem;
color: #2f2d2b; } a { color: #0d47a1; }</style></head><body><h1>Вход не удался</h1>
<p>Служба входа сейчас не отвечает. Попробуйте войти ещё раз через несколько минут или войдите по
коду доступа, если он у вас есть.</p><p><a href="/">Вернуться к панели</a> — её можно смотреть и без
входа.</p></body></html>"""


class RussianAuthErrors:
    """An ASGI middleware: Streamlit's plain-text «Authentication error» (its `/auth/login` when the
    provider is unreachable) becomes a Russian page with a way back; every other answer passes."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/auth/"):
            await self.app(scope, receive, send)
            return
        held: list[dict] = []

        async def answer(message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 400:
                held.append(message)
                return
            if held and message["type"] == "http.response.body":
                body = b"".join(m.get("body", b"") for m in held[1:]) + message.get("body", b"")
                if message.get("more_body"):
                    held.append(message)
                    return
                if body.strip() == b"Authentication error":
                    page = AUTH_ERROR_PAGE.encode("utf-8")
                    await send({"type": "http.response.start", "status": 400, "headers": [
                        (b"content-type", b"text/html; charset=utf-8"),
                        (b"content-length", str(len(page)).encode())]})
                    await send({"type": "http.response.body", "body": page})
                else:
                    await send(held[0])
                    await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, answer)


@asynccontextmanager
async def lifespan(app):
    await run_in_threadpool(_start_reads)
    yield
    await run_in_threadpool(_stop_reads)


app = st.App(str(APP), routes=[Route("/health", up), Route("/health/fresh", fresh),
                               Route("/sign-in", sign_in, methods=["POST"]),
                               Route("/sign-out", sign_out, methods=["POST"])], lifespan=lifespan,
             middleware=[Middleware(RussianAuthErrors)])
