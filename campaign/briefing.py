"""One 16:9 slide (1920 × 1080 px) with the campaign's state, for an official's briefing.

`briefing_chart(report)` builds a Vega-Lite chart (altair): the title, a row of KPI cards (one
per target), the municipality map as a choropleth and the burn-up of organisations joined.
`briefing_png` / `briefing_pdf` render it offline with vl-convert.

The slide carries aggregates only: no sheet rows, no organisation names, no contacts.
Self-contained on purpose: campaign/ does not depend on the Streamlit components.
"""

from __future__ import annotations

import math
import re
import textwrap
from datetime import date, timedelta
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert
from shapely.geometry import mapping, shape
from shapely.geometry.polygon import orient

from campaign import russian
from campaign.russian import D3_LOCALE
from campaign.measures import Measure, map_measures
from campaign.pipeline import Report
from campaign.registry import load_geojson
from campaign.summary import remaining_text, target_figure

WIDTH, HEIGHT = 1920, 1080
MARGIN = 24  # the least padding around the slide's content
CONTENT_WIDTH = WIDTH - 2 * MARGIN

FONT = "Liberation Sans"  # bundled with vl-convert, has Cyrillic
INK = "#1f2933"
MUTED = "#52606d"
GREEN = "#2e7d32"
RED = "#c62828"
AMBER = "#e65100"
BLUE = "#1565c0"
BROWN = "#6d4c41"
CARD_FILL = "#f3f5f7"

CREDIT = "Границы муниципалитетов: © OpenStreetMap contributors (ODbL)"
OUTPUT_FORMATS = (".png", ".pdf")

SHORT_MONTHS = D3_LOCALE["time"]["shortMonths"]

# light to dark green; grey for nothing yet (the palette of the dashboard's map)
PALETTE = ["#e0e0e0", "#c7e9c0", "#a1d99b", "#74c476", "#31a354", "#006d2c"]
COUNT_BINS = [(0, 0, "нет"), (1, 2, "1–2"), (3, 5, "3–5"), (6, 10, "6–10"), (11, 20, "11–20"),
              (21, None, "более 20")]
SHARE_BINS = [(0, 0, "0 %"), (0.0001, 0.25, "до 25 %"), (0.25, 0.5, "25–50 %"), (0.5, 0.75, "50–75 %"),
              (0.75, 1.0, "75–100 %"), (1.0, None, "цель выполнена")]

# layout, in pixels
KPI_HEIGHT = 252
KPI_GAP = 20
PANEL_HEIGHT = 458
MAP_WIDTH = 820  # the polygons take the left MAP_EXTENT pixels, the legend the rest
MAP_EXTENT = 590
PANEL_SPACING = 50
BURNUP_WIDTH = CONTENT_WIDTH - MAP_WIDTH - PANEL_SPACING - 90  # 90: the y axis
SECTION_TITLE = 26
MAP_DATASET = "municipality_polygons"


class BriefingError(ValueError):
    """The slide cannot be written as asked (e.g. an unknown file type)."""


# ---------------------------------------------------------------- small helpers


def short_day(value: date) -> str:
    """«8 фев»."""
    return f"{value.day} {SHORT_MONTHS[value.month - 1]}"


def _datetime(value: date) -> alt.DateTime:
    return alt.DateTime(year=value.year, month=value.month, date=value.day)


def _wrap(text: str, width: int, lines: int) -> str:
    """Lines of at most `width` characters joined by "\\n"; an ellipsis past `lines` lines."""
    wrapped = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1].rstrip(" ,.;:") + "…"
    return "\n".join(wrapped)


def _bin(value: float, bins: list) -> int:
    """The bin of `value`: count bins are inclusive («1–2» holds 1 and 2), share bins run up to
    their upper bound («до 25 %» is below 0.25); nothing (≤ 0) is bin 0, the last bin is open."""
    if value <= 0:
        return 0
    inclusive = bins is COUNT_BINS
    for index, (_low, high, _label) in enumerate(bins[1:], start=1):
        if high is None or value < high or (inclusive and value <= high):
            return index
    return len(bins) - 1


def _pixels(extent: float, reverse: bool = False) -> alt.Scale:
    """An identity scale: data values are pixels of the view."""
    return alt.Scale(domain=[0, extent], nice=False, zero=False, reverse=reverse)


# ---------------------------------------------------------------- KPI cards


def target_status(report: Report, target) -> tuple[str, str]:
    """(«выполнено» / «ещё 7 организаций», colour)."""
    if target.met and target.above_max:
        return f"выполнено, больше {russian.number(target.max)}", AMBER
    if target.met:
        return "выполнено", GREEN
    return remaining_text(target, report.campaign.metric(target.metric).unit), RED


def kpi_frame(report: Report) -> pd.DataFrame:
    targets = report.targets
    count = max(len(targets), 1)
    card = (CONTENT_WIDTH - KPI_GAP * (count - 1)) / count
    inner = card - 40
    # Liberation Sans averages about 0.52 em a letter in Russian text, the bold about 0.59 em
    chars, status_chars = max(int(inner / 10.6), 12), max(int(inner / 13.2), 10)
    rows = []
    for index, target in enumerate(targets):
        status, colour = target_status(report, target)
        left = index * (card + KPI_GAP)
        rows.append({
            "x": left, "x2": left + card, "left": left + 20,
            "value": target_figure(target),  # «119 из 165 (72 %)» for a share of all
            "label": _wrap(target.label, chars, 3),
            "status": _wrap(status, status_chars, 3),
            "colour": colour,
        })
    return pd.DataFrame(rows, columns=["x", "x2", "left", "value", "label", "status", "colour"])


def kpi_cards(report: Report) -> alt.LayerChart:
    frame = kpi_frame(report)
    x = alt.X("x:Q", scale=_pixels(CONTENT_WIDTH), axis=None)
    y = alt.Y("y:Q", scale=_pixels(KPI_HEIGHT, reverse=True), axis=None)
    base = alt.Chart(frame)
    band = alt.Y("top:Q", scale=_pixels(KPI_HEIGHT, reverse=True), axis=None)
    card = base.mark_rect(color=CARD_FILL, cornerRadius=8).encode(x=x, x2="x2:Q", y=band, y2="bottom:Q") \
        .transform_calculate(top="0", bottom=str(KPI_HEIGHT))
    accent = base.mark_rect(cornerRadiusTopLeft=8, cornerRadiusTopRight=8).encode(
        x=x, x2="x2:Q", y=band, y2="bottom:Q", color=alt.Color("colour:N", scale=None),
    ).transform_calculate(top="0", bottom="10")
    left = alt.X("left:Q", scale=_pixels(CONTENT_WIDTH), axis=None)

    def text(at: int, **mark) -> alt.Chart:
        return base.mark_text(align="left", baseline="top", font=FONT, lineBreak="\n", **mark).transform_calculate(
            y=str(at)).encode(x=left, y=y)

    value = text(20, fontSize=56, fontWeight="bold", color=INK).encode(text="value:N")
    label = text(84, fontSize=20, color=MUTED, lineHeight=24).encode(text="label:N")
    status = text(168, fontSize=22, fontWeight="bold", lineHeight=26).encode(
        text="status:N", color=alt.Color("colour:N", scale=None))
    return alt.layer(card, accent, value, label, status).properties(width=CONTENT_WIDTH, height=KPI_HEIGHT)


# ---------------------------------------------------------------- map


def _clockwise(geometry: dict) -> dict:
    """Exterior rings clockwise, holes counter-clockwise: the winding d3 (Vega-Lite) expects."""
    polygon_shape = shape(geometry)
    if polygon_shape.geom_type == "Polygon":
        return mapping(orient(polygon_shape, sign=-1.0))
    if polygon_shape.geom_type == "MultiPolygon":
        parts = [orient(part, sign=-1.0) for part in polygon_shape.geoms]
        return {"type": "MultiPolygon", "coordinates": [mapping(part)["coordinates"] for part in parts]}
    return geometry


def _rounded(coordinates):
    if isinstance(coordinates, (list, tuple)) and coordinates and isinstance(coordinates[0], (int, float)):
        return [round(float(c), 4) for c in coordinates]
    return [_rounded(part) for part in coordinates]


def map_measure(report: Report) -> Measure:
    """What the slide's map shows: the dashboard map's default (a share where there is one)."""
    return map_measures(report)[0]


def map_features(report: Report) -> list[dict]:
    """The region's polygons (clockwise) with each municipality's bin as properties; nothing else."""
    measure = map_measure(report)
    bins = SHARE_BINS if measure.by_share else COUNT_BINS
    features = []
    for feature in load_geojson(report.campaign.region_iso)["features"]:
        value, _base, share = measure.of(feature["properties"]["uid"])
        shown: float = (share or 0.0) if measure.by_share else value
        geometry = _clockwise(feature["geometry"])
        geometry = {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])}
        features.append({"type": "Feature", "geometry": geometry,
                         "properties": {"bin": bins[_bin(shown, bins)][2]}})
    return features


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    return math.radians(lon), -math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _map_scale(region_iso: str) -> float:
    """Pixels per mercator unit once the region is fitted into MAP_EXTENT × PANEL_HEIGHT."""
    xs, ys = [], []
    for feature in load_geojson(region_iso)["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            for lon, lat in polygon[0]:
                x, y = _mercator(lon, lat)
                xs.append(x)
                ys.append(y)
    return min(MAP_EXTENT / (max(xs) - min(xs)), PANEL_HEIGHT / (max(ys) - min(ys)))


def label_frame(report: Report, districts: int = 3) -> pd.DataFrame:
    """Labels for the regional capital and the largest districts that do not overlap it or each other;
    the dense small municipalities stay unlabelled."""
    measure = map_measure(report)
    region_iso = report.campaign.region_iso
    population = {f["properties"]["uid"]: int(f["properties"].get("town_population") or 0)
                  for f in load_geojson(region_iso)["features"]}
    municipalities = report.registry.municipalities
    cities = sorted((m for m in municipalities if m.municipality_class == "go"),
                    key=lambda m: (-population.get(m.uid, 0), -m.area_km2))[:1]
    by_area = sorted((m for m in municipalities if m.municipality_class == "mr"), key=lambda m: -m.area_km2)
    scale = _map_scale(region_iso)
    placed: list[tuple[float, float, float, float]] = []
    rows = []
    for m in [*cities, *by_area]:
        if len(rows) >= districts + len(cities):
            break
        text = f"{m.short_name}\n{measure.label_text(m.uid)}"
        x, y = (value * scale for value in _mercator(m.lon, m.lat))
        width = max(len(line) for line in text.split("\n")) * 12 + 12  # bold 20 px ≈ 12 px a letter
        capital = m in cities  # labelled to the left of a dot, off the dense cluster around it
        box = (x - width - 14, y - 28, x + 6, y + 28) if capital else (x - width / 2, y - 28, x + width / 2, y + 28)
        if any(box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]
               for other in placed):
            continue
        placed.append(box)
        rows.append({"lon": m.lon, "lat": m.lat, "text": text, "capital": capital})
    return pd.DataFrame(rows, columns=["lon", "lat", "text", "capital"])


def municipality_map(report: Report) -> alt.LayerChart:
    measure = map_measure(report)
    headline = report.campaign.metric(measure.metric)
    bins = SHARE_BINS if measure.by_share else COUNT_BINS
    dashboard = report.campaign.dashboard
    title = dashboard.map_title if dashboard and dashboard.map_title else "По муниципалитетам"
    if measure.id == "quota":
        subtitle = "цвет — доля муниципальной цели, подписи — «присоединилось из цели»"
    elif measure.by_share:
        subtitle = f"цвет и подписи — доля организаций: {headline.heading.lower()}"
    else:
        subtitle = f"цвет и подписи — {headline.label[0].lower()}{headline.label[1:]}"
    legend_title = "Доля цели" if measure.id == "quota" else ("Доля" if measure.by_share else headline.heading)
    # by name: the polygons go into the top-level datasets once (altair deep-copies inline values)
    shapes = alt.Chart(alt.NamedData(name=MAP_DATASET)).mark_geoshape(
        stroke="#ffffff", strokeWidth=1.2).encode(
        color=alt.Color("properties.bin:N", title=legend_title,
                        scale=alt.Scale(domain=[label for *_x, label in bins], range=PALETTE),
                        legend=alt.Legend(orient="none", legendX=MAP_EXTENT + 40, legendY=PANEL_HEIGHT - 250,
                                  symbolType="square", symbolSize=500, symbolStrokeWidth=0,
                                          labelFontSize=20, titleFontSize=20, labelFont=FONT, titleFont=FONT,
                                          titleFontWeight="normal", titleColor=MUTED, rowPadding=8,
                                          titleLimit=260, labelLimit=260)),
    )
    labels = label_frame(report)
    position = {"longitude": "lon:Q", "latitude": "lat:Q"}
    layers: list[alt.Chart] = [shapes]
    for capital in (False, True):
        rows = labels[labels["capital"] == capital].drop(columns="capital")
        if rows.empty:
            continue
        place = {"align": "right", "dx": -14} if capital else {"align": "center"}
        style = {"fontSize": 20, "font": FONT, "lineBreak": "\n", "lineHeight": 22, "fontWeight": "bold", **place}
        if capital:
            layers.append(alt.Chart(rows).mark_circle(size=110, color=INK, stroke="white", strokeWidth=2,
                                                      opacity=1).encode(**position))
        layers.append(alt.Chart(rows).mark_text(stroke="white", strokeWidth=5, strokeJoin="round", color="white",
                                                **style).encode(text="text:N", **position))
        layers.append(alt.Chart(rows).mark_text(color=INK, **style).encode(text="text:N", **position))
    # offset: level with the burn-up's title, which sits above that chart's deadline labels
    return alt.layer(*layers).project(
        type="mercator", extent=[[0, 0], [MAP_EXTENT, PANEL_HEIGHT]]).properties(
        width=MAP_WIDTH, height=PANEL_HEIGHT, title=alt.TitleParams(title, subtitle=subtitle, offset=14 + 30))


# ---------------------------------------------------------------- burn-up


def projection(report: Report, metric_id: str | None = None) -> pd.DataFrame:
    """A straight line from the last day's total to the campaign's end at the average daily pace."""
    series = report.series.get(metric_id or report.campaign.headline.id)
    campaign = report.campaign
    if series is None or series.empty:
        return pd.DataFrame(columns=["date", "cumulative"])
    last_day = series["date"].iloc[-1].date()
    days_done = (last_day - campaign.start).days + 1
    total = float(series["cumulative"].iloc[-1])
    if last_day >= campaign.end or days_done <= 0 or total <= 0 or report.as_of < campaign.start:
        return pd.DataFrame(columns=["date", "cumulative"])
    pace = total / days_done
    end_total = total + pace * (campaign.end - last_day).days
    return pd.DataFrame({"date": pd.to_datetime([last_day, campaign.end]), "cumulative": [total, end_total]})


def deadline_labels(report: Report) -> pd.DataFrame:
    """One label per group of deadlines no more than two days apart: «15 фев», «9–10 мар»."""
    days = sorted({d.date for d in report.deadlines})
    groups: list[list[date]] = []
    for day in days:
        if groups and (day - groups[-1][-1]).days <= 2:
            groups[-1].append(day)
        else:
            groups.append([day])
    rows = []
    for group in groups:
        first, last = group[0], group[-1]
        if first == last:
            text = short_day(first)
        elif first.month == last.month:
            text = f"{first.day}–{short_day(last)}"
        else:
            text = f"{short_day(first)} – {short_day(last)}"
        middle = first + (last - first) / 2
        rows.append({"date": pd.Timestamp(middle), "text": text})
    return pd.DataFrame(rows, columns=["date", "text"])


def burnup_chart(report: Report, metric_id: str | None = None) -> alt.LayerChart:
    """The headline metric cumulative by day, the target lines, the deadlines and the pace to the end."""
    campaign = report.campaign
    metric_id = metric_id or campaign.headline.id
    metric = campaign.metric(metric_id)
    series = report.series.get(metric_id, pd.DataFrame(columns=["date", "value", "cumulative"]))
    undated = int(series.attrs.get("undated", 0))  # counted, but with no day to put them on
    series = series[["date", "cumulative"]]
    last_deadline = max((d.date for d in report.deadlines), default=campaign.end)
    last_day = max(campaign.end + timedelta(days=7), last_deadline)
    ticks = [campaign.start + timedelta(days=7 * week)
             for week in range((last_day - campaign.start).days // 7 + 1)]
    domain_end = last_day + timedelta(days=2)  # room for a label centred on the last day
    x = alt.X("date:T", title=None,
              scale=alt.Scale(domain=[_datetime(campaign.start), _datetime(domain_end)]),
              axis=alt.Axis(format="%-d %b", labelAngle=0, values=[_datetime(t) for t in ticks],
                            grid=True, gridColor="#eceff1"))
    targets = [t for t in report.targets if t.metric == metric_id and t.goal is not None]
    pace = projection(report, metric_id)
    ends = [float(series["cumulative"].max()) if not series.empty else 0.0, *(t.goal for t in targets)]
    if not pace.empty:
        ends.append(float(pace["cumulative"].max()))
    top = max(max(ends) * 1.12, 5)
    y_scale = alt.Scale(domain=[0, top], nice=False)
    unit = metric.unit[2] if metric.unit else ""
    y = alt.Y("cumulative:Q", title=f"всего {unit}" if unit else "всего", scale=y_scale,
              axis=alt.Axis(format=",d", tickCount=5, gridColor="#eceff1"))
    layers: list[alt.Chart] = []

    deadlines = pd.DataFrame({"date": pd.to_datetime(sorted({d.date for d in report.deadlines}))})
    if not deadlines.empty:
        layers.append(alt.Chart(deadlines).mark_rule(color=BROWN, strokeDash=[6, 4], strokeWidth=2,
                                                     opacity=0.8).encode(x="date:T"))
        layers.append(alt.Chart(deadline_labels(report)).mark_text(
            fontSize=20, font=FONT, color=BROWN, baseline="bottom", dy=-8).encode(
            x="date:T", y=alt.value(0), text="text:N"))
    if campaign.start <= report.as_of <= domain_end:
        as_of = pd.DataFrame({"date": [pd.Timestamp(report.as_of)], "text": [short_day(report.as_of)]})
        layers.append(alt.Chart(as_of).mark_rule(color=BLUE, strokeWidth=3).encode(x="date:T"))
    if targets:
        rules = pd.DataFrame({"cumulative": [t.goal for t in targets],
                              "label": [f"цель: {russian.number(t.goal)}" for t in targets]}).drop_duplicates()
        layers.append(alt.Chart(rules).mark_rule(color=RED, strokeDash=[3, 3], strokeWidth=2).encode(
            y=alt.Y("cumulative:Q", scale=y_scale)))
        layers.append(alt.Chart(rules).mark_text(align="right", baseline="bottom", dy=-4, font=FONT,
                                                 fontSize=20, color=RED).encode(
            x=alt.value(BURNUP_WIDTH - 8), y=alt.Y("cumulative:Q", scale=y_scale), text="label:N"))
    if not pace.empty:
        layers.append(alt.Chart(pace).mark_line(strokeDash=[10, 7], strokeWidth=3, color=GREEN, opacity=0.75)
                      .encode(x=x, y=y))
        end = pace.iloc[[-1]].assign(text=lambda f: "прогноз: " + f["cumulative"].round().astype(int).map(
            russian.number))
        layers.append(alt.Chart(end).mark_text(align="right", baseline="bottom", dx=-6, dy=-10, font=FONT,
                                               fontSize=20, color=GREEN).encode(
            x="date:T", y=alt.Y("cumulative:Q", scale=y_scale), text="text:N"))
    if not series.empty:
        layers.append(alt.Chart(series).mark_area(color=GREEN, opacity=0.12).encode(x=x, y=y))
        layers.append(alt.Chart(series).mark_line(strokeWidth=4, color=GREEN,
                                                  point=alt.OverlayMarkDef(size=60, color=GREEN)).encode(x=x, y=y))
        last = series.iloc[[-1]].assign(text=lambda f: f["cumulative"].map(russian.number))
        layers.append(alt.Chart(last).mark_text(align="left", baseline="middle", dx=10, font=FONT, fontSize=28,
                                                fontWeight="bold", color=GREEN).encode(
            x="date:T", y=alt.Y("cumulative:Q", scale=y_scale), text="text:N"))
        if undated:
            note = last.assign(text=f"и {russian.number(undated)} без даты")
            layers.append(alt.Chart(note).mark_text(align="left", baseline="top", dx=10, dy=18, font=FONT,
                                                    fontSize=20, color=MUTED).encode(
                x="date:T", y=alt.Y("cumulative:Q", scale=y_scale), text="text:N"))
    title = f"{metric.label}: нарастающим итогом по дням"
    subtitle = "синяя линия — дата сводки, коричневые — сроки отчётов, пунктир — прогноз при нынешнем темпе"
    return alt.layer(*layers).properties(width=BURNUP_WIDTH, height=PANEL_HEIGHT,
                                         title=alt.TitleParams(title, subtitle=subtitle))


# ---------------------------------------------------------------- the slide


def _credit() -> alt.Chart:
    return alt.Chart(pd.DataFrame({"text": [CREDIT]})).mark_text(
        align="right", baseline="bottom", font=FONT, fontSize=16, color=MUTED).encode(
        x=alt.value(CONTENT_WIDTH), y=alt.value(24), text="text:N").properties(width=CONTENT_WIDTH, height=24)


def _config() -> alt.Config:
    return alt.Config(
        locale=D3_LOCALE, font=FONT, view=alt.ViewConfig(stroke=None),
        axis=alt.AxisConfig(labelFontSize=20, titleFontSize=20, labelFont=FONT, titleFont=FONT, labelColor=MUTED,
                            titleColor=MUTED, titleFontWeight="normal", domainColor="#9aa5b1",
                            tickColor="#9aa5b1"),
        title=alt.TitleConfig(fontSize=SECTION_TITLE, font=FONT, color=INK, anchor="start", offset=14,
                              subtitleFontSize=20, subtitleFont=FONT, subtitleColor=MUTED, subtitlePadding=6),
    )


def _compose(report: Report) -> alt.VConcatChart:
    """The slide with MARGIN padding all round; `briefing_chart` widens the padding to the slide's size."""
    campaign = report.campaign
    title = alt.TitleParams(f"{campaign.title} — {campaign.region_name}",
                            subtitle=f"по состоянию на {russian.day(report.as_of)}",
                            anchor="start", fontSize=52, subtitleFontSize=28, font=FONT, subtitleFont=FONT,
                            color=INK, subtitleColor=MUTED, fontWeight="bold", subtitlePadding=8, offset=22)
    independent = alt.Resolve(scale=alt.ScaleResolveMap(color="independent"))
    panels = alt.HConcatChart(hconcat=[municipality_map(report), burnup_chart(report)], spacing=PANEL_SPACING,
                              resolve=independent)
    chart = alt.VConcatChart(
        vconcat=[kpi_cards(report), panels, _credit()], spacing=28, resolve=independent, title=title,
        padding={"left": MARGIN, "top": MARGIN, "right": MARGIN, "bottom": MARGIN}, background="white",
        config=_config(),
    )
    chart.datasets = {MAP_DATASET: map_features(report)}  # set in place: altair would deep-copy it
    return chart


_SIZE = re.compile(r'<svg[^>]*?\bwidth="([\d.]+)"[^>]*?\bheight="([\d.]+)"')


def _rendered_size(spec: dict) -> tuple[float, float]:
    svg = vl_convert.vegalite_to_svg(spec)
    match = _SIZE.search(svg)
    if not match:
        raise RuntimeError("vl-convert returned an SVG without a size")
    return float(match.group(1)), float(match.group(2))


def _fitted_padding(width: float, height: float) -> dict:
    """Padding that makes content of `width` × `height` (at MARGIN padding) exactly WIDTH × HEIGHT, centred."""
    spare_x, spare_y = round(WIDTH - width), round(HEIGHT - height)
    if spare_x < 0 or spare_y < 0:
        raise BriefingError(f"Слайд не помещается в {WIDTH}×{HEIGHT} пикселей: {width:.0f}×{height:.0f}")
    left, top = MARGIN + spare_x // 2, MARGIN + spare_y // 2
    return {"left": left, "top": top, "right": MARGIN + spare_x - spare_x // 2,
            "bottom": MARGIN + spare_y - spare_y // 2}


def _briefing(report: Report) -> tuple[alt.VConcatChart, dict]:
    chart = _compose(report)
    spec = chart.to_dict()
    padding = _fitted_padding(*_rendered_size(spec))
    chart.padding = padding
    spec["padding"] = padding
    return chart, spec


def briefing_chart(report: Report) -> alt.VConcatChart:
    """The slide: exactly WIDTH × HEIGHT pixels at scale 1 (the padding takes up what is left)."""
    return _briefing(report)[0]


def briefing_spec(report: Report) -> dict:
    """The slide as a Vega-Lite dict."""
    return _briefing(report)[1]


def briefing_png(report: Report, scale: float = 1) -> bytes:
    return vl_convert.vegalite_to_png(briefing_spec(report), scale=scale, format_locale="ru-RU",
                                      time_format_locale="ru-RU")


def briefing_pdf(report: Report) -> bytes:
    return vl_convert.vegalite_to_pdf(briefing_spec(report), format_locale="ru-RU", time_format_locale="ru-RU")


def out_error(out: str | Path) -> str | None:
    """A Russian error for a file the slide cannot be written to, None when it is fine."""
    path = Path(out)
    if path.suffix.lower() not in OUTPUT_FORMATS:
        return (f"Не знаю, в каком формате записать «{path.name}»: "
                f"укажите файл .png (картинка) или .pdf.")
    return None


def write_briefing(report: Report, out: str | Path) -> Path:
    """The slide as .png or .pdf, by the file's extension."""
    path = Path(out)
    if error := out_error(path):
        raise BriefingError(error)
    path.write_bytes(briefing_png(report) if path.suffix.lower() == ".png" else briefing_pdf(report))
    return path
