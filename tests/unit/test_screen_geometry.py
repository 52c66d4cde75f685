"""Boundaries as a screen draws them (campaign/map_view.screen_*): every municipality and federal
subject is kept, its shape within a pixel of the closest zoom, and the JSON is a fraction."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import shape

from campaign import map_view
from campaign.federal import RUSSIA_BOX, load_regions_geojson, screen_regions
from campaign.registry import load_geojson

# the three demo regions and one or two subjects of every federal district: federal cities of
# many small units, Crimea, a coast of islands, Chukotka across the antimeridian
REGIONS = ["RU-AMU", "RU-PRI", "RU-IRK", "RU-MOW", "RU-SPE", "RU-LEN", "RU-KDA", "UA-43", "RU-DA", "RU-TA",
           "RU-SVE", "RU-NVS", "RU-SAK", "RU-CHU"]


def within(drawn: dict, original: dict, tolerance: float) -> bool:
    """Every point drawn is within two tolerances of the boundary, and every part of the
    boundary at least four tolerances square is drawn within two (smaller islands may go)."""
    import shapely

    drawn_shape, original_shape = shape(drawn), shape(original)
    points = shapely.points(shapely.get_coordinates(drawn_shape))
    if shapely.distance(points, original_shape.boundary).max() > 2 * tolerance:
        return False
    for part in getattr(original_shape, "geoms", [original_shape]):
        if part.area >= (4 * tolerance) ** 2:
            corners = shapely.points(shapely.get_coordinates(part))
            if shapely.distance(corners, drawn_shape.boundary).max() > 2 * tolerance:
                return False
    return True


def decimals(geometry: dict) -> int:
    text = json.dumps(geometry["coordinates"])
    return max((len(number.split(".")[1]) for number in text.replace("[", " ").replace("]", " ").replace(",", " ")
                .split() if "." in number), default=0)


@pytest.mark.parametrize("region", REGIONS)
def test_every_municipality_keeps_its_shape(region):
    west, east, _south, _north = map_view.region_extent(region)
    tolerance, digits = map_view.screen_tolerance((east - west) / 520, map_view.MAX_ZOOM_IN)
    drawn = map_view.screen_boundaries(region, 520)
    features = load_geojson(region)["features"]
    assert set(drawn) == {f["properties"]["uid"] for f in features}
    for feature in features:
        before, after = shape(feature["geometry"]), shape(drawn[feature["properties"]["uid"]])
        assert abs(after.area - before.area) <= 0.02 * before.area + tolerance * before.length
        assert within(drawn[feature["properties"]["uid"]], feature["geometry"], tolerance)
        assert decimals(drawn[feature["properties"]["uid"]]) <= digits


def test_the_map_of_russia_is_a_fifth_of_its_file_with_every_subject():
    drawn = screen_regions(860)
    features = load_regions_geojson()["features"]
    assert [f["properties"]["iso_3166_2"] for f in drawn] == [f["properties"]["iso_3166_2"] for f in features]
    size = len(json.dumps([f["geometry"] for f in drawn], separators=(",", ":")))
    assert size < len(json.dumps([f["geometry"] for f in features], separators=(",", ":"))) / 4
    tolerance, _digits = map_view.screen_tolerance((RUSSIA_BOX[1] - RUSSIA_BOX[0]) / 860, map_view.REGIONS_ZOOM_IN)
    for before, after in zip(features, drawn):
        assert within(after["geometry"], before["geometry"], tolerance), before["properties"]["name_ru"]


def test_the_tolerance_is_a_pixel_at_the_closest_zoom():
    assert map_view.screen_tolerance(0.04, 3) == (0.005, 2)  # 0.04° a pixel, 8 times closer: ±0.005°
    assert map_view.screen_tolerance(0.186, 2) == (0.0465, 2)
