"""Pages that update themselves: the header's line (when the sheet was read) is a fragment that
runs every `LIVE_SECONDS` on its own (st.fragment(run_every=…)), asking the server's reads for the
campaign's current report — a look-up in memory, no read of a sheet and no run of the page:

- the same report (an unchanged sheet read again, or no new read): only that line is drawn again,
  with the new time of the read;
- a new report (the figures changed), or data that became stale or fresh: the page runs again
  once, as a click would run it; the widgets a user set keep their values (they live in the
  session), the map stays the same element with its zoom, and the line says «обновлено в 14:05».

So an open page costs one tiny fragment run every few seconds, and never a run of the whole page
to find nothing new. «Регионы» watches every connected region of its campaign the same way, and a
page waiting for its first read (`loaded_or_stop`) runs again by itself when the read is there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable

import pandas as pd
import streamlit as st

from campaign import russian
from campaign.federal import NOT_CONNECTED, RegionRead
from components.data import Loaded, current_settings, error_text, history_banner, load, lost_banner, reads, stale_banner
from components.screen import turn_if_due
from components.text import literal

LIVE_SECONDS = 10  # how often an open page asks whether there is a new read
DRAWN = "_live_drawn"  # page key -> [(the report a region's part was drawn of, whether it was stale)]
UPDATED = "_live_updated"  # page key -> when a new read last ran the page again


def live_line(loaded: Loaded, line: Callable[[Loaded], str]) -> None:
    """Draws `line(loaded)` (the header's text) and keeps it and the page up to date with the
    server's reads of the campaign."""
    key = loaded.settings.campaign_id
    st.session_state.setdefault(DRAWN, {})[key] = [(loaded.report, loaded.stale)]
    _watch(key, [loaded.settings], line)


def loaded_or_stop() -> Loaded:
    """For a page: the loaded report, or a clear banner and stop (a page waiting for the first read
    says so calmly and runs again by itself when the read is there). What is wrong with data that
    is there (old, lost rows, no history) the page says under its header: `banners`."""
    loaded = load()
    if loaded.error is not None and loaded.error.kind == "pending" and loaded.settings is not None:
        st.info(literal(loaded.error.message), icon=":material/hourglass_top:")  # not a failure: the data comes
        until_first_read(loaded.settings)
        st.stop()
    if loaded.error is not None:
        st.error(f"{loaded.failed} {literal(error_text(loaded))}".strip(), icon=":material/error:")
        st.stop()
    return loaded


def banners(loaded: Loaded) -> None:
    """The data is the last good read; the history cannot be written; rows went missing."""
    stale_banner(loaded)
    history_banner(loaded)
    lost_banner(loaded)


def until_first_read(settings) -> None:
    """A page waiting for the campaign's first read (the sheets are read in turn, or by the reader
    of a shared history): it runs again by itself when the read is there."""
    key = settings.campaign_id
    st.session_state.setdefault(DRAWN, {})[key] = [(None, False)]
    _watch(key, [settings], lambda loaded: "")


def live_regions(key: str, regions: list[RegionRead], line: str) -> None:
    """«Регионы»: draws `line` and runs the page again when a connected region has a new read."""
    watched = [region for region in regions if region.status != NOT_CONNECTED]
    settings = []
    for region in watched:
        try:
            settings.append(current_settings(region.campaign_id))
        except Exception:  # noqa: BLE001 - the page says what is wrong with a region's settings
            continue
    by_id = {region.campaign_id: region.report for region in watched}
    st.session_state.setdefault(DRAWN, {})[key] = [(by_id.get(s.campaign_id), False) for s in settings]
    _watch(key, settings, lambda loaded: line, stale_counts=False)


@st.fragment(run_every=LIVE_SECONDS)
def _watch(key: str, settings: list, line: Callable[[Loaded], str], stale_counts: bool = True) -> None:
    turn_if_due()  # a wall screen's next page, by this same timer (components/screen.py)
    currents = [reads().current(one) for one in settings]
    drawn = st.session_state.get(DRAWN, {}).get(key)
    now = [(current.report, stale_counts and current.stale_error is not None) for current in currents]
    if drawn is not None and any(report is not None and (stale != was_stale or (
            report is not before and figures_of(report) != figures_of(before)))
                                 for (report, stale), (before, was_stale) in zip(now, drawn)):
        first = Loaded(settings[0], currents[0].report, None)
        st.session_state.setdefault(UPDATED, {})[key] = first.local_time(datetime.now().astimezone())
        st.rerun(scope="app")
    current = currents[0] if currents else None
    if current is None or current.report is None:
        st.caption(line(None) + updated_note(key) if not stale_counts else "")
        return
    shown = Loaded(settings[0], current.report, current.error, current.stale_error, current.history_error)
    st.caption(line(shown) + updated_note(key))


def figures_of(report) -> object:
    """What a page draws of a report, as a value (a new report of the same figures — the same sheet
    read into a new report — does not run the page again): the totals, the problems' counts and the
    table of municipalities, hashed (about 2 ms)."""
    if report is None:
        return None
    try:
        table = int(pd.util.hash_pandas_object(report.municipalities, index=True).sum())
    except TypeError:  # a column pandas cannot hash: the report itself decides
        table = id(report)
    return tuple(sorted(report.metrics.items())), report.errors, report.warnings, table


def updated_note(key: str) -> str:
    """« · обновлено в 14:05» when a new read has run this session's page again."""
    updated = st.session_state.get(UPDATED, {}).get(key)
    return f" · обновлено в {russian.clock_time(updated)}" if updated is not None else ""
