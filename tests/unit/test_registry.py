"""Matching the municipality names coordinators type to the region's municipalities."""

from __future__ import annotations

import pytest

from campaign.registry import NoBoundaries, load_registry

AMUR, PRIMORYE, IRKUTSK = "RU-AMU", "RU-PRI", "RU-IRK"


def resolve(region: str, typed: str):
    return load_registry(region).resolve(typed)


@pytest.mark.parametrize(("region", "count", "name"), [
    (AMUR, 29, "Амурская область"),
    (PRIMORYE, 34, "Приморский край"),
    (IRKUTSK, 42, "Иркутская область"),
])
def test_each_region_has_its_known_number_of_municipalities(region, count, name):
    registry = load_registry(region)
    assert len(registry) == count == len(registry.municipalities)
    assert registry.region_name == name
    assert len({m.uid for m in registry.municipalities}) == count


@pytest.mark.parametrize("typed", [
    "г. Благовещенск",
    "Благовещенск",
    "город Благовещенск",
    "ГО г. Благовещенск",
    "г.Благовещенск",
    "г Благовещенск",
    "МО г. Благовещенск",
    "городской округ город Благовещенск",
    "  г.  Благовещенск ",
])
def test_the_city_of_blagoveshchensk_is_one_municipality_however_it_is_written(typed):
    resolution = resolve(AMUR, typed)
    assert (resolution.uid, resolution.status) == ("RU-AMU:благовещенск:go", "ok")


@pytest.mark.parametrize("typed", [
    "Благовещенский р-н",
    "Благовещенский район",
    "Благовещенский МО",
    "Благовещенский МР",
    "Благовещенский рн",
    "Благовещенский муниципальный район",
    "Благовещенский муниципальный округ",
    "БЛАГОВЕЩЕНСКИЙ РАЙОН",
    "Благовещенский  район.",
    "«Благовещенский район»",
    "Благовещенский",
])
def test_the_blagoveshchensky_district_is_another_municipality_however_it_is_written(typed):
    resolution = resolve(AMUR, typed)
    assert (resolution.uid, resolution.status) == ("RU-AMU:благовещенский:mr", "ok")


@pytest.mark.parametrize(("region", "typed", "uid"), [
    (AMUR, "Белогорский муниципальный округ", "RU-AMU:белогорский:mr"),
    (AMUR, "Тындинский муниципальный округ", "RU-AMU:тындинский:mr"),
    (AMUR, "г. Тында", "RU-AMU:тында:go"),
    (AMUR, "г. Белогорск", "RU-AMU:белогорск:go"),
    (AMUR, "Зея", "RU-AMU:зея:go"),
    (AMUR, "Зейский р-н", "RU-AMU:зейский:mr"),
    (AMUR, "ЗАТО Циолковский", "RU-AMU:углегорск:go"),  # the 2020 polygon of ЗАТО Углегорск
    (AMUR, "ЗАТО Углегорск", "RU-AMU:углегорск:go"),
    (AMUR, "пгт Прогресс", "RU-AMU:прогресс:go"),
    (AMUR, "рабочий посёлок Прогресс", "RU-AMU:прогресс:go"),
    (AMUR, "р.п. Прогресс", "RU-AMU:прогресс:go"),
    (PRIMORYE, "Артёмовский городской округ", "RU-PRI:артемовский:go"),
    (PRIMORYE, "г. Артём", "RU-PRI:артемовский:go"),
    (PRIMORYE, "г. Большой Камень", "RU-PRI:камень:go"),
    (PRIMORYE, "городской округ Большой Камень", "RU-PRI:камень:go"),
    (PRIMORYE, "Партизанский городской округ", "RU-PRI:партизанский:go"),
    (PRIMORYE, "г. Партизанск", "RU-PRI:партизанский:go"),
    (PRIMORYE, "Партизанский район", "RU-PRI:партизанский:mr"),
    (PRIMORYE, "Партизанский муниципальный округ", "RU-PRI:партизанский:mr"),
    (PRIMORYE, "Дальнереченский городской округ", "RU-PRI:дальнереченский:go"),
    (PRIMORYE, "Дальнереченский район", "RU-PRI:дальнереченский:mr"),
    (PRIMORYE, "Находкинский городской округ", "RU-PRI:находкинский:go"),
    (PRIMORYE, "Хасанский муниципальный округ", "RU-PRI:хасанский:mr"),
    (PRIMORYE, "городской округ ЗАТО Фокино", "RU-PRI:фокино:go"),
    (IRKUTSK, "Зиминское районное муниципальное образование", "RU-IRK:зиминский:mr"),
    (IRKUTSK, "Зиминское городское муниципальное образование", "RU-IRK:зиминское:go"),
    (IRKUTSK, "г. Зима", "RU-IRK:зиминское:go"),
    (IRKUTSK, "Ангарский городской округ", "RU-IRK:ангарский:go"),
    (IRKUTSK, "Ангарский район", "RU-IRK:ангарский:go"),  # outdated class word, one candidate
    (IRKUTSK, "Черемховское районное муниципальное образование", "RU-IRK:черемховский:mr"),
    (IRKUTSK, "г. Черемхово", "RU-IRK:черемховское:go"),
    (IRKUTSK, "муниципальное образование город Свирск", "RU-IRK:свирское:go"),
    (IRKUTSK, "МО «Братский район»", "RU-IRK:братский:mr"),
    (IRKUTSK, "город Братск", "RU-IRK:братск:go"),
    (IRKUTSK, "Усть-Илимский район", "RU-IRK:усть-илимский:mr"),
    (IRKUTSK, "г. Усть-Илимск", "RU-IRK:усть-илимск:go"),
])
def test_a_current_official_name_resolves_to_its_municipality(region, typed, uid):
    resolution = resolve(region, typed)
    assert (resolution.uid, resolution.status, resolution.suggestions) == (uid, "ok", ())


@pytest.mark.parametrize(("region", "typed", "suggested"), [
    (PRIMORYE, "Партизанский", ("г. Партизанск", "Партизанский район")),
    (PRIMORYE, "Дальнереченский", ("г. Дальнереченск", "Дальнереченский район")),
    (IRKUTSK, "Зиминское", ("г. Зима", "Зиминский район")),
    (IRKUTSK, "Черемховское", ("г. Черемхово", "Черемховский район")),
])
def test_a_name_that_is_both_a_city_okrug_and_a_district_is_ambiguous_and_suggests_both(region, typed, suggested):
    resolution = resolve(region, typed)
    assert resolution.uid is None
    assert resolution.status == "ambiguous"
    assert sorted(resolution.suggestions) == sorted(suggested)


@pytest.mark.parametrize(("region", "typed", "first_suggestion"), [
    (AMUR, "Белогорскй р-н", "Белогорский район"),
    (AMUR, "Благовещенскй район", "Благовещенский район"),
    (AMUR, "г. Благовещенкс", "г. Благовещенск"),
    (AMUR, "Серышевкий район", "Серышевский район"),
    (PRIMORYE, "Хасанскйи район", "Хасанский район"),
])
def test_a_misspelt_name_is_unknown_and_suggests_the_closest_municipality_first(region, typed, first_suggestion):
    resolution = resolve(region, typed)
    assert (resolution.uid, resolution.status) == (None, "unknown")
    assert resolution.suggestions[0] == first_suggestion
    assert len(resolution.suggestions) <= 3


@pytest.mark.parametrize(("region", "typed"), [
    (AMUR, "Москва"),
    (AMUR, "123"),
    (AMUR, "Нью-Йорк"),
    (PRIMORYE, "г. Благовещенск"),
])
def test_a_name_from_nowhere_in_the_region_is_unknown_without_suggestions(region, typed):
    resolution = resolve(region, typed)
    assert (resolution.uid, resolution.status, resolution.suggestions) == (None, "unknown", ())


@pytest.mark.parametrize("typed", ["", "   ", "\u00a0"])
def test_an_empty_municipality_cell_is_empty_not_unknown(typed):
    resolution = resolve(AMUR, typed)
    assert (resolution.uid, resolution.status) == (None, "empty")


def _all_municipalities():
    for region in (AMUR, PRIMORYE, IRKUTSK):
        for municipality in load_registry(region).municipalities:
            yield pytest.param(region, municipality, id=municipality.uid)


@pytest.mark.parametrize(("region", "municipality"), list(_all_municipalities()))
def test_every_municipality_resolves_from_its_own_display_name(region, municipality):
    resolution = resolve(region, municipality.name)
    assert (resolution.uid, resolution.status) == (municipality.uid, "ok")


# Geodata names that are, as written, both a city okrug and a district (shared/geo/README.md).
AMBIGUOUS_SOURCE_NAMES = {"RU-PRI:партизанский:go", "RU-PRI:дальнереченский:go",
                          "RU-IRK:зиминское:go", "RU-IRK:черемховское:go"}
TULUN = "RU-IRK:тулун:go"


@pytest.mark.parametrize(("region", "municipality"), [
    p for p in _all_municipalities() if p.id not in AMBIGUOUS_SOURCE_NAMES | {TULUN}
])
def test_every_municipality_resolves_from_its_geodata_name(region, municipality):
    resolution = resolve(region, municipality.source_name)
    assert (resolution.uid, resolution.status) == (municipality.uid, "ok")


@pytest.mark.parametrize(("region", "municipality"), [
    p for p in _all_municipalities() if p.id in AMBIGUOUS_SOURCE_NAMES
])
def test_a_geodata_adjective_shared_by_city_and_district_is_ambiguous_and_suggests_it(region, municipality):
    resolution = resolve(region, municipality.source_name)
    assert resolution.status == "ambiguous"
    assert municipality.name in resolution.suggestions


@pytest.mark.parametrize(("region", "municipality"), [
    p for p in _all_municipalities()
])
def test_every_municipality_resolves_from_its_short_map_label(region, municipality):
    resolution = resolve(region, municipality.short_name)
    assert (resolution.uid, resolution.status) == (municipality.uid, "ok")


def test_the_bare_town_name_tulun_resolves_to_the_city_okrug():
    resolution = resolve(IRKUTSK, "Тулун")
    assert (resolution.uid, resolution.status) == (TULUN, "ok")


def test_the_tulunsky_district_still_resolves_by_its_adjective():
    resolution = resolve(IRKUTSK, "Тулунский район")
    assert (resolution.uid, resolution.status) == ("RU-IRK:тулунский:mr", "ok")


@pytest.mark.parametrize(("uid", "name", "short_name", "kind"), [
    ("RU-AMU:благовещенск:go", "г. Благовещенск", "Благовещенск", "городской округ"),
    ("RU-AMU:благовещенский:mr", "Благовещенский район", "Благовещенский р-н", "муниципальный район"),
    ("RU-AMU:углегорск:go", "ЗАТО Циолковский", "ЗАТО Циолковский", "городской округ"),
])
def test_municipalities_are_named_as_the_dashboard_shows_them(uid, name, short_name, kind):
    municipality = load_registry(AMUR).by_uid[uid]
    assert (municipality.name, municipality.short_name, municipality.kind) == (name, short_name, kind)


def test_city_okrugs_are_listed_before_districts():
    classes = [m.municipality_class for m in load_registry(AMUR).municipalities]
    assert classes == sorted(classes, key=lambda c: c != "go")
    assert classes.count("go") == 9 and classes.count("mr") == 20


def test_boundaries_are_asked_for_only_where_they_are_bundled():
    with pytest.raises(NoBoundaries, match=r"Нет границ муниципалитетов для региона Республика Саха \(Якутия\)"):
        load_registry("RU-SA")


@pytest.mark.parametrize(("region", "typed", "uid"), [
    (IRKUTSK, "АГО", "RU-IRK:ангарский:go"),  # Ангарский городской округ
    (IRKUTSK, "аго", "RU-IRK:ангарский:go"),  # typed in lower case
    (PRIMORYE, "ВГО", "RU-PRI:владивостокский:go"),
    (PRIMORYE, "УГО", "RU-PRI:уссурийский:go"),
    (PRIMORYE, "НГО", "RU-PRI:находкинский:go"),
    (PRIMORYE, "ПГО", "RU-PRI:партизанский:go"),
    (IRKUTSK, "УИМР", "RU-IRK:усть-илимский:mr"),  # Усть-Илимский муниципальный район
    (AMUR, "ТГО", "RU-AMU:тында:go"),
    (PRIMORYE, "ЗАТО Фокино", "RU-PRI:фокино:go"),
    (PRIMORYE, "ЗАТО г. Фокино", "RU-PRI:фокино:go"),
    (AMUR, "ЗАТО г. Циолковский", "RU-AMU:углегорск:go"),
])
def test_an_abbreviation_coordinators_use_resolves_where_it_names_one_municipality(region, typed, uid):
    resolution = resolve(region, typed)
    assert (resolution.uid, resolution.status) == (uid, "ok")


@pytest.mark.parametrize(("region", "typed", "names"), [
    (PRIMORYE, "АГО", {"г. Арсеньев", "г. Артем"}),
    (AMUR, "БГО", {"г. Белогорск", "г. Благовещенск"}),
])
def test_an_abbreviation_of_two_municipalities_is_ambiguous_and_names_both(region, typed, names):
    resolution = resolve(region, typed)
    assert (resolution.uid, resolution.status) == (None, "ambiguous")
    assert set(resolution.suggestions) == names


@pytest.mark.parametrize(("region", "typed", "suggested"), [
    (AMUR, "Благовещ", "г. Благовещенск"),  # cut short: the names it begins
    (AMUR, "Тындинск", "Тындинский район"),
    (AMUR, "Зейский м.о.", "Зейский район"),
])
def test_a_name_cut_short_or_abbreviated_otherwise_still_gets_the_closest_names(region, typed, suggested):
    resolution = resolve(region, typed)
    assert resolution.status == "unknown" and suggested in resolution.suggestions


# ----------------------------------------------------------------- every region of Russia

def _every_unit_of_russia():
    from campaign.subjects import all_subjects

    for subject in all_subjects():
        if subject.has_boundaries:
            for municipality in load_registry(subject.key).municipalities:
                yield subject.key, municipality


EVERY_UNIT = list(_every_unit_of_russia())


def test_the_83_subjects_have_2492_units():
    assert len(EVERY_UNIT) == 2492


def test_every_unit_of_russia_resolves_from_its_display_name_and_its_map_label():
    wrong = [(m.uid, typed) for key, m in EVERY_UNIT for typed in (m.name, m.short_name)
             if load_registry(key).resolve(typed).uid != m.uid]
    assert wrong == []


def test_every_unit_of_russia_resolves_from_its_geodata_name_or_names_it_among_two():
    """A geodata name that is a bare adjective shared by a city okrug and a district
    («Кемеровский»: г. Кемерово and Кемеровский район) is ambiguous and suggests both."""
    wrong, ambiguous = [], 0
    for key, m in EVERY_UNIT:
        resolution = load_registry(key).resolve(m.source_name)
        if resolution.status == "ambiguous" and m.name in resolution.suggestions:
            ambiguous += 1
        elif resolution.uid != m.uid:
            wrong.append((m.uid, m.source_name, resolution))
    assert wrong == [] and ambiguous <= 20


@pytest.mark.parametrize(("region", "typed", "uid"), [
    # Дальневосточный: «район имени …», post-2025 municipal okrugs, «ГО «Город …»»
    ("RU-KHA", "район имени Лазо", "RU-KHA:лазо:mr"),
    ("RU-KHA", "р-н им. Полины Осипенко", "RU-KHA:полины осипенко:mr"),
    ("RU-KHA", "Муниципальный район имени Полины Осипенко", "RU-KHA:полины осипенко:mr"),
    ("RU-KHA", "ГО «Город Комсомольск-на-Амуре»", "RU-KHA:комсомольск-на-амуре:go"),
    ("RU-KHA", "Хабаровский муниципальный округ", "RU-KHA:хабаровский:mr"),
    ("RU-KHA", "г. Хабаровск", "RU-KHA:хабаровск:go"),
    ("RU-CHU", "Анадырский муниципальный район", "RU-CHU:анадырский:mr"),
    # Центральный: «г.о.», a district that became a city okrug, Moscow's districts
    ("RU-MOS", "г.о. Химки", "RU-MOS:химки:go"),
    ("RU-MOS", "Городской округ Коломна", "RU-MOS:коломна:go"),
    ("RU-BEL", "Белгородский район", "RU-BEL:белгородский:go"),
    ("RU-BEL", "г. Белгород", "RU-BEL:белгород:go"),
    ("RU-MOW", "район Богородское", "RU-MOW:богородское:mr"),
    ("RU-MOW", "муниципальный округ Арбат", "RU-MOW:арбат:mr"),
    ("RU-MOW", "район Нагатинский затон", "RU-MOW:нагатинский н:mr"),
    ("RU-VLA", "город Гусь-Хрустальный", "RU-VLA:гусь-хрустальный:go"),
    # Северо-Западный: St Petersburg's numbered okrugs, Novgorod
    ("RU-SPE", "муниципальный округ N 15", "RU-SPE:15:mr"),
    ("RU-SPE", "МО № 15", "RU-SPE:15:mr"),
    ("RU-NGR", "Новгородский муниципальный район", "RU-NGR:новгородский:go"),
    ("RU-NGR", "Великий Новгород", "RU-NGR:новгород:go"),
    ("RU-ARK", "Приморский муниципальный округ", "RU-ARK:приморский:mr"),
    # Южный: «город-курорт», «город-герой», Crimea and Sevastopol
    ("RU-KDA", "МО город-курорт Сочи", "RU-KDA:сочи:go"),
    ("RU-KDA", "г.-к. Анапа", "RU-KDA:анапа:go"),
    ("RU-VGG", "город-герой Волгоград", "RU-VGG:город-герой волгоград:go"),
    ("RU-VGG", "г. Волгоград", "RU-VGG:город-герой волгоград:go"),
    ("UA-43", "г. Симферополь", "UA-43:симферополь:go"),
    ("UA-43", "Симферопольский муниципальный район", "UA-43:симферопольский:mr"),
    ("UA-40", "Гагаринский муниципальный округ", "UA-40:гагаринский:mr"),
    # Северо-Кавказский
    ("RU-DA", "ГО «город Махачкала»", "RU-DA:махачкала:go"),
    ("RU-STA", "Александровский муниципальный округ", "RU-STA:александровский:go"),
    # Приволжский: a name containing «город» inside a word is no city
    ("RU-NIZ", "Богородский муниципальный округ", "RU-NIZ:богородский:mr"),
    ("RU-NIZ", "Городецкий муниципальный округ", "RU-NIZ:городецкий:mr"),
    ("RU-TA", "г. Набережные Челны", "RU-TA:набережные челны:go"),
    ("RU-TA", "Альметьевский МР", "RU-TA:альметьевский:mr"),
    # Уральский
    ("RU-SVE", "МО «город Екатеринбург»", "RU-SVE:екатеринбург:go"),
    ("RU-SVE", "Ирбитское МО", "RU-SVE:ирбитское:go"),
    ("RU-SVE", "г. Ирбит", "RU-SVE:ирбит:go"),
    ("RU-YAN", "г. Салехард", "RU-YAN:салехард:go"),
    # Сибирский
    ("RU-NVS", "г. Новосибирск", "RU-NVS:новосибирск:go"),
    ("RU-ALT", "Алтайский муниципальный район", "RU-ALT:алтайский:mr"),
    ("RU-TY", "Бай-Тайгинский кожуун", "RU-TY:бай-тайгинский:mr"),
    ("RU-BA", "Баймакский район", "RU-BA:баймакский:mr"),
])
def test_names_coordinators_type_resolve_in_every_federal_district(region, typed, uid):
    resolution = resolve(region, typed)
    assert (resolution.uid, resolution.status) == (uid, "ok")


@pytest.mark.parametrize(("region", "typed", "suggested"), [
    ("RU-KHA", "р-н им. Полины Осепенко", "Район Полины Осипенко"),
    ("RU-TA", "Альметевский район", "Альметьевский район"),
    ("RU-MOS", "Ступинский район", "г. Ступино"),  # a district merged into a city okrug since
])
def test_an_unknown_name_in_any_region_gets_the_closest_names(region, typed, suggested):
    resolution = resolve(region, typed)
    assert resolution.status == "unknown" and suggested in resolution.suggestions


@pytest.mark.parametrize("bare, shown", [
    ("Прогресс", "городской округ Прогресс"), ("Ногликский", "Ногликский городской округ"),
    ("Алапаевское", "муниципальное образование Алапаевское"), ("Красноуфимский округ", "Красноуфимский округ"),
    ("Городской Округ Власиха", "Городской Округ Власиха"), ("ЗАТО Сибирский", "ЗАТО Сибирский"),
])
def test_a_city_okrug_without_a_town_says_its_kind_once(bare, shown):
    from campaign.registry import okrug_name

    assert okrug_name(bare) == shown
