"""Wrong sign-in codes counted in the shared history's PostgreSQL (history/sign_ins.py): a guesser
who reloads the page (a new session) or reaches another server finds the same wait; the database's
outage never refuses a sign-in."""

from __future__ import annotations

from campaign.access import FREE_FAILURES, LOCK_AFTER, Throttle
from history.sign_ins import SignInFailures
from history.store import HistoryStore


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_guesser_finds_the_same_wait_on_another_server_and_after_a_reload(postgres):
    url = postgres.new_database("sign_ins")
    clock = Clock()
    first = Throttle(clock, SignInFailures(HistoryStore(url)))  # server 1
    second = Throttle(clock, SignInFailures(HistoryStore(url)))  # server 2, its own connections
    address = "address:203.0.113.7"
    for _ in range(FREE_FAILURES):
        assert first.wait(address) == 0
        first.failed(address)
    assert first.wait(address) > 0
    assert second.wait(address) == first.wait(address)  # the other server counts them too
    clock.now += 60
    for _ in range(LOCK_AFTER - FREE_FAILURES):
        second.failed(address)
    assert first.wait(address) > 10 * 60  # locked for everyone, on every server
    assert second.wait("address:198.51.100.2") == 0  # somebody else is not
    second.succeeded(address)
    assert first.wait(address) == 0


def test_the_database_s_outage_counts_on_this_server_meanwhile(postgres, tmp_path):
    clock = Clock()
    throttle = Throttle(clock, SignInFailures(HistoryStore("postgresql+psycopg://dashboard@127.0.0.1:1/none")))
    for _ in range(FREE_FAILURES + 1):
        throttle.failed("session:abc")
    assert throttle.wait("session:abc") > 0
