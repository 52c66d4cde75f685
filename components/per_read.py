"""What the pages draw of a read, made once for every session.

A read's report is one object shared by all sessions (service/reads.py). What a page draws of
it — a map's deck, a chart's spec, a table — depends on the report and a few choices (the
measure, the municipality clicked, the theme), not on the session: `@per_read` keeps it on the
report, so a rerun of any page in any session only selects what was drawn. What it keeps must
not be changed by a page: JSON text, tuples, frozen objects (a DataFrame is handed out as a
copy-on-write copy: a page's change stays the page's).

The cache goes with its report (nothing is kept of a read nobody shows), `LIMIT` drawings per
function and report.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections import OrderedDict
from typing import Callable, TypeVar

import pandas as pd

LIMIT = 64  # drawings per function and report: a map per municipality clicked, per measure, per theme

_LOCK = threading.Lock()
_DRAWN: dict[int, dict[str, OrderedDict]] = {}  # id(report) -> function -> key -> what it drew

T = TypeVar("T")


def _forget(report_id: int) -> None:
    with _LOCK:
        _DRAWN.pop(report_id, None)


def per_read(function: Callable[..., T]) -> Callable[..., T]:
    """`function(report, *choices)`, made once per report and choices (hashable) for every
    session. `report` may be a tuple of reports (the regions of one campaign): kept with the
    first, for as long as all of them are the current ones."""
    name = f"{function.__module__}.{function.__qualname__}"

    @functools.wraps(function)
    def drawn(report, *choices, **named):
        reports = report if isinstance(report, tuple) else (report,)
        key = (tuple(id(r) for r in reports), choices, tuple(sorted(named.items())))
        with _LOCK:
            of_report = _DRAWN.get(id(reports[0]))
            if of_report is None:
                of_report = _DRAWN[id(reports[0])] = {}
                weakref.finalize(reports[0], _forget, id(reports[0]))
            kept = of_report.setdefault(name, OrderedDict())
            found = kept.get(key)
            # the others' ids may be a later object's once they are gone: the kept refs tell
            if found is not None and all(ref() is r for ref, r in zip(found[0], reports)):
                kept.move_to_end(key)
                return _handed_out(found[1])
        value = function(report, *choices, **named)
        with _LOCK:
            kept[key] = (tuple(weakref.ref(r) for r in reports), value)
            while len(kept) > LIMIT:
                kept.popitem(last=False)
        return _handed_out(value)

    return drawn


def _handed_out(value):
    if isinstance(value, pd.DataFrame):
        return value.copy(deep=False)  # pandas' copy-on-write: changing it never changes the kept one
    return value


def drawings() -> int:
    """How many drawings are kept now, of all reports (for the tests)."""
    with _LOCK:
        return sum(len(kept) for of_report in _DRAWN.values() for kept in of_report.values())
