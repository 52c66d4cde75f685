"""The map with its legend and click-to-select, for the pages."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from campaign import russian
from campaign.measures import map_measures
from campaign.pipeline import Report
from components.map import ATTRIBUTION, LAYER_ID, clicked_property, legend_items, municipality_deck


def legend_table(by_share: bool) -> "pd.io.formats.style.Styler":
    """The colour scale as a one-row table of coloured cells (readable in light and dark themes)."""
    items = legend_items(by_share)
    frame = pd.DataFrame([[label for label, _ in items]], columns=[f"c{i}" for i in range(len(items))])
    colours = ["background-color: #%02x%02x%02x; color: %s" % (*colour, "#ffffff" if i >= 4 else "#1a1a1a")
               for i, (_, colour) in enumerate(items)]
    return frame.style.apply(lambda row: colours, axis=1).hide(axis="index")


def legend(by_share: bool, attribution: str) -> None:
    """The colour scale under a map, then whose boundaries these are."""
    st.dataframe(legend_table(by_share), hide_index=True, width=720,
                 column_config={f"c{i}": st.column_config.TextColumn(label=" ") for i in range(6)})
    st.caption(attribution)


def selected_uid(state, report: Report) -> str | None:
    """The uid of the clicked polygon in a pydeck chart's selection state, if any."""
    uid = clicked_property(state, LAYER_ID, "uid")
    return uid if uid in report.registry.by_uid else None


def map_with_legend(report: Report, *, key: str, height: int = 560, basemap: str | None = None,
                    compact: bool = False) -> str | None:
    """Draws the map; returns the uid of the clicked municipality, if any. `compact` (the
    briefing) leaves out the colouring chooser, the click hint and the municipality card."""
    measures = map_measures(report)
    measure = measures[0]
    if len(measures) > 1 and not compact:
        labels = {m.id: m.label for m in measures}
        chosen = st.selectbox("Раскрасить карту", list(labels), format_func=labels.get, key=f"{key}_measure",
                              help="Доля — от всех организаций муниципалитета в таблице или от цели на листе «Цели»")
        measure = next(m for m in measures if m.id == chosen)
    uid = selected_uid(st.session_state.get(key), report)  # the click that caused this rerun
    deck = municipality_deck(report, measure, selected=uid, height=height, basemap=basemap)
    st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", key=key, height=height)
    st.caption(f"{measure.label}: доля" if measure.by_share and measure.id != "quota" else measure.label)
    legend(measure.by_share, ATTRIBUTION)
    if compact:
        return uid
    if uid:
        municipality_card(report, uid)
    else:
        st.caption("Нажмите на муниципалитет на карте, чтобы увидеть его цифры; наведите — подсказка.")
    return uid


def municipality_card(report: Report, uid: str) -> None:
    row = report.municipalities.set_index("uid").loc[uid]
    st.markdown(f"#### {row['name']}")
    metrics = report.campaign.summary_metrics
    cols = st.columns(len(metrics) + 2)
    quota = row.get("quota")
    shares = {t.metric: t for t in report.campaign.targets if t.share_of is not None}
    for column, metric in zip(cols, metrics):
        value = int(row[metric.id])
        help_text = None
        if metric.id == report.campaign.headline.id and quota is not None and not pd.isna(quota):
            help_text = f"Цель: {russian.number(int(quota))}"
        target = shares.get(metric.id)
        if target is not None:
            base = int(row[target.share_of])
            column.metric(metric.heading, russian.out_of(value, base), help=target.label)
        else:
            column.metric(metric.heading, russian.number(value), help=help_text)
    cols[-2].metric("Ошибок в таблице", russian.number(int(row["errors"])))
    cols[-1].metric("Предупреждений", russian.number(int(row["warnings"])))
