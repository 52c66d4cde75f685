"""Russian words and numbers as officials expect them: plurals, «1 200», «15.02.2022»."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.plural import PluralRule

_RU = Locale.parse("ru")
_PLURAL: PluralRule = _RU.plural_form  # CLDR rules: one, few, many, other


SOFT_HYPHEN = "\u00ad"
_LONG_WORD = re.compile(r"[А-Яа-яЁё]{10,}")


@lru_cache(maxsize=1)
def _hyphenation():
    import pyphen

    return pyphen.Pyphen(lang="ru_RU", left=3, right=3)


def hyphenated(text: str) -> str:
    """`text` with soft hyphens in its long Russian words, for a narrow column (a card, a form's
    table): the browser and Word break «информа-ционных» by the rules, not «информационн / ых» where
    the line ends. Invisible, and a copy of the text has no hyphens."""
    return _LONG_WORD.sub(lambda word: _hyphenation().inserted(word.group(), hyphen=SOFT_HYPHEN), text)


def capitalised(text: str) -> str:
    """The first letter in upper case, the rest as it is («ТВ» stays «ТВ»)."""
    return text[:1].upper() + text[1:]


def quoted(text: str) -> str:
    """«Социальный проект „Заступник“»: in quotes, with quotes inside turned into „…“ as Russian
    typography nests them; a text already wholly in «…» is left as it is."""
    if text.startswith("«") and text.endswith("»") and text.count("«") == 1:
        return text
    return "«" + text.replace("«", "„").replace("»", "“") + "»"


def plural(number: float, forms: tuple[str, str, str] | list[str]) -> str:
    """The form of a noun for `number`: (организация, организации, организаций)."""
    category = _PLURAL(abs(int(number))) if float(number).is_integer() else "other"
    one, few, many = forms
    return {"one": one, "few": few, "many": many}.get(category, few)


def number(value: float | int) -> str:
    """«1 200», «12 345 678»; fractions with a comma: «2,5»."""
    if isinstance(value, float) and not value.is_integer():
        whole = f"{value:,.1f}".replace(",", "\u00a0").replace(".", ",")
        return whole
    return f"{int(value):,}".replace(",", "\u00a0")


def decimal(value: float) -> str:
    """«1,3»: one decimal with a comma, «2» when whole after rounding."""
    rounded = round(value, 1)
    return number(int(rounded)) if float(rounded).is_integer() else number(rounded)


def percent(share: float) -> str:
    """«72 %», a whole percent with a non-breaking space; «99 %» until it is really all."""
    whole = int(share * 100 + 0.5)
    if whole == 100 and share < 1:
        whole = 99
    return f"{whole}\u00a0%"


def out_of(value: float | int, total: float | int | None, *, with_share: bool = False) -> str:
    """«3 из 5», with the share «3 из 5 (60 %)»; «3» when there is no total."""
    if total is None:
        return number(value)
    text = f"{number(value)} из {number(total)}"
    return f"{text} ({percent(value / total)})" if with_share and total else text


def out_of_range(value: float | int, low: float | int | None, high: float | int | None = None) -> str:
    """«54 из 20» against a target of at least 20; «4 из 3–5» against a range; «4» with no target."""
    if high is not None and low is not None and high != low:
        return f"{number(value)} из {number(low)}–{number(high)}"
    return out_of(value, low)


def count(value: float | int, forms: tuple[str, str, str] | list[str]) -> str:
    """«1 организация», «2 организации», «1 200 организаций»."""
    return f"{number(value)} {plural(value, forms)}"


ERROR_FORMS = ("ошибка", "ошибки", "ошибок")
WARNING_FORMS = ("предупреждение", "предупреждения", "предупреждений")


def problems_count(errors: int, warnings: int) -> str:
    """«3 ошибки, 1 предупреждение», «2 предупреждения», «нет»."""
    parts = [count(errors, ERROR_FORMS)] if errors else []
    if warnings:
        parts.append(count(warnings, WARNING_FORMS))
    return ", ".join(parts) or "нет"


DAY_FORMAT = "%d.%m.%Y"  # «15.02.2022»: the one way a day is written (strftime, pandas' .dt, d3)
MOMENT_FORMAT = "%d.%m.%Y %H:%M"  # «15.02.2022 14:05»


def day(value: date | datetime) -> str:
    return value.strftime(DAY_FORMAT)


def moment(value: datetime) -> str:
    return value.strftime(MOMENT_FORMAT)


def clock_time(value: datetime) -> str:
    """«14:05»: a time of day (of today, said without its date)."""
    return value.strftime("%H:%M")


def utc_offset(value: datetime) -> str:
    """«UTC+9», «UTC+5:30», «UTC» of an aware moment."""
    offset = value.utcoffset()
    if offset is None or not offset:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign, minutes = ("+" if minutes > 0 else "−"), abs(minutes)
    return f"UTC{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")


def day_month(value: date) -> str:
    """«15 февраля»."""
    return _babel_date(value, "d MMMM", locale=_RU)


def day_span(first: date, last: date) -> str:
    """«15 февраля», «9–10 марта», «28 февраля – 2 марта»."""
    if first == last:
        return day_month(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{day_month(last)}"
    return f"{day_month(first)} – {day_month(last)}"


DAY_FORMS = ("день", "дня", "дней")
MUNICIPALITY_FORMS = ("муниципальное образование", "муниципальных образования", "муниципальных образований")
REGION_FORMS = ("регион", "региона", "регионов")
ROW_FORMS = ("строка", "строки", "строк")
CELL_FORMS = ("ячейка", "ячейки", "ячеек")
FILE_FORMS = ("файл", "файла", "файлов")
SUBJECT_FORMS = ("субъект Российской Федерации", "субъекта Российской Федерации", "субъектов Российской Федерации")


def days_left(days: int) -> str:
    """«через 3 дня», «сегодня», «прошёл 2 дня назад»."""
    if days == 0:
        return "сегодня"
    if days > 0:
        return f"через {count(days, DAY_FORMS)}"
    return f"{count(-days, DAY_FORMS)} назад"


# The d3 locale for Vega-Lite charts (browser and vl-convert alike): «1 200», «8 фев».
D3_LOCALE = {
    "number": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0₽"]},
    "time": {
        "dateTime": "%A, %e %B %Y г. %X",
        "date": DAY_FORMAT,
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"],
        "shortDays": ["вс", "пн", "вт", "ср", "чт", "пт", "сб"],
        "months": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                   "сентября", "октября", "ноября", "декабря"],
        "shortMonths": ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"],
    },
}


def file_name(*parts: str, extension: str) -> str:
    """«итоги-акции-Амурская-область-г-Тында-2022-02-22.docx»: words joined by hyphens, without the
    characters a file system or a mail client stumbles on."""
    words = []
    for part in parts:
        for word in re.split(r"[\s./\\:«»\"'()]+", part):
            if word.strip("-"):
                words.append(word.strip("-"))
    return "-".join(words) + "." + extension.lstrip(".")


# Feminine nouns ending in «ь» (the rest of «ь»-nouns in our units are masculine).
_FEMININE_SOFT = {"запись", "площадь", "часть", "область", "новость", "деятельность"}


def one(noun: str) -> str:
    """«одна организация», «одно мероприятие», «один конкурс» (the gender from the last word)."""
    last = noun.split()[-1].lower()
    if last.endswith(("а", "я")) or last in _FEMININE_SOFT:
        return f"одна {noun}"
    if last.endswith(("о", "е", "ё", "ю")):
        return f"одно {noun}"
    return f"один {noun}"
