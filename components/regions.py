"""The federal view's pieces: the configured regions of one campaign and the map of Russia."""

from __future__ import annotations

import pandas as pd
import pydeck as pdk

from campaign import russian
from campaign.federal import RUSSIA_BOX, family_members, region_table, screen_regions, target_cells
from campaign.map_view import REGIONS_ZOOM_IN, SHARE_BINS
from campaign.pipeline import Report
from campaign.spec import Campaign
from components.data import campaign_ids
from components.map import NO_BASEMAP, DrawnDeck, box_view, clicked_choice, map_view
from components.per_read import per_read

REGIONS_LAYER = "regions"
NO_DATA = (255, 255, 255)  # white: a region whose sheet is not connected (0 % is grey)
RUSSIA_WIDTH = 860  # the page's width at 1366 px: the map of Russia is fitted into it
ATTRIBUTION = "Границы субъектов: GIS-Lab / © OpenStreetMap contributors (ODbL)"


def family_campaigns(campaign_id: str) -> list[str]:
    """The configured campaigns of the same family as `campaign_id`: one per region."""
    return family_members(campaign_id, campaign_ids())


def region_targets_table(table: pd.DataFrame, campaign: Campaign, target_ids: list[str]) -> pd.DataFrame:
    """Regions × shared targets with Russian headings, for st.dataframe."""
    frame = pd.DataFrame({"Регион": table["region"]})
    for target_id in target_ids:
        frame[campaign.metric(campaign.target(target_id).metric).heading] = target_cells(table, target_id)
    frame["Целей выполнено"] = [russian.out_of(m, n) for m, n in zip(table["targets_met"], table["targets"])]
    frame["Молчат муниципалитетов"] = [russian.out_of(s, n) for s, n in zip(table["silent"], table["municipalities"])]
    frame["Ошибок"] = table["errors"]
    return frame


@per_read
def russia_deck(reports: tuple[Report, ...], target_id: str, *, selected: str | None = None,
                height: int = 520, wheel_zoom: bool = False) -> DrawnDeck:
    """Every federal subject; the regions of `reports` coloured by the share of one target
    (drawn once per set of reads and choices, for every session)."""
    table = region_table(list(reports))
    campaign = reports[0].campaign
    target_label = campaign.metric(campaign.target(target_id).metric).heading
    rows = table.set_index("iso").to_dict("index")
    figures = dict(zip(table["iso"], target_cells(table, target_id)))
    regions = screen_regions(RUSSIA_WIDTH)
    features = []
    for feature in regions:
        iso = feature["properties"]["iso_3166_2"]
        row = rows.get(iso)
        properties = {"iso": iso, "name": feature["properties"]["name_ru"], "figure": "нет данных", "met": "—",
                      "fill": [*NO_DATA, 255], "line": [150, 150, 150, 255], "line_width": 1}
        if row is not None:
            share = float(row[f"{target_id}:share"])
            properties.update(
                figure=figures[iso],
                met=russian.out_of(row["targets_met"], row["targets"]),
                fill=[*SHARE_BINS.colour(share), 255],
                line=[20, 20, 20, 255] if iso == selected else [60, 60, 60, 255],
                line_width=3 if iso == selected else 1,
            )
        features.append({"type": "Feature", "geometry": feature["geometry"], "properties": properties})
    polygons = pdk.Layer(
        "GeoJsonLayer", {"type": "FeatureCollection", "features": features}, id=REGIONS_LAYER, pickable=True,
        stroked=True, filled=True, get_fill_color="properties.fill", get_line_color="properties.line",
        get_line_width="properties.line_width", line_width_units='"pixels"', auto_highlight=True,
        highlight_color=[255, 200, 0, 120],
    )
    labels = pdk.Layer(
        "TextLayer",
        [{**shown["properties"], "position": [f["properties"]["label_lon"], f["properties"]["label_lat"]],
          "text": f"{f['properties']['name_ru']}\n{figures[f['properties']['iso_3166_2']]}"}
         for f, shown in zip(regions, features) if f["properties"]["iso_3166_2"] in rows],
        id="region_labels", get_position="position", get_text="text", get_size=13, size_units='"pixels"',
        get_color=[25, 25, 25, 255], get_text_anchor='"middle"', get_alignment_baseline='"center"',
        character_set='"auto"', font_family='"DejaVu Sans, Arial, sans-serif"', background=True,
        get_background_color=[255, 255, 255, 210], background_padding=[3, 1], pickable=True,
    )
    tooltip = {"html": f"<b>{{name}}</b><br/>{target_label}: {{figure}}<br/>Целей выполнено: {{met}}",
               "style": {"backgroundColor": "#1f2937", "color": "white", "fontSize": "13px"}}
    view = box_view(*RUSSIA_BOX, width=RUSSIA_WIDTH, height=height, zoom_in=REGIONS_ZOOM_IN)
    return DrawnDeck(layers=[polygons, labels], initial_view_state=view, views=[map_view(view, wheel_zoom=wheel_zoom)],
                     map_style=NO_BASEMAP, map_provider=None, tooltip=tooltip)


def clicked_region(key: str, table: pd.DataFrame) -> tuple[str | None, str]:
    """(the ISO code of the region with data just clicked on the map `key`, or its label; the
    chart's widget key)."""
    return clicked_choice(key, (REGIONS_LAYER, "region_labels"), "iso", set(table["iso"]))
