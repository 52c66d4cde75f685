"""KPI cards: one target of the campaign each."""

from __future__ import annotations

import re
from collections import Counter

import streamlit as st

from campaign import russian
from campaign.changes import Changes, signed
from campaign.progress import TargetProgress
from campaign.spec import MetricSpec
from campaign.summary import remaining_text as summary_remaining
from campaign.summary import target_figure


def target_range(target: TargetProgress) -> str:
    if target.is_share:
        return "цель — все" if target.min == 1 else f"цель — не менее {russian.percent(target.min)}"
    if target.max is not None and target.min is not None:
        return f"цель {russian.number(target.min)}–{russian.number(target.max)}"
    if target.min is not None:
        return f"цель не менее {russian.number(target.min)}"
    return ""


def remaining_text(target: TargetProgress, metric: MetricSpec) -> str:
    return "выполнено" if target.met else summary_remaining(target, metric.unit)


def whose(source: str) -> str:
    """The document a target comes from, in a few words: «Памятка», «Письмо заместителя
    председателя Правительства области» (up to its date, number or topic)."""
    return re.split(r" (?:от|по|№) |\s*\(", source, maxsplit=1)[0]


def kpi_card(target: TargetProgress, metric: MetricSpec, compact: bool = False, delta: int | None = None,
             *, source: bool = False) -> None:
    """One target: its figure, what remains, and the change since yesterday when known.
    `compact` (the first screen): small, the document it comes from in the tooltip; `source`: said
    on the card too (two targets of one metric, from two documents, look alike otherwise)."""
    with st.container(border=True, height="stretch"):  # cards of a row as tall as the tallest
        if compact:  # the figure first, smaller (COMPACT_CSS); the target's words under it
            st.metric(label=target.label, label_visibility="collapsed", value=target_figure(target),
                      delta=remaining_text(target, metric), delta_color="normal" if target.met else "inverse",
                      delta_arrow="off")
            st.caption(russian.hyphenated(target.label) + (f"  \n{whose(target.source)}" if source else "")
                       + (f"  \n{signed(delta)} за сутки" if delta else ""),
                       help=f"{target_range(target)} · {target.source}")
            return
        # whole, where a metric label would be cut with «…»; long words hyphenated in a narrow card
        st.markdown(f"**{russian.hyphenated(target.label)}**")
        st.metric(
            label=target.label,
            label_visibility="collapsed",
            value=target_figure(target),
            delta=remaining_text(target, metric),
            delta_color="normal" if target.met else "inverse",
            delta_arrow="off",
        )
        if delta:
            st.caption(f"{signed(delta)} за сутки")
        st.caption(f"{target_range(target)} · {target.source}")


# Static CSS only: the figures of the first screen's cards smaller, so that one row holds them
# and what remains wrapped, not cut with «…»
COMPACT_CSS = ("<style>[data-testid='stMetricValue'] div, [data-testid='stMetricValue'] p "
               "{ font-size: 1.6rem !important; }"
               "[data-testid='stMetricDelta'], [data-testid='stMetricDelta'] * { white-space: normal !important; "
               "overflow: visible !important; text-overflow: clip !important; height: auto !important; }"
               # a phone: two cards a row, not six cards one under another before anything else
               "@media (max-width: 640px) { .st-key-kpi_cards [data-testid='stHorizontalBlock'] { flex-wrap: wrap; }"
               " .st-key-kpi_cards [data-testid='stColumn'] { min-width: calc(50% - 0.5rem) !important;"
               " flex: 1 1 calc(50% - 0.5rem) !important; } }</style>")


def kpi_cards(report, per_row: int = 3, metric_ids: set[str] | None = None, compact: bool = False,
              changes: Changes | None = None) -> None:
    """A card for every target of the campaign (or those of the given metrics); with `changes`,
    each says how its metric moved since yesterday."""
    targets = [t for t in report.targets if metric_ids is None or t.metric in metric_ids]
    shared = Counter(t.metric for t in targets)  # a metric with two targets: whose each is
    if compact:
        st.html(COMPACT_CSS)
    with st.container(key="kpi_cards" if compact else None):
        for start in range(0, len(targets), per_row):
            columns = st.columns(per_row)
            for column, target in zip(columns, targets[start:start + per_row]):
                with column:
                    delta = changes.delta(target.metric) if changes is not None else None
                    kpi_card(target, report.campaign.metric(target.metric), compact, delta,
                             source=shared[target.metric] > 1 and bool(target.source))
