"""Reading typed cells as coordinators type them (shared/sheet-template.md, «Reading rules»)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from campaign.cells import (
    inn_is_valid,
    parse_date,
    read_choices,
    read_dates,
    read_inns,
    read_links,
    read_numbers,
    read_phones,
)
from campaign.spec import load_campaign
from campaign.text import clean, label_key

NBSP = "\u00a0"


def column(*cells: str) -> pd.Series:
    return pd.Series(list(cells), dtype="str")


def read_one(reader, cell: str):
    values, invalid = reader(column(cell))
    return values.iloc[0], bool(invalid.iloc[0])


# ------------------------------------------------------------------------------- dates

FEB_15 = date(2022, 2, 15)

READABLE_DATES = [
    ("15.02.2022", FEB_15),
    ("2022-02-15", FEB_15),
    ("15.02.22", FEB_15),
    ("15.2.2022", FEB_15),
    ("15/02/2022", FEB_15),
    ("15-02-2022", FEB_15),
    ("15 февраля 2022", FEB_15),
    ("15 Февраля 2022г.", FEB_15),
    ("15 фев 2022 г.", FEB_15),
    ("15 февраля 2022 года", FEB_15),
    ("1 марта 2022", date(2022, 3, 1)),
    ("8 мар. 2022", date(2022, 3, 8)),
    ("3 мая 2022", date(2022, 5, 3)),
    ("44607", FEB_15),  # Google Sheets serial number
    ("44607,0", FEB_15),
    ("44607.5", FEB_15),  # noon of that day
    ("15.02.2022 10:30", FEB_15),
    ("15.02.2022 10:30:15", FEB_15),
    ("2022-02-15 00:00:00", FEB_15),
    (f"{NBSP}15.02.2022{NBSP}", FEB_15),
    ("  15.02.2022 ", FEB_15),
    (f"15{NBSP}февраля{NBSP}2022", FEB_15),
]

UNREADABLE_DATES = [
    "31.02.2022",  # no such day
    "32.01.2022",
    "15.13.2022",
    "вчера",
    "99999",  # a serial number far beyond 2099
    "12345",  # a serial number before 1970
    "2022",
    "15 фвр 2022",
    "февраль",
]


@pytest.mark.parametrize(("cell", "expected"), READABLE_DATES)
def test_a_date_typed_in_any_accepted_form_reads_as_that_day(cell, expected):
    assert parse_date(cell) == expected
    value, invalid = read_one(read_dates, cell)
    assert value == pd.Timestamp(expected)
    assert not invalid


@pytest.mark.parametrize("cell", UNREADABLE_DATES)
def test_a_date_that_is_no_date_is_marked_invalid(cell):
    assert parse_date(cell) is None
    value, invalid = read_one(read_dates, cell)
    assert pd.isna(value)
    assert invalid


def test_an_iso_datetime_with_t_separator_reads_as_its_day():
    assert parse_date("2022-02-15T10:30:00") == FEB_15


@pytest.mark.parametrize("cell", ["15.02.2022 г.", "15.02.2022г.", "15.02.2022."])
def test_a_numeric_date_followed_by_the_year_abbreviation_or_a_full_stop_reads(cell):
    assert parse_date(cell) == FEB_15


def test_an_empty_date_cell_is_missing_but_not_invalid():
    values, invalid = read_dates(column("", "15.02.2022", "вчера"))
    assert pd.isna(values.iloc[0]) and not invalid.iloc[0]
    assert values.iloc[1] == pd.Timestamp(FEB_15)
    assert invalid.tolist() == [False, False, True]


def test_a_whole_column_of_dates_reads_as_datetimes_in_one_pass():
    cells = [cell for cell, _ in READABLE_DATES] + UNREADABLE_DATES
    values, invalid = read_dates(column(*cells))
    assert str(values.dtype).startswith("datetime64")
    assert values.tolist()[: len(READABLE_DATES)] == [pd.Timestamp(d) for _, d in READABLE_DATES]
    assert invalid.tolist() == [False] * len(READABLE_DATES) + [True] * len(UNREADABLE_DATES)


# ------------------------------------------------------------------------------- phones

READABLE_PHONES = [
    ("8 (4162) 22-65-10", "+74162226510"),
    ("+7 (4162) 22-65-10", "+74162226510"),
    ("+7 914 123 45 67", "+79141234567"),
    ("+7-914-123-45-67", "+79141234567"),
    ("7 914 123 45 67", "+79141234567"),
    ("89141234567", "+79141234567"),
    ("9141234567", "+79141234567"),
    ("8(914)1234567", "+79141234567"),
    ("8-914-555-12-34", "+79145551234"),
    ("8 800 555 35 35", "+78005553535"),
    (f"{NBSP}8 914 123 45 67{NBSP}", "+79141234567"),
    ("8 (4162) 22-65-10 доб. 5", "+74162226510"),
    ("8 (4162) 22-65-10, доб. 5", "+74162226510"),
    ("+7 914 123 45 67 доб.5", "+79141234567"),
    ("8 914 123-45-67 доб 123", "+79141234567"),
    ("8 914 123 45 67 вн. 12", "+79141234567"),
    ("8-914-555-12-34, 8-962-111-22-33", "+79145551234"),  # two numbers: the first one
    ("8-914-555-12-34; 8-962-111-22-33", "+79145551234"),
    ("+375 29 123 45 67", "+375291234567"),  # a foreign number stays foreign
    ("+49 30 1234567", "+49301234567"),
]

UNREADABLE_PHONES = ["12-34", "8 800", "22-65-10", "нет", "телефон директора", "+7 914 123"]


@pytest.mark.parametrize(("cell", "e164"), READABLE_PHONES)
def test_a_phone_in_any_usual_notation_reads_as_e164(cell, e164):
    assert read_one(read_phones, cell) == (e164, False)


@pytest.mark.parametrize("cell", UNREADABLE_PHONES)
def test_a_phone_that_is_too_short_or_no_number_is_marked_invalid(cell):
    assert read_one(read_phones, cell) == ("", True)


def test_two_phones_separated_by_a_slash_read_as_the_first():
    assert read_one(read_phones, "8-914-555-12-34 / 8-962-111-22-33") == ("+79145551234", False)


def test_an_empty_phone_cell_is_not_invalid():
    values, invalid = read_phones(column("", "89141234567", "12-34"))
    assert values.tolist() == ["", "+79141234567", ""]
    assert invalid.tolist() == [False, False, True]


# ------------------------------------------------------------------------------- ИНН


def checksum_inn(digits: str) -> bool:
    """An independent implementation of the ИНН check digits, to cross-check the examples."""
    def check(part: str, weights: list[int]) -> int:
        return sum(int(d) * w for d, w in zip(part, weights)) % 11 % 10

    w10 = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    w11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
    w12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
    if len(digits) == 10:
        return check(digits, w10) == int(digits[9])
    return check(digits, w11) == int(digits[10]) and check(digits, w12) == int(digits[11])


VALID_INNS = ["7707083893", "7736207543", "2801012347", "2801145675", "500100732259", "280112345698"]
BAD_CHECKSUM_INNS = ["7707083894", "2801012340", "500100732258", "280112345699"]


@pytest.mark.parametrize("inn", VALID_INNS + BAD_CHECKSUM_INNS)
def test_the_examples_checksums_are_what_the_tests_claim(inn):
    assert checksum_inn(inn) == (inn in VALID_INNS)


@pytest.mark.parametrize("inn", VALID_INNS)
def test_an_inn_with_the_right_check_digits_is_valid(inn):
    assert inn_is_valid(column(inn)).tolist() == [True]
    assert read_one(read_inns, inn) == (inn, False)


@pytest.mark.parametrize("inn", BAD_CHECKSUM_INNS)
def test_an_inn_with_wrong_check_digits_is_invalid(inn):
    assert inn_is_valid(column(inn)).tolist() == [False]
    assert read_one(read_inns, inn) == ("", True)


@pytest.mark.parametrize(
    ("cell", "inn"),
    [("7707 083 893", "7707083893"), ("7707-083-893", "7707083893"), ("500 100 732 259", "500100732259")],
)
def test_an_inn_typed_with_spaces_or_hyphens_reads_as_its_digits(cell, inn):
    assert read_one(read_inns, cell) == (inn, False)


def test_an_inn_typed_with_non_breaking_spaces_reads_as_its_digits():
    assert read_one(read_inns, f"7707{NBSP}083{NBSP}893") == ("7707083893", False)


@pytest.mark.parametrize(
    "cell",
    ["770708389", "77070838931", "77070838930", "ИНН 7707083893", "77О7083893", "нет ИНН", "7707083893.0"],
)
def test_an_inn_of_the_wrong_length_or_with_letters_is_invalid(cell):
    assert read_one(read_inns, cell) == ("", True)


def test_an_empty_inn_cell_is_not_invalid():
    values, invalid = read_inns(column("", "7707083893", "7707083894"))
    assert values.tolist() == ["", "7707083893", ""]
    assert invalid.tolist() == [False, False, True]


def test_inn_validity_is_computed_for_a_whole_column_of_mixed_lengths():
    cells = column("7707083893", "500100732259", "7707083894", "500100732258", "abc", "")
    assert inn_is_valid(cells).tolist() == [True, True, False, False, False, False]


# ------------------------------------------------------------------------------- links

READABLE_LINKS = [
    ("https://vk.com/wall-1_2", "https://vk.com/wall-1_2"),
    ("http://school1.ru/news", "http://school1.ru/news"),
    ("HTTPS://VK.COM/X", "HTTPS://VK.COM/X"),
    ("https://vk.com/wall?w=1#x", "https://vk.com/wall?w=1#x"),
    ("vk.com/school1", "https://vk.com/school1"),
    ("t.me/channel", "https://t.me/channel"),
    ("ok.ru/group/1", "https://ok.ru/group/1"),
    ("www.school.ru", "https://www.school.ru"),
    ("https://школа.рф/новости", "https://школа.рф/новости"),
    ("домен.рф/page", "https://домен.рф/page"),
]

UNREADABLE_LINKS = [
    "javascript:alert(1)",
    "ftp://files.ru/a",
    "data:text/html,<b>x</b>",
    "mailto:a@b.ru",
    "см. сайт школы",
    '=HYPERLINK("https://vk.com/x";"пост")',
    "https://",
    "http://.ru",
    "//vk.com/x",
    "https://vk.com/x, https://t.me/y",
]


@pytest.mark.parametrize(("cell", "url"), READABLE_LINKS)
def test_an_http_link_or_a_bare_domain_reads_as_a_web_address(cell, url):
    assert read_one(read_links, cell) == (url, False)


@pytest.mark.parametrize("cell", UNREADABLE_LINKS)
def test_anything_but_an_http_link_is_an_invalid_link(cell):
    assert read_one(read_links, cell) == ("", True)


def test_an_empty_link_cell_is_not_invalid():
    values, invalid = read_links(column("", "vk.com/x", "см. сайт"))
    assert values.tolist() == ["", "https://vk.com/x", ""]
    assert invalid.tolist() == [False, False, True]


# ------------------------------------------------------------------------------- numbers

READABLE_NUMBERS = [
    ("300", 300),
    ("0", 0),
    ("  42  ", 42),
    ("~300", 300),
    ("~ 300", 300),
    ("≈70", 70),
    ("150 чел.", 150),
    ("150чел", 150),
    ("150 человек.", 150),
    ("150 участников", 150),
    ("150 уч.", 150),
    ("2 500 просмотров", 2500),
    ("1 200", 1200),
    (f"1{NBSP}200", 1200),
    ("1\u202f200", 1200),
    ("1 200 человек", 1200),
    ("около 50 человек", 50),
    (f"около{NBSP}50 человек", 50),
    ("примерно 40", 40),
    ("более 1000", 1000),
    ("свыше 100 чел", 100),
    ("12.0", 12),
    ("12,0", 12),
]

UNREADABLE_NUMBERS = ["много", "-5", "+5", "1,5", "12.5", "1.200", "100-150", "50%", "1e3", "не знаю"]


@pytest.mark.parametrize(("cell", "number"), READABLE_NUMBERS)
def test_a_number_typed_as_text_with_approximations_units_and_separators_reads(cell, number):
    value, invalid = read_one(read_numbers, cell)
    assert value == number
    assert not invalid


@pytest.mark.parametrize("cell", UNREADABLE_NUMBERS)
def test_a_negative_fractional_or_wordy_number_is_invalid(cell):
    value, invalid = read_one(read_numbers, cell)
    assert pd.isna(value)
    assert invalid


def test_an_empty_number_cell_is_missing_but_not_invalid():
    values, invalid = read_numbers(column("", "~300", "много"))
    assert str(values.dtype) == "Int64"
    assert pd.isna(values.iloc[0]) and values.iloc[1] == 300 and pd.isna(values.iloc[2])
    assert invalid.tolist() == [False, False, True]


# ------------------------------------------------------------------------------- choices

CAMPAIGN = load_campaign("amur-2022")
EVENT_KIND = CAMPAIGN.tab("events").column("kind")
STATUS = CAMPAIGN.tab("organisations").column("status")
PLATFORM = CAMPAIGN.tab("contest").column("platform")
RESULT = CAMPAIGN.tab("contest").column("result")
ORG_TYPE = CAMPAIGN.tab("organisations").column("org_type")

INFO, CONF = "информационная кампания", "конференция"
INTERVIEW, CONTEST, OTHER = "интервью / выступление на радио или ТВ", "конкурс видеороликов", "иное мероприятие"
MEMO, APPLIED, REGISTRY = "меморандум подписан", "заявка подана", "в реестре Альянса"


def read_choice(spec, cell: str) -> tuple[str, bool]:
    values, invalid = read_choices(column(cell), spec.choices, spec.default)
    return str(values.iloc[0]), bool(invalid.iloc[0])


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("информационная кампания", INFO),
        ("Информационная кампания", INFO),
        ("  Информационная   кампания. ", INFO),
        ("информационная кампания в соцсетях", INFO),  # «информационная кампания*»
        ("Информирование родителей", INFO),  # «информирование*»
        ("конференция", CONF),
        ("Конференция (онлайн)", CONF),
        ("онлайн-конференция", CONF),
        ("интервью", INTERVIEW),
        ("ИНТЕРВЬЮ!", INTERVIEW),
        ("интервью на радио", INTERVIEW),
        ("выступление на ТВ", INTERVIEW),
        ("Выступление на радио / ТВ", INTERVIEW),
        ("эфир на радио", INTERVIEW),
        ("конкурс", CONTEST),
        ("Конкурс видеороликов «Моя хартия»", CONTEST),
        ("видеоконкурс", CONTEST),
        ("круглый стол", OTHER),
        ("Круглый стол с родителями", OTHER),
        ("круглый стол.", OTHER),
        ("мастер-класс", OTHER),
        ("классный час «Хартия»", OTHER),
        ("иное", OTHER),
        ("иное мероприятие", OTHER),
    ],
)
def test_an_event_kind_and_its_obvious_variants_read_as_one_of_the_five_kinds(cell, kind):
    assert read_choice(EVENT_KIND, cell) == (kind, False)


@pytest.mark.parametrize(
    ("cell", "status"),
    [
        ("", MEMO),  # empty status = меморандум подписан
        ("меморандум подписан", MEMO),
        ("Меморандум подписан.", MEMO),
        ("  МЕМОРАНДУМ   ПОДПИСАН  ", MEMO),
        ("подписан", MEMO),
        ("Подписан!", MEMO),
        ("подписан (15.02)", MEMO),
        ("присоединились", MEMO),
        ("заявка подана", APPLIED),
        ("Заявка", APPLIED),
        ("в реестре Альянса", REGISTRY),
        ("В реестре альянса", REGISTRY),
        ("в реестре", REGISTRY),
    ],
)
def test_a_status_and_its_variants_read_as_one_of_the_three_statuses(cell, status):
    assert read_choice(STATUS, cell) == (status, False)


@pytest.mark.parametrize(
    ("cell", "platform"),
    [
        ("TikTok", "TikTok"),
        ("tiktok", "TikTok"),
        ("Тик Ток", "TikTok"),
        ("Тик-Ток", "TikTok"),
        ("VK Клипы", "VK Клипы"),
        ("VK Clips", "VK Клипы"),
        ("ВК клипы", "VK Клипы"),
        ("вк  КЛИПЫ.", "VK Клипы"),
        ("Yappy", "Yappy"),
        ("Яппи", "Yappy"),
    ],
)
def test_a_video_platform_and_its_variants_read_as_one_of_the_three_platforms(cell, platform):
    assert read_choice(PLATFORM, cell) == (platform, False)


@pytest.mark.parametrize(
    ("cell", "result"),
    [("", "участник"), ("победитель", "победитель"), ("1 место", "победитель"),
     ("призер", "призёр"), ("Призёр", "призёр"), ("лауреат", "призёр"), ("участие", "участник")],
)
def test_a_contest_result_reads_with_ё_and_е_alike_and_defaults_to_participant(cell, result):
    assert read_choice(RESULT, cell) == (result, False)


@pytest.mark.parametrize(
    ("cell", "org_type"),
    [("школа", "образовательная организация"), ("НКО", "НКО"), ("газета", "СМИ"), ("ООО", "коммерческая организация"),
     ("администрация", "орган власти"), ("библиотека", "иное")],
)
def test_an_organisation_type_reads_from_its_everyday_words(cell, org_type):
    assert read_choice(ORG_TYPE, cell) == (org_type, False)


@pytest.mark.parametrize(
    ("spec", "cell"),
    [
        (EVENT_KIND, "флешмоб"),
        (EVENT_KIND, "пресс-конференция"),
        (STATUS, "отказ"),
        (STATUS, "на согласовании"),
        (PLATFORM, "YouTube"),
        (PLATFORM, "Instagram"),
        (RESULT, "дипломант"),
        (ORG_TYPE, "частное лицо"),
    ],
)
def test_a_value_that_matches_no_choice_is_marked_unknown(spec, cell):
    assert read_choice(spec, cell) == ("", True)


def test_an_empty_choice_without_a_default_stays_empty_and_is_not_invalid():
    assert read_choice(EVENT_KIND, "") == ("", False)


def test_a_column_of_repeated_choices_reads_every_row():
    cells = column("интервью", "", "флешмоб", "интервью", "Круглый стол", "")
    values, invalid = read_choices(cells, EVENT_KIND.choices, EVENT_KIND.default)
    assert [str(v) for v in values] == [INTERVIEW, "", "", INTERVIEW, OTHER, ""]
    assert invalid.tolist() == [False, False, True, False, False, False]


# ------------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("ОРГАНИЗАЦИИ", "Организации"),
        ("организации ", "Организации"),
        ("  Наименование   организации ", "Наименование организации"),
        (f"Наименование{NBSP}организации", "Наименование организации"),
        ("Охват (чел.)", "Охват"),
        ("Телефон:", "Телефон"),
        ("Призёр", "призер"),
        ("Статус.", "Статус"),
    ],
)
def test_labels_match_ignoring_case_ё_spaces_parentheses_and_trailing_punctuation(typed, canonical):
    assert label_key(typed) == label_key(canonical)


@pytest.mark.parametrize(
    ("cell", "cleaned"),
    [(None, ""), (f"{NBSP} Школа{NBSP}{NBSP}№ 1 ", "Школа № 1"), ("\tИванов\nИван ", "Иванов Иван"), (15, "15")],
)
def test_cleaning_a_cell_folds_non_breaking_and_repeated_spaces(cell, cleaned):
    assert clean(cell) == cleaned


@pytest.mark.parametrize("e164, shown", [
    ("+74162571134", "+7 4162 57-11-34"),  # Благовещенск: the city's code set apart, not «+7 416 257-11-34»
    ("+73952123456", "+7 3952 12-34-56"),  # Иркутск
    ("+74951234567", "+7 495 123-45-67"),  # Москва: a three-digit code
    ("+79144428131", "+7 914 442-81-31"),  # a mobile: the operator's code
    ("+74164123456", "+7 416 412-34-56"),  # a town whose code is not a capital's: as libphonenumber writes it
    ("", ""),
])
def test_a_phone_is_written_by_the_numbering_plan(e164, shown):
    from campaign.cells import format_phone

    assert format_phone(e164) == shown
