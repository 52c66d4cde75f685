"""The federal view's pieces: the configured regions of one campaign and the map of Russia."""

from __future__ import annotations

import pandas as pd
import pydeck as pdk

from campaign import russian
from campaign.federal import load_regions_geojson
from campaign.spec import CampaignFileError, load_campaign
from components.data import campaign_ids
from components.map import PALETTE, SHARE_BINS, bin_index, box_view, clicked_property

REGIONS_LAYER = "regions"
NO_DATA = (255, 255, 255)  # white: a region whose sheet is not connected (0 % is grey)
RUSSIA_BOX = (19.6, 180.0, 39.0, 77.8)  # west, east, south, north of the mainland and islands
ATTRIBUTION = "Границы субъектов: GIS-Lab / © OpenStreetMap contributors (ODbL)"


def family_campaigns(campaign_id: str) -> list[str]:
    """The configured campaigns of the same family as `campaign_id` (itself included), one per
    region, in the order they are configured."""
    try:
        family = load_campaign(campaign_id).family
    except CampaignFileError:
        return [campaign_id]
    found = []
    for other in campaign_ids():
        try:
            if load_campaign(other).family == family:
                found.append(other)
        except CampaignFileError:
            continue
    return found


def russia_deck(table: pd.DataFrame, target_id: str, target_label: str, *, selected: str | None = None,
                height: int = 520) -> pdk.Deck:
    """Every federal subject; the regions with data coloured by the share of one target."""
    rows = table.set_index("iso").to_dict("index")
    features = []
    for feature in load_regions_geojson()["features"]:
        iso = feature["properties"]["iso_3166_2"]
        row = rows.get(iso)
        properties = {"iso": iso, "name": feature["properties"]["name_ru"], "figure": "нет данных", "met": "—",
                      "fill": [*NO_DATA, 255], "line": [150, 150, 150, 255], "line_width": 1}
        if row is not None:
            share = float(row[f"{target_id}:share"])
            goal = row[f"{target_id}:goal"]
            value = russian.number(row[f"{target_id}:value"])
            properties.update(
                figure=value if goal is None or pd.isna(goal) else f"{value} из {russian.number(goal)}",
                met=f"{row['targets_met']} из {row['targets']}",
                fill=[*PALETTE[bin_index(share, SHARE_BINS)], 255],
                line=[60, 60, 60, 255], line_width=3 if iso == selected else 1,
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
        [{"position": [f["properties"]["label_lon"], f["properties"]["label_lat"]],
          "text": f"{f['properties']['name_ru']}\n{rows[f['properties']['iso_3166_2']]['targets_met']} из "
                  f"{rows[f['properties']['iso_3166_2']]['targets']} целей"}
         for f in load_regions_geojson()["features"] if f["properties"]["iso_3166_2"] in rows],
        id="region_labels", get_position="position", get_text="text", get_size=13, size_units='"pixels"',
        get_color=[25, 25, 25, 255], get_text_anchor='"middle"', get_alignment_baseline='"center"',
        character_set='"auto"', font_family='"DejaVu Sans, Arial, sans-serif"', background=True,
        get_background_color=[255, 255, 255, 210], background_padding=[3, 1], pickable=False,
    )
    tooltip = {"html": f"<b>{{name}}</b><br/>{target_label}: {{figure}}<br/>Целей выполнено: {{met}}",
               "style": {"backgroundColor": "#1f2937", "color": "white", "fontSize": "13px"}}
    view = box_view(*RUSSIA_BOX, width=860, height=height)  # the page's width at 1366 px
    return pdk.Deck(layers=[polygons, labels], initial_view_state=view, map_style=None, map_provider=None,
                    tooltip=tooltip)


def selected_region(state, table: pd.DataFrame) -> str | None:
    """The ISO code of the clicked region with data, if any."""
    iso = clicked_property(state, REGIONS_LAYER, "iso")
    return iso if iso in set(table["iso"]) else None
