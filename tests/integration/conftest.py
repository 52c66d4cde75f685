"""Fixtures for the integration tests: a local Google Sheets API stand-in over real HTTP."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # so `pytest` (not only `python -m pytest`) finds the packages
    sys.path.insert(0, str(REPO))

from streamlit.testing.v1 import AppTest  # noqa: E402 - imported once sys.path holds the project

from tests.sheets_standin import SheetsStandIn  # noqa: E402 - imported once sys.path holds the project


@pytest.fixture
def standin():
    """A started SheetsStandIn; stopped after the test."""
    with SheetsStandIn() as server:
        yield server


def clear_campaign_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app as a newcomer runs it: no CAMPAIGN_* settings from outside (snapshots stay in
    the tests' temporary folder), started from the repo."""
    for name in list(os.environ):
        if name.startswith("CAMPAIGN_") and name != "CAMPAIGN_CACHE_DIR":
            monkeypatch.delenv(name)
    monkeypatch.chdir(REPO)


@pytest.fixture
def new_app(monkeypatch):
    """Makes AppTests of app.py on the demo data (call it once per browser session)."""
    clear_campaign_settings(monkeypatch)

    def make(timeout: int = 60) -> AppTest:
        return AppTest.from_file(str(REPO / "app.py"), default_timeout=timeout)

    return make


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the session (Debian's postgresql, a temporary cluster)."""
    from tests.postgres import PostgresServer, binaries

    if binaries() is None:
        pytest.skip("PostgreSQL is not installed: apt-get install postgresql (.ci/run does)")
    server = PostgresServer().start()
    yield server
    server.remove()


@pytest.fixture(params=["sqlite", "postgresql"])
def history_url(request, tmp_path):
    """The same tests against both stores: (url, folder) of a new, empty history."""
    if request.param == "sqlite":
        return None, tmp_path / "history"
    server = request.getfixturevalue("postgres")
    import sqlalchemy as sa

    engine = sa.create_engine(server.url)
    with engine.begin() as connection:  # an empty database for each test
        for table in ("sendings", "gone_rows", "figures", "reads", "snapshots", "rows", "sources"):
            connection.execute(sa.text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    engine.dispose()
    return server.url, None


@pytest.fixture
def store(history_url):
    """A new, empty history store of each kind (SQLite, then PostgreSQL)."""
    from history.store import HistoryStore

    url, folder = history_url
    made = HistoryStore(url, folder=folder)
    yield made
    made.close()


@pytest.fixture
def sent(monkeypatch):
    """The bytes of the messages of each AppTest run, as Streamlit serializes them (a page's weight)."""
    from tests.page_bytes import count_sent

    return count_sent(monkeypatch.setattr)
