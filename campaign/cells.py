"""Vectorised reading of typed cells: dates, phones, ИНН, links, numbers, choices.

Each reader takes a Series of cleaned text ("" for empty) and returns the parsed values and a
boolean mask of the non-empty cells it could not read. Readers that depend only on the text
parse each distinct value once; readers of mostly distinct values (phones, ИНН, links,
numbers) use pandas string operations over the whole column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

from campaign.text import SPACE_CLASS, codes_of, distinct, drop_characters, label_key, map_distinct

# ------------------------------------------------------------------------------- dates

MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6,
    "июл": 7, "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "авг": 8, "сен": 9, "сент": 9,
    "окт": 10, "ноя": 11, "дек": 12,
}
_MONTH_WORD = re.compile(r"^(\d{1,2})\s+([а-яё]+)\.?\s+(\d{2,4})(?:\s*(?:г|года|г\.))?\.?$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME_TAIL = re.compile(r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)$")
_YEAR_WORD = re.compile(r"(?<=\d)\s*(?:г\.?|года?\.?)$|\.$")
_SERIAL = re.compile(r"^\d{5}(?:[.,]\d+)?$")
SPREADSHEET_EPOCH = date(1899, 12, 30)
_SERIAL_RANGE = (25569, 73051)  # 01.01.1970 .. 31.12.2099


def _month_number(word: str) -> int | None:
    word = word.lower().replace("ё", "е")
    for stem, number in sorted(MONTHS.items(), key=lambda item: -len(item[0])):
        if word.startswith(stem) and (stem != "ма" or word in ("мая", "май")):
            return number
    return None


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def parse_date(text: str) -> date | None:
    """One date as coordinators type it, or None. See sheet-template.md for the forms."""
    text = " ".join(text.split()).lower()
    if not text:
        return None
    if _SERIAL.match(text):
        serial = float(text.replace(",", "."))
        if _SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1]:
            return SPREADSHEET_EPOCH + timedelta(days=int(serial))
        return None
    text = _TIME_TAIL.sub("", text).strip()
    text = _YEAR_WORD.sub("", text).strip()
    try:
        if match := _NUMERIC_DATE.match(text):
            day, month, year = match.groups()
            return date(_year(year), int(month), int(day))
        if match := _ISO_DATE.match(text):
            year, month, day = match.groups()
            return date(int(year), int(month), int(day))
        if match := _MONTH_WORD.match(text):
            day, word, year = match.groups()
            month = _month_number(word)
            return date(_year(year), month, int(day)) if month else None
    except ValueError:  # 31.02.2022
        return None
    return None


def read_dates(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates as datetime64 (NaT where empty or unreadable), and the unreadable mask."""
    values = map_distinct(text, lambda value: parse_date(value) or "NaT", dtype="datetime64[s]")
    invalid = values.isna() & (text != "")
    return values, invalid


# ------------------------------------------------------------------------------- phones

_RU_NATIONAL = phonenumbers.PhoneMetadata.metadata_for_region("RU").general_desc.national_number_pattern
_EXTENSION = "(?:доб|доп|ext|вн)[.]?" + SPACE_CLASS + "*[0-9]+" + SPACE_CLASS + "*$"


def arrow_text(text: pd.Series) -> pa.Array:
    """The column as one pyarrow string array ("" for missing), for pyarrow compute kernels."""
    array = getattr(text.array, "_pa_array", None)
    if array is None:
        array = pa.array(text.fillna("").astype(object).tolist(), type=pa.large_string())
    else:
        array = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    return pc.fill_null(array, "")


def read_phones(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Phones as E.164 («+74162226510»); the mask marks cells that are no valid phone.

    Russian numbers in any usual notation are read in one pass over the column with pyarrow
    kernels. A cell that pass reads holds one number (a «,», «;», «/» or «доб.» would have left
    more than digits), so only the few cells it fails are looked at again: the first of several
    numbers, without an extension, and then phonenumbers' full parser (foreign numbers, odd
    notations).
    """
    cells = arrow_text(text)
    empty = pa.scalar("", cells.type)
    values, ok = _russian_e164(cells)
    rest = pc.and_(pc.invert(ok), pc.not_equal(cells, empty))
    if pc.any(rest).as_py():
        at = np.flatnonzero(rest.to_numpy(zero_copy_only=False))
        part = cells.take(at)
        several = pc.match_substring_regex(part, "[,;/]|доб|доп|ext|вн")
        cut = pc.replace_substring_regex(pc.replace_substring_regex(part, "[,;/].*$", ""), _EXTENSION, "")
        read, read_ok = _russian_e164(pc.if_else(several, cut, part))
        slow = pc.invert(read_ok)
        if pc.any(slow).as_py():
            slow_at = at[np.flatnonzero(slow.to_numpy(zero_copy_only=False))]
            read = pc.replace_with_mask(read, slow, arrow_text(map_distinct(text.iloc[slow_at], _parse_phone_slowly)))
        values = pc.replace_with_mask(values, rest, read)
    invalid = pc.and_(pc.equal(values, empty), pc.not_equal(cells, empty))
    return (pd.Series(pd.array(values, dtype="str"), index=text.index),
            pd.Series(invalid.to_numpy(zero_copy_only=False), index=text.index))


def _russian_e164(first: pa.Array) -> tuple[pa.Array, pa.Array]:
    """(E.164 or "", read) for cells of one Russian number in any usual notation."""
    empty = pa.scalar("", first.type)
    digits = drop_characters(first, " -()+.\u00a0")
    length = pc.utf8_length(digits)
    eleven = pc.and_(pc.equal(length, 11), pc.or_(pc.starts_with(digits, "7"), pc.starts_with(digits, "8")))
    national = pc.if_else(eleven, pc.utf8_slice_codeunits(digits, 1),
                          pc.if_else(pc.equal(length, 10), digits, empty))
    plus_other = pc.and_(pc.starts_with(first, "+"), pc.invert(pc.starts_with(first, "+7")))
    national = pc.if_else(plus_other, empty, national)
    ok = pc.match_substring_regex(national, "^(?:" + _RU_NATIONAL.replace("\\d", "[0-9]") + ")$")
    e164 = pc.binary_join_element_wise(pa.scalar("+7", first.type), national, empty)
    return pc.if_else(ok, e164, empty), ok


def _parse_phone_slowly(cell: str) -> str:
    try:
        number = phonenumbers.parse(cell, "RU")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """«+7 914 123-45-67» for display; a Russian landline by its city code, as the numbering plan
    and the fix hints write it: «+7 4162 57-11-34», not «+7 416 257-11-34»."""
    if not e164:
        return ""
    if e164.startswith("+7") and len(e164) == 12:
        from campaign.subjects import area_codes

        national = e164[2:]
        code = next((code for code in area_codes() if national.startswith(code)), None)
        if code is not None:
            local = national[len(code):]
            groups = {7: (3, 2, 2), 6: (2, 2, 2), 5: (1, 2, 2)}[len(local)]
            parts, start = [], 0
            for size in groups:
                parts.append(local[start:start + size])
                start += size
            return f"+7 {code} {'-'.join(parts)}"
    number = phonenumbers.parse(e164, None)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# ------------------------------------------------------------------------------- ИНН

_INN10_WEIGHTS = np.array([2, 4, 10, 3, 5, 9, 4, 6, 8])
_INN12_WEIGHTS_1 = np.array([7, 2, 4, 10, 3, 5, 9, 4, 6, 8])
_INN12_WEIGHTS_2 = np.array([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8])


def _digit_matrix(cells: pa.Array, width: int) -> np.ndarray:
    """Cells of `width` bytes each as a matrix of their byte values minus «0» (a digit where
    0..9), straight from the UTF-8 buffer."""
    offsets = np.frombuffer(cells.buffers()[1], dtype=np.int64, count=len(cells) + 1, offset=cells.offset * 8)
    data = np.frombuffer(cells.buffers()[2], dtype=np.uint8, count=width * len(cells), offset=int(offsets[0]))
    return data.reshape(-1, width).astype(np.int64) - 48


def _inn_valid(cells: pa.Array) -> np.ndarray:
    """Checksum of 10-digit (legal entity) and 12-digit (individual) ИНН, vectorised."""
    valid = np.zeros(len(cells), dtype=bool)
    lengths = pc.binary_length(cells).to_numpy(zero_copy_only=False)
    for width in (10, 12):
        rows = np.flatnonzero(lengths == width)  # bytes: a cell of digits has one per digit
        if not len(rows):
            continue
        d = _digit_matrix(cells.take(rows).cast(pa.large_string()), width)
        digits = ((d >= 0) & (d <= 9)).all(axis=1)
        if width == 10:
            check = (d[:, :9] @ _INN10_WEIGHTS) % 11 % 10 == d[:, 9]
        else:
            check = (((d[:, :10] @ _INN12_WEIGHTS_1) % 11 % 10 == d[:, 10])
                     & ((d[:, :11] @ _INN12_WEIGHTS_2) % 11 % 10 == d[:, 11]))
        valid[rows] = digits & check
    return valid


def inn_is_valid(values: pd.Series) -> pd.Series:
    """Checksum of 10-digit (legal entity) and 12-digit (individual) ИНН, vectorised."""
    return pd.Series(_inn_valid(arrow_text(values)), index=values.index)


def _inn_digits(text: pd.Series) -> pa.Array:
    # spaces, hyphens and invisible characters (zero-width spaces, direction marks, a BOM)
    return drop_characters(arrow_text(text), " \u00a0\u202f\u2009-\u200b\u200c\u200d\u200e\u200f\u2060\ufeff")


def inn_digits(text: pd.Series) -> pd.Series:
    """ИНН as typed, without the spaces and hyphens people put in it."""
    return pd.Series(pd.array(_inn_digits(text), dtype="str"), index=text.index)


def read_inns(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ИНН as 10 or 12 digits (spaces dropped); the mask marks a wrong length or checksum."""
    digits = _inn_digits(text)
    valid = _inn_valid(digits)
    values = pd.Series(pd.array(pc.if_else(valid, digits, pa.scalar("", digits.type)), dtype="str"), index=text.index)
    return values, pd.Series(~valid, index=text.index) & (text != "")


# ------------------------------------------------------------------------------- links

# A link holds no white space, control characters or invisible marks (a newline could smuggle
# «<script>» after a valid-looking address).
_NOT_IN_LINK = "\x00-\x20\x7f\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff"
_URL = f"(?i)https?://[^{_NOT_IN_LINK}/?#.][^{_NOT_IN_LINK}]*"
_BARE = f"(?i)(?:www[.])?[0-9a-zа-яё-]+(?:[.][0-9a-zа-яё-]+)*[.](?:[a-z]{{2,}}|рф)(?:[/?#][^{_NOT_IN_LINK}]*)?"


def read_links(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """http(s) links; a bare «vk.com/…» reads as https. Anything else is invalid."""
    cells = arrow_text(text)
    empty = pa.scalar("", cells.type)
    full = pc.match_substring_regex(cells, "^(?:" + _URL + ")$")
    # a name and password in a link («https://user:pass@…») is never a page to show, and
    # «https://www.gosuslugi.ru@evil.example» hides the real host after the «@»
    full = pc.and_(full, pc.invert(pc.match_substring_regex(cells, "^(?i)https?://[^/?#]*@")))
    values = pc.if_else(full, cells, empty)
    rest = pc.and_(pc.invert(full), pc.not_equal(cells, empty))  # only these may be bare
    if pc.any(rest).as_py():
        part = cells.take(np.flatnonzero(rest.to_numpy(zero_copy_only=False)))
        bare = pc.and_(pc.match_substring_regex(part, "^(?:" + _BARE + ")$"),
                       pc.invert(pc.match_substring_regex(part, "^(?i)https?://")))
        https = pc.binary_join_element_wise(pa.scalar("https://", cells.type), part, empty)
        values = pc.replace_with_mask(values, rest, pc.if_else(bare, https, empty))
    invalid = pc.and_(pc.equal(values, empty), pc.not_equal(cells, empty))
    return (pd.Series(pd.array(values, dtype="str"), index=text.index),
            pd.Series(invalid.to_numpy(zero_copy_only=False), index=text.index))


# ------------------------------------------------------------------------------- numbers

_APPROX = "^(?:~|≈|около|примерно|порядка|более|больше|свыше|не менее|до|от) ?"
_UNIT = " ?(?:чел(?:овек|овека)?[.]?|уч(?:астник(?:ов|а)?)?[.]?|просм(?:отров|[.])?|раз)$"


def read_numbers(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Non-negative whole numbers typed as text: «~300», «150 чел.», «1 200». Read once per
    distinct value: reach columns repeat the same few numbers."""
    codes, typed = distinct(text)
    stripped = (
        typed.str.lower()
        .str.replace(_APPROX, "", regex=True)
        .str.replace(_UNIT, "", regex=True)
        .str.replace("[ '\u00a0\u202f\u2009]", "", regex=True)  # thousands separators
        .str.replace("[.,]0+$", "", regex=True)
    )
    ok = stripped.str.fullmatch("[0-9]{1,12}").fillna(False).astype(bool).to_numpy()
    numbers = pd.to_numeric(stripped.where(ok), errors="coerce").astype("Int64")
    values = pd.Series(numbers.array.take(codes), index=text.index)
    return values, pd.Series(~ok[codes], index=text.index) & (text != "")


# ------------------------------------------------------------------------------- choices


@dataclass(frozen=True)
class Choice:
    value: str  # canonical, as the dashboard shows it
    variants: tuple[str, ...]  # accepted spellings; a trailing "*" means "starts with"


def choice_lookup(choices: tuple[Choice, ...]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    exact: dict[str, str] = {}
    prefixes: list[tuple[str, str]] = []
    for choice in choices:
        for variant in choice.variants:
            if variant.endswith("*"):
                prefixes.append((label_key(variant[:-1]), choice.value))
            else:
                exact.setdefault(label_key(variant), choice.value)
    prefixes.sort(key=lambda item: -len(item[0]))
    return exact, prefixes


def match_choice(cell: str, exact: dict[str, str], prefixes: list[tuple[str, str]]) -> str | None:
    key = label_key(cell)
    if key in exact:
        return exact[key]
    for prefix, value in prefixes:
        if key.startswith(prefix):
            return value
    return None


def read_choices(
    text: pd.Series, choices: tuple[Choice, ...], default: str | None
) -> tuple[pd.Series, pd.Series]:
    """Canonical choice values; empty cells take `default`; the mask marks unknown values."""
    exact, prefixes = choice_lookup(choices)
    categories = ["", *dict.fromkeys(choice.value for choice in choices)]
    position = {value: number for number, value in enumerate(categories)}
    codes, uniques = codes_of(text)
    matched = [match_choice(value, exact, prefixes) or "" for value in uniques]
    invalid_unique = np.array([not m and u != "" for m, u in zip(matched, uniques)], dtype=bool)
    if default is not None:
        matched = [default if u == "" else m for m, u in zip(matched, uniques)]
    category_codes = np.array([position[m] for m in matched], dtype="int16")
    values = pd.Categorical.from_codes(category_codes[codes], categories=categories)
    invalid = pd.Series(invalid_unique[codes] if len(codes) else [], index=text.index, dtype=bool)
    return pd.Series(values, index=text.index), invalid


# ------------------------------------------------------------------------------- e-mail

def read_emails(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    cells = arrow_text(text)
    empty = pa.scalar("", cells.type)
    ok = pc.match_substring_regex(cells, "^(?:[^@ ]+@[^@ ]+[.][^@ ]+)$")
    invalid = pc.and_(pc.invert(ok), pc.not_equal(cells, empty))
    return (pd.Series(pd.array(pc.if_else(ok, cells, empty), dtype="str"), index=text.index),
            pd.Series(invalid.to_numpy(zero_copy_only=False), index=text.index))

