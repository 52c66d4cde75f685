"""Keep working when the sheet or the network fails.

`ResilientSource` wraps any Source:

- it retries transient failures (SourceError kinds quota, server, network) with exponential
  back-off and full jitter, within a total time budget; other kinds (not_found, no_access,
  config, bad_response, bad_file, ...) are answered at once;
- concurrent `read()` calls (threads, i.e. sessions) share one underlying read;
- after a successful read it keeps the workbook in memory and in a snapshot file (pickle,
  written atomically), so that when a read finally fails it serves the last good data,
  marked stale, with the error. The snapshot survives a restart.

A workbook that lacks a tab the last good one had is still a successful read: it is served
as is, and the pipeline reports the missing tab.
"""

from __future__ import annotations

import os
import pickle
import random
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .base import Source, SourceError, Workbook

RETRIED_KINDS = frozenset({"quota", "server", "network"})


def _rebuild_fetched(workbook, error_state, stale):
    error = None
    if error_state is not None:
        kind, message, detail = error_state
        error = SourceError(kind, message, detail=detail)
    return Fetched(workbook, error, stale)


@dataclass(frozen=True)
class Fetched:
    """A read as served: the workbook, and when it is the last good one, the error that
    prevented a fresh read (`stale=True`)."""

    workbook: Workbook
    error: SourceError | None = None
    stale: bool = False

    def __reduce__(self):  # SourceError does not pickle by itself (it needs `kind`)
        error_state = None
        if self.error is not None:
            error_state = (self.error.kind, self.error.message, self.error.detail)
        return (_rebuild_fetched, (self.workbook, error_state, self.stale))


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
        snapshot_path: Path | None,
        retries: int = 3,
        base_delay: float = 1.0,
        max_total_seconds: float = 20,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.source = source
        self.snapshot_path = Path(snapshot_path) if snapshot_path is not None else None
        self.retries = max(0, int(retries))
        self.base_delay = base_delay
        self.max_total_seconds = max_total_seconds
        self._sleep = sleep
        self._clock = clock
        self._rng = rng
        self._lock = threading.Lock()
        self._flight: _Flight | None = None
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
            except BaseException as error:  # handed to every waiting caller
                flight.error = error
            finally:
                with self._lock:
                    self._flight = None
                flight.done.set()
        else:
            flight.done.wait()
        if flight.error is not None:
            raise flight.error
        assert flight.result is not None
        return flight.result

    @property
    def last_good(self) -> Workbook | None:
        """The last good workbook, from memory or from the snapshot file."""
        if self._last_good is None:
            self._last_good = self._load_snapshot()
        return self._last_good

    # -- internals

    def _read_once(self) -> Fetched:
        try:
            workbook = self._read_with_retries()
        except SourceError as error:
            last = self.last_good
            if last is None:
                raise
            return Fetched(last, error, True)
        self._last_good = workbook
        self._save_snapshot(workbook)
        return Fetched(workbook, None, False)

    def _read_with_retries(self) -> Workbook:
        start = self._clock()
        attempt = 0
        while True:
            try:
                return self.source.read()
            except SourceError as error:
                if error.kind not in RETRIED_KINDS or attempt >= self.retries:
                    raise
                remaining = self.max_total_seconds - (self._clock() - start)
                delay = min(self._rng() * self.base_delay * (2 ** attempt), remaining)
                if delay < 0 or remaining <= 0:
                    raise
                attempt += 1
                self._sleep(delay)

    def _save_snapshot(self, workbook: Workbook) -> None:
        if self.snapshot_path is None:
            return
        path = self.snapshot_path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(handle, "wb") as file:
                    pickle.dump(workbook, file, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, path)
            except BaseException:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
                raise
        except (OSError, pickle.PicklingError):
            pass  # no snapshot this time; the data in memory still serves this process

    def _load_snapshot(self) -> Workbook | None:
        if self.snapshot_path is None:
            return None
        try:
            with open(self.snapshot_path, "rb") as file:
                workbook = pickle.load(file)
        except Exception:  # missing, unreadable or from an incompatible version
            return None
        return workbook if isinstance(workbook, Workbook) else None
