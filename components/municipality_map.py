"""The map with its legend and click-to-select, for the pages."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from campaign import russian
from campaign.pipeline import Report
from components.map import ATTRIBUTION, LAYER_ID, legend_items, municipality_deck


def legend_table(by_share: bool) -> "pd.io.formats.style.Styler":
    """The colour scale as a one-row table of coloured cells (readable in light and dark themes)."""
    items = legend_items(by_share)
    frame = pd.DataFrame([[label for label, _ in items]], columns=[f"c{i}" for i in range(len(items))])
    colours = ["background-color: #%02x%02x%02x; color: %s" % (*colour, "#ffffff" if i >= 4 else "#1a1a1a")
               for i, (_, colour) in enumerate(items)]
    return frame.style.apply(lambda row: colours, axis=1).hide(axis="index")


def selected_uid(state, report: Report) -> str | None:
    """The uid of the clicked polygon in a pydeck chart's selection state, if any."""
    try:
        objects = state["selection"]["objects"].get(LAYER_ID, [])
    except (KeyError, TypeError, AttributeError):
        return None
    if not objects:
        return None
    first = objects[0]
    uid = (first.get("properties") or {}).get("uid") or first.get("uid")
    return uid if uid in report.registry.by_uid else None


def map_with_legend(report: Report, *, key: str, height: int = 560, basemap: str | None = None,
                    compact: bool = False) -> str | None:
    """Draws the map; returns the uid of the clicked municipality, if any. `compact` (the
    briefing) leaves out the colouring switch, the click hint and the municipality card."""
    table = report.municipalities
    has_quota = "quota" in table and table["quota"].notna().any()
    by_share = has_quota and (compact or st.toggle("Раскрасить по доле цели", value=True, key=f"{key}_share",
                                       help="Цели по муниципалитетам — с листа «Цели»"))
    uid = selected_uid(st.session_state.get(key), report)  # the click that caused this rerun
    deck = municipality_deck(report.campaign.region_iso, report.registry, table, by_share=by_share, selected=uid,
                             height=height, basemap=basemap)
    st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", key=key, height=height)
    st.caption("Доля цели по организациям (лист «Цели»)" if by_share else "Организаций присоединилось")
    st.dataframe(legend_table(by_share), hide_index=True, width=720,
                 column_config={f"c{i}": st.column_config.TextColumn(label=" ") for i in range(6)})
    st.caption(ATTRIBUTION)
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
    cols = st.columns(5)
    quota = row.get("quota")
    joined = int(row["organisations_joined"])
    cols[0].metric("Организаций", russian.number(joined),
                   help=None if quota is None or pd.isna(quota) else f"Цель: {russian.number(int(quota))}")
    cols[1].metric("Мероприятий", russian.number(int(row["events_total"])))
    cols[2].metric("Охват, чел.", russian.number(int(row["reach"])))
    cols[3].metric("Ошибок в таблице", russian.number(int(row["errors"])))
    cols[4].metric("Предупреждений", russian.number(int(row["warnings"])))
