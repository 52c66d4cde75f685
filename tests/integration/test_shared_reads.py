"""Several servers on one PostgreSQL history (history/shared.py, service/reads.py): one reader reads
each sheet once per TTL whatever the number of servers, the others serve its reads, a new read is
announced and loaded by every server, «Обновить» on any server reaches the reader, and a reader that
dies is replaced. Two `ReadService`s in this process stand for two servers: each has its own
connections to a real PostgreSQL and reads the Sheets stand-in over real HTTP."""

from __future__ import annotations

import copy
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import psycopg
import pytest

from data_sources.config import load_settings
from history.shared import READER_LOCK, libpq_url
from history.store import source_key
from service.reads import MSG_NOT_READ_YET, ReadService, Refresher, history_for
from tests.demo_figures import AMUR_JOINED
from tests.integration.test_pipeline_end_to_end import amur_cells_as_typed
from tests.sheets_standin import SheetsStandIn

TTL = 60
TITLE = "#МояХартия — Амурская область"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def one_more_school(cells: dict, name: str = "МОБУ СОШ № 999 (новая)") -> dict:
    """The workbook with one more organisation that joined (a copy of the first counted row under a
    new name and no ИНН)."""
    changed = copy.deepcopy(cells)
    tab = next(title for title in changed if title.startswith("Организации"))
    header = [str(cell) for cell in changed[tab][0]]
    header_name = next(i for i, h in enumerate(header) if "аименование" in h)
    inn = next(i for i, h in enumerate(header) if "ИНН" in h)
    row = list(changed[tab][1])
    row[header_name], row[inn] = name, ""
    changed[tab].append(row)
    return changed


def wait_for(condition, timeout: float = 20.0, what: str = "") -> None:
    """Until `condition()` is true: a state, not a time (the bound only fails a run that stopped)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.05)


@pytest.fixture
def deployment(postgres, request, tmp_path):
    """(the stand-in, the campaign's settings, make_server()) on a new database of its own."""
    url = postgres.new_database(f"shared_{request.node.name[:40].lower()}")
    cells = amur_cells_as_typed()
    with SheetsStandIn() as standin:
        key = "1SharedReads_" + request.node.name[-20:].replace("[", "_").replace("]", "_")
        standin.add_spreadsheet(key, TITLE, cells)
        env = {"CAMPAIGN_ID": "amur-2022", "CAMPAIGN_SOURCE": f"{standin.base_url}/spreadsheets/d/{key}/edit",
               "CAMPAIGN_SOURCE_KIND": "link", "CAMPAIGN_AS_OF": "2022-02-22", "CAMPAIGN_TTL_SECONDS": str(TTL),
               "CAMPAIGN_HISTORY_URL": url, "CAMPAIGN_CACHE_DIR": str(tmp_path)}
        settings = load_settings(env=env, secrets={}, campaign_id="amur-2022")
        servers: list[ReadService] = []

        def make_server(clock=None, poll_seconds: float = 1) -> tuple[ReadService, Refresher]:
            service = ReadService(shared_url=url, clock=clock or time.monotonic, background=True,
                                  poll_seconds=poll_seconds)
            servers.append(service)
            wait_for(service.shared.listening.is_set, what="the server listens for new reads")
            return service, Refresher(service, lambda: [settings])

        standin.key, standin.cells, standin.env = key, cells, env
        yield standin, settings, make_server
        for service in servers:
            service.wait()
            service.close()


def exports(standin) -> int:
    return sum(1 for _, path in standin.requests if "/export" in path)


def test_two_servers_read_the_sheet_once_per_ttl_and_both_show_it(deployment):
    standin, settings, make_server = deployment
    clock = Clock()
    (first, first_reads), (second, second_reads) = make_server(clock), make_server(clock)

    # before any read, a page of a server that is not the reader says so and reads nothing
    waiting = second.current(settings)
    assert waiting.report is None and waiting.error.message == MSG_NOT_READ_YET
    assert exports(standin) == 0

    assert first_reads.tick() == 1  # the first to ask is the reader
    assert second_reads.tick() == 0  # the other follows
    assert first.shared.is_reader and not second.shared.is_reader
    assert exports(standin) == 1
    wait_for(lambda: second.current(settings).report is not None, what="the second server shows the read")
    assert second.current(settings).report.metrics["organisations_joined"] == AMUR_JOINED
    assert first.current(settings).report.metrics["organisations_joined"] == AMUR_JOINED

    for _ in range(3):  # three TTLs: three reads for the two servers, page views on both in between
        clock.now += TTL / 2
        assert first_reads.tick() == 0 and second_reads.tick() == 0
        first.current(settings), second.current(settings)
        clock.now += TTL / 2
        second_reads.tick()
        first_reads.tick()
        first.current(settings), second.current(settings)
    first.wait(), second.wait()
    assert exports(standin) == 4


def test_a_new_read_is_announced_and_shown_by_the_other_server(deployment):
    standin, settings, make_server = deployment
    (reader, reads), (other, _) = make_server(), make_server()
    reads.tick()
    wait_for(lambda: other.current(settings).report is not None, what="the first read reaches the other server")
    shown = other.current(settings).report

    standin.add_spreadsheet(standin.key, TITLE, one_more_school(standin.cells))
    reader.refresh_quietly(settings)  # the reader's next read (its TTL run out)
    assert reader.current(settings).report.metrics["organisations_joined"] == AMUR_JOINED + 1
    wait_for(lambda: other.current(settings).report is not shown, timeout=10,
             what="the announcement makes the other server load the new read")
    assert other.current(settings).report.metrics["organisations_joined"] == AMUR_JOINED + 1
    assert exports(standin) == 2  # the other server read nothing itself


def test_a_read_announced_while_nobody_listened_is_found_by_the_safety_net(deployment, postgres):
    standin, settings, make_server = deployment
    (reader, reads), (other, _) = make_server(), make_server()
    reads.tick()
    wait_for(lambda: other.current(settings).report is not None, what="the first read")
    shown = other.current(settings).report
    # the other server's listening connection is cut: what is announced meanwhile is lost
    with psycopg.connect(libpq_url(settings.history_url), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE query LIKE 'LISTEN%%' AND pid <> pg_backend_pid()")
    standin.add_spreadsheet(standin.key, TITLE, one_more_school(standin.cells))
    reader.refresh_quietly(settings)
    wait_for(lambda: other.current(settings).report is not shown, timeout=30,
             what="the other server finds the read by asking the history")
    assert other.current(settings).report.metrics["organisations_joined"] == AMUR_JOINED + 1


def test_refresh_on_a_server_that_is_not_the_reader_makes_the_reader_read_now(deployment):
    standin, settings, make_server = deployment
    (reader, reads), (other, others_reads) = make_server(), make_server()
    reads.tick()
    wait_for(lambda: other.current(settings).report is not None, what="the first read")
    standin.add_spreadsheet(standin.key, TITLE, one_more_school(standin.cells))
    assert other.refresh(settings) == 0  # «Обновить» on the other server: the reader is asked
    wait_for(lambda: "amur-2022" in reader.wanted, what="the reader hears the request")
    assert time.time() - reader.wanted["amur-2022"] < 10  # with when it was asked
    assert others_reads.tick() == 0
    assert reads.tick() == 1  # read at once, although the TTL has not run out
    wait_for(lambda: other.current(settings).report.metrics["organisations_joined"] == AMUR_JOINED + 1,
             what="the new read on the server where «Обновить» was pressed")
    assert exports(standin) == 2


@pytest.mark.parametrize("how", ["stopped", "killed"])
def test_when_the_reader_ends_another_server_takes_over(deployment, how):
    standin, settings, make_server = deployment
    clock = Clock()
    (reader, reads), (other, others_reads) = make_server(clock), make_server(clock)
    reads.tick()
    assert exports(standin) == 1
    others_reads.tick()
    if how == "stopped":
        reader.close()  # a clean shutdown lets the lock go
    else:  # the reader's process died: PostgreSQL ends its session (its socket closed, or keepalives)
        with psycopg.connect(libpq_url(settings.history_url), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                          "AND ((classid::bigint << 32) | objid::bigint) = %s", (READER_LOCK,))
    others_reads.tick()  # the next round (every 5 s)
    assert other.shared.is_reader
    assert exports(standin) == 1  # the data was fresh: nothing read twice at the takeover
    clock.now += TTL
    assert others_reads.tick() == 1
    assert exports(standin) == 2
    if how == "killed":
        assert reads.tick() == 0 and not reader.shared.is_reader  # the old one follows from now on


def test_a_server_says_when_the_shared_history_has_had_no_read_for_long(deployment):
    standin, settings, make_server = deployment
    (_, reads), (other, _) = make_server(), make_server()
    reads.tick()
    store = history_for(settings)
    old = store.last_good(source_key(*settings.history_key))
    # another sheet, whose only read in the history is an hour old
    late = replace(settings, source=settings.source + "?usp=sharing")
    store.record(source_key(*late.history_key), replace(old, read_at=datetime.now(timezone.utc) - timedelta(hours=1)))
    shown = other.current(late)
    assert shown.report is not None
    assert shown.stale_error is not None and shown.stale_error.kind == "reader"
    assert "сервер чтения давно не записывал новых чтений" in shown.stale_error.message


def test_a_page_of_a_server_that_is_not_the_reader_waits_for_the_first_read_and_then_shows_it(
        deployment, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from components.data import reads
    from tests.integration.conftest import REPO, clear_campaign_settings

    standin, settings, make_server = deployment
    clear_campaign_settings(monkeypatch)
    for name, value in standin.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CAMPAIGN_BACKGROUND_READS", "0")  # this server never becomes the reader
    reads.clear()  # the app's read service of this process, made anew with the shared history
    try:
        app = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
        app.run()
        assert not app.exception and not app.error
        assert [info.value for info in app.info] == [MSG_NOT_READ_YET]
        assert exports(standin) == 0

        _, reader = make_server()  # another server, the reader
        assert reader.tick() == 1
        wait_for(lambda: reads().current(settings).report is not None, what="the app's server follows the read")
        app.run()
        assert not app.exception and not app.error and not app.info
        assert any(f"Присоединились: **{AMUR_JOINED} организации**" in text.value for text in app.markdown)
        assert exports(standin) == 1  # read by the reader only
    finally:
        reads().close()
        reads.clear()


def test_a_read_recorded_from_the_command_line_is_announced_to_the_servers(deployment):
    from tests.cli_helpers import cli

    standin, settings, make_server = deployment
    server, _ = make_server(poll_seconds=600)  # no safety net within the test: only the announcement
    assert server.current(settings).error.message == MSG_NOT_READ_YET
    done = cli("record", "--campaign", "amur-2022", "--source", settings.source, "--source-kind", "link",
               "--as-of", "2022-02-22", "--history", settings.history_url)
    assert done.returncode == 0, done.stderr
    # loaded by the announcement alone (no page asks meanwhile: a page's own call would load it too)
    wait_for(lambda: server._state(settings).report is not None, timeout=30, what="the recorded read is announced")
    assert server.current(settings).report.metrics["organisations_joined"] == AMUR_JOINED
