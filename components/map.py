"""The municipality map: a pydeck choropleth of the region, readable offline."""

from __future__ import annotations

import bisect
import math

import pandas as pd
import pydeck as pdk

from campaign import russian
from campaign.measures import Measure
from campaign.pipeline import Report
from campaign.registry import load_geojson

ATTRIBUTION = "© OpenStreetMap contributors (ODbL); коды городов: hflabs/city (CC BY-SA 4.0)"
LAYER_ID = "municipalities"
BASEMAPS = {"light": "light", "dark": "dark"}  # Carto styles; anything else is a style URL

# light to dark green; grey for nothing yet
PALETTE = [(224, 224, 224), (199, 233, 192), (161, 217, 155), (116, 196, 118), (49, 163, 84), (0, 109, 44)]
# (lower bound, upper bound, legend label); a value falls into the last class whose lower bound it reaches
COUNT_BINS = [(0, 0, "нет"), (1, 2, "1–2"), (3, 5, "3–5"), (6, 10, "6–10"), (11, 20, "11–20"), (21, None, "более 20")]
SHARE_BINS = [(0, 0, "0 %"), (1e-9, 0.25, "до 25 %"), (0.25, 0.5, "25–50 %"), (0.5, 0.75, "50–75 %"),
              (0.75, 1.0, "75–100 %"), (1.0, None, "цель выполнена")]


def clicked_property(state, layer_id: str, name: str) -> str | None:
    """A property of the clicked feature in a pydeck chart's selection state, if any."""
    try:
        objects = state["selection"]["objects"].get(layer_id, [])
    except (KeyError, TypeError, AttributeError):
        return None
    if not objects:
        return None
    return (objects[0].get("properties") or {}).get(name) or objects[0].get(name)


def bin_index(value: float, bins: list) -> int:
    """The colour class of a value: how many of the bins' lower bounds (after the first) it reaches."""
    return bisect.bisect_right([low for low, _high, _label in bins[1:]], value)


def legend_items(by_share: bool) -> list[tuple[str, tuple[int, int, int]]]:
    bins = SHARE_BINS if by_share else COUNT_BINS
    return [(label, PALETTE[i]) for i, (_l, _h, label) in enumerate(bins)]


def _view(geojson: dict, width: int = 900, height: int = 560) -> pdk.ViewState:
    lons, lats = [], []
    for feature in geojson["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            for lon, lat in polygon[0]:
                lons.append(lon)
                lats.append(lat)
    return box_view(min(lons), max(lons), min(lats), max(lats), width=width, height=height)


def box_view(west: float, east: float, south: float, north: float, *, width: int, height: int) -> pdk.ViewState:
    """The view that fits a lon/lat box into `width` × `height` pixels."""
    zoom = fit_zoom(west, east, south, north, width, height)
    centre_y = (_mercator_y(south) + _mercator_y(north)) / 2
    centre_lat = math.degrees(2 * math.atan(math.exp(centre_y)) - math.pi / 2)
    return pdk.ViewState(longitude=(west + east) / 2, latitude=centre_lat, zoom=zoom,
                         min_zoom=zoom - 1, max_zoom=zoom + 5, pitch=0, bearing=0)


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit_zoom(west: float, east: float, south: float, north: float, width: int, height: int) -> float:
    """The web-mercator zoom at which the box fits `width` × `height` pixels (deck.gl: 512 px tiles)."""
    zoom_x = math.log2(width * 360 / (512 * (east - west)))
    zoom_y = math.log2(height * 2 * math.pi / (512 * (_mercator_y(north) - _mercator_y(south))))
    return min(zoom_x, zoom_y) - 0.1


def tooltip_lines(report: Report) -> list[tuple[str, str]]:
    """(heading, property) of the tooltip's lines: the summary metrics, the quota, the shares."""
    lines = [(metric.heading, f"m_{metric.id}") for metric in report.campaign.summary_metrics]
    if "quota" in report.municipalities:
        lines.insert(1, ("Цель", "quota"))
    lines += [(report.campaign.metric(t.metric).heading, f"t_{t.id}") for t in report.campaign.targets
              if t.share_of is not None and t.metric not in {m.id for m in report.campaign.summary_metrics}]
    return lines


def map_features(report: Report, measure: Measure, *, selected: str | None) -> dict:
    """The region's polygons with each municipality's numbers and colour as properties."""
    table = report.municipalities
    rows = table.set_index("uid").to_dict("index")
    share_targets = [t for t in report.campaign.targets if t.share_of is not None]
    features = []
    for feature in load_geojson(report.campaign.region_iso)["features"]:
        uid = feature["properties"]["uid"]
        row = rows.get(uid, {})
        value, _base, share = measure.of(uid)
        shown = (share or 0.0) if measure.by_share else value
        colour = PALETTE[bin_index(shown, SHARE_BINS if measure.by_share else COUNT_BINS)]
        quota = row.get("quota")
        properties = {
            "uid": uid,
            "name": row.get("name", feature["properties"]["name_ru"]),
            "problems": russian.number(int(row.get("errors", 0)) + int(row.get("warnings", 0))),
            "quota": "—" if quota is None or pd.isna(quota) else russian.number(int(quota)),
            "fill": [*colour, 235],
            "line": [20, 20, 20, 255] if uid == selected else [90, 90, 90, 200],
            "line_width": 3 if uid == selected else 1,
        }
        for metric in report.campaign.summary_metrics:
            properties[f"m_{metric.id}"] = russian.number(int(row.get(metric.id, 0)))
        for target in share_targets:
            base = int(row.get(target.share_of, 0))
            got = int(row.get(target.metric, 0))
            properties[f"t_{target.id}"] = russian.out_of(got, base, with_share=True) if base else "—"
            if target.metric in {m.id for m in report.campaign.summary_metrics}:
                properties[f"m_{target.metric}"] = properties[f"t_{target.id}"]
        features.append({"type": "Feature", "geometry": feature["geometry"], "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def label_rows(report: Report, measure: Measure, view: pdk.ViewState, limit_km2: float = 4000) -> list[dict]:
    """Labels for the larger municipalities (city okrugs first, then by area) that do not
    overlap at the first view; the dense small ones rely on the tooltip."""
    scale = 512 * 2 ** view.zoom / (2 * math.pi)  # pixels per mercator unit at this zoom
    population = {f["properties"]["uid"]: int(f["properties"].get("town_population") or 0)
                  for f in load_geojson(report.campaign.region_iso)["features"]}
    candidates = sorted(report.registry.municipalities,  # towns by population, then districts by area
                        key=lambda m: (m.municipality_class != "go", -population.get(m.uid, 0), -m.area_km2))
    placed: list[tuple[float, float, float, float]] = []
    labels = []
    for m in candidates:
        if not (m.area_km2 >= limit_km2 or (m.municipality_class == "go" and population.get(m.uid, 0) >= 30000)):
            continue
        label = f"{m.short_name}\n{measure.label_text(m.uid)}"
        x, y = math.radians(m.lon) * scale, -_mercator_y(m.lat) * scale
        half = max(len(line) for line in label.split("\n")) * 4 + 4  # 13 px DejaVu ≈ 8 px a letter
        box = (x - half, y - 17, x + half, y + 17)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            continue
        placed.append(box)
        labels.append({"position": [m.lon, m.lat], "text": label})
    return labels


def municipality_deck(
    report: Report, measure: Measure, *, selected: str | None = None, basemap: str | None = None,
    height: int = 560,
) -> pdk.Deck:
    geojson = map_features(report, measure, selected=selected)
    view = _view(geojson, height=height)
    polygons = pdk.Layer(
        "GeoJsonLayer",
        geojson,
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
    labels = pdk.Layer(
        "TextLayer",
        label_rows(report, measure, view),
        id="labels",
        get_position="position",
        get_text="text",
        get_size=13,
        size_units='"pixels"',  # quoted: pydeck turns a bare string into an expression
        get_color=[25, 25, 25, 255],
        get_text_anchor='"middle"',
        get_alignment_baseline='"center"',
        character_set='"auto"',  # Cyrillic: the value must be quoted (rendering-notes.md)
        font_family='"DejaVu Sans, Arial, sans-serif"',
        background=True,
        get_background_color=[255, 255, 255, 200],
        background_padding=[3, 1],
        pickable=False,
    )
    lines = "".join(f"<br/>{heading}: {{{name}}}" for heading, name in tooltip_lines(report))
    tooltip = {
        "html": f"<b>{{name}}</b>{lines}<br/>Проблем в таблице: {{problems}}",
        "style": {"backgroundColor": "#1f2937", "color": "white", "fontSize": "13px"},
    }
    return pdk.Deck(
        layers=[polygons, labels],
        initial_view_state=view,
        map_style=BASEMAPS.get(basemap, basemap) if basemap else None,  # None: no tiles, works offline
        map_provider="carto" if basemap in BASEMAPS else None,
        tooltip=tooltip,
    )
