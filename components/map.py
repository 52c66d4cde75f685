"""The municipality map: a pydeck choropleth of the region, readable offline. What it shows
(colours, classes, labels and where they go) comes from campaign.map_view, like the slide's map."""

from __future__ import annotations

import json
import math

import pandas as pd
import pydeck as pdk
import streamlit as st
from pydeck.bindings.json_tools import default_serialize

from campaign import russian
from campaign.map_view import (
    INK,
    MAX_ZOOM_IN,
    LabelFrame,
    Measure,
    fit_scale,
    inverse_mercator,
    map_measures,
    mercator,
    page_labels,
    region_extent,
    screen_boundaries,
)
from campaign.pipeline import Report
from campaign.registry import load_geojson
from components.per_read import per_read

ATTRIBUTION = "© OpenStreetMap contributors (ODbL); коды городов: hflabs/city (CC BY-SA 4.0)"
LAYER_ID = "municipalities"
PICKABLE_LAYERS = (LAYER_ID, "labels", "markers")  # a click on a label or a town's marker selects it too
BASEMAPS = {"light": "light", "dark": "dark"}  # Carto styles; anything else is a style URL
# Streamlit gives a deck without a map style the theme's Carto basemap (a request to
# basemaps.cartocdn.com on every load); this value of Streamlit's own says «none»: the
# polygons are the map, and nothing is fetched from outside.
NO_BASEMAP = "__MAP_STYLE__"
FILL = 2 ** -0.1  # the region takes this share of the map's box: a margin round it
LABEL_FONT_PX = 13
# 13 px DejaVu Sans: about 8 px a letter, 17 px a line; town markers of 6 px
PAGE_LABELS = dict(char_px=8.0, line_px=17.0, marker_px=6.0)


def clicked_property(state, layer_ids: str | tuple[str, ...], name: str) -> str | None:
    """A property of the clicked object (of one of `layer_ids`) in a pydeck chart's selection state."""
    try:
        objects = state["selection"]["objects"]
    except (KeyError, TypeError, AttributeError):
        return None
    for layer_id in (layer_ids,) if isinstance(layer_ids, str) else layer_ids:
        found = (objects.get(layer_id) or []) if hasattr(objects, "get") else []
        if found:
            return (found[0].get("properties") or {}).get(name) or found[0].get(name)
    return None


def clicked_choice(key: str, layer_ids: str | tuple[str, ...], name: str, valid) -> tuple[str | None, str]:
    """(what was just clicked on the map `key`, if anything in `valid`; the widget key to draw the
    chart under).

    After a click the chart is drawn afresh under a new widget key, so that it holds no
    selection: Streamlit fades every other polygon of a chart with a selection, and the map would
    no longer match its legend. The caller keeps the choice.
    """
    round_key = f"{key}:round"
    round_number = st.session_state.get(round_key, 0)
    clicked = clicked_property(st.session_state.get(f"{key}#{round_number}"), layer_ids, name)
    if clicked is not None and clicked in valid:
        round_number = st.session_state[round_key] = round_number + 1
        return clicked, f"{key}#{round_number}"
    return None, f"{key}#{round_number}"


class DrawnDeck(pdk.Deck):
    """A deck serialized once, compactly. pydeck indents its JSON (4.5 times the bytes) and
    serializes it again on every call; a deck drawn once per read (`per_read`) is handed to
    Streamlit as it is by every session's rerun."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._drawn = json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"),
                                 ensure_ascii=False)

    def to_json(self) -> str:
        return self._drawn


def box_view(west: float, east: float, south: float, north: float, *, width: int, height: int,
             fill: float = FILL, zoom_in: int = MAX_ZOOM_IN) -> pdk.ViewState:
    """The view that fits a lon/lat box into `width` × `height` pixels (deck.gl: 512 px tiles),
    zooming in at most `zoom_in` steps (the boundaries are drawn for that: map_view)."""
    scale = fit_scale(west, east, south, north, width, height) * fill
    zoom = math.log2(scale * 2 * math.pi / 512)
    (x0, y0), (x1, y1) = mercator(west, south), mercator(east, north)
    lon, lat = inverse_mercator((x0 + x1) / 2, (y0 + y1) / 2)
    return pdk.ViewState(longitude=lon, latitude=lat, zoom=zoom, min_zoom=zoom - 1, max_zoom=zoom + zoom_in,
                         pitch=0, bearing=0)


def frame_height(region_key: str, width: int, *, least: int = 300, most: int = 640) -> int:
    """The height of a map `width` px wide that the region fills as it fills the width (within
    `least`…`most`: a tall region is fitted to `most`, a flat one gets room for its labels)."""
    return box_height(region_extent(region_key), width, least=least, most=most)


def box_height(box: tuple[float, float, float, float], width: int, *, least: int = 300, most: int = 640) -> int:
    """`frame_height` of a lon/lat box (west, east, south, north)."""
    west, east, south, north = box
    (x0, y0), (x1, y1) = mercator(west, south), mercator(east, north)
    return max(least, min(most, round(width * (y1 - y0) / (x1 - x0))))


def page_frame(width: int, height: int) -> LabelFrame:
    return LabelFrame(width, height, fill=FILL, **PAGE_LABELS)


def tooltip_lines(report: Report) -> list[tuple[str, str]]:
    """(heading, property) of the tooltip's lines: the summary metrics, the quota, the shares."""
    lines = [(metric.heading, f"m_{metric.id}") for metric in report.campaign.summary_metrics]
    if "quota" in report.municipalities:
        lines.insert(1, ("Цель", "quota"))
    lines += [(report.campaign.metric(t.metric).heading, f"t_{t.id}") for t in report.campaign.targets
              if t.share_of is not None and t.metric not in {m.id for m in report.campaign.summary_metrics}]
    return lines


def map_features(report: Report, measure: Measure, *, selected: str | None, width: int) -> dict:
    """The region's polygons as a map `width` pixels wide draws them, with each municipality's
    numbers and colour as properties."""
    rows = municipality_rows(report)
    boundaries = screen_boundaries(report.campaign.region_key, width)
    features = []
    for feature in load_geojson(report.campaign.region_key)["features"]:
        uid = feature["properties"]["uid"]
        properties = {
            **tooltip_properties(report, rows.get(uid, {}), uid, feature["properties"]["name_ru"]),
            "fill": [*measure.colour(uid), 235],
            "line": [20, 20, 20, 255] if uid == selected else [90, 90, 90, 200],
            "line_width": 3 if uid == selected else 1,
        }
        features.append({"type": "Feature", "geometry": boundaries[uid], "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def tooltip_properties(report: Report, row: dict, uid: str, fallback_name: str = "") -> dict:
    """A municipality's figures (its row of `municipality_rows`) as the tooltip shows them, also
    on its label and marker."""
    quota = row.get("quota")
    properties = {
        "uid": uid,
        "name": row.get("name", fallback_name),
        "problems": russian.number(int(row.get("errors", 0)) + int(row.get("warnings", 0))),
        "quota": "—" if quota is None or pd.isna(quota) else russian.number(int(quota)),
    }
    summary = {m.id for m in report.campaign.summary_metrics}
    for metric in report.campaign.summary_metrics:
        properties[f"m_{metric.id}"] = russian.number(int(row.get(metric.id, 0)))
    for target in report.campaign.targets:
        if target.share_of is None:
            continue
        base = int(row.get(target.share_of, 0))
        got = int(row.get(target.metric, 0))
        properties[f"t_{target.id}"] = russian.out_of(got, base, with_share=True) if base else "—"
        if target.metric in summary:
            properties[f"m_{target.metric}"] = properties[f"t_{target.id}"]
    return properties


def municipality_rows(report: Report) -> dict:
    """uid -> the municipality's row of the report's table."""
    return report.municipalities.set_index("uid").to_dict("index")


def label_layers(report: Report, measure: Measure, frame: LabelFrame, selected: str | None = None) -> list[pdk.Layer]:
    """The labels of `place_labels`: leader lines, town markers in their own colour, texts. All
    pickable: a click on a label or a marker selects its municipality."""
    labels = page_labels(report, measure, frame)
    table = municipality_rows(report)
    rows = [{**tooltip_properties(report, table.get(label.uid, {}), label.uid), "position": [label.lon, label.lat],
             "text": label.text,
             "point": [label.point_lon, label.point_lat], "edge": [label.edge_lon, label.edge_lat],
             "colour": [*label.colour, 255], "outline": 3 if label.uid == selected else 1.5}
            for label in labels]
    markers = [row for row, label in zip(rows, labels) if label.marker]
    leaders = pdk.Layer("LineLayer", markers, id="leaders", get_source_position="point", get_target_position="edge",
                        get_color=[*INK, 200], get_width=1.5, width_units='"pixels"', pickable=False)
    dots = pdk.Layer("ScatterplotLayer", markers, id="markers", get_position="point", get_fill_color="colour",
                     get_line_color=[*INK, 255], get_radius=frame.marker_px, radius_units='"pixels"', stroked=True,
                     get_line_width="outline", line_width_units='"pixels"', pickable=True)
    texts = pdk.Layer(
        "TextLayer", rows, id="labels", get_position="position", get_text="text", get_size=LABEL_FONT_PX,
        size_units='"pixels"',  # quoted: pydeck turns a bare string into an expression
        get_color=[*INK, 255], get_text_anchor='"middle"', get_alignment_baseline='"center"',
        character_set='"auto"',  # Cyrillic: the value must be quoted (rendering-notes.md)
        font_family='"DejaVu Sans, Arial, sans-serif"', background=True,
        get_background_color=[255, 255, 255, 215], background_padding=[3, 1], pickable=True,
    )
    return [leaders, dots, texts]


def map_view(view: pdk.ViewState, *, wheel_zoom: bool) -> pdk.View:
    """The map's controller: the mouse wheel scrolls the page (no scroll trap) unless
    `wheel_zoom` (the user has clicked into this map); a double click and a pinch always zoom.
    (Streamlit's zoom buttons come with a basemap, and there is none: the map works offline.)"""
    return pdk.View(type="MapView", controller={"scrollZoom": wheel_zoom, "dragPan": True, "doubleClickZoom": True,
                                                 "touchZoom": True, "keyboard": True})


@per_read
def municipality_deck(
    report: Report, measure_id: str, *, selected: str | None = None, basemap: str | None = None,
    width: int = 640, height: int = 560, wheel_zoom: bool = False,
) -> DrawnDeck:
    """The region's map fitted into `width` × `height` pixels, coloured by the measure
    `measure_id` of `map_measures` (drawn once per read and choices, for every session)."""
    measure = next(m for m in map_measures(report) if m.id == measure_id)
    west, east, south, north = region_extent(report.campaign.region_key)
    view = box_view(west, east, south, north, width=width, height=height)
    polygons = pdk.Layer(
        "GeoJsonLayer",
        map_features(report, measure, selected=selected, width=width),
        id=LAYER_ID,
        pickable=True,
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color="properties.line",
        get_line_width="properties.line_width",
        line_width_units='"pixels"',
        auto_highlight=True,
        highlight_color=[255, 200, 0, 120],
    )
    lines = "".join(f"<br/>{heading}: {{{name}}}" for heading, name in tooltip_lines(report))
    tooltip = {
        "html": f"<b>{{name}}</b>{lines}<br/>Проблем в таблице: {{problems}}",
        "style": {"backgroundColor": "#1f2937", "color": "white", "fontSize": "13px"},
    }
    return DrawnDeck(
        layers=[polygons, *label_layers(report, measure, page_frame(width, height), selected)],
        initial_view_state=view,
        views=[map_view(view, wheel_zoom=wheel_zoom)],
        map_style=BASEMAPS.get(basemap, basemap) if basemap else NO_BASEMAP,  # no tiles: works offline
        map_provider="carto" if basemap in BASEMAPS else None,
        tooltip=tooltip,
    )
