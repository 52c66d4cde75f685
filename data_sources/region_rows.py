"""One workbook for the whole country, with a «Регион» column: each region of a federal campaign
reads its own rows of it.

The workbook is read once for all regions (`SharedRead`: the regions that ask within
`FRESH_SECONDS` of a read get that read), then each region keeps the rows whose «Регион» cell
names it — by its ОКАТО code or its name in any usual spelling (campaign/subjects.py) — with
their row numbers, so that a problem still points to the row of the shared workbook. A row whose
region is empty or names no subject belongs to no region: `unassigned` lists them for the
federal view.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable

from campaign.subjects import UnknownSubject, find_subject
from campaign.text import clean, label_key
from campaign.workbook import RawTab, Source, SourceError, Workbook

REGION_HEADERS = ("Регион", "Субъект РФ", "Субъект Российской Федерации", "Субъект", "Код региона")
FRESH_SECONDS = 15.0  # the regions of one round share one read of the workbook
MSG_NO_COLUMN = ("В общей таблице регионов на листе «{tab}» нет столбца «Регион»: добавьте его (название или "
                 "код по ОКАТО субъекта в каждой строке), чтобы строки достались своим регионам.")


class SharedRead:
    """One read of a source for everyone who asks within `fresh` seconds of it (concurrent askers
    wait for the read under way)."""

    def __init__(self, source: Source, *, fresh: float = FRESH_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.source = source
        self._fresh = fresh
        self._clock = clock
        self._lock = threading.Lock()
        self._last: tuple[float, Workbook] | None = None
        self.reads = 0

    def read(self) -> Workbook:
        with self._lock:
            if self._last is not None and self._clock() - self._last[0] < self._fresh:
                return self._last[1]
            self.reads += 1
            workbook = self.source.read()
            self._last = (self._clock(), workbook)
            return workbook

    @property
    def last(self) -> Workbook | None:
        with self._lock:
            return self._last[1] if self._last is not None else None


_SHARED: dict[tuple[str, str], SharedRead] = {}
_SHARED_LOCK = threading.Lock()


def shared_read(kind: str, source: str, make: Callable[[], Source]) -> SharedRead:
    """The process's one SharedRead of a source (every region of the workbook uses it)."""
    with _SHARED_LOCK:
        found = _SHARED.get((kind, source))
        if found is None:
            found = _SHARED[(kind, source)] = SharedRead(make())
        return found


def last_read(kind: str, source: str) -> Workbook | None:
    """The latest read of a shared workbook in this process (None before its first)."""
    with _SHARED_LOCK:
        found = _SHARED.get((kind, source))
    return found.last if found is not None else None


@lru_cache(maxsize=4096)
def region_of(cell: str) -> str | None:
    """The ОКАТО code of the subject a «Регион» cell names, or None."""
    text = clean(cell)
    if not text:
        return None
    try:
        return find_subject(text).code
    except UnknownSubject:
        return None


def region_column(tab: RawTab) -> int | None:
    keys = {label_key(name) for name in REGION_HEADERS}
    return next((index for index, cell in enumerate(tab.header) if label_key(str(cell)) in keys), None)


@dataclass(frozen=True)
class Unassigned:
    """A row of the shared workbook that belongs to no region: its tab, row and «Регион» cell."""

    tab: str
    row: int
    value: str


def unassigned(workbook: Workbook) -> list[Unassigned]:
    found = []
    for tab in workbook.tabs:
        column = region_column(tab)
        if column is None:
            continue
        for row, number in zip(tab.rows, tab.row_numbers):
            cell = str(row[column]) if column < len(row) and row[column] is not None else ""
            if any(clean(str(c)) for c in row) and region_of(cell) is None:
                found.append(Unassigned(tab.title, number, clean(cell)))
    return found


class RegionRows:
    """The rows of one region (ОКАТО `code`) of a shared workbook."""

    def __init__(self, shared: SharedRead, code: str) -> None:
        self.shared = shared
        self.code = code

    @property
    def kind(self) -> str:
        return getattr(self.shared.source, "kind", "file")

    def read(self) -> Workbook:
        workbook = self.shared.read()
        tabs = []
        for tab in workbook.tabs:
            column = region_column(tab)
            if column is None:
                if any(any(clean(str(c)) for c in row) for row in tab.rows):
                    raise SourceError("config", MSG_NO_COLUMN.format(tab=tab.title))
                tabs.append(tab)
                continue
            kept = [(row, number) for row, number in zip(tab.rows, tab.row_numbers)
                    if column < len(row) and row[column] is not None and region_of(str(row[column])) == self.code]
            tabs.append(replace(tab, rows=[list(row) for row, _ in kept], row_numbers=[n for _, n in kept]))
        return replace(workbook, tabs=tabs)
