"""One 16:9 slide (1920 × 1080 px) with the campaign's state, for an official's briefing.

`briefing_chart(report)` builds a Vega-Lite chart (altair): the title, a row of KPI cards (one
per target), the municipality map as a choropleth and the burn-up of organisations joined.
`briefing_png` / `briefing_pdf` render it offline with vl-convert.

The slide carries aggregates only: no sheet rows, no organisation names, no contacts.
Self-contained on purpose: campaign/ does not depend on the Streamlit components.
"""

from __future__ import annotations

import re
import textwrap
from datetime import date
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert
from shapely.geometry import mapping, shape
from shapely.geometry.polygon import orient

from campaign import russian
from campaign.burnup import PACE_DAYS, burnup, no_pace_text
from campaign.errors import UserFacingError
from campaign.lagging import laggards, next_deadline
from campaign.map_view import (
    PALETTE,
    SLIDE_LABELS,
    Measure,
    hex_colour,
    map_measures,
    no_map_note,
    place_labels,
    ranked,
)
from campaign.pipeline import Report
from campaign.registry import load_geojson
from campaign.russian import D3_LOCALE
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

AXIS_DATE = "%-d %B"  # «8 февраля»: the locale's months are in the genitive

# layout, in pixels
KPI_HEIGHT = 212  # value, three lines of the target, two of what remains
KPI_GAP = 20
PANEL_HEIGHT = SLIDE_LABELS.height
MAP_WIDTH = 820  # the polygons take the left MAP_EXTENT pixels, the legend the rest
MAP_EXTENT = SLIDE_LABELS.width
PANEL_SPACING = 50
# the y axis takes the same room whatever its numbers («80» or «100 000»): its labels and ticks
# Y_AXIS_EXTENT pixels, its title beside them Y_AXIS_TITLE
Y_AXIS_EXTENT, Y_AXIS_TITLE = 84, 30
BURNUP_WIDTH = CONTENT_WIDTH - MAP_WIDTH - PANEL_SPACING - Y_AXIS_EXTENT - Y_AXIS_TITLE
SECTION_TITLE = 26
MAP_DATASET = "municipality_polygons"


class BriefingError(UserFacingError, ValueError):
    """The slide cannot be written as asked (e.g. an unknown file type)."""

    reason = "briefing"


# ---------------------------------------------------------------- small helpers


def _datetime(value: date) -> alt.DateTime:
    return alt.DateTime(year=value.year, month=value.month, date=value.day)


def _wrap(text: str, width: int, lines: int) -> str:
    """Lines of at most `width` characters joined by "\\n"; an ellipsis past `lines` lines."""
    wrapped = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1].rstrip(" ,.;:") + "…"
    return "\n".join(wrapped)


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
    chars, status_chars = max(int(inner / 10.6), 12), max(int(inner / 11.9), 10)
    rows = []
    for index, target in enumerate(targets):
        status, colour = target_status(report, target)
        left = index * (card + KPI_GAP)
        rows.append({
            "x": left, "x2": left + card, "left": left + 20,
            "value": target_figure(target),  # «119 из 165 (72 %)» for a share of all
            "label": _wrap(target.label, chars, 3),
            "status": _wrap(status, status_chars, 2),
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
    label = text(80, fontSize=20, color=MUTED, lineHeight=22).encode(text="label:N")
    status = text(152, fontSize=20, fontWeight="bold", lineHeight=24).encode(
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
    """The region's polygons (clockwise) with each municipality's colour class as properties; nothing else."""
    measure = map_measure(report)
    features = []
    for feature in load_geojson(report.campaign.region_key)["features"]:
        geometry = _clockwise(feature["geometry"])
        geometry = {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])}
        features.append({"type": "Feature", "geometry": geometry,
                         "properties": {"bin": measure.class_label(feature["properties"]["uid"])}})
    return features


def label_frame(report: Report) -> pd.DataFrame:
    """The map's labels as `campaign.map_view.place_labels` places them (as on the dashboard's map):
    text centred at lon/lat; a town inside its district as a marker in its own colour at
    point_lon/point_lat with a leader line to edge_lon/edge_lat."""
    rows = [{"lon": label.lon, "lat": label.lat, "text": label.text, "marker": label.marker,
             "point_lon": label.point_lon, "point_lat": label.point_lat, "edge_lon": label.edge_lon,
             "edge_lat": label.edge_lat, "colour": hex_colour(label.colour)}
            for label in place_labels(report, map_measure(report), SLIDE_LABELS)]
    return pd.DataFrame(rows, columns=["lon", "lat", "text", "marker", "point_lon", "point_lat", "edge_lon",
                                       "edge_lat", "colour"])


def municipality_map(report: Report) -> alt.LayerChart:
    measure = map_measure(report)
    headline = report.campaign.metric(measure.metric)
    dashboard = report.campaign.dashboard
    title = dashboard.map_title if dashboard and dashboard.map_title else "По муниципалитетам"
    if measure.id == "quota":
        subtitle = "цвет — доля муниципальной цели, подписи — сколько присоединилось из цели"
    elif measure.by_share:
        subtitle = f"цвет и подписи — доля организаций: {headline.heading.lower()}"
    else:
        subtitle = f"цвет и подписи — {headline.label[0].lower()}{headline.label[1:]}"
    legend_title = "Доля цели" if measure.id == "quota" else ("Доля" if measure.by_share else headline.heading)
    # by name: the polygons go into the top-level datasets once (altair deep-copies inline values)
    shapes = alt.Chart(alt.NamedData(name=MAP_DATASET)).mark_geoshape(
        stroke="#ffffff", strokeWidth=1.2).encode(
        color=alt.Color("properties.bin:N", title=legend_title,
                        scale=alt.Scale(domain=list(measure.bins.labels), range=[hex_colour(c) for c in PALETTE]),
                        legend=alt.Legend(orient="none", legendX=MAP_EXTENT + 40, legendY=PANEL_HEIGHT - 250,
                                          symbolType="square", symbolSize=500, symbolStrokeWidth=0,
                                          labelFontSize=20, titleFontSize=20, labelFont=FONT, titleFont=FONT,
                                          titleFontWeight="normal", titleColor=MUTED, rowPadding=8,
                                          titleLimit=260, labelLimit=260)),
    )
    labels = label_frame(report)
    layers: list[alt.Chart] = [shapes]
    markers = labels[labels["marker"]]
    if not markers.empty:  # a town inside its district: a dot in its own colour, a line to its label
        layers.append(alt.Chart(markers).mark_rule(color=INK, strokeWidth=2).encode(
            longitude="point_lon:Q", latitude="point_lat:Q", longitude2="edge_lon:Q", latitude2="edge_lat:Q"))
        layers.append(alt.Chart(markers).mark_circle(size=260, stroke=INK, strokeWidth=2, opacity=1).encode(
            longitude="point_lon:Q", latitude="point_lat:Q", color=alt.Color("colour:N", scale=None)))
    if not labels.empty:
        position = {"longitude": "lon:Q", "latitude": "lat:Q"}
        style = {"fontSize": 20, "font": FONT, "lineBreak": "\n", "lineHeight": 22, "fontWeight": "bold",
                 "align": "center", "baseline": "middle"}
        layers.append(alt.Chart(labels).mark_text(stroke="white", strokeWidth=5, strokeJoin="round", color="white",
                                                  **style).encode(text="text:N", **position))
        layers.append(alt.Chart(labels).mark_text(color=INK, **style).encode(text="text:N", **position))
    # offset: level with the burn-up's title, which sits above that chart's deadline labels
    return alt.layer(*layers).project(
        type="mercator", extent=[[0, 0], [MAP_EXTENT, PANEL_HEIGHT]]).properties(
        width=MAP_WIDTH, height=PANEL_HEIGHT, title=alt.TitleParams(title, subtitle=subtitle, offset=14 + 30))


BARS_SHOWN = 12  # a region without a map: its first municipalities as bars, in the map's order
BAR_NAMES_WIDTH = 280


def municipality_bars(report: Report) -> alt.LayerChart:
    """Where a region has no bundled boundaries: its municipalities with data, the largest
    first, as bars in the map's colours with the map's labels; the subtitle says why."""
    measure = map_measure(report)
    shown = ranked(report, measure, BARS_SHOWN)
    dashboard = report.campaign.dashboard
    title = dashboard.map_title if dashboard and dashboard.map_title else "По муниципалитетам"
    data = pd.DataFrame({
        "name": [m.short_name for m in shown],
        "x": [(measure.of(m.uid)[2] or 0.0) if measure.by_share else measure.of(m.uid)[0] for m in shown],
        "bin": [measure.class_label(m.uid) for m in shown],
        "text": [measure.label_text(m.uid) for m in shown],
    })
    top = max(float(data["x"].max()) if len(data) else 0.0, 1.0 if measure.by_share else 5.0) * 1.25
    width = MAP_WIDTH - 20
    # no axes: a concatenated slide lines its rows up by their axes; the names are text in the panel
    y = alt.Y("name:N", sort=None, title=None, axis=None)
    x = alt.X("x:Q", title=None, axis=None, scale=alt.Scale(domain=[0, top], range=[BAR_NAMES_WIDTH, width]))
    bars = alt.Chart(data).mark_bar(height=24).encode(
        y=y, x=x, x2=alt.datum(0), color=alt.Color("bin:N", legend=None, scale=alt.Scale(
            domain=list(measure.bins.labels), range=[hex_colour(c) for c in PALETTE])))
    figures = alt.Chart(data).mark_text(align="left", baseline="middle", dx=8, fontSize=20, font=FONT,
                                        color=INK).encode(y=y, x=x, text="text:N")
    names = alt.Chart(data).mark_text(align="right", baseline="middle", fontSize=20, font=FONT, color=INK,
                                      limit=BAR_NAMES_WIDTH - 12).encode(
        y=y, x=alt.value(BAR_NAMES_WIDTH - 10), text="name:N")
    subtitle = _wrap(no_map_note(report), 76, 2).split("\n")  # lines: a subtitle does not break at "\n"
    return alt.layer(bars, figures, names).properties(
        width=width, height=PANEL_HEIGHT - 40,
        title=alt.TitleParams(title, subtitle=subtitle, offset=14))


# ---------------------------------------------------------------- burn-up


def burnup_chart(report: Report, metric_id: str | None = None) -> alt.LayerChart:
    """The metric cumulative by day, the target lines, the deadlines and the projection at the
    recent pace: `campaign.burnup` decides what, as on the dashboard's chart."""
    chart = burnup(report, metric_id)
    metric = chart.metric
    series = chart.series[["date", "cumulative"]]
    start, domain_end = chart.domain
    x = alt.X("date:T", title=None,
              scale=alt.Scale(domain=[_datetime(start), _datetime(domain_end)]),
              axis=alt.Axis(format=AXIS_DATE, labelAngle=0, values=[_datetime(t) for t in chart.ticks],
                            grid=True, gridColor="#eceff1"))
    top = max(chart.top * 1.12, 5)
    y_scale = alt.Scale(domain=[0, top], nice=False)
    unit = metric.unit[2] if metric.unit else ""
    y = alt.Y("cumulative:Q", title=f"всего {unit}" if unit else "всего", scale=y_scale,
              axis=alt.Axis(format=",d", tickCount=5, gridColor="#eceff1", minExtent=Y_AXIS_EXTENT,
                            maxExtent=Y_AXIS_EXTENT))
    layers: list[alt.Chart] = []

    if not chart.deadlines.empty:
        rules = pd.DataFrame({"date": pd.to_datetime(sorted({d.date for d in report.deadlines}))})
        layers.append(alt.Chart(rules).mark_rule(color=BROWN, strokeDash=[6, 4], strokeWidth=2,
                                                 opacity=0.8).encode(x="date:T"))
        layers.append(alt.Chart(chart.deadlines[["date", "text"]]).mark_text(
            fontSize=20, font=FONT, color=BROWN, baseline="bottom", dy=-8).encode(
            x="date:T", y=alt.value(0), text="text:N"))
    if chart.as_of is not None:
        as_of = pd.DataFrame({"date": [pd.Timestamp(chart.as_of)]})
        layers.append(alt.Chart(as_of).mark_rule(color=BLUE, strokeWidth=3).encode(x="date:T"))
    if chart.goals:
        rules = pd.DataFrame({"cumulative": [goal for goal, _ in chart.goals],
                              "label": [label for _, label in chart.goals]})
        layers.append(alt.Chart(rules).mark_rule(color=RED, strokeDash=[3, 3], strokeWidth=2).encode(
            y=alt.Y("cumulative:Q", scale=y_scale)))
        layers.append(alt.Chart(rules).mark_text(align="right", baseline="bottom", dy=-4, font=FONT,
                                                 fontSize=20, color=RED).encode(
            x=alt.value(BURNUP_WIDTH - 8), y=alt.Y("cumulative:Q", scale=y_scale), text="label:N"))
    if chart.pace is not None:
        pace = chart.pace.line
        layers.append(alt.Chart(pace).mark_line(strokeDash=[10, 7], strokeWidth=3, color=GREEN, opacity=0.75)
                      .encode(x=x, y=y))
        end = pace.iloc[[-1]].assign(text="прогноз: " + russian.number(round(chart.pace.end_total)))
        layers.append(alt.Chart(end).mark_text(align="right", baseline="bottom", dx=-6, dy=-10, font=FONT,
                                               fontSize=20, color=GREEN).encode(
            x="date:T", y=alt.Y("cumulative:Q", scale=y_scale), text="text:N"))
    if not series.empty:
        layers.append(alt.Chart(series).mark_area(color=GREEN, opacity=0.12).encode(x=x, y=y))
        layers.append(alt.Chart(series).mark_line(strokeWidth=4, color=GREEN,
                                                  point=alt.OverlayMarkDef(size=60, color=GREEN)).encode(x=x, y=y))
        last = series.iloc[[-1]].assign(text=chart.end_figure)
        layers.append(alt.Chart(last).mark_text(align="left", baseline="middle", dx=10, font=FONT, fontSize=28,
                                                fontWeight="bold", color=GREEN).encode(
            x="date:T", y=alt.Y("cumulative:Q", scale=y_scale), text="text:N"))
        if chart.end_note:
            note = last.assign(text=chart.end_note)
            layers.append(alt.Chart(note).mark_text(align="left", baseline="top", dx=10, dy=18, font=FONT,
                                                    fontSize=20, color=MUTED).encode(
                x="date:T", y=alt.Y("cumulative:Q", scale=y_scale), text="text:N"))
    title = f"{metric.label}: нарастающим итогом по дням"
    days = russian.count(PACE_DAYS, ("дня", "дней", "дней"))
    pace_text = (f"пунктир — прогноз при темпе последних {days}" if chart.pace is not None
                 else no_pace_text(chart, report.as_of, report.campaign.end))
    subtitle = ", ".join(part for part in ("синяя линия — дата сводки", "коричневые — сроки", pace_text) if part)
    # limits: a longer text is cut with «…», never widening the slide past 1920 px
    return alt.layer(*layers).properties(width=BURNUP_WIDTH, height=PANEL_HEIGHT, title=alt.TitleParams(
        title, subtitle=subtitle, limit=BURNUP_WIDTH + 80))


def lagging_texts(report: Report) -> list[str]:
    """Who lags, in at most two lines: those that sent nothing, then those furthest behind their
    target with what they still owe (campaign.lagging, as on the first screen, by the same full
    names: «Бурейский район», «г. Шимановск»; the short ones are the map's labels)."""
    ranked = laggards(report, limit=None)
    silent = [m.name for m in ranked if m.silent]
    behind = [m for m in ranked if not m.silent]
    lines = []
    if silent:  # as many names as the line holds whole, and how many more: never a name cut with «…»
        lines.append(_fitted(f"Ничего не прислали: {russian.out_of(len(silent), len(report.registry))} — ",
                             silent, ", "))
    if behind:
        lines.append(_fitted("Отстают: ", [f"{m.name} ({m.owes[0]})" for m in behind[:4]], "; "))
    if not lines:
        lines.append("Все муниципалитеты выполнили свои цели.")
    return lines[:2]


LAGGING_CHARS = 150  # a line of the slide's «who lags», at its font size


def _fitted(head: str, items: list[str], separator: str, limit: int = LAGGING_CHARS) -> str:
    """`head` and as many whole `items` as fit `limit` characters, with «и ещё 5» for the rest."""
    for shown in range(len(items), 0, -1):
        more = len(items) - shown
        line = head + separator.join(items[:shown]) + (f" и ещё {russian.number(more)}" if more else "")
        if len(line) <= limit:
            return line
    return head.rstrip(" —:") + f": {russian.number(len(items))}"


def lagging_lines(report: Report) -> alt.Chart:
    """Who lags (`lagging_texts`), in two lines across the slide, the silent ones in red."""
    lines = lagging_texts(report)
    silent = lines[0].startswith("Ничего не прислали")
    frame = pd.DataFrame({"text": lines[:2], "y": [0, 26][:len(lines[:2])]})
    return alt.Chart(frame).mark_text(align="left", baseline="top", font=FONT, fontSize=21, color=INK,
                                      limit=CONTENT_WIDTH).encode(
        x=alt.value(0), y=alt.Y("y:Q", scale=_pixels(52, reverse=True), axis=None), text="text:N",
        color=alt.condition("datum.y == 0 && " + ("true" if silent else "false"), alt.value(RED), alt.value(INK)),
    ).properties(width=CONTENT_WIDTH, height=52)


def slide_description(report: Report) -> str:
    """The slide in words, for whoever cannot see the picture (its text alternative, ГОСТ Р
    52872-2019): the title and date, every target with its figure and status, who lags, what the
    map and the chart show — the same facts from the same functions as the picture."""
    campaign = report.campaign
    parts = [f"Слайд «{campaign.title} — {campaign.region_name}» по состоянию на {russian.day(report.as_of)}."]
    upcoming = next_deadline(report)
    if upcoming is not None:
        parts.append(f"Ближайший срок {russian.day(upcoming.date)} ({russian.days_left(upcoming.days_left)}): "
                     f"{upcoming.what[:1].lower()}{upcoming.what[1:]}.")
    for target in report.targets:
        status, _ = target_status(report, target)
        parts.append(f"{target.label}: {target_figure(target)}, {status}.")
    parts.extend(f"{line}." for line in lagging_texts(report))
    if report.registry.has_boundaries:
        label = map_measure(report).label
        parts.append(f"Карта муниципалитетов: {label[:1].lower()}{label[1:]}.")
    else:
        parts.append("Столбцы по муниципалитетам.")
    chart = burnup(report)
    line = f"График «{chart.metric.label}» по дням: всего {chart.end_figure}"
    if chart.end_note:
        line += f" ({chart.end_note})"
    if chart.pace is not None:
        line += f", {chart.pace.description}: {russian.number(round(chart.pace.end_total))}"
    elif no_pace_text(chart, report.as_of, campaign.end):
        line += f", {no_pace_text(chart, report.as_of, campaign.end)}"
    parts.append(line + ".")
    return " ".join(parts)


# ---------------------------------------------------------------- the slide


def _credit(has_map: bool = True) -> alt.Chart:
    return alt.Chart(pd.DataFrame({"text": [CREDIT if has_map else ""]})).mark_text(
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
    upcoming = next_deadline(report)
    subtitle = f"по состоянию на {russian.day(report.as_of)}"
    if upcoming is not None:
        subtitle += (f" · ближайший срок {russian.day(upcoming.date)} ({russian.days_left(upcoming.days_left)}): "
                     f"{upcoming.what[:1].lower()}{upcoming.what[1:]}")
    title = alt.TitleParams(f"{campaign.title} — {campaign.region_name}", subtitle=_wrap(subtitle, 112, 1),
                            limit=CONTENT_WIDTH,
                            anchor="start", fontSize=52, subtitleFontSize=28, font=FONT, subtitleFont=FONT,
                            color=INK, subtitleColor=MUTED, fontWeight="bold", subtitlePadding=8, offset=22)
    independent = alt.Resolve(scale=alt.ScaleResolveMap(color="independent"))
    has_map = report.registry.has_boundaries
    # the bars of a region without a map have x and y scales of their own, unlike the map's shapes
    own_scales = alt.Resolve(scale=alt.ScaleResolveMap(color="independent", x="independent", y="independent"))
    panels = alt.HConcatChart(hconcat=[municipality_map(report) if has_map else municipality_bars(report),
                                       burnup_chart(report)], spacing=PANEL_SPACING,
                              resolve=independent if has_map else own_scales)
    chart = alt.VConcatChart(
        vconcat=[kpi_cards(report), lagging_lines(report), panels, _credit(has_map)], spacing=14,
        resolve=independent if has_map else own_scales,
        title=title,
        padding={"left": MARGIN, "top": MARGIN, "right": MARGIN, "bottom": MARGIN}, background="white",
        config=_config(),
    )
    if has_map:
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
