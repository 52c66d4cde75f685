"""The width of the column a map is drawn in, as the browser measures it.

A map's first view (its zoom) is made on the server, and deck.gl has no «fit these bounds» of
its own in a deck's JSON: fitted into a guessed width the region filled 45 % of a wide
screen's frame and overflowed a phone's. A tiny component in the column measures the column
and reports its width (in steps of `STEP` px, again only when it changes: a window made wider,
a phone turned); the first run draws for `default`, the next for what was measured.
"""

from __future__ import annotations

import streamlit as st

STEP = 20  # px: a map per 20 px of width at most (a drawing per width is kept per read)
MIN_WIDTH = 240
KEPT = "_measured:"  # session key prefix of a width measured on an earlier visit of the page

_JS = """
export default function(component) {
  const { setStateValue, parentElement, data } = component;
  const host = parentElement.host || parentElement;
  let sent = data.width;
  host.dataset.drawnFor = data.width ?? "";  // the width the page was drawn for: tests wait for it
  const measure = () => {
    const width = Math.round(host.getBoundingClientRect().width / data.step) * data.step;
    host.dataset.measured = width;
    if (width > 0 && width !== sent) {
      sent = width;
      setStateValue("width", width);
    }
  };
  const observer = new ResizeObserver(measure);
  observer.observe(host);
  return () => observer.disconnect();
}
"""
_CSS = ":host { display: block; height: 0; }"

_probe = st.components.v2.component("dashboard.column_width", js=_JS, css=_CSS)


def _nothing() -> None:
    """A measured width reruns the page (its state changed); nothing else is to be done."""


def column_width(key: str, default: int) -> int:
    """The width in px of the column this is called in (`default` until the browser has said).
    `key` ends in «_column_width»: the page's CSS takes the probe's gap away by it."""
    if not key.endswith("_column_width"):
        raise ValueError(f"a column width's key ends in «_column_width»: {key!r}")
    state = st.session_state.get(key)
    width = state.get("width") if hasattr(state, "get") else None  # as measured before this run
    if not isinstance(width, (int, float)) or width < MIN_WIDTH:
        # a widget's state goes when its page is left: what it measured is kept apart, so that coming
        # back draws the map for its width at once (no second run of the page to learn it again)
        width = st.session_state.get(f"{KEPT}{key}")
    else:
        st.session_state[f"{KEPT}{key}"] = int(width)
    _probe(key=key, data={"width": width, "step": STEP}, on_width_change=_nothing)
    return int(width) if width is not None else default
