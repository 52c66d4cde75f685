"""What a municipality map shows, the same on the dashboard's map and on the slide: the measure
it is coloured by, the colour classes and their legend, and where the labels go.

The renderers (pydeck on the pages, Vega-Lite on the slide) only draw what this module decides.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from campaign import russian
from campaign.pipeline import Report
from campaign.registry import load_geojson

# grey for nothing yet; then ColorBrewer's YlGn, light to dark: its lightest class is yellowish,
# told from the grey by its hue (the pale green before it looked grey in a small district)
PALETTE: tuple[tuple[int, int, int], ...] = (
    (224, 224, 224), (217, 240, 163), (173, 221, 142), (120, 198, 121), (49, 163, 84), (0, 104, 55))
INK = (25, 25, 25)  # label text, marker outlines and leader lines


@dataclass(frozen=True)
class Bins:
    """Colour classes: nothing (≤ 0) is the first; a value above 0 falls into the last class
    whose step it reaches (the classes after the second start at `steps`)."""

    steps: tuple[float, ...]
    labels: tuple[str, ...]

    def index(self, value: float) -> int:
        if not value or value <= 0 or math.isnan(value):
            return 0
        return 1 + bisect.bisect_right(self.steps, value)

    def label(self, value: float) -> str:
        return self.labels[self.index(value)]

    def colour(self, value: float) -> tuple[int, int, int]:
        return PALETTE[self.index(value)]


COUNT_BINS = Bins((3, 6, 11, 21), ("нет", "1–2", "3–5", "6–10", "11–20", "более 20"))
SHARE_BINS = Bins((0.25, 0.5, 0.75, 1.0), ("0 %", "до 25 %", "25–50 %", "50–75 %", "75–100 %", "цель выполнена"))


def bins_for(by_share: bool) -> Bins:
    return SHARE_BINS if by_share else COUNT_BINS


def legend_items(by_share: bool) -> list[tuple[str, tuple[int, int, int]]]:
    """(label, colour) of every class, in order: the one legend of every map."""
    return list(zip(bins_for(by_share).labels, PALETTE))


def hex_colour(colour: tuple[int, int, int]) -> str:
    return "#%02x%02x%02x" % colour


def text_colour(colour: tuple[int, int, int]) -> tuple[int, int, int]:
    """Dark text on the light classes, white on the dark ones."""
    return (255, 255, 255) if sum(colour) < 400 else INK


# ---------------------------------------------------------------- measures


@dataclass(frozen=True)
class Measure:
    """What a map is coloured by: a count of the headline metric, or a share of a target
    (the «Цели» tab's quotas, or a target «every organisation …» of the campaign file)."""

    id: str  # "count", "quota" or a share target's id
    label: str  # for the chooser and the caption under the map
    metric: str  # the metric counted
    by_share: bool
    values: pd.DataFrame  # by uid: value, base (NaN without one), share (NaN without a base)

    @property
    def bins(self) -> Bins:
        return bins_for(self.by_share)

    def of(self, uid: str) -> tuple[int, int | None, float | None]:
        """(value, base, share) of one municipality; base and share None where there is none."""
        if uid not in self.values.index:
            return 0, None, None
        row = self.values.loc[uid]
        base = None if pd.isna(row["base"]) else int(row["base"])
        share = None if pd.isna(row["share"]) else float(row["share"])
        return int(row["value"]), base, share

    def shown(self, uid: str) -> float:
        """The figure the colour stands for: the share, or the count."""
        value, _base, share = self.of(uid)
        return (share or 0.0) if self.by_share else float(value)

    def colour(self, uid: str) -> tuple[int, int, int]:
        return self.bins.colour(self.shown(uid))

    def class_label(self, uid: str) -> str:
        return self.bins.label(self.shown(uid))

    def label_text(self, uid: str) -> str:
        """A municipality's figure on the map: «72 %» of its own organisations, «3 из 5» of its
        quota, «3» of a count; «—» where there is nothing to share of."""
        value, base, share = self.of(uid)
        if self.id in ("quota", "count"):
            return russian.out_of(value, base)
        return "—" if share is None else russian.percent(share)

    def informative(self, uid: str) -> bool:
        """Whether the municipality's label tells something: a count above 0, or a share of a
        target it has (a quota of 2 with nothing reached yet is worth showing)."""
        value, base, _share = self.of(uid)
        return base is not None if self.by_share else value > 0


def map_measures(report: Report) -> list[Measure]:
    """The ways to colour the map, the default first: shares of targets where there are any."""
    campaign = report.campaign
    table = report.municipalities.set_index("uid")
    headline = campaign.headline
    measures = []
    if campaign.quota is not None and "quota" in table and table["quota"].notna().any():
        metric = campaign.metric(campaign.quota.metric)
        measures.append(_measure("quota", f"Доля своей цели, %: {_lower(metric.label)}", metric.id,
                                 table, table["quota"]))
    for target in campaign.targets:  # «Доля, %: …» and «Число: …» tell a share from a count
        if target.share_of is not None:
            base = table[target.share_of].where(table[target.share_of] > 0)
            heading = campaign.metric(target.metric).heading
            measures.append(_measure(target.id, f"Доля, %: {_lower(heading)}", target.metric, table, base))
    measures.append(_measure("count", f"Число: {_lower(headline.label)}", headline.id, table, None))
    return measures


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _measure(measure_id: str, label: str, metric: str, table: pd.DataFrame, base: pd.Series | None) -> Measure:
    values = pd.DataFrame({"value": table[metric].astype("int64")}, index=table.index)
    if base is None:
        values["base"] = float("nan")
        values["share"] = float("nan")
    else:
        values["base"] = base.astype("float64")
        values["share"] = (values["value"] / values["base"]).astype("float64")
    return Measure(measure_id, label, metric, base is not None, values)


def no_map_note(report: Report) -> str:
    """What a map of a region without bundled boundaries says instead of drawing (a page and
    the slide say it alike)."""
    return (f"Границы муниципалитетов {report.registry.region_genitive} недоступны: карты нет. "
            f"Цифры каждого муниципалитета — в таблице и в карточке муниципалитета.")


def ranked(report: Report, measure: Measure, limit: int | None = None) -> list:
    """The municipalities by what their label tells, as a map without boundaries lists them:
    those with data first, the largest figure first (the order of the map's labels)."""
    def figures(uid: str) -> tuple[float, float]:
        value, base, share = measure.of(uid)
        return (-(share if share is not None else -1), -float(value)) if measure.by_share else (-float(value), 0.0)

    order = sorted(report.registry.municipalities, key=lambda m: (not measure.informative(m.uid), figures(m.uid),
                                                                  m.municipality_class != "go", m.name))
    return order[:limit] if limit is not None else order


# ---------------------------------------------------------------- projection


def mercator(lon: float, lat: float) -> tuple[float, float]:
    """Web-mercator x, y (y grows to the north), in radians."""
    return math.radians(lon), math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def inverse_mercator(x: float, y: float) -> tuple[float, float]:
    return math.degrees(x), math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def rings(geometry: dict) -> list[list]:
    """The exterior rings of a Polygon or MultiPolygon."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [polygon[0] for polygon in polygons]


def extent(features: list[dict]) -> tuple[float, float, float, float]:
    """(west, east, south, north) of the features' exterior rings."""
    lons = [lon for feature in features for ring in rings(feature["geometry"]) for lon, _lat in ring]
    lats = [lat for feature in features for ring in rings(feature["geometry"]) for _lon, lat in ring]
    return min(lons), max(lons), min(lats), max(lats)


@lru_cache(maxsize=8)
def region_extent(region_key: str) -> tuple[float, float, float, float]:
    return extent(load_geojson(region_key)["features"])


@lru_cache(maxsize=8)
def _feature_boxes(region_key: str) -> dict[str, tuple[float, float, float, float]]:
    """uid -> (min x, max x, min y, max y) in mercator units."""
    boxes = {}
    for feature in load_geojson(region_key)["features"]:
        points = [mercator(lon, lat) for ring in rings(feature["geometry"]) for lon, lat in ring]
        xs, ys = [x for x, _ in points], [y for _, y in points]
        boxes[feature["properties"]["uid"]] = (min(xs), max(xs), min(ys), max(ys))
    return boxes


# What a screen shows of the boundaries. deck.gl maps open with the region fitted into the
# map and zoom in at most `zoom_in` steps (2 ** steps times): a boundary simplified within a
# pixel at the closest zoom, its coordinates rounded to within a pixel, looks the same and
# takes less (the JSON of a map goes to the browser on every load: the Irkutsk region's 42
# municipalities are 204 KB at three decimals, 159 KB at two).
MAX_ZOOM_IN = 3  # a municipality map: 8 times closer (a town's own labels and markers are there at once)
REGIONS_ZOOM_IN = 2  # the map of Russia: an overview of its subjects


def screen_geometry(geometry: dict, *, tolerance: float, digits: int) -> dict | None:
    """A GeoJSON geometry simplified within `tolerance` degrees (its shape kept: no ring
    crosses itself), coordinates rounded to `digits` decimals, parts smaller than a
    tolerance square left out; None when nothing is left."""
    import numpy as np
    import shapely
    from shapely.geometry import mapping, shape

    simple = shape(geometry).simplify(tolerance, preserve_topology=True)
    parts = [part for part in getattr(simple, "geoms", [simple]) if part.area >= tolerance ** 2]
    if not parts:
        return None
    kept = shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]
    return mapping(shapely.transform(kept, lambda points: np.round(points, digits)))


def screen_tolerance(degrees_per_pixel: float, zoom_in: float) -> tuple[float, int]:
    """(tolerance, decimals) for a map of `degrees_per_pixel` at its first zoom that zooms in
    `zoom_in` steps: a pixel at the closest zoom; rounding errs by a pixel at most."""
    closest = degrees_per_pixel / 2 ** zoom_in
    return closest, max(0, math.ceil(-math.log10(2 * closest)))


def screen_features(features: list[dict], degrees_per_pixel: float, zoom_in: float) -> list[dict]:
    """The boundaries of `features` as a map of `degrees_per_pixel` draws them (a feature
    that would vanish keeps its own)."""
    tolerance, digits = screen_tolerance(degrees_per_pixel, zoom_in)
    return [{**feature, "geometry": screen_geometry(feature["geometry"], tolerance=tolerance, digits=digits)
             or feature["geometry"]} for feature in features]


@lru_cache(maxsize=8)
def screen_boundaries(region_key: str, width: int) -> dict[str, dict]:
    """uid -> the municipality's boundary as a map `width` pixels wide draws it."""
    west, east, _south, _north = region_extent(region_key)
    features = screen_features(load_geojson(region_key)["features"], (east - west) / width, MAX_ZOOM_IN)
    return {feature["properties"]["uid"]: feature["geometry"] for feature in features}

def fit_scale(west: float, east: float, south: float, north: float, width: float, height: float) -> float:
    """Pixels per mercator unit at which the box just fits `width` × `height` pixels."""
    (x0, y0), (x1, y1) = mercator(west, south), mercator(east, north)
    return min(width / (x1 - x0), height / (y1 - y0))


# ---------------------------------------------------------------- labels


@dataclass(frozen=True)
class LabelFrame:
    """The map a label placement is for: the region fitted into `width` × `height` pixels,
    labels of `char_px` a letter and `line_px` a line, town markers of `marker_px` radius."""

    width: float
    height: float
    char_px: float
    line_px: float
    marker_px: float
    fill: float = 1.0  # the share of the frame the region's box takes (a margin round it)
    limit: int | None = None  # at most this many labels
    informative_only: bool = False  # no labels of municipalities without data (the slide)


@dataclass(frozen=True)
class MapLabel:
    """One label: its text centred at (lon, lat). A town inside its district is drawn as a
    marker in its own colour at (point_lon, point_lat), with a leader line to (edge_lon, edge_lat)
    on the label's box, so that nobody reads the district's colour as the town's."""

    uid: str
    text: str
    lon: float
    lat: float
    point_lon: float
    point_lat: float
    marker: bool
    colour: tuple[int, int, int]
    edge_lon: float
    edge_lat: float


# The slide's map: the region in 590 × 458 px, bold 20 px labels (about 12 px a letter, 22 px a
# line), 8 px markers, only labels with data and at most eight. The dashboard's map labels these
# first, so that a page and the slide pasted beside it name the same municipalities the same way.
SLIDE_LABELS = LabelFrame(590, 458, char_px=12.0, line_px=22.0, marker_px=8.0, limit=8, informative_only=True)

# where a marker's label may go, in the order tried: right, left, above, below, then the corners
_AROUND = ((1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (1, 1), (-1, -1), (-1, 1))


def _overlaps(box, boxes) -> bool:
    return any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes)


def _crosses(start: tuple[float, float], end: tuple[float, float], boxes) -> bool:
    """Whether the segment passes through any of the boxes (sampled along its length)."""
    steps = 16
    points = [(start[0] + (end[0] - start[0]) * i / steps, start[1] + (end[1] - start[1]) * i / steps)
              for i in range(1, steps)]
    return any(b[0] < x < b[2] and b[1] < y < b[3] for x, y in points for b in boxes)


def page_labels(report: Report, measure: Measure, frame: LabelFrame) -> list[MapLabel]:
    """The dashboard map's labels: the slide's first, then as many more as fit."""
    slide = place_labels(report, measure, SLIDE_LABELS)
    return place_labels(report, measure, frame, first=[label.uid for label in slide])


def label_order(report: Report, measure: Measure) -> list:
    """Municipalities by what their label tells: those with data first (the largest figure
    first), then towns by population and districts by area."""
    population = {f["properties"]["uid"]: int(f["properties"].get("town_population") or 0)
                  for f in load_geojson(report.campaign.region_key)["features"]}
    def figures(uid: str) -> tuple[float, float]:
        value, base, _share = measure.of(uid)
        return -float(value), -float(base or 0)

    return sorted(report.registry.municipalities, key=lambda m: (
        not measure.informative(m.uid), figures(m.uid) if measure.informative(m.uid) else (0, 0),
        m.municipality_class != "go", -population.get(m.uid, 0), -m.area_km2))


def place_labels(report: Report, measure: Measure, frame: LabelFrame,
                 first: list[str] | None = None) -> list[MapLabel]:
    """Labels that do not overlap each other or a town's point, most informative first (the
    municipalities in `first` before all others). A town whose polygon is smaller than its label
    gets a marker and a leader line; a district is labelled at its own label point."""
    region_key = report.campaign.region_key
    west, east, south, north = region_extent(region_key)
    scale = fit_scale(west, east, south, north, frame.width, frame.height) * frame.fill
    (x0, y0), (x1, y1) = mercator(west, south), mercator(east, north)
    # the region's box centred in the frame; pixel y grows downwards
    left = (frame.width - (x1 - x0) * scale) / 2 - x0 * scale
    top = (frame.height - (y1 - y0) * scale) / 2 + y1 * scale

    def pixels(lon: float, lat: float) -> tuple[float, float]:
        x, y = mercator(lon, lat)
        return left + x * scale, top - y * scale

    def lon_lat(px: float, py: float) -> tuple[float, float]:
        return inverse_mercator((px - left) / scale, (top - py) / scale)

    boxes = _feature_boxes(region_key)
    towns = {m.uid: pixels(m.lon, m.lat) for m in report.registry.municipalities if m.municipality_class == "go"}
    radius = frame.marker_px + 2
    placed: list[tuple[float, float, float, float]] = []
    labels: list[MapLabel] = []
    order = label_order(report, measure)
    if first:
        rank = {uid: number for number, uid in enumerate(first)}
        order.sort(key=lambda m: rank.get(m.uid, len(rank)))  # stable: the rest keep their order
    for m in order:
        if frame.limit is not None and len(labels) >= frame.limit:
            break
        if frame.informative_only and not measure.informative(m.uid):
            continue
        text = f"{m.short_name}\n{measure.label_text(m.uid)}"
        lines = text.split("\n")
        half_w = max(len(line) for line in lines) * frame.char_px / 2 + 3
        half_h = len(lines) * frame.line_px / 2 + 1
        px, py = pixels(m.lon, m.lat)
        bx0, bx1, by0, by1 = boxes[m.uid]
        small = m.municipality_class == "go" and ((bx1 - bx0) * scale < 2 * half_w or (by1 - by0) * scale < 2 * half_h)
        # a district's label leaves every town's point free, a town's label those of the towns with data
        others = [(x - radius, y - radius, x + radius, y + radius) for uid, (x, y) in towns.items()
                  if uid != m.uid and (m.municipality_class != "go" or measure.informative(uid))]
        if small:
            own = (px - radius, py - radius, px + radius, py + radius)
            if _overlaps(own, placed):
                continue
            spots = [(px + dx * (radius + gap + half_w), py + dy * (radius + gap + half_h), dx, dy)
                     for gap in (4, 4 + 2 * frame.line_px) for dx, dy in _AROUND]
        else:
            own, spots = None, [(px, py, 0, 0)]
        for cx, cy, dx, dy in spots:
            box = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= frame.width and box[3] <= frame.height
            edge = (cx - dx * half_w, cy - dy * half_h)  # the box's side that faces the marker
            if not inside or _overlaps(box, placed) or _overlaps(box, others) or (
                    own is not None and _crosses((px, py), edge, placed)):
                continue
            placed.append(box)
            if own is not None:
                placed.append(own)
            lon, lat = lon_lat(cx, cy)
            edge_lon, edge_lat = lon_lat(*edge)
            labels.append(MapLabel(m.uid, text, lon, lat, m.lon, m.lat, small, measure.colour(m.uid),
                                   edge_lon, edge_lat))
            break
    return labels


def labels_that_fit(labels: list[tuple[str, float, float, str]], box: tuple[float, float, float, float],
                    frame: LabelFrame) -> dict[str, tuple[float, float]]:
    """Of labels (id, lon, lat, text) in the order of their importance, those whose text, centred
    at its point on a map of `box` fitted into `frame`, overlaps none placed before and covers the
    point of none before it (the map of Russia: a region whose label would cover a region that lags
    more, or its label, keeps its tooltip): id -> where its text goes, moved in from the frame's
    edge where it would be cut («Чукотский автономный окр»)."""
    west, east, south, north = box
    scale = fit_scale(west, east, south, north, frame.width, frame.height) * frame.fill
    (x0, y0), (x1, y1) = mercator(west, south), mercator(east, north)
    centre_x, centre_y = (x0 + x1) / 2 * scale, -(y0 + y1) / 2 * scale
    placed: list[tuple[float, float, float, float]] = []
    points = {label_id: (mercator(lon, lat)[0] * scale, -mercator(lon, lat)[1] * scale)
              for label_id, lon, lat, _text in labels}
    kept, before = {}, []
    for label_id, lon, lat, text in labels:
        x, y = mercator(lon, lat)
        lines = text.split("\n")
        half_w = max(len(line) for line in lines) * frame.char_px / 2 + 3
        half_h = len(lines) * frame.line_px / 2 + 1
        # inside the frame: its half-size from the centre, less the label's own half
        px = min(max(x * scale, centre_x - frame.width / 2 + half_w), centre_x + frame.width / 2 - half_w)
        py = min(max(-y * scale, centre_y - frame.height / 2 + half_h), centre_y + frame.height / 2 - half_h)
        own = (px - half_w, py - half_h, px + half_w, py + half_h)
        # nor hides a more important region under it (one that lags more: Primorye under Khabarovsk's)
        hides = any(own[0] <= ox <= own[2] and own[1] <= oy <= own[3] for ox, oy in before)
        before.append(points[label_id])
        if not hides and not _overlaps(own, placed):
            placed.append(own)
            kept[label_id] = inverse_mercator(px / scale, -py / scale) if (px, py) != (x * scale, -y * scale) \
                else (lon, lat)
    return kept
