"""The bundled demos' figures, in one place: what a user must see, and how each is recounted.

Every test that asserts a demo's figure (a card, the CLI's JSON, the form, the slide, a page in
Chromium) takes it from here. The figures are not taken from the pipeline:
`independent_amur_counts` and `independent_zastupnik_counts` recount them from the workbooks
with openpyxl, plain Python and the counting rules of the README (hand-written tables of the
spellings each demo uses), and tests/integration/test_demo_figures.py checks that the recounts
give these numbers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from openpyxl import load_workbook

REPO = Path(__file__).resolve().parents[1]
NBSP = "\u00a0"


def thousands(number: int) -> str:
    """37285 -> «37 285» (a non-breaking space), written here apart from the app's formatter."""
    return f"{number:,}".replace(",", NBSP)


# ================================================================ #МояХартия, Amur Oblast, 22.02.2022

AMUR_XLSX = REPO / "data" / "demo" / "amur-2022.xlsx"
INFO, CONF, INTERVIEW, CONTEST, OTHER = (
    "информационная кампания",
    "конференция",
    "интервью / выступление на радио или ТВ",
    "конкурс видеороликов",
    "иное мероприятие",
)
AMUR_JOINED = 54  # 53 in municipalities + row 27 («Благовещенский городской район»)
AMUR_EVENTS = {INFO: 4, CONF: 1, INTERVIEW: 8, CONTEST: 2, OTHER: 19}
AMUR_EVENTS_TOTAL = sum(AMUR_EVENTS.values())  # 34
AMUR_REACH = 37285  # counted events only: the «флешмоб» row (900) is not an event of a known kind
BLAGOVESHCHENSK = {  # г. Благовещенск
    "organisations_joined": 16,
    "organisations_applied": 4,
    "events_total": 11,
    "interviews": 3,
    "reach": 28872,
    "contest_entries": 7,
    "contest_winners": 1,
    "quota": 12,
}
AMUR_MUNICIPALITIES = 29  # of Amur Oblast in the geodata
AMUR_SILENT = {  # municipalities with no row in Организации, Мероприятия or Конкурс
    "городской округ Прогресс", "Архаринский район", "Бурейский район", "Константиновский район",
    "Магдагачинский район", "Мазановский район", "Михайловский район", "Ромненский район",
    "Свободненский район", "Селемджинский район", "Тындинский район", "Шимановский район",
}

# Every municipality spelling in the Amur demo's report tabs -> the registry's name (None: no
# such municipality). Written by hand from the workbook, independent of the registry.
AMUR_MUNICIPALITY = {
    "г. Благовещенск": "г. Благовещенск", "ГО г. Благовещенск": "г. Благовещенск",
    "Благовещенск": "г. Благовещенск", "город Благовещенск": "г. Благовещенск",
    "г. Тында": "г. Тында", "Тында": "г. Тында",
    "г. Белогорск": "г. Белогорск", "Белогорск": "г. Белогорск",
    "г. Свободный": "г. Свободный", "город Свободный": "г. Свободный",
    "г. Зея": "г. Зея", "г. Райчихинск": "г. Райчихинск", "г. Шимановск": "г. Шимановск",
    "ЗАТО Циолковский": "ЗАТО Циолковский",
    "Ивановский муниципальный округ": "Ивановский район", "Ивановский район": "Ивановский район",
    "Белогорский муниципальный округ": "Белогорский район",
    "Благовещенский р-н": "Благовещенский район",
    "Зейский МО": "Зейский район",
    "Завитинский муниципальный округ": "Завитинский район",
    "Тамбовский район": "Тамбовский район", "Октябрьский район": "Октябрьский район",
    "Серышевский район": "Серышевский район", "Сковородинский район": "Сковородинский район",
    "Благовещенский городской район": None,
}
# Every event kind spelling in the Amur demo -> one of the five kinds («флешмоб»: none).
AMUR_KIND = {
    "информационная кампания": INFO, "конференция": CONF,
    "интервью / выступление на радио или тв": INTERVIEW, "интервью": INTERVIEW,
    "выступление на радио": INTERVIEW, "выступление на тв": INTERVIEW,
    "конкурс видеороликов": CONTEST, "конкурс": CONTEST,
    "иное мероприятие": OTHER, "родительское собрание": OTHER, "мастер-класс": OTHER,
    "круглый стол": OTHER, "флешмоб": None,
}
JOINED_STATUSES = {"", "меморандум подписан", "в реестре альянса"}


def _text(value: object) -> str:
    return "" if value is None else " ".join(str(value).replace(NBSP, " ").split())


def _number(value: object) -> int:
    if isinstance(value, int):
        return value
    digits = re.sub(r"\D", "", _text(value))
    return int(digits) if digits and re.fullmatch(r"~?[\d ]+( чел\.)?", _text(value)) else 0


def _rows(sheet) -> list[tuple[int, dict[str, object]]]:
    values = list(sheet.iter_rows(values_only=True))
    header = [_text(h) for h in values[0]]
    return [(number, dict(zip(header, row))) for number, row in enumerate(values[1:], start=2)
            if any(_text(v) for v in row)]


def _bump(counts: dict, key, by: int = 1) -> None:
    counts[key] = counts.get(key, 0) + by


def independent_amur_counts() -> dict:
    """The Amur demo's numbers counted with openpyxl and plain Python."""
    book = load_workbook(AMUR_XLSX, read_only=True)
    joined: dict[str | None, int] = {}
    applied: dict[str | None, int] = {}
    seen_inn: set[str] = set()
    seen_name: set[tuple[str, str]] = set()
    rows_by_mo: dict[str | None, int] = {}
    for _, row in _rows(book["Организации"]):
        raw_mo = _text(row["Муниципальное образование"])
        mo = AMUR_MUNICIPALITY[raw_mo]
        _bump(rows_by_mo, mo)
        name = re.sub(r"[\s«»\"]", "", _text(row["Наименование организации"]).lower())
        inn = _text(row["ИНН"])
        status = _text(row["Статус"]).lower()
        if not name or (inn and inn in seen_inn) or (raw_mo, name) in seen_name:
            continue
        if inn:
            seen_inn.add(inn)
        seen_name.add((raw_mo, name))
        if status in JOINED_STATUSES:
            _bump(joined, mo)
        elif status == "заявка подана":
            _bump(applied, mo)
    events = {kind: 0 for kind in AMUR_EVENTS}
    events_by_mo: dict[str | None, int] = {}
    reach_by_mo: dict[str | None, int] = {}
    for _, row in _rows(book["Мероприятия"]):
        mo = AMUR_MUNICIPALITY[_text(row["Муниципальное образование"])]
        _bump(rows_by_mo, mo)
        kind = AMUR_KIND[_text(row["Вид мероприятия"]).lower()]
        if kind is None:
            continue
        events[kind] += 1
        _bump(events_by_mo, mo)
        _bump(reach_by_mo, mo, _number(row["Охват, чел."]))
    entries: dict[str | None, int] = {}
    winners: dict[str | None, int] = {}
    for _, row in _rows(book["Конкурс"]):
        mo = AMUR_MUNICIPALITY[_text(row["Муниципальное образование"])]
        _bump(rows_by_mo, mo)
        _bump(entries, mo)
        if _text(row["Итог"]) == "победитель":
            _bump(winners, mo)
    quotas = {_text(row["Муниципальное образование"]): row["Цель: организаций"] for _, row in _rows(book["Цели"])}
    book.close()
    with (REPO / "data" / "geo" / "municipalities" / "RU-AMU.geojson").open(encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    return {
        "municipalities": len(features),
        "silent": len(features) - len(set(rows_by_mo) - {None}),
        "joined": joined, "applied": applied, "events": events, "events_by_mo": events_by_mo,
        "reach_by_mo": reach_by_mo, "entries": entries, "winners": winners, "rows_by_mo": rows_by_mo,
        "quotas": quotas,
    }


# ================================================================ «Заступник», Irkutsk Oblast, 03.06.2024

ZASTUPNIK_XLSX = REPO / "data" / "demo" / "irkutsk-zastupnik-2024.xlsx"
ZASTUPNIK = {  # organisations counted once each (the same school twice counts at its first row)
    "organisations_total": 165,
    "responsible_appointed": 119,
    "banner_placed": 91,
    "chat_joined": 74,
    "all_done": 57,
}
ZASTUPNIK_MUNICIPALITIES = 42  # of Irkutsk Oblast in the geodata
ZASTUPNIK_SILENT = 5  # municipalities with no row at all

# The yes/no spellings the «Заступник» demo uses (README: «+», «есть», any case); «в процессе»
# is neither and counts as no.
ZASTUPNIK_YES = {"да", "+", "есть", "вступил"}
ZASTUPNIK_NO_MUNICIPALITY = {"Иркутский городской район"}  # neither г. Иркутск nor Иркутский район


def independent_zastupnik_counts() -> dict:
    """The «Заступник» demo's numbers counted with openpyxl and plain Python."""
    book = load_workbook(ZASTUPNIK_XLSX, read_only=True)
    counts = {metric: 0 for metric in ZASTUPNIK}
    seen_inn: set[str] = set()
    seen_name: set[tuple[str, str]] = set()
    municipalities: set[str] = set()
    for _, row in _rows(book["Образовательные организации"]):
        raw_mo = _text(row["Муниципальное образование"])
        if raw_mo and raw_mo not in ZASTUPNIK_NO_MUNICIPALITY:
            municipalities.add(raw_mo)
        name = re.sub(r"[\s«»\"]", "", _text(row["Наименование организации"]).lower())
        inn = _text(row["ИНН"])
        if not name or (inn and inn in seen_inn) or (raw_mo, name) in seen_name:
            continue
        if inn:
            seen_inn.add(inn)
        seen_name.add((raw_mo, name))
        responsible = bool(_text(row["ФИО ответственного"]))
        banner = _text(row["Баннер размещён"]).lower() in ZASTUPNIK_YES
        chat = _text(row["Вступил в рабочий чат"]).lower() in ZASTUPNIK_YES
        counts["organisations_total"] += 1
        counts["responsible_appointed"] += responsible
        counts["banner_placed"] += banner
        counts["chat_joined"] += chat
        counts["all_done"] += responsible and banner and chat
    book.close()
    with (REPO / "data" / "geo" / "municipalities" / "RU-IRK.geojson").open(encoding="utf-8") as handle:
        in_region = len(json.load(handle)["features"])
    return {**counts, "municipalities": in_region, "silent": in_region - len(municipalities)}
