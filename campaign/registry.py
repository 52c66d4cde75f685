"""The region's municipalities and tolerant matching of the names coordinators type.

The rule follows shared/geo/README.md ("Joining sheet rows to polygons"), extended with the
abbreviations coordinators use (ГО, МО, МР, р-н).
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from campaign.subjects import Subject, boundaries_path, by_key

_ENDINGS = ("ского", "ский", "ское", "ская", "цкий", "цкое", "цкая",
            "ный", "ное", "ная", "ий", "ое", "ая", "ый")

_GO_MARKERS = re.compile(
    r"\bгородск|^\s*г\.|^\s*г\s|\bгород\b|\bг\.\s?о\.|\bзато\b|\bпгт\b|рабочий пос[её]лок|\bр\.\s?п\.|\bго\b"
)
# «улус» (Якутия), «кожуун» (Тыва), «аймак»: a district in the republics' own words
_MR_MARKERS = re.compile(r"район|\bр-н\b|\bрн\b|\bмр\b|муниципальный округ|\bулус|\bкожуун|\bаймак")
# the kind words of a name (shared/geo/russia/README.md, «Joining»): «город» and its case forms
# only, so that «Городищенский» keeps its name; «имени» / «им.» (район имени Лазо) as well
_DROP_WORDS = re.compile(
    r"\bг\.\s?о\.|\bг\.\s?-?\s?к\.|\bгород-(?:курорт|герой)\b|"  # «г.о. Химки», «г.-к. Анапа», «город-курорт Сочи»
    r"\b(?:муниципальн\w*|район\w*|округ\w*|улус\w*|кожуун\w*|аймак\w*|городск\w*|город|города|городе|городу|городом|образовани\w*|"
    r"зато|мо|мр|го|р-на?|рн|пгт|г|имени|им|рабочий пос[её]лок)\b|\bр\.\s?п\.|\bг\.|\bим\.",
)
_NOT_LETTERS = re.compile(r"[^а-я\- ]+")
_NOT_LETTERS_OR_DIGITS = re.compile(r"[^а-я0-9\- ]+")


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
    letters = re.sub(r"\s+", " ", _NOT_LETTERS.sub(" ", text)).strip(" -")
    if letters:
        return letters
    # «муниципальный округ N 15» of St Petersburg is its number
    return re.sub(r"\s+", " ", _NOT_LETTERS_OR_DIGITS.sub(" ", text)).strip(" -")


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
        return okrug_name(name), name
    return name, district_label(name)


def okrug_name(name: str) -> str:
    """A city okrug with no town and no kind in its name says what it is: «Прогресс» → «городской
    округ Прогресс», «Ногликский» → «Ногликский городской округ», «Алапаевское» → «муниципальное
    образование Алапаевское» (the map keeps the bare name)."""
    low = name.lower()  # a kind already said: the markers that resolve a typed name, or «округ»
    if _GO_MARKERS.search(low) or _MR_MARKERS.search(low) or "округ" in low or not name[:1].isupper():
        return name
    if re.search(r"(ий|ый|ой)$", name):
        return f"{name} городской округ"
    if re.search(r"(ое|ее)$", name):
        return f"муниципальное образование {name}"
    return f"городской округ {name}"


def district_label(name: str) -> str:
    """A district's map label: «Белогорский район» → «Белогорский р-н» (a town's is its name)."""
    return name.replace(" район", " р-н")


class Registry:
    """The municipalities of one region, and name resolution against them."""

    def __init__(self, subject: Subject, municipalities: list[Municipality]) -> None:
        self.subject = subject
        self.municipalities = municipalities
        self.by_uid = {m.uid: m for m in municipalities}
        self._index = {m.uid: number for number, m in enumerate(municipalities)}
        # (class, key) -> uids: two units of one class may share a stem (Белгород and
        # Белгородский район, both city okrugs); the name typed in full tells them apart
        self._by_key: dict[tuple[str, str], list[str]] = {}
        self._exact: dict[str, set[str]] = {}
        for m in municipalities:
            for key in m.keys:
                self._by_key.setdefault((m.municipality_class, key), []).append(m.uid)
            self._exact[m.uid] = {normalise_name(m.source_name), normalise_name(m.name)}
        self._abbreviations = abbreviations(municipalities)
        self._cache: dict[str, Resolution] = {}

    def __len__(self) -> int:
        return len(self.municipalities)

    # the subject's own details, as the reading and the pages ask the registry for them
    @property
    def region_key(self) -> str:
        return self.subject.key

    @property
    def region_name(self) -> str:
        return self.subject.name

    @property
    def region_genitive(self) -> str:
        return self.subject.genitive

    @property
    def phone_example(self) -> str:
        return self.subject.phone_example

    @property
    def has_boundaries(self) -> bool:
        """False: the municipalities are the campaign's own list, and there is no map."""
        return self.subject.has_boundaries

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
        found = self._found(norm)
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

    def _found(self, norm: str) -> dict[str, str]:
        """class -> the one unit of that class the normalised name stands for (several units of a
        class sharing the stem: the one whose name it is in full; none such: the class is left out)."""
        by_class: dict[str, list[str]] = {}
        for key in dict.fromkeys((norm, name_key(norm))):
            for cls in ("go", "mr"):
                for uid in self._by_key.get((cls, key), ()):
                    if uid not in by_class.setdefault(cls, []):
                        by_class[cls].append(uid)
        found = {}
        for cls, uids in by_class.items():
            exact = [uid for uid in uids if norm in self._exact[uid]] if len(uids) > 1 else uids
            if len(exact) == 1:
                found[cls] = exact[0]
        return found

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


class NoBoundaries(LookupError):
    """A subject whose municipal boundaries are not bundled (Якутия, Красноярский край, ДНР, ЛНР,
    Запорожская и Херсонская области): its maps say so instead of drawing."""


def geojson_path(region_key: str):
    path = boundaries_path(by_key(region_key))
    if path is None:
        raise NoBoundaries(f"Нет границ муниципалитетов для региона {by_key(region_key).name}")
    return path


def has_boundaries(region_key: str) -> bool:
    return boundaries_path(by_key(region_key)) is not None


@lru_cache(maxsize=8)
def load_geojson(region_key: str) -> dict:
    """The subject's municipal boundaries (data/geo/municipalities/<key>.geojson), read when a
    page or a report first asks for them: a server that shows one region never parses another."""
    with geojson_path(region_key).open(encoding="utf-8") as handle:
        return one_side_of_antimeridian(json.load(handle))


def one_side_of_antimeridian(collection: dict) -> dict:
    """Chukotka's units lie on both sides of 180°: their western longitudes (−180…−169) become
    180…191, so that the region is one piece on a map and its extent is the region's, not the
    world's."""
    features = collection["features"]
    lons = [point[0] for feature in features for point in _points(feature["geometry"]["coordinates"])]
    if not lons or min(lons) > -170 or max(lons) < 170:
        return collection
    for feature in features:
        _shift_west(feature["geometry"]["coordinates"])
        props = feature["properties"]
        if float(props["lon"]) < 0:
            props["lon"] = float(props["lon"]) + 360
    return collection


def _points(coordinates):
    if coordinates and isinstance(coordinates[0], (int, float)):
        yield coordinates
    else:
        for part in coordinates:
            yield from _points(part)


def _shift_west(coordinates) -> None:
    for point in _points(coordinates):
        if point[0] < 0:
            point[0] += 360


@lru_cache(maxsize=8)
def load_registry(region_key: str) -> Registry:
    """The subject's municipalities from its bundled boundaries."""
    municipalities = []
    features = load_geojson(region_key)["features"]
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
                keys=_keys(props),
                lat=float(props["lat"]),
                lon=float(props["lon"]),
                area_km2=float(props["area_km2"]),
            )
        )
    municipalities.sort(key=lambda m: (m.municipality_class != "go", m.name))
    return _with_telling_short_names(Registry(by_key(region_key), municipalities))


def _keys(props: dict) -> tuple[str, ...]:
    """The geodata's `match_keys` and the keys of its name and town as `normalise_name` makes
    them (the geodata's own rule cut «затон» to «н»: «район Нагатинский затон»)."""
    own = [name_key(normalise_name(text)) for text in (props["name_ru"], props.get("town") or "") if text]
    return tuple(dict.fromkeys([*props["match_keys"].split("|"), *(key for key in own if key)]))


def _with_telling_short_names(registry: Registry) -> Registry:
    """A map label that would name two units («Гусь-Хрустальный»: the town and the district) is
    the unit's full name («г. Гусь-Хрустальный»): what a label says, typed back, finds it."""
    unclear = [m for m in registry.municipalities if registry.resolve(m.short_name).uid != m.uid]
    if not unclear:
        return registry
    municipalities = [replace(m, short_name=m.name) if m in unclear else m for m in registry.municipalities]
    return Registry(registry.subject, municipalities)
