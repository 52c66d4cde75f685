"""Russian words and numbers as officials expect them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from campaign import russian

NBSP = "\u00a0"
ORGANISATIONS = ("организация", "организации", "организаций")
EVENTS = ("мероприятие", "мероприятия", "мероприятий")


@pytest.mark.parametrize(("number", "word"), [
    (0, "организаций"),
    (1, "организация"),
    (2, "организации"),
    (3, "организации"),
    (4, "организации"),
    (5, "организаций"),
    (10, "организаций"),
    (11, "организаций"),
    (12, "организаций"),
    (14, "организаций"),
    (15, "организаций"),
    (21, "организация"),
    (22, "организации"),
    (25, "организаций"),
    (101, "организация"),
    (111, "организаций"),
    (112, "организаций"),
    (121, "организация"),
    (1001, "организация"),
    (1.0, "организация"),
])
def test_a_noun_takes_the_russian_plural_form_for_its_number(number, word):
    assert russian.plural(number, ORGANISATIONS) == word


def test_a_fraction_takes_the_genitive_singular_form():
    assert russian.count(2.5, ORGANISATIONS) == "2,5 организации"


@pytest.mark.parametrize(("number", "text"), [
    (1, "1 организация"),
    (2, "2 организации"),
    (5, "5 организаций"),
    (21, "21 организация"),
    (1200, f"1{NBSP}200 организаций"),
])
def test_a_count_is_the_number_with_its_noun(number, text):
    assert russian.count(number, ORGANISATIONS) == text


def test_a_count_takes_any_units_forms():
    assert russian.count(3, EVENTS) == "3 мероприятия"


@pytest.mark.parametrize(("value", "text"), [
    (0, "0"),
    (999, "999"),
    (1200, f"1{NBSP}200"),
    (12345678, f"12{NBSP}345{NBSP}678"),
    (1200.0, f"1{NBSP}200"),
    (2.5, "2,5"),
    (1234.56, f"1{NBSP}234,6"),
])
def test_numbers_group_thousands_with_a_non_breaking_space_and_use_a_decimal_comma(value, text):
    assert russian.number(value) == text


@pytest.mark.parametrize(("value", "text"), [
    (date(2022, 2, 15), "15.02.2022"),
    (date(2022, 3, 8), "08.03.2022"),
    (datetime(2022, 2, 15, 10, 3), "15.02.2022"),
])
def test_a_day_is_written_dd_mm_yyyy(value, text):
    assert russian.day(value) == text


def test_a_moment_adds_hours_and_minutes():
    assert russian.moment(datetime(2022, 2, 15, 9, 5)) == "15.02.2022 09:05"


@pytest.mark.parametrize(("value", "text"), [
    (date(2022, 2, 15), "15 февраля"),
    (date(2022, 3, 1), "1 марта"),
    (date(2022, 5, 9), "9 мая"),
])
def test_a_day_and_month_are_written_in_words_in_the_genitive(value, text):
    assert russian.day_month(value) == text


@pytest.mark.parametrize(("days", "text"), [
    (0, "сегодня"),
    (1, "через 1 день"),
    (2, "через 2 дня"),
    (5, "через 5 дней"),
    (11, "через 11 дней"),
    (21, "через 21 день"),
    (22, "через 22 дня"),
    (-1, "1 день назад"),
    (-2, "2 дня назад"),
    (-5, "5 дней назад"),
    (-21, "21 день назад"),
])
def test_days_left_to_a_deadline_are_worded_for_the_future_and_the_past(days, text):
    assert russian.days_left(days) == text


@pytest.mark.parametrize(("errors", "warnings", "text"), [
    (0, 0, "нет"), (1, 0, "1 ошибка"), (3, 0, "3 ошибки"), (0, 2, "2 предупреждения"),
    (4, 2, "4 ошибки, 2 предупреждения"), (0, 1, "1 предупреждение"), (11, 5, "11 ошибок, 5 предупреждений"),
])
def test_problems_are_counted_by_kind_without_an_umbrella_word(errors, warnings, text):
    assert russian.problems_count(errors, warnings) == text


@pytest.mark.parametrize(("value", "low", "high", "text"), [
    (54, 20, None, "54 из 20"), (4, 3, 5, "4 из 3–5"), (1, 1, 2, "1 из 1–2"), (7, 7, 7, "7 из 7"), (3, None, None, "3"),
])
def test_a_figure_against_a_range_target_reads_the_range(value, low, high, text):
    assert russian.out_of_range(value, low, high) == text


@pytest.mark.parametrize(("first", "last", "text"), [
    (date(2022, 2, 15), date(2022, 2, 15), "15 февраля"),
    (date(2022, 3, 9), date(2022, 3, 10), "9–10 марта"),
    (date(2024, 5, 30), date(2024, 6, 1), "30 мая – 1 июня"),
])
def test_a_span_of_days_is_written_with_the_month_in_the_genitive(first, last, text):
    assert russian.day_span(first, last) == text


def test_a_time_zone_reads_as_an_offset_from_utc():
    from zoneinfo import ZoneInfo

    assert russian.utc_offset(datetime(2026, 12, 2, 5, 10, tzinfo=ZoneInfo("Asia/Yakutsk"))) == "UTC+9"
    assert russian.utc_offset(datetime(2026, 12, 2, 5, 10, tzinfo=ZoneInfo("Asia/Kolkata"))) == "UTC+5:30"


def test_decimals_and_file_names():
    assert russian.decimal(1.2857) == "1,3" and russian.decimal(2.0) == "2"
    assert russian.file_name("итоги", "акции", "Амурская область", "г. Тында", "2022-02-22",
                             extension="docx") == "итоги-акции-Амурская-область-г-Тында-2022-02-22.docx"


def test_long_words_get_soft_hyphens_that_a_reader_does_not_see():
    from campaign.russian import SOFT_HYPHEN, hyphenated

    text = hyphenated("Провести 3–5 информационных кампаний")
    assert text.replace(SOFT_HYPHEN, "") == "Провести 3–5 информационных кампаний"
    assert "инфор\u00adма\u00adци\u00adон\u00adных" in text  # broken where Russian allows, never «информационн / ых»
    assert hyphenated("Цель: 20") == "Цель: 20"  # short words untouched
