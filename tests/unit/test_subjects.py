"""The 89 federal subjects as the ministries name them (data/geo/subjects.csv): by ОКАТО code,
ОКТМО, ISO 3166-2 or the Russian name in its usual spellings, with their own details."""

from __future__ import annotations

import csv
import zoneinfo

import phonenumbers
import pytest

from campaign.registry import load_registry
from campaign.subjects import GEO_DIR, UnknownSubject, all_subjects, boundaries_path, by_key, find_subject

SUBJECTS = all_subjects()
WITHOUT_BOUNDARIES = ["Донецкая Народная Республика", "Запорожская область", "Красноярский край",
                      "Луганская Народная Республика", "Республика Саха (Якутия)", "Херсонская область"]


def test_there_are_89_subjects_with_unique_codes_names_and_keys():
    assert len(SUBJECTS) == 89
    for field in ("code", "name", "key", "oktmo_prefix"):
        values = [getattr(s, field) for s in SUBJECTS]
        assert len(set(values)) == 89, field
    assert sorted({s.federal_district for s in SUBJECTS}) == [
        "Дальневосточный", "Приволжский", "Северо-Западный", "Северо-Кавказский", "Сибирский", "Уральский",
        "Центральный", "Южный"]


def test_83_subjects_have_boundaries_and_the_six_without_are_named():
    assert sum(s.has_boundaries for s in SUBJECTS) == 83
    assert sorted(s.name for s in SUBJECTS if not s.has_boundaries) == WITHOUT_BOUNDARIES
    files = sorted(p.stem for p in (GEO_DIR / "municipalities").glob("*.geojson"))
    assert files == sorted(s.boundaries for s in SUBJECTS if s.boundaries)
    assert all(boundaries_path(s).exists() for s in SUBJECTS if s.has_boundaries)


def test_crimea_and_sevastopol_are_keyed_by_the_registries_not_by_a_foreign_code():
    crimea, sevastopol = find_subject("Республика Крым"), find_subject("Севастополь")
    assert (crimea.code, crimea.iso, crimea.federal_district) == ("35", None, "Южный")
    assert (sevastopol.code, sevastopol.iso) == ("67", None)
    assert find_subject("35") is crimea and find_subject("г. Севастополь") is sevastopol


def test_every_unit_of_the_geodata_has_the_oktmo_prefix_of_its_subject():
    with (GEO_DIR / "municipalities.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2492
    for row in rows:
        subject = by_key(row["region_iso"])
        assert row["oktmo"] == "" or row["oktmo"].startswith(subject.oktmo_prefix), row["uid"]


@pytest.mark.parametrize("subject", SUBJECTS, ids=lambda s: s.code)
def test_each_subject_has_its_details_from_data(subject):
    zoneinfo.ZoneInfo(subject.timezone)
    phone = phonenumbers.parse(subject.phone_example, "RU")
    assert phonenumbers.is_valid_number(phone), subject.phone_example
    assert subject.genitive and subject.genitive != subject.name
    assert subject.capital
    assert find_subject(subject.code) is subject
    assert find_subject(subject.name) is subject
    assert find_subject(subject.oktmo_prefix.ljust(8, "0")) is subject


@pytest.mark.parametrize(("given", "name"), [
    ("10", "Амурская область"),
    ("05", "Приморский край"),
    ("5", "Приморский край"),  # a code typed as a number loses its zero
    (8, "Хабаровский край"),
    ("08000000", "Хабаровский край"),  # ОКТМО
    ("RU-KHA", "Хабаровский край"),
    ("ru-kha", "Хабаровский край"),
    ("71100", "Ханты-Мансийский автономный округ — Югра"),
    ("ХМАО — Югра", "Ханты-Мансийский автономный округ — Югра"),
    ("Ханты-Мансийский автономный округ - Югра", "Ханты-Мансийский автономный округ — Югра"),
    ("Якутия", "Республика Саха (Якутия)"),
    ("Республика Саха", "Республика Саха (Якутия)"),
    ("Северная Осетия-Алания", "Республика Северная Осетия — Алания"),
    ("Республика Северная Осетия - Алания", "Республика Северная Осетия — Алания"),
    ("Адыгея", "Республика Адыгея"),
    ("Республика Адыгея (Адыгея)", "Республика Адыгея"),
    ("Чувашская Республика - Чувашия", "Чувашская Республика"),
    ("Кемеровская область", "Кемеровская область — Кузбасс"),
    ("г. Москва", "Москва"),
    ("город федерального значения Санкт-Петербург", "Санкт-Петербург"),
    ("ДНР", "Донецкая Народная Республика"),
    ("  хабаровский КРАЙ ", "Хабаровский край"),
    ("Орловская область", "Орловская область"),
    ("Амурская обл.", "Амурская область"),
    ("Респ. Татарстан", "Республика Татарстан"),
    ("Ненецкий АО", "Ненецкий автономный округ"),
])
def test_a_subject_is_found_by_its_code_or_any_usual_name(given, name):
    assert find_subject(given).name == name


@pytest.mark.parametrize(("given", "suggested"), [
    ("Хабаровский крайй", "Хабаровский край"),
    ("Амурская облась", "Амурская область"),
    ("Респубика Татарстан", "Республика Татарстан"),
])
def test_a_mistyped_name_is_refused_with_the_closest_subjects(given, suggested):
    with pytest.raises(UnknownSubject) as refused:
        find_subject(given)
    assert suggested in refused.value.suggestions
    assert f"«{suggested}»" in str(refused.value) and "нет такого субъекта" in str(refused.value)


@pytest.mark.parametrize("given", ["02", "100", "RU-XXX", "Нарния"])
def test_a_code_or_name_of_no_subject_is_refused(given):
    with pytest.raises(UnknownSubject, match="нет такого субъекта Российской Федерации"):
        find_subject(given)


@pytest.mark.parametrize("subject", [s for s in SUBJECTS if s.has_boundaries], ids=lambda s: s.key)
def test_every_subject_with_boundaries_has_its_registry(subject):
    registry = load_registry(subject.key)
    assert registry.region_name == subject.name and registry.region_genitive == subject.genitive
    assert registry.phone_example == subject.phone_example
    assert len({m.uid for m in registry.municipalities}) == len(registry) > 0
    assert all(m.uid.startswith(f"{subject.key}:") for m in registry.municipalities)
