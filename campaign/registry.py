"""The region's municipalities and tolerant matching of the names coordinators type.

The rule follows shared/geo/README.md ("Joining sheet rows to polygons"), extended with the
abbreviations coordinators use (ГО, МО, МР, р-н).
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GEO_DIR = Path(__file__).resolve().parent.parent / "data" / "geo"


@dataclass(frozen=True)
class Region:
    """A region with bundled municipal boundaries."""

    file: str  # in data/geo
    genitive: str  # «Амурской области»: «муниципалитеты Амурской области»
    phone_example: str  # a landline of the regional capital, for the fix of a phone


def _regions() -> dict[str, Region]:
    """The regions with bundled boundaries, from data/geo/regions.toml."""
    with (GEO_DIR / "regions.toml").open("rb") as handle:
        return {iso: Region(**fields) for iso, fields in tomllib.load(handle).items()}


REGIONS = _regions()

_ENDINGS = ("ского", "ский", "ское", "ская", "цкий", "цкое", "цкая",
            "ный", "ное", "ная", "ий", "ое", "ая", "ый")

_GO_MARKERS = re.compile(
    r"городск|^\s*г\.|^\s*г\s|^\s*город\b|\bзато\b|\bпгт\b|рабочий пос[её]лок|\bр\.\s?п\.|\bго\b"
)
_MR_MARKERS = re.compile(r"район|\bр-н\b|\bрн\b|\bмр\b|муниципальный округ")
_DROP_WORDS = re.compile(
    r"\b(?:муниципальн\w*|район\w*|округ\w*|городск\w*|город\w*|образовани\w*|зато|мо|мр|го|"
    r"р-на?|рн|пгт|г|рабочий пос[её]лок)\b|\bр\.\s?п\.|\bг\.",
)
_NOT_LETTERS = re.compile(r"[^а-я\- ]+")


@dataclass(frozen=True)
class Municipality:
    uid: str
    name: str  # how the dashboard names it: «г. Благовещенск», «Белогорский район»
    short_name: str  # for map labels: «Благовещенск», «Белогорский р-н»
    source_name: str  # name_ru in the geodata (2020)
    kind: str  # «городской округ» or «муниципальный район»
    municipality_class: str  # "go" or "mr"
    keys: tuple[str, ...]
    lat: float
    lon: float
    area_km2: float


@dataclass(frozen=True)
class Resolution:
    uid: str | None
    status: str  # "ok", "unknown", "ambiguous", "empty"
    suggestions: tuple[str, ...] = ()  # display names of the closest municipalities


def normalise_name(name: str) -> str:
    """`name_norm` of the geodata README: lower-case, no kind words, Cyrillic letters only."""
    text = name.lower().replace("ё", "е")
    text = re.sub(r"[«»\"()]", " ", text)
    text = _DROP_WORDS.sub(" ", text)
    text = _NOT_LETTERS.sub(" ", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip(" -")


def name_key(norm: str) -> str:
    for ending in _ENDINGS:
        if norm.endswith(ending) and len(norm) > len(ending) + 1:
            return norm[: -len(ending)]
    return norm


def name_class(name: str) -> str | None:
    """"go", "mr", or None when the name says neither (a bare «Партизанский»)."""
    text = name.lower().replace("ё", "е")
    if _GO_MARKERS.search(text):
        return "go"
    if _MR_MARKERS.search(text):
        return "mr"
    return None


def _has_both_class_words(name: str) -> bool:
    """«Благовещенский городской район» says both city and district: trust neither."""
    text = name.lower().replace("ё", "е")
    return bool(_GO_MARKERS.search(text)) and bool(re.search(r"район(?!н)", text))


def _display_names(props: dict) -> tuple[str, str]:
    name, town = props["name_ru"], props.get("town") or ""
    if props["uid"].endswith(":go"):
        if name.startswith("ЗАТО"):
            label = f"ЗАТО {town}" if town else name
            return label, label
        if town:
            return f"г. {town}", town
        return name, name
    return name, name.replace(" район", " р-н")


class Registry:
    """The municipalities of one region, and name resolution against them."""

    def __init__(self, region_iso: str, region_name: str, municipalities: list[Municipality]) -> None:
        self.region_iso = region_iso
        self.region_name = region_name
        region = REGIONS.get(region_iso)
        self.region_genitive = region.genitive if region else region_name
        self.phone_example = region.phone_example if region else "8 (495) 123-45-67"
        self.municipalities = municipalities
        self.by_uid = {m.uid: m for m in municipalities}
        self._index = {m.uid: number for number, m in enumerate(municipalities)}
        self._by_key: dict[tuple[str, str], str] = {}
        for m in municipalities:
            for key in m.keys:
                self._by_key[(m.municipality_class, key)] = m.uid
        self._abbreviations = abbreviations(municipalities)
        self._cache: dict[str, Resolution] = {}

    def __len__(self) -> int:
        return len(self.municipalities)

    def name(self, uid: str) -> str:
        return self.by_uid[uid].name

    def index(self, uid: str | None) -> int:
        """The municipality's position in `municipalities`, -1 for None."""
        return self._index.get(uid, -1) if uid else -1

    def resolve(self, raw: str) -> Resolution:
        if raw not in self._cache:
            self._cache[raw] = self._resolve(raw)
        return self._cache[raw]

    def _resolve(self, raw: str) -> Resolution:
        if not raw.strip():
            return Resolution(None, "empty")
        short = _ABBREVIATION.fullmatch(raw.strip().upper().replace("Ё", "Е"))
        if short:
            found_uids = self._abbreviations.get(short.group(1) + _ABBREVIATION_CLASS[short.group(2)], ())
            if len(found_uids) == 1:
                return Resolution(found_uids[0], "ok")
            if len(found_uids) > 1:
                return Resolution(None, "ambiguous", tuple(self.name(uid) for uid in found_uids))
        norm = normalise_name(raw)
        if not norm:
            return Resolution(None, "unknown", self.suggest(raw))
        candidate_keys = {norm, name_key(norm)}
        found = {cls: uid for (cls, key), uid in self._by_key.items() if key in candidate_keys}
        wanted = name_class(raw)
        if wanted in found:
            return Resolution(found[wanted], "ok")
        if len(found) == 1 and not _has_both_class_words(raw):
            # An outdated class word («Ангарский район» is now a city okrug) still resolves.
            return Resolution(next(iter(found.values())), "ok")
        if len(found) > 1 and wanted is None and name_key(norm) == norm and "go" in found:
            # a bare noun such as «Тулун» is the town; «Тулунский» would be the district
            return Resolution(found["go"], "ok")
        if len(found) > 1:
            names = tuple(self.name(uid) for uid in found.values())
            return Resolution(None, "ambiguous", names)
        return Resolution(None, "unknown", self.suggest(raw))

    def suggest(self, raw: str, limit: int = 3) -> tuple[str, ...]:
        """The closest municipality names, for a problem message: by spelling, then by a shared
        beginning of a word; empty only when nothing in the region looks like the text at all."""
        norm = normalise_name(raw) or raw.lower()
        choices: dict[str, str] = {}
        for m in self.municipalities:
            for key in (*m.keys, normalise_name(m.source_name), normalise_name(m.name)):
                choices.setdefault(key, m.uid)
        close = difflib.get_close_matches(norm, list(choices), n=limit * 3, cutoff=0.7)
        words = [word for word in norm.split() if len(word) >= 3]
        close += [key for key in choices if any(key.startswith(word[:4]) or word.startswith(key[:4])
                                                for word in words)]
        uids: list[str] = []
        for key in close:
            uid = choices[key]
            if uid not in uids:
                uids.append(uid)
        wanted = name_class(raw)
        uids.sort(key=lambda uid: uid.endswith(f":{wanted}") is False)
        return tuple(self.name(uid) for uid in uids[:limit])


# «АГО», «ВГО», «УГО»: a city okrug by its first letter; «АМР», «ТМО» a district or a municipal okrug
_ABBREVIATION = re.compile(r"([А-Я]{1,2})(ГО|МР|МО|МОГО)")
_ABBREVIATION_CLASS = {"ГО": "го", "МОГО": "го", "МР": "мр", "МО": "мр"}


def abbreviations(municipalities: list[Municipality]) -> dict[str, tuple[str, ...]]:
    """«АГО» -> the city okrugs whose name starts with «А» (one: it resolves; several: ambiguous),
    «ТМР» -> the districts starting with «Т»; two letters for a two-word name («УИМР»)."""
    found: dict[str, list[str]] = {}
    for m in municipalities:
        words = [word for word in re.split(r"[\s-]+", normalise_name(m.source_name)) if word]
        if not words:
            continue
        suffix = "го" if m.municipality_class == "go" else "мр"
        initials = {words[0][0].upper()}
        if len(words) > 1:
            initials.add("".join(word[0] for word in words[:2]).upper())
        for letters in initials:
            found.setdefault(letters + suffix, []).append(m.uid)
    return {key: tuple(uids) for key, uids in found.items()}


def geojson_path(region_iso: str) -> Path:
    try:
        return GEO_DIR / REGIONS[region_iso].file
    except KeyError:
        raise ValueError(f"Нет границ муниципалитетов для региона {region_iso}") from None


@lru_cache(maxsize=8)
def load_geojson(region_iso: str) -> dict:
    with geojson_path(region_iso).open(encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=8)
def load_registry(region_iso: str) -> Registry:
    municipalities = []
    features = load_geojson(region_iso)["features"]
    for feature in features:
        props = feature["properties"]
        name, short = _display_names(props)
        municipalities.append(
            Municipality(
                uid=props["uid"],
                name=name,
                short_name=short,
                source_name=props["name_ru"],
                kind=props["kind"],
                municipality_class=props["uid"].rsplit(":", 1)[1],
                keys=tuple(props["match_keys"].split("|")),
                lat=float(props["lat"]),
                lon=float(props["lon"]),
                area_km2=float(props["area_km2"]),
            )
        )
    municipalities.sort(key=lambda m: (m.municipality_class != "go", m.name))
    return Registry(region_iso, features[0]["properties"]["region"], municipalities)
