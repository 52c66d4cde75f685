"""The 89 federal subjects of Russia as the ministries name them: by the registries' code
(ОКАТО; the municipalities' ОКТМО codes start with the subject's prefix) or by the Russian
name, with their own details (genitive, time zone, the capital's phone code, federal district)
and the key of their municipal boundaries in data/geo, where there are any.

The facts live in data/geo/subjects.csv; nothing about a particular region is written here.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GEO_DIR = Path(__file__).resolve().parent.parent / "data" / "geo"
SUBJECTS_FILE = GEO_DIR / "subjects.csv"
BOUNDARIES_DIR = GEO_DIR / "municipalities"


@dataclass(frozen=True)
class Subject:
    """A federal subject: «Амурская область», ОКАТО 10, ISO 3166-2 RU-AMU."""

    code: str  # ОКАТО: «10», «05»; the autonomous okrugs inside an oblast «11100», «71100», «71140»
    oktmo_prefix: str  # the first digits of its municipalities' ОКТМО: «10», «118»
    iso: str | None  # ISO 3166-2, where it has a «RU-» code
    boundaries: str | None  # the stem of its file in data/geo/municipalities, None: no boundaries here
    name: str  # «Амурская область», «Республика Саха (Якутия)»
    genitive: str  # «Амурской области»: «муниципалитеты Амурской области»
    aliases: tuple[str, ...]  # other names people use: «Якутия», «ХМАО», «г. Москва»
    federal_district: str  # «Дальневосточный»
    capital: str
    timezone: str  # the capital's; a campaign in a subject spanning zones may name its own
    phone_example: str  # a landline of the capital, for the fix of an unreadable phone

    @property
    def key(self) -> str:
        """The subject's key inside the product: municipality uids start with it, the map of
        Russia and the URL (`?region=`) use it. The geodata's own code where it has boundaries
        (ISO 3166-2, or the source's code for Crimea and Sevastopol), else ISO 3166-2, else
        «ОКАТО-<code>»: never shown to a user."""
        return self.boundaries or self.iso or f"OKATO-{self.code}"

    @property
    def has_boundaries(self) -> bool:
        return self.boundaries is not None

    @property
    def federal_district_genitive(self) -> str:
        """«Дальневосточного федерального округа»: every district's name is an adjective in
        -ый/-ий, whose genitive ends in -ого."""
        return district_genitive(self.federal_district)


def district_genitive(district: str) -> str:
    """«Центральный» → «Центрального федерального округа»."""
    return f"{district[:-2]}ого федерального округа"


class UnknownSubject(LookupError):
    """A code or name that names no federal subject; `suggestions` are the closest names."""

    def __init__(self, given: str, suggestions: tuple[str, ...]) -> None:
        self.given = given
        self.suggestions = suggestions
        advice = f" — может быть, {', '.join(f'«{s}»' for s in suggestions)}?" if suggestions else ""
        super().__init__(f"нет такого субъекта Российской Федерации: «{given}»{advice}")


@lru_cache(maxsize=1)
def all_subjects() -> tuple[Subject, ...]:
    """Every federal subject, in the order of their names."""
    with SUBJECTS_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Subject(code=row["code"], oktmo_prefix=row["oktmo_prefix"], iso=row["iso"] or None,
                    boundaries=row["boundaries"] or None, name=row["name"], genitive=row["genitive"],
                    aliases=tuple(a for a in row["aliases"].split(";") if a), federal_district=row["federal_district"],
                    capital=row["capital"], timezone=row["timezone"], phone_example=row["phone_example"])
            for row in csv.DictReader(handle)
        )


@lru_cache(maxsize=1)
def area_codes() -> tuple[str, ...]:
    """The telephone codes of the subjects' capitals («4162», «342», «495»), longest first: the
    part of a landline number a Russian reader expects set apart («+7 4162 57-11-34»)."""
    codes = {match.group(1) for subject in all_subjects()
             if (match := re.search(r"\((\d{3,5})\)", subject.phone_example)) and not match.group(1).startswith("9")}
    return tuple(sorted(codes, key=lambda code: (-len(code), code)))


_DASHES = re.compile(r"[\u2010-\u2015\u2212-]")
# «Амурская обл.», «Респ. Татарстан», «Ненецкий АО»: the abbreviations of the kind of a subject
_SHORT_WORDS = {"обл": "область", "респ": "республика", "ао": "автономный округ", "аобл": "автономная область"}
_CITY_WORDS = re.compile(r"^(?:город федерального значения|город|г\.?)\s+")


def subject_key(text: str) -> str:
    """A subject's name compared ignoring case, «ё», dashes, parentheses and a leading «г.»:
    «Северная Осетия-Алания» and «Республика Северная Осетия — Алания» differ only in words."""
    text = text.lower().replace("ё", "е")
    text = _DASHES.sub(" ", text)
    text = re.sub(r"[()«»\"'.,]", " ", text.replace("г.", "г. "))
    text = re.sub(r"\s+", " ", text).strip()
    text = _CITY_WORDS.sub("", text).strip()
    return " ".join(_SHORT_WORDS.get(word, word) for word in text.split())


@lru_cache(maxsize=1)
def _by_name() -> dict[str, Subject]:
    found: dict[str, Subject] = {}
    for subject in all_subjects():
        for name in (subject.name, *subject.aliases):
            found[subject_key(name)] = subject
        # «Республика Адыгея» is also «Адыгея», «Чувашская Республика» also «Чувашия» (an alias)
        bare = re.sub(r"^республика |^республики ", "", subject_key(subject.name))
        found.setdefault(bare, subject)
    return found


@lru_cache(maxsize=1)
def _by_code() -> dict[str, Subject]:
    found = {}
    for subject in all_subjects():
        found[subject.code] = subject
        found[subject.oktmo_prefix.ljust(8, "0")] = subject  # the subject's ОКТМО «10000000»
        if subject.iso:
            found[subject.iso.upper()] = subject
        found[subject.key.upper()] = subject
    return found


def by_key(key: str) -> Subject:
    """The subject of a key of `Subject.key` (a uid's first part)."""
    found = _by_code().get(key.upper())
    if found is None:
        raise UnknownSubject(key, ())
    return found


def find_subject(given: str | int) -> Subject:
    """The subject a campaign file or a sheet names: by its ОКАТО code («10», «5» for «05»), its
    ОКТМО («10000000»), its ISO 3166-2 code («RU-AMU») or its name in any usual spelling
    («Амурская область», «Якутия», «г. Москва», «ХМАО — Югра»). Raises UnknownSubject with the
    closest names."""
    text = str(given).strip()
    codes = _by_code()
    if text.isdigit():
        found = codes.get(text) or codes.get(text.zfill(2))
        if found:
            return found
        raise UnknownSubject(text, ())
    if text.upper() in codes:
        return codes[text.upper()]
    key = subject_key(text)
    names = _by_name()
    if key in names:
        return names[key]
    scored = sorted(((difflib.SequenceMatcher(None, key, name).ratio(), name) for name in names), reverse=True)
    best = scored[0][0]
    # the closest names, and only as close as the closest: «Хабаровский крайй» is not «Алтайский край»
    close = [name for ratio, name in scored[:3] if ratio >= max(0.6, best - 0.05)]
    suggestions = tuple(dict.fromkeys(names[c].name for c in close))
    raise UnknownSubject(text, suggestions)


def boundaries_path(subject: Subject) -> Path | None:
    return BOUNDARIES_DIR / f"{subject.boundaries}.geojson" if subject.boundaries else None
