"""Keep working when the sheet or the network fails (issue 5): retries, single flight and the
last good data, with GoogleSheetSource over real HTTP against the local Sheets stand-in."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data_sources.base import SourceError
from data_sources.google_sheet import MSG_BAD_RESPONSE, MSG_NETWORK, MSG_QUOTA, GoogleSheetSource
from data_sources.resilient import Fetched, ResilientSource

REPO = Path(__file__).resolve().parents[2]
KEY = "1ResilienceTestKey_0123456789-abcdefghijklmno"
TABS = {
    "Организации": [["Муниципальное образование", "Наименование организации"], ["г. Тында", "ООО «Север»"]],
    "Мероприятия": [["Муниципальное образование", "Вид мероприятия"], ["г. Зея", "лекция"]],
}
TIMEOUT = 0.5  # seconds, per HTTP request


class FakeTime:
    """An injected clock and sleep: sleeping records the delay and moves the clock."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.delays: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.now += seconds


@pytest.fixture
def sheet(standin):
    standin.add_spreadsheet(KEY, "Кампания", TABS)
    return standin


@pytest.fixture
def fake_time():
    return FakeTime()


def resilient(standin, path: Path, fake_time: FakeTime, **kwargs) -> ResilientSource:
    kwargs.setdefault("rng", lambda: 1.0)  # the top of the jitter range: delays are exact
    source = GoogleSheetSource(KEY, client=standin.client(timeout=TIMEOUT), timeout=TIMEOUT)
    return ResilientSource(source, snapshot_path=path, sleep=fake_time.sleep, clock=fake_time.clock, **kwargs)


@pytest.fixture
def primed(sheet, tmp_path, fake_time):
    """A ResilientSource after one good read; the stand-in's request log is cleared."""
    src = resilient(sheet, tmp_path / "snapshots" / "sheet.pickle", fake_time)
    first = src.read()
    assert first.stale is False and first.error is None
    assert first.workbook.tab_titles() == list(TABS)
    sheet.reset_requests()
    return src, first.workbook


def assert_stale(fetched: Fetched, good, kind: str, message: str) -> None:
    assert fetched.stale is True
    assert fetched.workbook == good  # the last good data, unchanged
    assert isinstance(fetched.error, SourceError)
    assert fetched.error.kind == kind
    assert fetched.error.message == message


# --------------------------------------------------------------------------- a good read


def test_a_good_read_is_fresh_and_snapshotted(sheet, tmp_path, fake_time):
    path = tmp_path / "new" / "dir" / "sheet.pickle"
    fetched = resilient(sheet, path, fake_time).read()
    assert fetched == Fetched(fetched.workbook, None, False)
    assert len(sheet.requests) == 2  # metadata + batchGet
    assert path.exists()
    assert [p.name for p in path.parent.iterdir()] == ["sheet.pickle"]  # no temp file left
    assert fake_time.delays == []


# --------------------------------------------------------------------------- failures after a good read


def test_quota_is_retried_with_growing_delays_then_the_last_good_data_is_served(sheet, tmp_path, fake_time):
    src = resilient(sheet, tmp_path / "sheet.pickle", fake_time, retries=2)
    good = src.read().workbook
    sheet.reset_requests()
    sheet.fail_next(429, times=3)

    fetched = src.read()

    assert_stale(fetched, good, "quota", MSG_QUOTA)
    assert len(sheet.requests) == 3  # the first try and two retries, each stopped at the metadata
    assert fake_time.delays == [1.0, 2.0]


def test_quota_for_three_requests_is_outlasted_by_three_retries(primed, sheet, fake_time):
    src, good = primed
    sheet.fail_next(429, times=3)

    fetched = src.read()

    assert fetched.stale is False and fetched.error is None
    assert fetched.workbook.read_at > good.read_at
    assert len(sheet.requests) == 3 + 2
    assert fake_time.delays == [1.0, 2.0, 4.0]


def test_server_errors_are_retried_within_the_time_bound(sheet, tmp_path, fake_time):
    src = resilient(sheet, tmp_path / "sheet.pickle", fake_time, retries=5, max_total_seconds=10)
    good = src.read().workbook
    sheet.reset_requests()
    sheet.fail_next(500, times=10)

    fetched = src.read()

    assert_stale(fetched, good, "server", "Google Sheets временно не отвечает (ошибка 500). "
                                          "Попробуйте ещё раз через несколько минут.")
    # 1, 2, 4, then 8 would pass the 10 s budget: the last wait is cut to what is left (3)
    assert fake_time.delays == [1.0, 2.0, 4.0, 3.0]
    assert sum(fake_time.delays) <= 10
    assert len(sheet.requests) == 5


def test_jitter_scales_the_delays(sheet, tmp_path, fake_time):
    src = resilient(sheet, tmp_path / "sheet.pickle", fake_time, rng=lambda: 0.25, base_delay=2.0)
    src.read()
    sheet.reset_requests()
    sheet.fail_next(503, times=4)
    assert src.read().stale is True
    assert fake_time.delays == [0.5, 1.0, 2.0]
    assert len(sheet.requests) == 4


def test_no_access_is_not_retried(primed, sheet, fake_time):
    src, good = primed
    sheet.deny(KEY)

    fetched = src.read()

    assert fetched.stale is True and fetched.workbook == good
    assert fetched.error.kind == "no_access"
    assert fetched.error.message.startswith("Нет доступа к таблице.")
    assert len(sheet.requests) == 1
    assert fake_time.delays == []


def test_a_hang_longer_than_the_timeout_is_a_network_error(sheet, tmp_path, fake_time):
    src = resilient(sheet, tmp_path / "sheet.pickle", fake_time, retries=1)
    good = src.read().workbook
    sheet.reset_requests()
    sheet.delay_next(TIMEOUT * 3, times=2)

    fetched = src.read()

    assert_stale(fetched, good, "network", MSG_NETWORK)
    assert len(sheet.requests) == 2
    assert fake_time.delays == [1.0]


def test_a_dropped_connection_is_a_network_error(primed, sheet, fake_time):
    src, good = primed
    sheet.drop_next(times=2)

    fetched = src.read()  # two drops, then the third try reads

    assert fetched.stale is False
    assert len(sheet.requests) == 2 + 2
    assert fake_time.delays == [1.0, 2.0]

    sheet.reset_requests()
    fake_time.delays.clear()
    sheet.drop_next(times=4)
    fetched = src.read()
    assert fetched.stale is True
    assert fetched.error.kind == "network" and fetched.error.message == MSG_NETWORK
    assert len(sheet.requests) == 4
    assert fake_time.delays == [1.0, 2.0, 4.0]


def test_malformed_json_is_not_retried(primed, sheet, fake_time):
    src, good = primed
    sheet.fail_next(200, body="{not json")

    fetched = src.read()

    assert_stale(fetched, good, "bad_response", MSG_BAD_RESPONSE)
    assert len(sheet.requests) == 1
    assert fake_time.delays == []


def test_after_a_failure_a_good_read_is_fresh_again(primed, sheet):
    src, good = primed
    sheet.fail_next(200, body="{not json")
    assert src.read().stale is True
    fetched = src.read()
    assert fetched.stale is False and fetched.error is None


def test_a_tab_that_disappeared_is_not_a_failure(primed, sheet):
    src, good = primed
    sheet.add_spreadsheet(KEY, "Кампания", {"Организации": TABS["Организации"]})

    fetched = src.read()

    assert fetched.stale is False and fetched.error is None
    assert fetched.workbook.tab_titles() == ["Организации"]  # the pipeline reports the missing tab


# --------------------------------------------------------------------------- single flight


def test_concurrent_reads_share_one_request_burst(sheet, tmp_path, fake_time):
    src = resilient(sheet, tmp_path / "sheet.pickle", fake_time)
    sheet.delay_next(TIMEOUT / 2)  # the first request is slow, so every thread joins the read in flight
    barrier = threading.Barrier(10)
    results: list[Fetched] = []
    errors: list[BaseException] = []

    def call() -> None:
        barrier.wait()
        try:
            results.append(src.read())
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=call) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert errors == []
    assert len(results) == 10
    assert len(sheet.requests) == 2  # metadata + batchGet, once
    assert all(result is results[0] for result in results)


def test_concurrent_reads_without_data_all_get_the_error(sheet, tmp_path, fake_time):
    src = resilient(sheet, tmp_path / "sheet.pickle", fake_time)
    sheet.deny(KEY)
    sheet.delay_next(TIMEOUT / 2)
    barrier = threading.Barrier(5)
    errors: list[BaseException] = []

    def call() -> None:
        barrier.wait()
        try:
            src.read()
        except SourceError as error:
            errors.append(error)

    threads = [threading.Thread(target=call) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(errors) == 5 and {e.kind for e in errors} == {"no_access"}
    assert len(sheet.requests) == 1


# --------------------------------------------------------------------------- restart and no data


def test_a_restart_serves_the_snapshot_when_the_sheet_fails(sheet, tmp_path, fake_time):
    path = tmp_path / "sheet.pickle"
    good = resilient(sheet, path, fake_time).read().workbook
    sheet.reset_requests()
    sheet.fail_next(503, times=10)

    fetched = resilient(sheet, path, fake_time).read()  # a new process: nothing in memory

    assert fetched.stale is True
    assert fetched.workbook == good
    assert fetched.error.kind == "server"
    assert len(sheet.requests) == 4


def test_no_snapshot_and_a_failure_raises(sheet, tmp_path, fake_time):
    sheet.fail_next(429, times=10)
    src = resilient(sheet, tmp_path / "sheet.pickle", fake_time)
    with pytest.raises(SourceError) as info:
        src.read()
    assert info.value.kind == "quota" and info.value.message == MSG_QUOTA
    assert len(sheet.requests) == 4
    assert not (tmp_path / "sheet.pickle").exists()


def test_a_corrupt_snapshot_is_ignored(sheet, tmp_path, fake_time):
    path = tmp_path / "sheet.pickle"
    path.write_bytes(b"not a pickle")
    sheet.deny(KEY)
    with pytest.raises(SourceError) as info:
        resilient(sheet, path, fake_time).read()
    assert info.value.kind == "no_access"


def test_a_stale_fetch_survives_pickling(primed, sheet):
    """st.cache_data pickles what fetch_workbook returns, the error included."""
    import pickle

    src, good = primed
    sheet.deny(KEY)
    fetched = pickle.loads(pickle.dumps(src.read()))
    assert fetched.stale is True and fetched.workbook == good
    assert fetched.error.kind == "no_access" and fetched.error.message.startswith("Нет доступа")


# --------------------------------------------------------------------------- the app


@pytest.fixture
def app_env(monkeypatch, tmp_path):
    for name in ("CAMPAIGN_ID", "CAMPAIGN_SOURCE_KIND", "CAMPAIGN_AS_OF", "CAMPAIGN_CACHE_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(REPO)
    workbook = tmp_path / "кампания.xlsx"
    shutil.copy(REPO / "data" / "demo" / "amur-2022.xlsx", workbook)
    monkeypatch.setenv("CAMPAIGN_SOURCE", str(workbook))
    monkeypatch.setenv("CAMPAIGN_AS_OF", "2022-02-22")
    monkeypatch.setenv("CAMPAIGN_CACHE_DIR", str(tmp_path / "cache"))
    from components.data import fetch_workbook

    fetch_workbook.clear()
    yield workbook
    fetch_workbook.clear()


def test_the_app_keeps_showing_the_last_good_data_with_a_banner(app_env):
    from components.data import fetch_workbook

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert not at.warning
    metrics = [(m.label, m.value) for m in at.metric]
    assert metrics
    assert list((app_env.parent / "cache").glob("workbook-*.pickle"))

    app_env.unlink()
    fetch_workbook.clear()  # the TTL ran out; the resource (last good data) stays
    at.run()

    assert not at.exception
    assert not at.error
    assert [(m.label, m.value) for m in at.metric] == metrics
    banners = [w.value for w in at.warning]
    assert len(banners) == 1
    assert "Не удалось обновить данные" in banners[0]
    assert "Файл не найден" in banners[0]
    assert "Показаны данные на" in banners[0]
    assert str(app_env.parent) not in banners[0]  # no folder (it may name a person)
    assert any("данные устарели" in c.value for c in at.sidebar.caption)
