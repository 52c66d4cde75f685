"""Pages that update themselves: the header's line of when the sheet was read is a fragment that
runs every `LIVE_SECONDS` on its own (st.fragment(run_every=…)), asking the server's reads for the
campaign's current report — a dictionary look-up, no read and no page run:

- the same report (an unchanged sheet read again, or no new read): only that line is drawn again,
  with the new time of the read;
- a new report (the figures changed) or data that became stale or fresh: the page runs again once,
  as a click would run it; the widgets a user set keep their values (they live in the session), the
  map keeps its zoom (its view is not part of the data), and the line says «обновлено в 14:05».

Polling a server-side value this way costs one tiny fragment run per open page every few seconds
and never a full run of a page to find nothing new.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from campaign import russian
from components.data import Loaded, reads

LIVE_SECONDS = 10  # how often an open page asks whether there is a new read
DRAWN = "_live_drawn"  # campaign id -> (the report the page was drawn of, whether it was stale)
UPDATED = "_live_updated"  # campaign id -> when a new read last ran the page again (the region's time)


def live_line(loaded: Loaded, line) -> None:
    """Draws `line(loaded)` (the header's text) and keeps it and the page up to date with the
    server's reads of the campaign."""
    campaign_id = loaded.settings.campaign_id
    st.session_state.setdefault(DRAWN, {})[campaign_id] = (loaded.report, loaded.stale)
    _watch(loaded.settings, line)


@st.fragment(run_every=LIVE_SECONDS)
def _watch(settings, line) -> None:
    campaign_id = settings.campaign_id
    current = reads().current(settings)
    now = Loaded(settings, current.report, current.error, current.stale_error, current.history_error)
    drawn = st.session_state.get(DRAWN, {}).get(campaign_id)
    if drawn is not None and now.report is not None and (now.report is not drawn[0] or now.stale != drawn[1]):
        st.session_state.setdefault(UPDATED, {})[campaign_id] = now.local_time(datetime.now().astimezone())
        st.rerun(scope="app")
    shown = now if now.report is not None else None
    st.caption(line(shown) + updated_note(campaign_id) if shown is not None else "")


def updated_note(campaign_id: str) -> str:
    """« · обновлено в 14:05» when a new read has run this session's page again."""
    updated = st.session_state.get(UPDATED, {}).get(campaign_id)
    return f" · обновлено в {russian.clock_time(updated)}" if updated is not None else ""
