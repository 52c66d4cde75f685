"""The app as a server of a deployment: `streamlit run serve.py` (the same options as app.py) serves
the dashboard (app.py) and two addresses for what runs around it:

- `/health` — for the load balancer: 200 while the server is up, with what it knows as JSON
  (`fresh`: every campaign's latest read within its bound; `reader`: whether this server reads the
  sheets of a shared history);
- `/health/fresh` — for monitoring: 200 when the data is fresh, 503 when a campaign's latest read
  is too old (the sheet cannot be read, or no server reads it).

Streamlit's own `/_stcore/health` only says the server is up. The server's background reads start
with it (not with its first visitor): with a shared history every server is ready to take over as
the reader. See README «Deployment».
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse
from starlette.routing import Route

APP = Path(__file__).resolve().parent / "app.py"


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


def _start_reads() -> None:
    from components.data import background_reads

    background_reads()


def _stop_reads() -> None:
    from components.data import reads

    reads().close()  # a clean stop lets the reader's lock go: another server reads at once


@asynccontextmanager
async def lifespan(app):
    await run_in_threadpool(_start_reads)
    yield
    await run_in_threadpool(_stop_reads)


app = st.App(str(APP), routes=[Route("/health", up), Route("/health/fresh", fresh)], lifespan=lifespan)
