"""Keep working when the sheet or the network fails.

`ResilientSource` wraps any Source:

- it retries transient failures (SourceError kinds quota, server, network) with exponential
  back-off and full jitter, within a total time budget; other kinds (not_found, no_access,
  config, bad_response, bad_file, ...) are answered at once;
- a read that waits on a network is bounded: a source that answers one byte at a time, or not at
  all, is given up on when the budget is spent (its attempt is left to finish in the background,
  and no new one is started while it hangs), so nobody waits longer than `max_total_seconds`;
  when that attempt does finish, what it read is the next read's result, not thrown away. A
  source that waits on no network (a local file, an upload: `waits_on_network(source)` is False)
  is parsed to its end — a large sheet on a busy machine is slow, not broken;
- concurrent `read()` calls (threads, i.e. sessions) share one underlying read, and a caller
  never waits for a flight longer than the budget;
- a failure of the source's own code (a damaged file it cannot parse) is a SourceError too;
- after a successful read it keeps the workbook in memory and records it in the history
  (`history.store.HistoryStore`), so that when a read finally fails it serves the last good
  data, marked stale, with the error — also after a restart. The history never stops a read:
  when it fails, the fresh data is served with `history_error` set.

A workbook that lacks a tab the last good one had is still a successful read: it is served
as is, and the pipeline reports the missing tab.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Protocol

from campaign.workbook import Source, SourceError, Workbook

LOG = logging.getLogger("campaign.sources")

RETRIED_KINDS = frozenset({"quota", "server", "network", "changed"})  # "changed": a file replaced while read
MSG_TOO_SLOW = ("Источник данных не ответил вовремя (за {seconds} с): возможно, он перегружен или связь очень "
                "медленная. Попробуйте обновить позже.")
MSG_STILL_HANGING = "Источник данных всё ещё не ответил на прошлый запрос. Попробуйте обновить позже."
MSG_UNREADABLE = "Данные источника не удалось разобрать: файл повреждён или в непонятном формате."


class History(Protocol):
    """Where reads are recorded (history.store.HistoryStore); its errors carry a Russian `message`."""

    def record(self, key: str, workbook: Workbook): ...

    def last_good(self, key: str) -> Workbook | None: ...


@dataclass(frozen=True)
class Fetched:
    """A read as served: the workbook, and when it is the last good one, the error that
    prevented a fresh read (`stale=True`); `history_error`: the history could not be used."""

    workbook: Workbook
    error: SourceError | None = None
    stale: bool = False
    history_error: str | None = None
    record: object | None = field(default=None, compare=False)  # the history's record of this read


def waits_on_network(source: object) -> bool:
    """Whether a source's read waits on a network (the default) or only reads and parses what is
    here: a local file or folder, an upload (their `waits_on_network` says False; a source made of
    others waits when any of them does)."""
    own = getattr(source, "waits_on_network", None)
    if own is not None:
        return bool(own)
    parts = [part for name in ("shared", "personal", "source") if (part := getattr(source, name, None)) is not None]
    return any(waits_on_network(part) for part in parts) if parts else True


class _Flight:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: Fetched | None = None
        self.error: BaseException | None = None


class ResilientSource:
    def __init__(
        self,
        source: Source,
        *,
        history: History | None = None,
        history_key: str | None = None,
        retries: int = 3,
        base_delay: float = 1.0,
        max_total_seconds: float = 20,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.source = source
        self.history = history
        self.history_key = history_key
        self.retries = max(0, int(retries))
        self.base_delay = base_delay
        self.max_total_seconds = max_total_seconds
        self._sleep = sleep
        self._clock = clock
        self._rng = rng
        self._lock = threading.Lock()
        self._flight: _Flight | None = None
        # an attempt given up on, still running, and what it will have read
        self._hanging: tuple[threading.Thread, dict[str, object]] | None = None
        self._bounded = waits_on_network(source)
        self._last_good: Workbook | None = None

    # -- the port

    def read(self) -> Fetched:
        """A fresh read, or the last good one marked stale; raises SourceError only when
        the read failed and there is no last good data at all."""
        with self._lock:
            flight = self._flight
            leader = flight is None
            if leader:
                flight = self._flight = _Flight()
        assert flight is not None
        if leader:
            try:
                flight.result = self._read_once()
            except BaseException as error:  # noqa: BLE001 - handed to every waiting caller, raised there
                flight.error = error
            finally:
                with self._lock:
                    self._flight = None
                flight.done.set()
        elif not flight.done.wait(self.max_total_seconds + 5):  # never wait on a flight for good
            raise SourceError("network", MSG_TOO_SLOW.format(seconds=round(self.max_total_seconds)))
        if flight.error is not None:
            raise flight.error
        assert flight.result is not None
        return flight.result

    def last_good(self) -> tuple[Workbook | None, str | None]:
        """(the last good workbook, from memory or from the history; what went wrong with the history)."""
        if self._last_good is not None:
            return self._last_good, None
        if self.history is None or self.history_key is None:
            return None, None
        try:
            self._last_good = self.history.last_good(self.history_key)
        except Exception as error:  # noqa: BLE001 - the history never stops a read
            return None, _history_message(error)
        return self._last_good, None

    # -- internals

    def _read_once(self) -> Fetched:
        try:
            workbook = self._read_with_retries()
        except SourceError as error:
            last, history_error = self.last_good()
            if last is None:
                raise
            return Fetched(last, error, True, history_error)
        self._last_good = workbook
        history_error, record = self._record(workbook)
        return Fetched(workbook, None, False, history_error, record)

    def _record(self, workbook: Workbook) -> tuple[str | None, object | None]:
        """(what went wrong with the history, the history's record of the read)."""
        if self.history is None or self.history_key is None:
            return None, None
        try:
            return None, self.history.record(self.history_key, workbook)
        except Exception as error:  # noqa: BLE001 - the history never stops a read
            LOG.warning("История чтений не записана: %s (%r)", _history_message(error), error)
            return _history_message(error), None

    def _read_with_retries(self) -> Workbook:
        start = self._clock()
        attempt = 0
        while True:
            remaining = self.max_total_seconds - (self._clock() - start)
            try:
                return self._attempt(remaining)
            except SourceError as error:
                if error.kind not in RETRIED_KINDS or attempt >= self.retries:
                    raise
                remaining = self.max_total_seconds - (self._clock() - start)
                delay = min(self._rng() * self.base_delay * (2 ** attempt), remaining)
                if delay < 0 or remaining <= 0:
                    raise
                attempt += 1
                self._sleep(delay)

    def _attempt(self, budget: float) -> Workbook:
        """One read of the source, given up on after `budget` seconds (real time) when it waits on
        a network; a given-up attempt that has finished since is this read (what it read is kept)."""
        if not self._bounded:
            return self._result(self._run_here())
        started = time.monotonic()
        with self._lock:
            hanging = self._hanging
        if hanging is not None:  # a given-up attempt may still finish within this budget
            worker, outcome = hanging
            worker.join(max(budget, 0.0))
            if worker.is_alive():
                raise SourceError("network", MSG_STILL_HANGING)
            with self._lock:
                self._hanging = None
            if "workbook" in outcome:  # it finished late, but it read the source: that read counts
                return self._result(outcome)
            budget -= time.monotonic() - started
        outcome: dict[str, object] = {}

        def run() -> None:
            try:
                outcome["workbook"] = self.source.read()
            except BaseException as error:  # noqa: BLE001 - handed to the caller below
                outcome["error"] = error

        worker = threading.Thread(target=run, name="source-read", daemon=True)
        worker.start()
        worker.join(max(budget, 0.01))
        if worker.is_alive():
            with self._lock:
                self._hanging = (worker, outcome)
            raise SourceError("network", MSG_TOO_SLOW.format(seconds=round(self.max_total_seconds)),
                              detail="the read went on past its time budget")
        return self._result(outcome)

    def _run_here(self) -> dict[str, object]:
        try:
            return {"workbook": self.source.read()}
        except Exception as error:  # noqa: BLE001 - handed to _result
            return {"error": error}

    @staticmethod
    def _result(outcome: dict[str, object]) -> Workbook:
        error = outcome.get("error")
        if isinstance(error, SourceError):
            raise error
        if error is not None:  # the source's own code failed: a file or an answer it cannot parse
            LOG.warning("Источник не разобран: %r", error)
            raise SourceError("bad_file", MSG_UNREADABLE, detail=repr(error))
        return outcome["workbook"]  # type: ignore[return-value]


def _history_message(error: Exception) -> str:
    return getattr(error, "message", None) or "История чтений недоступна."
