"""The municipalities of a campaign's region: from the bundled boundaries where there are any;
for a subject without them (Якутия, Красноярский край, ДНР, ЛНР, Запорожская и Херсонская
области), from the campaign file's own list ([[municipalities]]) or, failing that, from the
names in the sheet's quota tab («Цели»). Such a region has every count, table, form, problem
and letter; only its map says that the boundaries are not available."""

from __future__ import annotations

import math
from typing import Sequence

from campaign.reading import find_columns
from campaign.registry import (
    Municipality,
    Registry,
    district_label,
    has_boundaries,
    load_registry,
    name_key,
    normalise_name,
)
from campaign.spec import Campaign, ListedMunicipality, kind_from_name, require_region
from campaign.subjects import Subject
from campaign.text import clean
from campaign.workbook import RawTab


def registry_for(campaign: Campaign, tabs: Sequence[RawTab] = ()) -> Registry:
    """The registry a campaign's rows are resolved against."""
    require_region(campaign)
    if has_boundaries(campaign.region_key):
        return load_registry(campaign.region_key)
    return listed_registry(campaign.subject, campaign.municipalities or quota_tab_list(campaign, tabs))


def listed_registry(subject: Subject, listed: Sequence[ListedMunicipality]) -> Registry:
    """A registry of the listed municipalities, in the order city okrugs first, as the
    geodata's; a name listed twice counts once."""
    municipalities: dict[str, Municipality] = {}
    for entry in listed:
        norm = normalise_name(entry.name)
        if not norm:
            continue
        municipality_class = "go" if entry.kind == "городской округ" else "mr"
        uid = f"{subject.key}:{norm}:{municipality_class}"
        keys = [name_key(norm), norm, *(name_key(normalise_name(alias)) for alias in entry.aliases)]
        municipalities.setdefault(uid, Municipality(
            uid=uid, name=entry.name, short_name=_short_name(entry.name, municipality_class), source_name=entry.name,
            kind=entry.kind,
            municipality_class=municipality_class, keys=tuple(dict.fromkeys(key for key in keys if key)),
            lat=math.nan, lon=math.nan, area_km2=0.0))
    ordered = sorted(municipalities.values(), key=lambda m: (m.municipality_class != "go", m.name))
    return Registry(subject, ordered)


def _short_name(name: str, municipality_class: str) -> str:
    """«г. Якутск» → «Якутск», «Алданский район» → «Алданский р-н»: as the geodata's labels."""
    if municipality_class == "go":
        return name.removeprefix("г. ")
    return district_label(name)


def quota_tab_list(campaign: Campaign, tabs: Sequence[RawTab]) -> tuple[ListedMunicipality, ...]:
    """The municipalities named in the quota tab («Цели»): one per distinct name, in its order."""
    if campaign.quota is None:
        return ()
    spec = campaign.tab(campaign.quota.tab)
    municipality_column = next((c.id for c in spec.columns if c.type == "municipality"), None)
    names: dict[str, None] = {}
    for tab in tabs:
        if not spec.is_named(tab.title) or tab.personal:
            continue
        position = find_columns(spec, tab.header).get(municipality_column)
        if position is None:
            continue
        for row in tab.rows:
            name = clean(row[position]) if position < len(row) else ""
            if name:
                names.setdefault(name)
    return tuple(ListedMunicipality(name, kind_from_name(name)) for name in names)
