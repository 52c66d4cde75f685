"""The server's reads (service/reads.py): one report per read for every session, a bounded wait
for a source that hangs, a back-off after a failure shared by all, and no click waiting for a
refresh once there is data."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import date

import pytest

from campaign.workbook import SourceError
from data_sources.config import load_settings
from data_sources.local_file import LocalFileSource
from data_sources.resilient import ResilientSource
from service.reads import BACKOFF_SECONDS, ReadService

DEMO = LocalFileSource("data/demo/amur-2022.xlsx")


class Gate:
    """A source that hangs until opened (a sheet that stopped answering), then reads the demo."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.calls = 0

    def read(self):
        self.calls += 1
        self.open.wait(30)
        return DEMO.read()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def settings(monkeypatch):
    monkeypatch.chdir(__import__("pathlib").Path(__file__).resolve().parents[2])
    return replace(load_settings(env={}, secrets={}, campaign_id="amur-2022"), as_of=date(2022, 2, 22))


def test_a_hanging_source_is_given_up_within_the_budget_and_later_sessions_are_not_stuck(settings):
    gate, clock = Gate(), Clock()
    service = ReadService(make=lambda s: ResilientSource(gate, max_total_seconds=0.5, retries=0), clock=clock)
    started = time.monotonic()
    first = service.current(settings)
    assert first.report is None and "не ответил вовремя" in first.error.message
    assert time.monotonic() - started < 2

    waits = []

    def visit():
        began = time.monotonic()
        service.current(settings)
        waits.append(time.monotonic() - began)

    visitors = [threading.Thread(target=visit) for _ in range(5)]
    for visitor in visitors:
        visitor.start()
    for visitor in visitors:
        visitor.join(10)
    assert len(waits) == 5 and max(waits) < 0.5  # the failure is remembered: nobody waits again
    assert gate.calls == 1

    gate.open.set()  # the sheet recovers: the read given up on finishes
    clock.now += BACKOFF_SECONDS + 1
    assert service.current(settings).report is not None  # a new visitor gets the data
    assert gate.calls == 1  # what the late read brought, not thrown away and read again


def test_once_there_is_data_nobody_waits_for_the_next_read(settings):
    gate, clock = Gate(), Clock()
    gate.open.set()
    service = ReadService(make=lambda s: ResilientSource(gate, max_total_seconds=5, retries=0), clock=clock)
    report = service.current(settings).report
    gate.open.clear()  # the next read will hang
    clock.now += settings.ttl_seconds + 1
    began = time.monotonic()
    again = service.current(settings)
    assert time.monotonic() - began < 0.5 and again.report is report  # the previous read, at once
    gate.open.set()
    assert service.wait(10)
    newer = service.current(settings).report
    assert newer is not report and newer.metrics == report.metrics  # read in the background meanwhile


def test_every_session_gets_the_same_report_object(settings):
    service = ReadService(background=False)
    reports = {id(service.current(settings).report) for _ in range(5)}
    assert len(reports) == 1


def test_a_read_that_fails_after_good_ones_serves_the_last_and_says_why(settings, monkeypatch):
    service = ReadService(background=False)
    good = service.current(settings).report

    def fail(self):
        raise SourceError("network", "Нет связи с источником.")

    monkeypatch.setattr(LocalFileSource, "read", fail)
    service.expire()
    assert service.refresh(settings) is None
    current = service.current(settings)
    assert current.report is good and current.stale_error.kind == "network"


def test_thirty_sessions_arriving_at_once_make_one_read(settings):
    calls = []

    class Counting:
        def read(self):
            calls.append(1)
            time.sleep(0.05)
            return DEMO.read()

    service = ReadService(make=lambda s: ResilientSource(Counting(), retries=0))
    barrier = threading.Barrier(30)
    reports = []

    def visit():
        barrier.wait()
        reports.append(service.current(settings).report)

    visitors = [threading.Thread(target=visit) for _ in range(30)]
    for visitor in visitors:
        visitor.start()
    for visitor in visitors:
        visitor.join(20)
    assert len(calls) == 1 and len(reports) == 30 and len({id(r) for r in reports}) == 1


def test_the_background_refresher_reads_what_is_due_also_with_nobody_looking(settings):
    from service.reads import Refresher

    calls, clock = [], Clock()

    class Counting:
        def read(self):
            calls.append(1)
            return DEMO.read()

    service = ReadService(make=lambda s: ResilientSource(Counting(), retries=0), clock=clock)
    refresher = Refresher(service, lambda: [settings])
    assert refresher.tick() == 1 and len(calls) == 1  # never read: due
    assert refresher.tick() == 0 and len(calls) == 1  # within the TTL
    clock.now += settings.ttl_seconds
    assert refresher.tick() == 1 and len(calls) == 2
    assert service.current(settings).report is not None  # a visitor finds it read


def test_one_campaign_s_trouble_does_not_stop_the_others(settings):
    from service.reads import Refresher

    class Broken:
        def read(self):
            raise RuntimeError("a bug")

    sources = {"amur-2022": Broken(), "primorye-2022": None}
    other = replace(settings, campaign_id="primorye-2022", source="data/demo/primorye-2022.xlsx")
    service = ReadService(make=lambda s: ResilientSource(sources[s.campaign_id] or LocalFileSource(s.source),
                                                         retries=0))
    assert Refresher(service, lambda: [settings, other]).tick() == 2
    assert service.current(other).report is not None


def test_the_background_reads_do_not_read_again_while_a_pages_first_read_is_still_being_built(settings):
    """The load test's two reads: a page's first read had fetched the sheet and was running the
    pipeline (slow under load) when a background round found the campaign due and read it again."""
    from campaign.spec import load_campaign
    from service.reads import Refresher

    calls, building, release = [], threading.Event(), threading.Event()

    class Counting:
        def read(self):
            calls.append(1)
            return DEMO.read()

    def slow_campaign(campaign_id):
        building.set()
        release.wait(30)  # the pipeline of the first read, on a loaded machine
        return load_campaign(campaign_id)

    service = ReadService(make=lambda s: ResilientSource(Counting(), retries=0), campaign=slow_campaign)
    page = threading.Thread(target=service.current, args=(settings,))
    page.start()
    assert building.wait(30)
    Refresher(service, lambda: [settings]).tick()  # the round comes while the report is built
    release.set()
    page.join(30)
    assert len(calls) == 1 and service.current(settings).report is not None
