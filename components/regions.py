"""The federal view's pieces: every region of one campaign as it stands, and the map of Russia."""

from __future__ import annotations

import pandas as pd
import pydeck as pdk

from campaign import russian
from campaign.federal import (
    NO_ROWS,
    NOT_READ,
    REPORTED,
    RUSSIA_BOX,
    STATUS_TEXT,
    RegionRead,
    district_outlines,
    district_units,
    family_members,
    region_table,
    screen_regions,
    target_cells,
)
from campaign.map_view import COUNT_BINS, REGIONS_ZOOM_IN, SHARE_BINS, LabelFrame, labels_that_fit
from campaign.pipeline import Report
from campaign.spec import Campaign, load_campaign
from campaign.workbook import SourceError
from components.data import campaign_ids, current_settings, error_text, load
from components.map import FILL, NO_BASEMAP, PAGE_LABELS, DrawnDeck, box_view, clicked_choice, map_view
from components.per_read import per_read

REGIONS_LAYER = "regions"
DISTRICT_LAYER = "district_units"  # a federal district's municipalities
# a region whose sheet is not connected or not read (0 % is grey): white on a light page; on a dark
# one a white block glared, so a dark grey there (the captions name the colour: `no_data_word`)
NO_DATA = {False: (255, 255, 255), True: (58, 58, 62)}


def no_data_word(dark: bool) -> str:
    return "тёмно-серым" if dark else "белым"
RUSSIA_WIDTH = 860  # the page's width at 1366 px: the map of Russia is drawn (simplified) for it, and
# fitted into it until the browser has measured the page (components/column_width.py)
ATTRIBUTION = "Границы субъектов: GIS-Lab / © OpenStreetMap contributors (ODbL)"


def family_campaigns(campaign_id: str) -> list[str]:
    """The campaigns of the same family as `campaign_id`: one per region (a federal campaign:
    every region it names)."""
    return family_members(campaign_id, campaign_ids())


def region_reads(campaign_id: str) -> list[RegionRead]:
    """Every region of the campaign's family with its report, or why there is none: a region of
    a federal campaign with no source configured (and no demo workbook) is not connected and is
    not read at all."""
    regions = []
    for member in family_campaigns(campaign_id):
        subject = load_campaign(member).subject
        try:
            settings = current_settings(member)
        except SourceError as error:
            regions.append(RegionRead(member, subject, None, NOT_READ, error.message))
            continue
        if not settings.connected:
            regions.append(RegionRead.of(member, subject, None, connected=False))
            continue
        loaded = load(member)
        regions.append(RegionRead.of(member, subject, loaded.report,
                                     note=error_text(loaded) if loaded.error is not None else ""))
    return regions


def region_targets_table(table: pd.DataFrame, campaign: Campaign, target_ids: list[str]) -> pd.DataFrame:
    """Regions × shared targets with Russian headings, ranked, for st.dataframe: a region
    without figures says why in «Состояние»."""
    reported = table["status"].isin([REPORTED, NO_ROWS])
    frame = pd.DataFrame({"Место": table["rank"], "Регион": table["region"],
                          "Федеральный округ": table["federal_district"]})
    for target_id in target_ids:
        cells = target_cells(table[reported], target_id) if reported.any() else []
        column = pd.Series("—", index=table.index)
        column[reported] = cells
        frame[campaign.metric(campaign.target(target_id).metric).heading] = column
    if target_ids:
        frame["Целей выполнено"] = [russian.out_of(int(m), int(n)) if ok else "—" for m, n, ok in
                                    zip(table.get("targets_met", 0), table.get("targets", 0), reported)]
        frame["Ещё нужно"] = [owes if ok and owes else ("выполнено" if ok else "—")
                              for owes, ok in zip(table.get("owes", ""), reported)]
    frame["Молчат муниципалитетов"] = [russian.out_of(int(s), int(n)) if ok else "—" for s, n, ok in
                                       zip(table.get("silent", 0), table.get("municipalities", 0), reported)]
    frame["Ошибок"] = [russian.number(int(e)) if ok else "—" for e, ok in zip(table.get("errors", 0), reported)]
    frame["Состояние"] = [STATUS_TEXT[s] or "отчёт есть" for s in table["status"]]
    return frame


def russia_deck(reports: tuple[Report, ...], target_id: str, states: tuple[tuple[str, str], ...], *,
                selected: str | None = None, width: int = RUSSIA_WIDTH, height: int = 520, wheel_zoom: bool = False,
                dark: bool = False) -> DrawnDeck:
    """Every federal subject; the regions with figures coloured by the share of one target, those
    of `states` ((key, status) of every region of the campaign, in `federal_table`'s rank: the
    labels go to who lags first) without figures in white. Drawn
    once per set of reads and choices for every session (a campaign of no report yet: each time)."""
    if reports:
        return _russia_deck(reports, target_id, states, selected=selected, width=width, height=height,
                            wheel_zoom=wheel_zoom, dark=dark)
    return _draw_russia(reports, target_id, states, selected=selected, width=width, height=height,
                        wheel_zoom=wheel_zoom, dark=dark)


def _draw_russia(reports: tuple[Report, ...], target_id: str, states: tuple[tuple[str, str], ...], *,
                 selected: str | None, width: int, height: int, wheel_zoom: bool, dark: bool = False) -> DrawnDeck:
    status = dict(states)
    table = region_table(list(reports)) if reports else None
    rows = table.set_index("iso").to_dict("index") if table is not None else {}
    figures = dict(zip(table["iso"], target_cells(table, target_id))) if table is not None else {}
    campaign = reports[0].campaign if reports else None
    target_label = campaign.metric(campaign.target(target_id).metric).heading if campaign else "Цель"
    regions = screen_regions(RUSSIA_WIDTH)
    features = []
    for feature in regions:
        key = feature["properties"]["iso_3166_2"]
        row = rows.get(key)
        properties = {"iso": key, "name": feature["properties"]["name_ru"], "met": "—",
                      "figure": STATUS_TEXT.get(status.get(key, ""), "") or "не участвует",
                      "fill": [*NO_DATA[dark], 255], "line": [150, 150, 150, 255], "line_width": 1}
        if row is not None:
            share = float(row[f"{target_id}:share"])
            properties.update(
                figure=figures[key],
                met=russian.out_of(row["targets_met"], row["targets"]),
                fill=[*SHARE_BINS.colour(share), 255],
                line=[20, 20, 20, 255] if key == selected else [60, 60, 60, 255],
                line_width=3 if key == selected else 1,
            )
        features.append({"type": "Feature", "geometry": feature["geometry"], "properties": properties})
    polygons = pdk.Layer(
        "GeoJsonLayer", {"type": "FeatureCollection", "features": features}, id=REGIONS_LAYER, pickable=True,
        stroked=True, filled=True, get_fill_color="properties.fill", get_line_color="properties.line",
        get_line_width="properties.line_width", line_width_units='"pixels"', auto_highlight=True,
        highlight_color=[255, 200, 0, 120],
    )
    # the regions furthest behind are labelled first; a label that would cover another is left to the tooltip
    rank = {key: number for number, (key, _status) in enumerate(states)}  # `states` come in the table's rank
    candidates = sorted(((f, shown) for f, shown in zip(regions, features) if f["properties"]["iso_3166_2"] in rows),
                        key=lambda pair: rank[pair[0]["properties"]["iso_3166_2"]])
    fitting = labels_that_fit(
        [(f["properties"]["iso_3166_2"], f["properties"]["label_lon"], f["properties"]["label_lat"],
          f"{f['properties']['name_ru']}\n{figures[f['properties']['iso_3166_2']]}") for f, _ in candidates],
        RUSSIA_BOX, LabelFrame(width, height, fill=FILL, **PAGE_LABELS))
    labelled = [(f, shown) for f, shown in candidates if f["properties"]["iso_3166_2"] in fitting]
    labels = pdk.Layer(
        "TextLayer",
        [{**shown["properties"], "position": list(fitting[f["properties"]["iso_3166_2"]]),
          "text": f"{f['properties']['name_ru']}\n{figures[f['properties']['iso_3166_2']]}"} for f, shown in labelled],
        id="region_labels", get_position="position", get_text="text", get_size=13, size_units='"pixels"',
        get_color=[25, 25, 25, 255], get_text_anchor='"middle"', get_alignment_baseline='"center"',
        character_set='"auto"', font_family='"DejaVu Sans, Arial, sans-serif"', background=True,
        get_background_color=[255, 255, 255, 210], background_padding=[3, 1], pickable=True,
    )
    tooltip = {"html": f"<b>{{name}}</b><br/>{target_label}: {{figure}}<br/>Целей выполнено: {{met}}",
               "style": {"backgroundColor": "#1f2937", "color": "white", "fontSize": "13px"}}
    view = box_view(*RUSSIA_BOX, width=width, height=height, zoom_in=REGIONS_ZOOM_IN)
    return DrawnDeck(layers=[polygons, labels], initial_view_state=view, views=[map_view(view, wheel_zoom=wheel_zoom)],
                     map_style=NO_BASEMAP, map_provider=None, tooltip=tooltip)


_russia_deck = per_read(_draw_russia)


def clicked_region(key: str, keys: set[str]) -> tuple[str | None, str]:
    """(the key of the region just clicked on the map `key` — a region, its label, or one of its
    municipalities on a district's map — if it is one of `keys`; the chart's widget key)."""
    return clicked_choice(key, (REGIONS_LAYER, "region_labels", DISTRICT_LAYER), "iso", keys)


def without_outline(table: pd.DataFrame) -> list[str]:
    """The regions of the campaign the map of Russia cannot draw (ДНР, ЛНР, Запорожская и
    Херсонская области): they are in the table."""
    return list(table.loc[~table["outlined"], "region"])



def district_box(district: str) -> tuple[float, float, float, float]:
    """The lon/lat box of a federal district's municipalities (what its map is fitted to)."""
    return district_units(district, RUSSIA_WIDTH)[1]


def district_deck(reports: tuple[Report, ...], district: str, states: tuple[tuple[str, str], ...], *,
                  width: int = RUSSIA_WIDTH, height: int = 520, dark: bool = False) -> DrawnDeck:
    """Every municipal unit of one federal district (the overview, coarse), coloured by the
    campaign's headline count in its region's report, white where the region has none. Drawn
    once per set of reads for every session (no report yet: each time)."""
    if reports:
        return _district_deck(reports, district, states, width=width, height=height, dark=dark)
    return _draw_district(reports, district, states, width=width, height=height, dark=dark)


def _draw_district(reports: tuple[Report, ...], district: str, states: tuple[tuple[str, str], ...], *,
                   width: int, height: int, dark: bool = False) -> DrawnDeck:
    status = dict(states)
    by_region = {r.campaign.region_key: r for r in reports}
    features, box = district_units(district, RUSSIA_WIDTH)
    headline = reports[0].campaign.headline if reports else None
    shown = []
    values = {uid: int(value) for report in reports
              for uid, value in zip(report.municipalities["uid"], report.municipalities[headline.id])
              } if headline else {}
    for outline in district_outlines(district, RUSSIA_WIDTH):  # a region without a report: whole, white
        key = outline["properties"]["iso_3166_2"]
        if key not in by_region:
            shown.append({"type": "Feature", "geometry": outline["geometry"], "properties": {
                "iso": key, "name": outline["properties"]["name_ru"], "region": "",
                "figure": STATUS_TEXT.get(status.get(key, ""), "") or "не участвует", "fill": [*NO_DATA[dark], 255]}})
    for feature in features:
        props = feature["properties"]
        report = by_region.get(props["region_iso"])
        if report is None:
            continue
        value = values.get(props["uid"])
        name = report.registry.name(props["uid"]) if value is not None else props["name_ru"]
        region = report.campaign.region_name if report is not None else props["region"]
        figure = russian.number(value) if value is not None else (
            STATUS_TEXT.get(status.get(props["region_iso"], ""), "") or "не участвует")
        shown.append({"type": "Feature", "geometry": feature["geometry"], "properties": {
            "iso": props["region_iso"], "name": name, "region": region, "figure": figure,
            "fill": [*(COUNT_BINS.colour(value) if value is not None else NO_DATA[dark]), 255]}})
    polygons = pdk.Layer(
        "GeoJsonLayer", {"type": "FeatureCollection", "features": shown}, id=DISTRICT_LAYER, pickable=True,
        stroked=True, filled=True, get_fill_color="properties.fill", get_line_color=[120, 120, 120, 255],
        get_line_width=0.5, line_width_units='"pixels"', auto_highlight=True, highlight_color=[255, 200, 0, 120],
    )
    label = headline.heading if headline is not None else "Цифры"
    tooltip = {"html": f"<b>{{name}}</b><br/>{{region}}<br/>{label}: {{figure}}",
               "style": {"backgroundColor": "#1f2937", "color": "white", "fontSize": "13px"}}
    view = box_view(*box, width=width, height=height, zoom_in=REGIONS_ZOOM_IN)
    return DrawnDeck(layers=[polygons], initial_view_state=view, views=[map_view(view, wheel_zoom=False)],
                     map_style=NO_BASEMAP, map_provider=None, tooltip=tooltip)


_district_deck = per_read(_draw_district)


def rows_of_no_region(regions: list[RegionRead]) -> list:
    """The rows of the whole country's workbook whose «Регион» names no subject (they count in no
    region), when the regions are rows of one workbook; [] when each region has its own sheet."""
    from data_sources.region_rows import last_read, unassigned

    for region in regions:
        try:
            settings = current_settings(region.campaign_id)
        except SourceError:
            continue
        workbook = last_read(settings.source_kind, settings.source) if settings.region_rows else None
        return unassigned(workbook) if workbook is not None else []
    return []
