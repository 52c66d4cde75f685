"""The map with its legend and click-to-select, for the pages."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from campaign import russian
from campaign.pipeline import Report
from components.map import ATTRIBUTION, LAYER_ID, legend_items, municipality_deck


def legend(by_share: bool) -> alt.Chart:
    items = legend_items(by_share)
    frame = pd.DataFrame({"label": [label for label, _ in items], "order": range(len(items)),
                          "colour": ["#%02x%02x%02x" % colour for _, colour in items]})
    title = "Доля цели по организациям" if by_share else "Организаций присоединилось"
    return alt.Chart(frame, title=alt.Title(title, fontSize=13, anchor="start")).mark_square(size=220).encode(
        x=alt.X("order:O", axis=None),
        color=alt.Color("colour:N", scale=None),
    ).properties(height=40) + alt.Chart(frame).mark_text(dy=18, fontSize=12).encode(
        x=alt.X("order:O", axis=None), text="label:N")


def selected_uid(state, report: Report) -> str | None:
    try:
        objects = state.selection.objects.get(LAYER_ID, [])
    except AttributeError:
        return None
    if not objects:
        return None
    uid = objects[0].get("properties", {}).get("uid") or objects[0].get("uid")
    return uid if uid in report.registry.by_uid else None


def map_with_legend(report: Report, *, key: str, height: int = 560) -> str | None:
    """Draws the map; returns the uid of the clicked municipality, if any."""
    table = report.municipalities
    has_quota = "quota" in table and table["quota"].notna().any()
    by_share = has_quota and st.toggle("Раскрасить по доле цели", value=True, key=f"{key}_share",
                                       help="Цели по муниципалитетам — с листа «Цели»")
    uid = selected_uid(st.session_state.get(key), report)  # the click that caused this rerun
    deck = municipality_deck(report.campaign.region_iso, report.registry, table, by_share=by_share, selected=uid)
    st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", key=key, height=height)
    st.altair_chart(legend(by_share), width="content")
    st.caption(ATTRIBUTION)
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
