"""One campaign across regions: each region's report against the targets they share, for the
federal view on the map of Russia (data/geo/russia_regions.geojson)."""

from __future__ import annotations

import json
from functools import lru_cache

import pandas as pd

from campaign import russian
from campaign.pipeline import Report
from campaign.registry import GEO_DIR
from campaign.spec import CampaignFileError, load_campaign

REGIONS_FILE = GEO_DIR / "russia_regions.geojson"
RUSSIA_BOX = (19.6, 180.0, 39.0, 77.8)  # west, east, south, north of the mainland and islands


@lru_cache(maxsize=1)
def load_regions_geojson() -> dict:
    """The 83 federal subjects (2013 set), with `iso_3166_2` and `name_ru`."""
    with REGIONS_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=4)
def screen_regions(width: int) -> tuple[dict, ...]:
    """The federal subjects as a map of Russia `width` pixels wide draws them (map_view)."""
    from campaign.map_view import REGIONS_ZOOM_IN, screen_features

    west, east, _south, _north = RUSSIA_BOX
    return tuple(screen_features(load_regions_geojson()["features"], (east - west) / width, REGIONS_ZOOM_IN))


def family_members(campaign_id: str, configured: list[str]) -> list[str]:
    """The configured campaigns of `campaign_id`'s family (itself included), in their order:
    one campaign in several regions. A campaign whose file cannot be read is nobody's kin."""
    def family(other: str) -> str | None:
        try:
            return load_campaign(other).family
        except CampaignFileError:
            return None

    own = family(campaign_id)
    return [other for other in configured if own is not None and family(other) == own] or [campaign_id]


def shared_targets(reports: list[Report]) -> list[str]:
    """Target ids every region's campaign has (the memo's, not one governor's letter), in the
    first region's order."""
    if not reports:
        return []
    ids = [t.id for t in reports[0].campaign.targets]
    return [i for i in ids if all(any(t.id == i for t in r.campaign.targets) for r in reports[1:])]


def region_table(reports: list[Report]) -> pd.DataFrame:
    """One row per region: each shared target's value, goal, share of the goal and whether it
    is met; how many of them are met; the problems in the region's sheet."""
    targets = shared_targets(reports)
    rows = []
    for report in reports:
        progress = {t.id: t for t in report.targets}
        row = {"iso": report.campaign.region_key, "region": report.campaign.region_name,
               "campaign_id": report.campaign.id, "as_of": report.as_of, "read_at": report.read_at,
               "errors": report.errors, "warnings": report.warnings,
               "silent": len(report.silent_municipalities()), "municipalities": len(report.registry)}
        for target_id in targets:
            target = progress[target_id]
            goal = target.goal
            row[f"{target_id}:value"] = target.value
            row[f"{target_id}:goal"] = goal
            row[f"{target_id}:max"] = target.max if not target.is_share else None
            row[f"{target_id}:share"] = min(target.value / goal, 1.0) if goal else (1.0 if target.met else 0.0)
            row[f"{target_id}:met"] = target.met
        row["targets_met"] = sum(bool(row[f"{t}:met"]) for t in targets)
        row["targets"] = len(targets)
        rows.append(row)
    return pd.DataFrame(rows)


def target_cells(table: pd.DataFrame, target_id: str) -> list[str]:
    """«54 из 20» (a count target's value and goal), «4 из 3–5» (a range) for each region of
    `region_table`."""
    def known(value):
        return None if value is None or pd.isna(value) else value

    return [russian.out_of_range(value, known(goal), known(top)) for value, goal, top in
            zip(table[f"{target_id}:value"], table[f"{target_id}:goal"], table[f"{target_id}:max"])]
