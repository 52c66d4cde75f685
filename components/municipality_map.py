"""The map with its legend, and the card of the municipality clicked on it, beside the map."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from campaign import russian
from campaign.map_view import Measure, hex_colour, legend_items, map_measures, no_map_note, ranked, text_colour
from campaign.pipeline import Report
from components.column_width import column_width
from components.map import ATTRIBUTION, PICKABLE_LAYERS, clicked_choice, frame_height, municipality_deck
from components.text import CHOOSE, literal

MAP_WIDTH = 520  # the map column's width at 1366 px: the region is fitted into it until the browser says


def legend_html(by_share: bool) -> str:
    """The colour scale as one row of coloured cells, no header (static text only)."""
    cells = "".join(
        f'<span style="background:{hex_colour(colour)};color:{hex_colour(text_colour(colour))};'
        f'padding:3px 10px;white-space:nowrap">{html.escape(label)}</span>'
        for label, colour in legend_items(by_share))
    return (f'<div data-testid="map-legend" style="display:flex;flex-wrap:wrap;gap:0;font-size:0.8rem;'
            f'border-radius:4px;overflow:hidden;width:fit-content">{cells}</div>')


def legend(by_share: bool, attribution: str) -> None:
    """The colour scale under a map, then whose boundaries these are."""
    st.html(legend_html(by_share))  # only the bins' own labels: no sheet text reaches it
    st.caption(attribution)


def chosen_municipality(key: str, report: Report) -> tuple[str | None, str]:
    """(the municipality chosen on the map `key` — clicked now or before — and the chart's widget
    key). A choice that is no municipality of this region (another campaign's) is dropped."""
    clicked, chart_key = clicked_choice(key, PICKABLE_LAYERS, "uid", report.registry.by_uid)
    chosen_key = f"{key}:chosen"
    if clicked:
        st.session_state[chosen_key] = clicked
    uid = st.session_state.get(chosen_key)
    if uid not in report.registry.by_uid:
        uid = st.session_state[chosen_key] = None
    return uid, chart_key


def _forget(key: str) -> None:
    st.session_state[f"{key}:chosen"] = None
    if f"{key}_chosen" in st.session_state:  # the chooser of a region without a map
        st.session_state[f"{key}_chosen"] = None


def map_with_legend(report: Report, *, key: str, height: int = 560, basemap: str | None = None,
                    compact: bool = False) -> str | None:
    """Draws the map; returns the uid of the municipality clicked on it, if any. Beside the map,
    that municipality's card (or a hint); `compact` leaves out the colouring chooser and the card."""
    measures = map_measures(report)
    measure = measures[0]
    if len(measures) > 1 and not compact:
        labels = {m.id: m.label for m in measures}
        chosen = st.selectbox("Раскрасить карту", list(labels), format_func=labels.get, key=f"{key}_measure",
                              placeholder=CHOOSE,
                              help="Доля — от всех организаций муниципалитета в таблице или от цели на листе «Цели»")
        measure = next(m for m in measures if m.id == chosen)
    if not report.registry.has_boundaries:
        return _without_map(report, measure, key=key, compact=compact)
    uid, chart_key = chosen_municipality(key, report)
    if compact:
        _map(report, measure, uid, chart_key, height, basemap, key=key)
        return uid
    left, right = st.columns([3, 2], gap="medium")
    with left:
        _map(report, measure, uid, chart_key, height, basemap, key=key)
    with right:
        if uid:
            municipality_card(report, uid, measure, key)
        else:
            # words for a mouse and for a touch screen alike (a phone has no wheel to speak of)
            st.caption("Нажмите на муниципалитет или его подпись на карте — здесь появятся его цифры. "
                       "Чтобы приблизить карту, нажмите на неё дважды или раздвиньте двумя пальцами; "
                       "когда муниципалитет выбран, её приближает и колесо мыши.")
    return uid


def _without_map(report: Report, measure: Measure, *, key: str, compact: bool) -> str | None:
    """A region without bundled boundaries: the note where the map would be, and its
    municipalities to choose from (those with data first), the card beside as on a map."""
    st.info(no_map_note(report), icon=":material/map:")
    if compact:
        return None
    names = {m.uid: f"{m.name} — {measure.label_text(m.uid)}" for m in ranked(report, measure)}
    left, right = st.columns([3, 2], gap="medium")
    with left:
        uid = st.selectbox("Муниципалитет", list(names), index=None, format_func=names.get, key=f"{key}_chosen",
                           placeholder="Выберите муниципалитет", help=measure.label)
    with right:
        if uid:
            municipality_card(report, uid, measure, key)
    return uid


def _map(report: Report, measure: Measure, uid: str | None, chart_key: str, most_height: int,
         basemap: str | None, *, key: str) -> None:
    """The map fitted into its column as the browser measured it, as tall as the region needs."""
    width = column_width(f"{key}_column_width", MAP_WIDTH)
    height = frame_height(report.campaign.region_key, width, most=most_height)
    deck = municipality_deck(report, measure.id, selected=uid, height=height, width=width, basemap=basemap,
                             wheel_zoom=uid is not None)  # the user has clicked into this map
    st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", key=chart_key, height=height)
    st.caption(measure.label)  # «Доля, %: …» or «Число: …»: what the colours are
    legend(measure.by_share, ATTRIBUTION)


def municipality_card(report: Report, uid: str, measure: Measure, key: str) -> None:
    """The municipality's figures against its targets, its problems, and links to its rows,
    its problems and its form."""
    row = report.municipalities.set_index("uid").loc[uid]
    campaign = report.campaign
    with st.container(border=True):
        st.markdown(f"#### {literal(row['name'])}")
        st.markdown(f"**{literal(measure.label)}:** {measure_figure(measure, uid)}")
        metrics = campaign.summary_metrics
        shares = {t.metric: t for t in campaign.targets if t.share_of is not None}
        quota = row.get("quota")
        columns = st.columns(min(len(metrics), 2))
        for number, metric in enumerate(metrics):
            value = int(row[metric.id])
            target = shares.get(metric.id)
            column = columns[number % len(columns)]
            if target is not None:
                column.metric(metric.heading, russian.out_of(value, int(row[target.share_of]), with_share=True),
                              help=target.label)
            elif metric.id == campaign.headline.id and quota is not None and not pd.isna(quota):
                column.metric(metric.heading, russian.out_of(value, int(quota)),
                              help=f"Цель муниципалитета (лист «Цели»): {russian.number(int(quota))}")
            else:
                column.metric(metric.heading, russian.number(value))
        errors, warnings = int(row["errors"]), int(row["warnings"])
        st.markdown(f"Проблемы в таблице: {russian.problems_count(errors, warnings)}")
        # the campaign too: the card is also on «Регионы», where a region's pages are another campaign's
        where = {"campaign": campaign.id, "mo": uid}
        st.page_link("pages/municipalities.py", label="Строки муниципалитета в таблице", icon=":material/table:",
                     query_params=where)
        st.page_link("pages/problems.py", label="Проблемы муниципалитета", icon=":material/fact_check:",
                     query_params=where)
        if campaign.form is not None:
            st.page_link("pages/reports.py", label="Форма итогов муниципалитета", icon=":material/description:",
                         query_params=where)
        st.button("Закрыть", key=f"{key}:close", on_click=_forget, args=(key,), icon=":material/close:")


def measure_figure(measure: Measure, uid: str) -> str:
    """«5 из 4 (125 %)» of a quota or a share, «5» of a count."""
    value, base, _share = measure.of(uid)
    return russian.out_of(value, base, with_share=True) if base else (
        "—" if measure.by_share else russian.number(value))
