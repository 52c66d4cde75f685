"""Reading many Google Sheets within the Sheets API quota (60 read requests a minute for one
service account, 300 for a project; a read of a sheet is 2 requests: its metadata and one
`values:batchGet`).

Each round of the background reads asks Google Drive once which spreadsheets changed since the
last round (data_sources/drive_changes.py: one request for all of them, on Drive's own quota).
A sheet that did not change since it was read is not read: its report is confirmed as of now. A
changed sheet (or one Drive cannot tell about) is read when the minute's budget allows — at most
`per_minute` requests in any 60 seconds, `DEFAULT_PER_MINUTE` leaving room under Google's 60 for
a manual «Обновить» — the longest-waiting first; the others wait for the next round. So an
unchanged sheet costs nothing of the Sheets quota, one changed sheet is read in the next round,
and 89 changed at once are read in 89 × 2 / 50 ≈ 3.6 minutes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from datetime import datetime, timedelta, timezone
from typing import Callable

from campaign.workbook import SourceError

LOG = logging.getLogger("campaign.schedule")

DEFAULT_PER_MINUTE = 50
READ_COST = 2  # requests of one read of a sheet (data_sources/google_sheet.py)
OVERLAP = timedelta(minutes=2)  # each Drive check looks back this far before the last one: clock skew


class MinuteBudget:
    """At most `per_minute` requests in any 60 seconds of `clock`."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._spent: deque[tuple[float, int]] = deque()
        self._lock = threading.Lock()

    def take(self, cost: int) -> bool:
        """Spends `cost` requests if the last 60 seconds leave room for them."""
        with self._lock:
            now = self._clock()
            while self._spent and now - self._spent[0][0] >= 60:
                self._spent.popleft()
            if sum(c for _, c in self._spent) + cost > self.per_minute:
                return False
            self._spent.append((now, cost))
            return True


class SheetSchedule:
    """Which of the due Google sheets to read now. `drive` answers `modified_since(moment)`
    (DriveChanges); None: no change check, every due sheet is read within the budget."""

    def __init__(self, drive=None, *, per_minute: int = DEFAULT_PER_MINUTE,
                 clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self.drive = drive
        self.budget = MinuteBudget(per_minute, clock)
        self._wall = wall
        self._checked_at: datetime | None = None
        self._modified: dict[str, datetime] = {}  # the latest modifiedTime Drive gave of each sheet
        self._read_version: dict[tuple[str, str], datetime | None] = {}  # (sheet, reader) -> the version read
        self._lock = threading.Lock()
        self.last_error: SourceError | None = None

    def check(self) -> bool:
        """Asks Drive which sheets changed since the last check (one request; the first lists
        every spreadsheet the account sees). False when Drive did not answer: then nothing is
        known to be unchanged."""
        if self.drive is None:
            return False
        started = self._wall()
        since = None if self._checked_at is None else self._checked_at - OVERLAP
        try:
            changed = self.drive.modified_since(since)
        except SourceError as error:
            LOG.warning("Проверка изменений в Google Drive не удалась: %s", error.message)
            self.last_error = error
            return False
        with self._lock:
            for key, modified in changed.items():
                if key not in self._modified or modified > self._modified[key]:
                    self._modified[key] = modified
            self._checked_at = started
        self.last_error = None
        return True

    def unchanged(self, key: str, reader: str = "") -> bool:
        """Whether Drive says the sheet has not changed since `reader` (a campaign: the regions of
        a whole-country sheet read it each for its rows) last read it under this schedule."""
        with self._lock:
            if self._checked_at is None or key not in self._modified or (key, reader) not in self._read_version:
                return False
            return self._read_version[(key, reader)] == self._modified[key]

    def may_read(self) -> bool:
        """Spends a read's requests from the minute's budget, if it has room."""
        return self.budget.take(READ_COST)

    def version(self, key: str) -> datetime | None:
        """The modifiedTime Drive gave of `key` before a read starts: the version the read gets
        (a change during the read shows as a later version at the next check, and is read then)."""
        with self._lock:
            return self._modified.get(key)

    def read(self, key: str, version: datetime | None, reader: str = "") -> None:
        """`reader`'s read of `key` that started at `version` succeeded."""
        with self._lock:
            self._read_version[(key, reader)] = version
