#!/usr/bin/env python3
"""Write the demo workbooks for the #МояХартия dashboard.

Two fictional but plausible snapshots of the shared Google Sheet (see
/work/shared/sheet-template.md), both "as of" 22.02.2022, half-way through the
campaign window 08.02.2022 – 08.03.2022:

* ``data/demo/amur-2022.xlsx``     – Amur Oblast (RU-AMU), canonical column names;
* ``data/demo/primorye-2022.xlsx`` – Primorsky Krai (RU-PRI), smaller, several column
  names written with the aliases the template allows.

Every organisation, person, phone, e-mail, INN and link is invented. The data is
generated from hand-written rows plus ``random.Random(SEED)`` for contact details,
so running the script twice gives byte-identical files (the workbook's created and
modified properties and the zip entries' timestamps are fixed).

The sheets contain deliberate mistakes, so that the dashboard's problem report has
something to show. They are listed in ``DELIBERATE_MISTAKES`` below (file, tab,
row number as the sheet shows it, column header as the sheet shows it, what is
wrong); the script checks that the list matches the rows it writes.

Deliberate mistakes (same as DELIBERATE_MISTAKES; tab, row as the sheet shows it,
column header as the sheet shows it, what is wrong):

amur-2022.xlsx
  Организации  row 27  Муниципальное образование    unknown municipality «Благовещенский городской район» (no such unit: it is either the city or Благовещенский район)
  Организации  row 29  Дата присоединения           invalid date «31.02.2022»
  Организации  row 31  Дата присоединения           date «15.01.2022» is outside the campaign window 08.02.2022–08.03.2022
  Организации  row 40  Ссылка на меморандум         memorandum link is not a link: «см. сайт школы»
  Организации  row 41  ИНН                          duplicate organisation: same ИНН as row 3 (МОБУ «СОШ № 5 г. Благовещенска»)
  Организации  row 43  Муниципальное образование    leading/trailing spaces and a non-breaking space around «г. Тында» (must still resolve to Тында)
  Организации  row 52  Наименование организации     organisation name missing (other cells filled)
  Организации  row 56  —                            blank row in the middle of the tab (must be skipped silently)
  Организации  row 58  Наименование организации     duplicate organisation: same name as row 36 in the same municipality (differs only in spaces; no ИНН)
  Организации  row 62  ИНН                          ИНН with a wrong check digit
  Мероприятия  row 20  Вид мероприятия              unknown event kind «флешмоб» (not one of the five kinds; not an obvious variant)
  Мероприятия  row 25  Охват, чел.                  reach «много» is not a number
  Конкурс      row 9   Площадка                     unknown platform «Instagram» (contest is on TikTok, VK Клипы or Yappy)

primorye-2022.xlsx
  Организации  row 7   Муниципалитет                ambiguous municipality «Партизанский»: both Партизанский городской округ and Партизанский район exist
  Организации  row 10  Статус                       unknown status «в работе»
  Организации  row 12  Контактный телефон           invalid phone «12-34»
  Организации  row 13  Организация                  formula-like text =HYPERLINK(…) typed in the name (stored as a string; must never be rendered or exported as a formula)
  Мероприятия  row 6   Ссылка на публикацию         link is not http(s): «javascript:alert(1)»
  Конкурс      row 5   Ссылка                       required video link missing

Usage::

    python scripts/make_demo.py                  # writes both files into data/demo/
    python scripts/make_demo.py --out-dir DIR    # writes them into DIR
    python scripts/make_demo.py --list-mistakes  # prints the table and exits
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # the project: its campaign files
from demo_people import fake_fio, fake_phone, reproducible_xlsx
from make_demo_zastupnik import write_zastupnik

from campaign.spec import load_campaign

SEED = 20220208
# the day the workbooks show and the campaign's window, from the campaign files
AMUR, PRIMORYE = load_campaign("amur-2022"), load_campaign("primorye-2022")
assert AMUR.demo_as_of == PRIMORYE.demo_as_of, "one script writes both demos of one day"
AS_OF = AMUR.demo_as_of
WINDOW = (AMUR.start, AMUR.end)
FIXED_TIME = dt.datetime.combine(AS_OF, dt.time(18))

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "data" / "demo"
GEO_CSV = REPO / "data" / "geo" / "municipalities.csv"

NBSP = "\u00a0"

# Column keys -> canonical header (sheet-template.md). Each file maps keys to the
# header text it actually uses.
ORG_COLS = ["mo", "name", "inn", "type", "date", "status", "fio", "pos", "phone", "email", "memo"]
EVENT_COLS = ["mo", "kind", "title", "date", "link", "reach"]
CONTEST_COLS = ["mo", "who", "platform", "link", "result"]
GOAL_COLS = ["mo", "goal"]

CANONICAL = {
    "Организации": {
        "mo": "Муниципальное образование",
        "name": "Наименование организации",
        "inn": "ИНН",
        "type": "Тип организации",
        "date": "Дата присоединения",
        "status": "Статус",
        "fio": "ФИО контактного лица",
        "pos": "Должность",
        "phone": "Телефон",
        "email": "Email",
        "memo": "Ссылка на меморандум",
    },
    "Мероприятия": {
        "mo": "Муниципальное образование",
        "kind": "Вид мероприятия",
        "title": "Название",
        "date": "Дата",
        "link": "Ссылка",
        "reach": "Охват, чел.",
    },
    "Конкурс": {
        "mo": "Муниципальное образование",
        "who": "Участник",
        "platform": "Площадка",
        "link": "Ссылка на видеоролик",
        "result": "Итог",
    },
    "Цели": {"mo": "Муниципальное образование", "goal": "Цель: организаций"},
}

# Primorye uses some of the aliases the template lists, to exercise tolerant reading.
PRIMORYE_HEADERS = {
    "Организации": {
        **CANONICAL["Организации"],
        "mo": "Муниципалитет",
        "name": "Организация",
        "type": "Тип",
        "date": "Дата подписания меморандума",
        "fio": "Контактное лицо (ФИО)",
        "phone": "Контактный телефон",
        "email": "E-mail",
    },
    "Мероприятия": {
        **CANONICAL["Мероприятия"],
        "mo": "МО",
        "title": "Тема",
        "date": "Дата проведения",
        "link": "Ссылка на публикацию",
        "reach": "Охват",
    },
    "Конкурс": {
        **CANONICAL["Конкурс"],
        "mo": "Район / округ",
        "who": "ФИО участника",
        "platform": "Соцсеть",
        "link": "Ссылка",
        "result": "Результат",
    },
}

WIDTHS = {
    "mo": 30, "name": 58, "inn": 13, "type": 28, "date": 16, "status": 22, "fio": 34,
    "pos": 34, "phone": 20, "email": 28, "memo": 46, "kind": 34, "title": 70, "link": 48,
    "reach": 12, "who": 34, "platform": 14, "result": 14, "goal": 18,
}

# --------------------------------------------------------------------------------------
# Deliberate mistakes. (file, tab, sheet row, column header as in the sheet, what).
# Checked against the rows the script writes (see _check_mistakes).
# --------------------------------------------------------------------------------------
DELIBERATE_MISTAKES: tuple[tuple[str, str, int, str, str], ...] = (
    ('amur-2022.xlsx', 'Организации', 27, 'Муниципальное образование', 'unknown municipality «Благовещенский городской район» (no such unit: it is either the city or Благовещенский район)'),
    ('amur-2022.xlsx', 'Организации', 29, 'Дата присоединения', 'invalid date «31.02.2022»'),
    ('amur-2022.xlsx', 'Организации', 31, 'Дата присоединения', 'date «15.01.2022» is outside the campaign window 08.02.2022–08.03.2022'),
    ('amur-2022.xlsx', 'Организации', 40, 'Ссылка на меморандум', 'memorandum link is not a link: «см. сайт школы»'),
    ('amur-2022.xlsx', 'Организации', 41, 'ИНН', 'duplicate organisation: same ИНН as row 3 (МОБУ «СОШ № 5 г. Благовещенска»)'),
    ('amur-2022.xlsx', 'Организации', 43, 'Муниципальное образование', 'leading/trailing spaces and a non-breaking space around «г. Тында» (must still resolve to Тында)'),
    ('amur-2022.xlsx', 'Организации', 52, 'Наименование организации', 'organisation name missing (other cells filled)'),
    ('amur-2022.xlsx', 'Организации', 56, '—', 'blank row in the middle of the tab (must be skipped silently)'),
    ('amur-2022.xlsx', 'Организации', 58, 'Наименование организации', 'duplicate organisation: same name as row 36 in the same municipality (differs only in spaces; no ИНН)'),
    ('amur-2022.xlsx', 'Организации', 62, 'ИНН', 'ИНН with a wrong check digit'),
    ('amur-2022.xlsx', 'Мероприятия', 20, 'Вид мероприятия', 'unknown event kind «флешмоб» (not one of the five kinds; not an obvious variant)'),
    ('amur-2022.xlsx', 'Мероприятия', 25, 'Охват, чел.', 'reach «много» is not a number'),
    ('amur-2022.xlsx', 'Конкурс', 9, 'Площадка', 'unknown platform «Instagram» (contest is on TikTok, VK Клипы or Yappy)'),
    ('primorye-2022.xlsx', 'Организации', 7, 'Муниципалитет', 'ambiguous municipality «Партизанский»: both Партизанский городской округ and Партизанский район exist'),
    ('primorye-2022.xlsx', 'Организации', 10, 'Статус', 'unknown status «в работе»'),
    ('primorye-2022.xlsx', 'Организации', 12, 'Контактный телефон', 'invalid phone «12-34»'),
    ('primorye-2022.xlsx', 'Организации', 13, 'Организация', 'formula-like text =HYPERLINK(…) typed in the name (stored as a string; must never be rendered or exported as a formula)'),
    ('primorye-2022.xlsx', 'Мероприятия', 6, 'Ссылка на публикацию', 'link is not http(s): «javascript:alert(1)»'),
    ('primorye-2022.xlsx', 'Конкурс', 5, 'Ссылка', 'required video link missing'),
)

# Notes on things that are *variants*, not mistakes (the reader must accept them):
# mixed municipality spellings («г. Благовещенск», «ГО г. Благовещенск», «Зейский МО»,
# «ЗАТО Циолковский» = ЗАТО Углегорск); dates as text «15.02.2022», «2022-02-16»,
# «17.02.22», «18 февраля 2022» (the last one is not among the template's formats, a
# strict reader may flag it) and one Google/Excel serial number; INNs typed as numbers;
# phones in mixed formats; reach «~150», «150 чел.», «1 200», «1 200» with NBSP; bare
# «vk.com/…» links without a scheme; event kinds «интервью», «выступление на радио»,
# «круглый стол», «конкурс» …; platforms «Тик Ток», «ВК клипы».

# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)


def inn10_checksum(first9: str) -> int:
    return sum(w * int(d) for w, d in zip(_INN10_WEIGHTS, first9)) % 11 % 10


def inn10_is_valid(inn: str) -> bool:
    return len(inn) == 10 and inn.isdigit() and inn10_checksum(inn[:9]) == int(inn[9])


def d(day: int, month: int = 2) -> dt.date:
    """A date of 2022 (February by default)."""
    return dt.date(2022, month, day)


def excel_serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days


EDU, NKO, SMI, BIZ, GOV, OTHER = (
    "образовательная организация",
    "НКО",
    "СМИ",
    "коммерческая организация",
    "орган власти",
    "иное",
)
SIGNED, REGISTRY, APPLIED = "меморандум подписан", "в реестре Альянса", "заявка подана"
JOINED_STATUSES = {"", "меморандум подписан", "в реестре альянса"}


@dataclass
class Row:
    """One data row. ``key`` is the municipality it really means (geodata name_ru) or
    None when it deliberately resolves to nothing; ``mistake`` is (column key, what)."""

    values: dict
    key: str | None = None
    mistake: tuple[str, str] | None = None
    blank: bool = False


@dataclass
class Region:
    file: str
    iso: str
    inn_prefix: dict  # municipality key -> 4-digit INN prefix (region + tax office)
    phone_code: dict  # municipality key -> landline code
    mobile: tuple
    headers: dict
    tabs: dict = field(default_factory=dict)  # tab -> list[Row]


EMAIL_PREFIX = {NKO: ["ano", "info", "centr"], SMI: ["redakciya", "news", "gazeta"],
                BIZ: ["info", "office", "hello"], GOV: ["obr", "uo", "otdel.obr"],
                OTHER: ["lib", "cbs", "bibl"]}
EMAIL_DOMAIN = ["mail.ru", "mail.ru", "yandex.ru", "bk.ru", "list.ru", "inbox.ru", "rambler.ru"]


def _edu_prefixes(name: str) -> list[str]:
    low = name.lower()
    if "сад" in low or "дс " in low or "доу" in low:
        return ["ds", "detsad", "sad"]
    if "гимназ" in low:
        return ["gimn", "gymnasium"]
    if "лицей" in low:
        return ["licey", "lyceum"]
    if "колледж" in low or "институт" in low or "университет" in low:
        return ["info", "priem", "vr"]
    return ["school", "sosh", "mobu", "shkola"]


def fake_email(rng: random.Random, kind: str, name: str = "") -> str:
    prefixes = _edu_prefixes(name) if kind == EDU else EMAIL_PREFIX.get(kind, ["info"])
    number = re.search(r"№\s*(\d+)", name)
    suffix = number.group(1) if number and rng.random() < 0.7 else str(rng.randint(1, 99))
    sep = rng.choice(["", "", "_", "."])
    return f"{rng.choice(prefixes)}{sep}{suffix}@{rng.choice(EMAIL_DOMAIN)}"


_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def fake_memo_link(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.45:
        return ""
    if r < 0.7:
        return "https://disk.yandex.ru/i/" + "".join(rng.choice(_ALNUM) for _ in range(14))
    return ("https://drive.google.com/file/d/1" + "".join(rng.choice(_ALNUM) for _ in range(32))
            + "/view?usp=sharing")


class InnMaker:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def valid(self, prefix: str) -> str:
        while True:
            first9 = prefix + "".join(str(self.rng.randint(0, 9)) for _ in range(5))
            inn = first9 + str(inn10_checksum(first9))
            if inn not in self.used:
                self.used.add(inn)
                return inn

    def bad(self, prefix: str) -> str:
        inn = self.valid(prefix)
        return inn[:9] + str((int(inn[9]) + 3) % 10)


# --------------------------------------------------------------------------------------
# Amur Oblast
# --------------------------------------------------------------------------------------

BLG, BLGR, TYN, SVB, ZEA, RCH, SHM, UGL, PRG = (
    "Благовещенск", "Белогорск", "Тында", "Свободный", "Зея", "Райчихинск", "Шимановск",
    "ЗАТО Углегорск", "Прогресс",
)
AMU_INN = {
    BLG: "2801", BLGR: "2804", TYN: "2808", SVB: "2807", ZEA: "2815", RCH: "2813", SHM: "2809",
    UGL: "2829", "Ивановский район": "2816", "Белогорский район": "2811",
    "Тамбовский район": "2827", "Благовещенский район": "2812", "Зейский район": "2815",
    "Серышевский район": "2825", "Октябрьский район": "2822", "Сковородинский район": "2826",
    "Завитинский район": "2814",
}
AMU_PHONE = {
    BLG: "4162", BLGR: "41641", TYN: "41656", SVB: "41643", ZEA: "41658", RCH: "41647",
    SHM: "41651", UGL: "41643", "Ивановский район": "41649", "Белогорский район": "41641",
    "Тамбовский район": "41638", "Благовещенский район": "4162", "Зейский район": "41658",
    "Серышевский район": "41642", "Октябрьский район": "41652",
    "Сковородинский район": "41654", "Завитинский район": "41636",
}


def amur_orgs() -> list[Row]:
    """Hand-written rows; ФИО, ИНН, phone, e-mail and memorandum link are filled in later."""
    R = Row
    IV, BR, TB, BLR = "Ивановский район", "Белогорский район", "Тамбовский район", "Благовещенский район"
    rows = [
        R(dict(mo="ГО г. Благовещенск", name="Управление образования администрации г. Благовещенска",
               type=GOV, date=d(8), status=REGISTRY, pos="начальник управления"), BLG),
        R(dict(mo="г. Благовещенск", name="МОБУ «СОШ № 5 г. Благовещенска»", type=EDU, date=d(9),
               status=SIGNED, pos="директор", inn="@new"), BLG),
        R(dict(mo="г. Благовещенск", name="МАОУ «Гимназия № 25 г. Благовещенска»", type=EDU, date=d(9),
               status=REGISTRY, pos="директор"), BLG),
        R(dict(mo="г. Тында", name="Управление образования администрации г. Тынды", type=GOV, date=d(9),
               status=REGISTRY, pos="начальник управления"), TYN),
        R(dict(mo="г. Белогорск", name="МКУ «Комитет по образованию и делам молодёжи Администрации г. Белогорск»",
               type=GOV, date=d(9), status="", pos="председатель комитета"), BLGR),
        R(dict(mo="Благовещенск", name="МАОУ «Алексеевская гимназия г. Благовещенска»", type=EDU,
               date=d(10), status="", pos="заместитель директора по ВР"), BLG),
        R(dict(mo="город Благовещенск", name="МДОАУ детский сад № 47 г. Благовещенска", type=EDU,
               date=d(10), status="", pos="заведующий"), BLG),
        R(dict(mo="г. Благовещенск", name="ГАУ АО «Редакция газеты «Амурская правда»»", type=SMI,
               date=d(10), status=REGISTRY, pos="главный редактор"), BLG),
        R(dict(mo="г. Свободный", name="Управление по образованию и науке администрации г. Свободного",
               type=GOV, date=d(10), status=SIGNED, pos="начальник управления"), SVB),
        R(dict(mo="Ивановский муниципальный округ",
               name="Отдел образования администрации Ивановского муниципального округа", type=GOV,
               date=d(10), status="", pos="начальник отдела"), IV),
        R(dict(mo="г. Благовещенск", name="МАОУ «Лицей № 11 г. Благовещенска»", type=EDU, date=d(11),
               status=REGISTRY, pos="директор"), BLG),
        R(dict(mo="г. Благовещенск", name="МБУК «Централизованная библиотечная система г. Благовещенска»",
               type=OTHER, date=d(11), status="", pos="директор"), BLG),
        R(dict(mo="Тында", name="МАОУ СОШ № 1 г. Тынды", type=EDU, date=d(11), status="",
               pos="заместитель директора по ВР"), TYN),
        R(dict(mo="г. Белогорск", name="МАОУ «Школа № 3 г. Белогорск»", type=EDU, date=d(11),
               status=SIGNED, pos="директор"), BLGR),
        R(dict(mo="Белогорск", name="МАОУ «Школа № 4 г. Белогорск»", type=EDU, date=d(11), status="",
               pos="заместитель директора по ВР"), BLGR),
        R(dict(mo="г. Зея", name="Управление образования администрации г. Зеи", type=GOV, date=d(11),
               status="", pos="начальник управления"), ZEA),
        R(dict(mo="г. Свободный", name="МОАУ СОШ № 1 г. Свободного", type=EDU, date=d(11), status="",
               pos="директор"), SVB),
        R(dict(mo="Благовещенский р-н", name="МОБУ «Чигиринская СОШ»", type=EDU, date=d(11), status="",
               pos="директор"), BLR),
        R(dict(mo="г. Благовещенск", name="АНО «Центр поддержки семьи «Гармония»»", type=NKO,
               date=d(12), status="", pos="директор"), BLG),
        R(dict(mo="г. Тында", name="МАОУ «Гимназия № 7 г. Тынды»", type=EDU, date=d(12), status=SIGNED,
               pos="директор"), TYN),
        R(dict(mo="Ивановский муниципальный округ", name="МОБУ «Ивановская СОШ № 1»", type=EDU,
               date=d(12), status="", pos="директор"), IV),
        R(dict(mo="Ивановский район", name="МОБУ «Берёзовская СОШ»", type=EDU, date=d(12), status="",
               pos="заместитель директора по ВР"), IV),
        R(dict(mo="Белогорский муниципальный округ", name="МОБУ «Томичёвская СОШ»", type=EDU,
               date=d(12), status="", pos="директор"), BR),
        R(dict(mo="Тамбовский район", name="МОБУ «Тамбовская СОШ»", type=EDU, date=d(12),
               status=SIGNED, pos="директор"), TB),
        R(dict(mo="г. Благовещенск", name="МАОУ «Школа № 16 г. Благовещенска»", type=EDU, date=d(14),
               status="", pos="директор"), BLG),
        R(dict(mo="Благовещенский городской район", name="МОБУ «СОШ № 12 г. Благовещенска»", type=EDU,
               date=d(14), status="", pos="директор"), None,
          mistake=("mo", "unknown municipality «Благовещенский городской район» (no such unit: "
                         "it is either the city or Благовещенский район)")),
        R(dict(mo="Благовещенск", name="ГАУК «Амурская областная научная библиотека им. Н. Н. Муравьёва-Амурского»",
               type=OTHER, date=excel_serial(d(14)), status=SIGNED, pos="заместитель директора"), BLG),
        R(dict(mo="г. Белогорск", name="МАОУ «Школа № 17 г. Белогорск»", type=EDU, date="31.02.2022",
               status="", pos="директор"), BLGR,
          mistake=("date", "invalid date «31.02.2022»")),
        R(dict(mo="г. Белогорск", name="МАДОУ «ДС № 8 г. Белогорск»", type=EDU, date=d(14), status="",
               pos="заведующий"), BLGR),
        R(dict(mo="город Свободный", name="МОАУ СОШ № 2 г. Свободного", type=EDU, date="15.01.2022",
               status="", pos="директор"), SVB,
          mistake=("date", "date «15.01.2022» is outside the campaign window 08.02.2022–08.03.2022")),
        R(dict(mo="г. Зея", name="МОАУ СОШ № 4 г. Зеи", type=EDU, date=d(14), status="",
               pos="заместитель директора по ВР"), ZEA),
        R(dict(mo="г. Райчихинск", name="МОБУ СОШ № 7 г. Райчихинска", type=EDU, date=d(14), status="",
               pos="директор"), RCH),
        R(dict(mo="ЗАТО Циолковский", name="МАОУ СОШ № 7 ЗАТО Циолковский", type=EDU, date=d(14),
               status=SIGNED, pos="директор"), UGL),
        R(dict(mo="Благовещенский р-н", name="МОБУ «Марковская СОШ»", type=EDU, date=d(14), status=APPLIED,
               pos="директор"), BLR),
        R(dict(mo="Благовещенский р-н", name="МОБУ «Волковская СОШ»", type=EDU, date=d(14), status="",
               pos="директор", inn=""), BLR),
        R(dict(mo="Зейский МО", name="МОБУ «Овсянская СОШ»", type=EDU, date=d(14), status="",
               pos="директор"), "Зейский район"),
        R(dict(mo="Октябрьский район", name="Отдел образования администрации Октябрьского района",
               type=GOV, date=d(14), status=SIGNED, pos="начальник отдела"), "Октябрьский район"),
        R(dict(mo="г. Благовещенск", name="ООО «Амур-Телеком Сервис»", type=BIZ, date="15.02.2022",
               status=APPLIED, pos="генеральный директор"), BLG),
        R(dict(mo="г. Благовещенск", name="МАОУ «Школа № 28 г. Благовещенска»", type=EDU,
               date="15.02.2022", status="", pos="заместитель директора по ВР",
               memo="см. сайт школы"), BLG,
          mistake=("memo", "memorandum link is not a link: «см. сайт школы»")),
        R(dict(mo="Благовещенск", name="МОБУ СОШ №5 г. Благовещенска", type=EDU, date=d(15),
               status="", pos="заместитель директора по ВР", inn="@dup:sosh5"), BLG,
          mistake=("inn", "duplicate organisation: same ИНН as row 3 (МОБУ «СОШ № 5 г. Благовещенска»)")),
        R(dict(mo="г. Тында", name="МАДОУ детский сад № 9 г. Тынды", type=EDU, date=d(15), status="",
               pos="заведующий"), TYN),
        R(dict(mo=f" г. Тында{NBSP} ", name="МАУК «Централизованная библиотечная система г. Тынды»",
               type=OTHER, date=d(15), status="", pos="директор"), TYN,
          mistake=("mo", "leading/trailing spaces and a non-breaking space around «г. Тында» "
                         "(must still resolve to Тында)")),
        R(dict(mo="г. Свободный", name="МДОАУ ДС № 3 г. Свободного", type=EDU, date=d(15), status="",
               pos="заведующий"), SVB),
        R(dict(mo="Ивановский муниципальный округ", name="МОБУ «Андреевская СОШ»", type=EDU, date=d(15),
               status="", pos="директор"), IV),
        R(dict(mo="Белогорский муниципальный округ", name="МОБУ «Васильевская СОШ»", type=EDU,
               date=d(15), status=APPLIED, pos="директор"), BR),
        R(dict(mo="Тамбовский район", name="МБУК «Тамбовская межпоселенческая библиотека»", type=OTHER,
               date=d(15), status="", pos="директор"), TB),
        R(dict(mo="Серышевский район", name="МОБУ «Серышевская СОШ № 1»", type=EDU, date=d(15),
               status="", pos="заместитель директора по ВР"), "Серышевский район"),
        R(dict(mo="г. Шимановск", name="МАОУ СОШ № 2 г. Шимановска", type=EDU, date=d(15), status="",
               pos="директор"), SHM),
        R(dict(mo="Сковородинский район", name="МОБУ «СОШ № 1 г. Сковородино»", type=EDU, date=d(15),
               status="", pos="директор"), "Сковородинский район"),
        R(dict(mo="г. Благовещенск", name="ГПОАУ АО «Амурский колледж сервиса и торговли»", type=EDU,
               date="2022-02-16", status=SIGNED, pos="заместитель директора по УВР"), BLG),
        R(dict(mo="г. Благовещенск", name="", type=EDU, date=d(16), status="",
               pos="директор"), BLG,
          mistake=("name", "organisation name missing (other cells filled)")),
        R(dict(mo="Белогорск", name="МАУ «Редакция газеты «Белогорский вестник»»", type=SMI, date=d(16),
               status="", pos="главный редактор"), BLGR),
        R(dict(mo="город Свободный", name="ООО «Медиагруппа «Свободный»»", type=SMI, date=d(16),
               status=APPLIED, pos="генеральный директор"), SVB),
        R(dict(mo="Тында", name="Тындинская городская общественная организация «Молодёжный совет»",
               type=NKO, date=d(16), status=APPLIED, pos="председатель"), TYN),
        Row({}, blank=True, mistake=("", "blank row in the middle of the tab (must be skipped silently)")),
        R(dict(mo="г. Благовещенск", name="МАДОУ «ДС № 68 г. Благовещенска»", type=EDU, date="17.02.22",
               status="", pos="заведующий"), BLG),
        R(dict(mo="Благовещенский р-н", name="МОБУ  «Волковская СОШ» ", type=EDU, date=d(17),
               status="", pos="заместитель директора по ВР", inn=""), BLR,
          mistake=("name", "duplicate organisation: same name as row 36 in the same municipality "
                           "(differs only in spaces; no ИНН)")),
        R(dict(mo="Ивановский район", name="МБУК «Ивановская межпоселенческая библиотека»", type=OTHER,
               date=d(17), status=REGISTRY, pos="директор"), IV),
        R(dict(mo="Завитинский муниципальный округ", name="МОБУ «СОШ № 1 г. Завитинска»", type=EDU,
               date=d(17), status="", pos="директор"), "Завитинский район"),
        R(dict(mo="г. Благовещенск", name="ГАУ ДПО «Амурский областной институт развития образования»",
               type=EDU, date="18 февраля 2022", status=REGISTRY, pos="проректор"), BLG),
        R(dict(mo="г. Благовещенск", name="ООО «Детский центр «Умка»»", type=BIZ, date=d(18),
               status="", pos="генеральный директор", inn="@bad"), BLG,
          mistake=("inn", "ИНН with a wrong check digit")),
        R(dict(mo="г. Белогорск", name="Белогорское местное отделение общероссийского движения «Ассоциация родителей»",
               type=NKO, date=d(18), status=APPLIED, pos="председатель"), BLGR),
        R(dict(mo="г. Свободный", name="МОАУ «Гимназия № 9 г. Свободного»", type=EDU, date=d(18),
               status="", pos="директор"), SVB),
        R(dict(mo="Октябрьский район", name="МОБУ «Екатеринославская СОШ»", type=EDU, date=d(18),
               status="", pos="директор"), "Октябрьский район"),
        R(dict(mo="г. Благовещенск", name="ФГБОУ ВО «Благовещенский государственный педагогический университет»",
               type=EDU, date=d(21), status=APPLIED, pos="проректор по воспитательной работе"), BLG),
        R(dict(mo="г. Благовещенск", name="МАОУ «Школа № 14 г. Благовещенска»", type=EDU, date=d(21),
               status=APPLIED, pos="директор"), BLG),
        R(dict(mo="Тында", name="МАОУ СОШ № 6 г. Тынды", type=EDU, date=d(21), status=APPLIED,
               pos="директор"), TYN),
        R(dict(mo="г. Белогорск", name="МАОУ «Школа № 200 г. Белогорск»", type=EDU, date=d(21),
               status=APPLIED, pos="директор"), BLGR),
        R(dict(mo="г. Свободный", name="ИП Коваленко Ольга Петровна (детский клуб «Смайл»)", type=BIZ,
               date=d(22), status=APPLIED, pos="индивидуальный предприниматель", inn=""), SVB),
        R(dict(mo="Ивановский муниципальный округ", name="МОБУ «Черемховская СОШ»", type=EDU,
               date=d(22), status=APPLIED, pos="директор"), IV),
        R(dict(mo="г. Благовещенск", name="ООО «ИТ-Школа «Код будущего»»", type=BIZ, date=d(22),
               status=APPLIED, pos="директор"), BLG),
    ]
    return rows


def amur_events() -> list[Row]:
    R = Row
    IV = "Ивановский район"
    rows = [
        R(dict(mo="г. Благовещенск", kind="информационная кампания",
               title="Информационная кампания «#МояХартия: цифровая этика детства» в сообществах школ города",
               date=d(8), link="https://vk.com/wall-170388431_2154", reach=12000), BLG),
        R(dict(mo="г. Белогорск", kind="Информационная кампания",
               title="Публикации о Хартии на сайтах и в сообществах школ г. Белогорск",
               date=d(9), link="vk.com/wall-193340178_812", reach="~3000"), BLGR),
        R(dict(mo="г. Благовещенск", kind="иное мероприятие",
               title="Единый классный час «Цифровая этика детства» ко Дню безопасного интернета",
               date=d(8), link="https://gimnazia25-blag.ru/news/edinyy-klassnyy-chas", reach="1 200"), BLG),
        R(dict(mo="г. Благовещенск", kind="конференция",
               title="Городская онлайн-конференция «Безопасный интернет — детям»",
               date=d(10), link="https://t.me/uo_blag/412", reach=340), BLG),
        R(dict(mo="г. Тында", kind="информационная кампания",
               title="Размещение баннеров акции #МояХартия на сайтах образовательных организаций г. Тынды",
               date=d(11), link="https://vk.com/wall-201114587_355", reach=f"1{NBSP}800"), TYN),
        R(dict(mo="г. Благовещенск", kind="конкурс видеороликов",
               title="Городской конкурс детских видеороликов «Моя Хартия» (TikTok, VK Клипы, Yappy)",
               date=d(12), link="https://vk.com/wall-170388431_2171", reach="150 чел."), BLG),
        R(dict(mo="Ивановский муниципальный округ", kind="родительское собрание",
               title="Родительское собрание «Ребёнок в цифровой среде: правила семьи»",
               date=d(11), link="https://vk.com/wall-204568812_97", reach=85), IV),
        R(dict(mo="г. Свободный", kind="мастер-класс",
               title="Мастер-класс для педагогов «Как говорить с детьми о цифровой этике»",
               date=d(11), link="https://t.me/svobodny_obr/88", reach=42), SVB),
        R(dict(mo="г. Благовещенск", kind="интервью",
               title="Интервью начальника управления образования о присоединении школ к Хартии",
               date=d(14), link="https://vk.com/video-170388431_456239120", reach=""), BLG),
        R(dict(mo="г. Белогорск", kind="конкурс",
               title="Конкурс коротких видео «Цифровая этика — это про нас»",
               date=d(14), link="", reach="~60"), BLGR),
        R(dict(mo="г. Зея", kind="круглый стол",
               title="Круглый стол «Безопасность детей в интернете: роль семьи и школы»",
               date=d(14), link="https://vk.com/wall-198804413_240", reach=35), ZEA),
        R(dict(mo="Благовещенск", kind="выступление на радио",
               title="Выступление на радио «Амурская волна»: «Как научить ребёнка цифровой этике»",
               date=d(15), link="https://t.me/amurvolna_radio/1532", reach=""), BLG),
        R(dict(mo="г. Свободный", kind="информационная кампания",
               title="Серия постов «5 принципов Хартии» в сообществе управления образования",
               date=d(15), link="https://vk.com/wall-187004432_1290", reach="2 300"), SVB),
        R(dict(mo="г. Тында", kind="интервью / выступление на радио или ТВ",
               title="Сюжет телеканала «Тында-ТВ» о присоединении школ города к Хартии",
               date=d(15), link="https://vk.com/video-201114587_456239044", reach=""), TYN),
        R(dict(mo="г. Белогорск", kind="выступление на ТВ",
               title="Выступление председателя комитета по образованию в эфире «Белогорск-ТВ»",
               date=d(15), link="https://vk.com/video-193340178_456239301", reach=""), BLGR),
        R(dict(mo="Белогорский муниципальный округ", kind="мастер-класс",
               title="Мастер-класс «Мой безопасный аккаунт» для учащихся 5–7 классов",
               date=d(15), link="https://vk.com/wall-206117402_61", reach=54), "Белогорский район"),
        R(dict(mo="г. Благовещенск", kind="круглый стол",
               title="Круглый стол «Дети и цифровая среда» с участием родительской общественности",
               date=d(16), link="https://t.me/uo_blag/431", reach="~70"), BLG),
        R(dict(mo="Тамбовский район", kind="родительское собрание",
               title="Районное родительское собрание «Цифровая гигиена школьника»",
               date=d(16), link="https://vk.com/wall-199552106_148", reach="120 чел."), "Тамбовский район"),
        R(dict(mo="г. Благовещенск", kind="флешмоб",
               title="Флешмоб «Я за цифровую этику» в школах города",
               date=d(16), link="https://vk.com/wall-170388431_2190", reach=900), BLG,
          mistake=("kind", "unknown event kind «флешмоб» (not one of the five kinds; not an obvious variant)")),
        R(dict(mo="Ивановский район", kind="Интервью",
               title="Интервью районной газете «Ивановская нива» о Хартии",
               date=d(16), link="https://vk.com/wall-204568812_103", reach=""), IV),
        R(dict(mo="г. Свободный", kind="интервью",
               title="Интервью директора гимназии № 9 телеканалу «Свободный-ТВ»",
               date=d(17), link="vk.com/video-187004432_456239077", reach=""), SVB),
        R(dict(mo="г. Благовещенск", kind="мастер-класс",
               title="Мастер-класс «Этичный блогер» для старшеклассников",
               date=d(17), link="https://alekseevka-gimn.ru/news/master-klass-etichnyy-bloger", reach=48), BLG),
        R(dict(mo="г. Тында", kind="круглый стол",
               title="Круглый стол педагогов-психологов «Кибербуллинг: профилактика»",
               date=d(17), link="https://t.me/uo_tynda/205", reach=26), TYN),
        R(dict(mo="г. Белогорск", kind="родительское собрание",
               title="Общегородское родительское собрание «Хартия цифровой этики: что важно знать родителям»",
               date=d(17), link="https://vk.com/wall-193340178_835", reach="много"), BLGR,
          mistake=("reach", "reach «много» is not a number")),
        R(dict(mo="Зейский МО", kind="родительское собрание",
               title="Родительские собрания в школах района «Безопасный интернет»",
               date=d(18), link="https://vk.com/wall-205331790_74", reach=210), "Зейский район"),
        R(dict(mo="г. Благовещенск", kind="иное мероприятие",
               title="Квест для младших школьников «Цифровые джунгли»",
               date=d(18), link="https://vk.com/wall-170388431_2203", reach=64), BLG),
        R(dict(mo="Тында", kind="выступление на радио",
               title="Выступление в эфире радио «Тында FM» о конкурсе видеороликов",
               date=d(18), link="https://t.me/uo_tynda/211", reach=""), TYN),
        R(dict(mo="г. Благовещенск", kind="иное мероприятие",
               title="Социальная реклама #МояХартия на экранах в транспорте города",
               date=d(18), link="https://t.me/uo_blag/440", reach="~15 000"), BLG),
        R(dict(mo="г. Свободный", kind="иное мероприятие",
               title="Викторина «Знаешь ли ты Хартию?» в школьных библиотеках",
               date="19.02.2022", link="https://vk.com/wall-187004432_1302", reach=130), SVB),
        R(dict(mo="Ивановский муниципальный округ", kind="мастер-класс",
               title="Мастер-класс для родителей «Настройка детского режима на смартфоне»",
               date=d(19), link="", reach=23), IV),
        R(dict(mo="г. Райчихинск", kind="родительское собрание",
               title="Родительское собрание «Ребёнок и соцсети»",
               date=d(21), link="https://vk.com/wall-209877145_33", reach=57), RCH),
        R(dict(mo="г. Благовещенск", kind="интервью",
               title="Интервью ГТРК «Амур»: школьники Благовещенска снимают ролики о Хартии",
               date=d(21), link="https://vk.com/video-170388431_456239131", reach=""), BLG),
        R(dict(mo="г. Тында", kind="иное мероприятие",
               title="Акция «Стоп-кибербуллинг» в школах города",
               date=d(21), link="https://vk.com/wall-201114587_371", reach="~400"), TYN),
        R(dict(mo="Октябрьский район", kind="родительское собрание",
               title="Родительское собрание «Цифровая этика в семье»",
               date=d(22), link="https://vk.com/wall-207712334_52", reach=40), "Октябрьский район"),
        R(dict(mo="г. Белогорск", kind="мастер-класс",
               title="Мастер-класс «Снимаем ролик о Хартии на телефон»",
               date=d(22), link="https://t.me/komobr_belogorsk/97", reach=31), BLGR),
    ]
    return rows


def amur_contest() -> list[Row]:
    R = Row
    rows = [
        R(dict(mo="г. Благовещенск", who="Анастасия К., 12 лет", platform="TikTok",
               link="https://www.tiktok.com/@nastya_k_blg/video/7063817264029847810", result="участник"), BLG),
        R(dict(mo="г. Благовещенск", who="Артём С., 14 лет", platform="VK Клипы",
               link="https://vk.com/clip-170388431_456239045", result="участник"), BLG),
        R(dict(mo="Благовещенск", who="Полина М., 10 лет", platform="ВК клипы",
               link="https://vk.com/clip-170388431_456239047", result="призёр"), BLG),
        R(dict(mo="г. Белогорск", who="Кирилл Н., 15 лет", platform="Тик Ток",
               link="https://www.tiktok.com/@kirill_belogorsk/video/7064102938475610113", result="участник"), BLGR),
        R(dict(mo="г. Тында", who="Дарья Л., 13 лет", platform="Yappy",
               link="https://yappy.media/v/7a1c3e90b2", result="участник"), TYN),
        R(dict(mo="г. Благовещенск", who="Команда 7 «Б» класса МАОУ «Гимназия № 25»", platform="VK Клипы",
               link="https://vk.com/clip-170388431_456239052", result="победитель"), BLG),
        R(dict(mo="г. Свободный", who="Матвей Г., 11 лет", platform="VK Клипы",
               link="https://vk.com/clip-187004432_456239012", result=""), SVB),
        R(dict(mo="г. Белогорск", who="София П., 9 лет", platform="Instagram",
               link="https://www.instagram.com/reel/CaB3xYzKq1P/", result="участник"), BLGR,
          mistake=("platform", "unknown platform «Instagram» (contest is on TikTok, VK Клипы or Yappy)")),
        R(dict(mo="Ивановский муниципальный округ", who="Егор Т., 16 лет", platform="TikTok",
               link="https://www.tiktok.com/@egor_t_ivanovka/video/7065220011834567170", result="участник"),
          "Ивановский район"),
        R(dict(mo="г. Благовещенск", who="Варвара Ш., 8 лет", platform="Yappy",
               link="https://yappy.media/v/3f9d0c11ae", result="участник"), BLG),
        R(dict(mo="г. Тында", who="Максим Е., 14 лет", platform="ВК клипы",
               link="https://vk.com/clip-201114587_456239008", result="призёр"), TYN),
        R(dict(mo="г. Зея", who="Алиса Р., 12 лет", platform="VK Клипы",
               link="https://vk.com/clip-198804413_456239003", result=""), ZEA),
        R(dict(mo="г. Благовещенск", who="Тимофей Б., 17 лет", platform="TikTok",
               link="https://www.tiktok.com/@timofey_b/video/7066018847736210690", result="участник"), BLG),
        R(dict(mo="г. Свободный", who="Ксения Д., 15 лет", platform="Тик Ток",
               link="https://www.tiktok.com/@ksu_svob/video/7066391045128371457", result="участник"), SVB),
        R(dict(mo="город Благовещенск", who="Иван Ф., 13 лет", platform="VK Клипы",
               link="https://vk.com/clip-170388431_456239061", result="участник"), BLG),
    ]
    return rows


# Official-looking names for the «Цели» tab, one per geodata unit (name_ru -> typed name, quota).
AMUR_GOALS = [
    (BLG, "городской округ город Благовещенск", 12),
    (BLGR, "городской округ город Белогорск", 4),
    (UGL, "ЗАТО Циолковский", 1),
    (ZEA, "городской округ город Зея", 2),
    (PRG, "городской округ Прогресс", 1),
    (RCH, "городской округ город Райчихинск", 2),
    (SVB, "городской округ город Свободный", 4),
    (TYN, "городской округ город Тында", 4),
    (SHM, "городской округ город Шимановск", 2),
    ("Архаринский район", "Архаринский муниципальный округ", 2),
    ("Белогорский район", "Белогорский муниципальный округ", 2),
    ("Благовещенский район", "Благовещенский муниципальный округ", 2),
    ("Бурейский район", "Бурейский муниципальный округ", 2),
    ("Завитинский район", "Завитинский муниципальный округ", 2),
    ("Зейский район", "Зейский муниципальный округ", 2),
    ("Ивановский район", "Ивановский муниципальный округ", 2),
    ("Константиновский район", "Константиновский муниципальный округ", 2),
    ("Магдагачинский район", "Магдагачинский муниципальный округ", 2),
    ("Мазановский район", "Мазановский муниципальный округ", 2),
    ("Михайловский район", "Михайловский муниципальный округ", 2),
    ("Октябрьский район", "Октябрьский муниципальный округ", 2),
    ("Ромненский район", "Ромненский муниципальный округ", 2),
    ("Свободненский район", "Свободненский муниципальный округ", 2),
    ("Селемджинский район", "Селемджинский муниципальный округ", 2),
    ("Серышевский район", "Серышевский муниципальный округ", 2),
    ("Сковородинский район", "Сковородинский муниципальный округ", 2),
    ("Тамбовский район", "Тамбовский муниципальный округ", 2),
    ("Тындинский район", "Тындинский муниципальный округ", 2),
    ("Шимановский район", "Шимановский муниципальный округ", 2),
]


def amur_goals() -> list[Row]:
    return [Row(dict(mo=typed, goal=quota), key) for key, typed, quota in AMUR_GOALS]


# --------------------------------------------------------------------------------------
# Primorsky Krai
# --------------------------------------------------------------------------------------

VLD, USS, NAH, ART, SPD, KAM = (
    "Владивостокский", "Уссурийский", "Находкинский", "Артемовский", "Спасск-Дальний", "ЗАТО Камень",
)
PRI_INN = {VLD: "2536", USS: "2511", NAH: "2508", ART: "2502", SPD: "2510", KAM: "2503",
           "Хасанский район": "2531", "Надеждинский район": "2521", None: "2509"}
PRI_PHONE = {VLD: "423", USS: "4234", NAH: "4236", ART: "42337", SPD: "42352", KAM: "42335",
             "Хасанский район": "42331", "Надеждинский район": "42334", None: "42363"}


def primorye_orgs() -> list[Row]:
    R = Row
    HAS, NAD = "Хасанский район", "Надеждинский район"
    return [
        R(dict(mo="г. Владивосток",
               name="Управление по работе с муниципальными учреждениями образования администрации г. Владивостока",
               type=GOV, date=d(8), status=REGISTRY, pos="начальник управления"), VLD),
        R(dict(mo="Владивостокский городской округ", name="МБОУ «СОШ № 1 г. Владивостока»", type=EDU,
               date=d(9), status=SIGNED, pos="директор"), VLD),
        R(dict(mo="г. Владивосток", name="МАОУ «Гимназия № 2 г. Владивостока»", type=EDU, date=d(9),
               status="", pos="заместитель директора по ВР"), VLD),
        R(dict(mo="Уссурийский городской округ",
               name="Управление образования и молодёжной политики администрации Уссурийского городского округа",
               type=GOV, date=d(10), status=REGISTRY, pos="начальник управления"), USS),
        R(dict(mo="г. Находка", name="МБОУ «СОШ № 9» г. Находки", type=EDU, date=d(10), status="",
               pos="директор"), NAH),
        R(dict(mo="Партизанский", name="МБОУ «СОШ № 24»", type=EDU, date=d(11), status="",
               pos="директор"), None,
          mistake=("mo", "ambiguous municipality «Партизанский»: both Партизанский городской округ "
                         "and Партизанский район exist")),
        R(dict(mo="г. Уссурийск", name="МБОУ СОШ № 4 г. Уссурийска", type=EDU, date=d(11), status="",
               pos="директор"), USS),
        R(dict(mo="Владивосток", name="ГБУК «Приморская краевая публичная библиотека им. А. М. Горького»",
               type=OTHER, date="14.02.2022", status=SIGNED, pos="заместитель директора"), VLD),
        R(dict(mo="г. Артём", name="МБОУ СОШ № 1 г. Артёма", type=EDU, date=d(14), status="в работе",
               pos="директор"), ART,
          mistake=("status", "unknown status «в работе»")),
        R(dict(mo="Находкинский ГО", name="МАУ «Редакция газеты «Находкинский рабочий»»", type=SMI,
               date=d(14), status="", pos="главный редактор"), NAH),
        R(dict(mo="Хасанский муниципальный округ", name="МБОУ «СОШ пгт Славянка»", type=EDU, date=d(15),
               status="", pos="директор", phone="12-34"), HAS,
          mistake=("phone", "invalid phone «12-34»")),
        R(dict(mo="г. Владивосток", name='=HYPERLINK("http://example.org","x")', type=NKO, date=d(15),
               status="", pos="директор"), VLD,
          mistake=("name", "formula-like text =HYPERLINK(…) typed in the name (stored as a string; "
                           "must never be rendered or exported as a formula)")),
        R(dict(mo="г. Владивосток", name="ФГАОУ ВО «Дальневосточный федеральный университет»", type=EDU,
               date=d(15), status=APPLIED, pos="проректор по молодёжной политике"), VLD),
        R(dict(mo="Надеждинский р-н", name="МБОУ «СОШ № 2 с. Вольно-Надеждинское»", type=EDU,
               date="2022-02-16", status=APPLIED, pos="директор"), NAD),
        R(dict(mo=f"{NBSP}Уссурийский городской округ ", name="МБДОУ «Детский сад № 12» г. Уссурийска",
               type=EDU, date=d(16), status="", pos="заведующий"), USS),
        R(dict(mo="г. Спасск-Дальний", name="МБОУ «СОШ № 12» г. Спасск-Дальний", type=EDU, date=d(17),
               status="", pos="директор"), SPD),
        R(dict(mo="г. Большой Камень", name="МБОУ «СОШ № 3» г. Большой Камень", type=EDU, date="18.02.22",
               status="", pos="заместитель директора по ВР"), KAM),
        R(dict(mo="г. Владивосток", name="ООО «Приморский ИТ-кластер»", type=BIZ, date=d(18), status="",
               pos="генеральный директор"), VLD),
        R(dict(mo="г. Владивосток", name="АНО «Центр цифровой грамотности «Киберпатруль Приморья»»",
               type=NKO, date=d(21), status=REGISTRY, pos="директор"), VLD),
    ]


def primorye_events() -> list[Row]:
    R = Row
    return [
        R(dict(mo="г. Владивосток", kind="информационная кампания",
               title="#МояХартия #ХартияПриморье: публикации в сообществах школ Владивостока",
               date=d(8), link="https://vk.com/wall-183020011_3310", reach="5 400"), VLD),
        R(dict(mo="Уссурийский ГО", kind="информационная кампания",
               title="Баннеры акции #хартия на сайтах образовательных организаций",
               date=d(10), link="https://t.me/uo_ussuriysk/640", reach="~2000"), USS),
        R(dict(mo="г. Владивосток", kind="конференция",
               title="Краевая конференция «Цифровая этика детства» (#цифроваяэтикадетства)",
               date=d(11), link="https://t.me/primobr/2215", reach=520), VLD),
        R(dict(mo="г. Находка", kind="интервью",
               title="Интервью «Находкинскому рабочему» о присоединении школ к Хартии",
               date=d(14), link="https://vk.com/wall-162377125_905", reach=""), NAH),
        R(dict(mo="г. Владивосток", kind="выступление на ТВ",
               title="Выступление в эфире ОТВ-Прим о Хартии",
               date=d(15), link="javascript:alert(1)", reach=""), VLD,
          mistake=("link", "link is not http(s): «javascript:alert(1)»")),
        R(dict(mo="г. Уссурийск", kind="родительское собрание",
               title="Родительское собрание «Дети в интернете»",
               date=d(15), link="https://vk.com/wall-196650734_211", reach="80 чел."), USS),
        R(dict(mo="Хасанский муниципальный округ", kind="круглый стол",
               title="Круглый стол «Безопасный интернет в сельской школе»",
               date=d(16), link="vk.com/wall-205512009_44", reach=22), "Хасанский район"),
        R(dict(mo="г. Владивосток", kind="конкурс видеороликов",
               title="Краевой конкурс детских видеороликов #ХартияПриморье",
               date=d(17), link="https://t.me/primobr/2240", reach="~300"), VLD),
        R(dict(mo="г. Артём", kind="мастер-класс",
               title="Мастер-класс «Цифровой след» для старшеклассников",
               date=d(18), link="https://t.me/artem_obr/130", reach=36), ART),
        R(dict(mo="г. Спасск-Дальний", kind="иное мероприятие",
               title="Единый урок «Пять принципов Хартии»",
               date=d(21), link="https://vk.com/wall-201478820_87", reach=410), SPD),
    ]


def primorye_contest() -> list[Row]:
    R = Row
    return [
        R(dict(mo="г. Владивосток", who="Виктория А., 13 лет", platform="VK Клипы",
               link="https://vk.com/clip-183020011_456239210", result="участник"), VLD),
        R(dict(mo="г. Владивосток", who="Лев О., 11 лет", platform="TikTok",
               link="https://www.tiktok.com/@lev_vl/video/7065712300018445570", result="участник"), VLD),
        R(dict(mo="Уссурийский ГО", who="Елизавета Ч., 15 лет", platform="Yappy",
               link="https://yappy.media/v/c41be7702d", result=""), USS),
        R(dict(mo="г. Находка", who="Михаил В., 10 лет", platform="ВК клипы",
               link="", result="участник"), NAH,
          mistake=("link", "required video link missing")),
        R(dict(mo="г. Артём", who="Мария Е., 16 лет", platform="Тик Ток",
               link="https://www.tiktok.com/@masha_artem/video/7066180933412048129", result="участник"), ART),
        R(dict(mo="г. Владивосток", who="Даниил Ж., 14 лет", platform="VK Клипы",
               link="https://vk.com/clip-183020011_456239226", result="участник"), VLD),
    ]


# --------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------


def build_regions() -> list[Region]:
    amur = Region("amur-2022.xlsx", "RU-AMU", AMU_INN, AMU_PHONE, ("914", "924", "962", "963", "909"),
                  {t: CANONICAL[t] for t in ("Организации", "Мероприятия", "Конкурс", "Цели")})
    amur.tabs = {"Организации": amur_orgs(), "Мероприятия": amur_events(), "Конкурс": amur_contest(),
                 "Цели": amur_goals()}
    pri = Region("primorye-2022.xlsx", "RU-PRI", PRI_INN, PRI_PHONE, ("914", "924", "902", "908", "951", "984"),
                 PRIMORYE_HEADERS)
    pri.tabs = {"Организации": primorye_orgs(), "Мероприятия": primorye_events(),
                "Конкурс": primorye_contest()}
    return [amur, pri]


def fill_contacts(region: Region, rng: random.Random) -> None:
    """Fill ИНН, ФИО, phone, e-mail and memorandum link of the organisation rows."""
    inns = InnMaker(rng)
    named: dict[str, str] = {}
    numeric_left = 3  # a few INNs typed as numbers, as Google Sheets does when pasted
    for row in region.tabs["Организации"]:
        if row.blank:
            continue
        v = row.values
        prefix = region.inn_prefix.get(row.key, next(iter(region.inn_prefix.values())))
        inn = v.get("inn")
        if inn is None:
            inn = "" if rng.random() < 0.1 else inns.valid(prefix)
        elif inn == "@new":
            inn = inns.valid(prefix)
        elif inn == "@bad":
            inn = inns.bad(prefix)
        elif inn.startswith("@dup:"):
            inn = named[inn[5:]]
        if v.get("name") == "МОБУ «СОШ № 5 г. Благовещенска»":
            named["sosh5"] = inn
        if inn and numeric_left and v.get("inn") is None and rng.random() < 0.12:
            numeric_left -= 1
            inn = int(inn)
        v["inn"] = inn
        v.setdefault("fio", fake_fio(rng))
        code = region.phone_code.get(row.key, next(iter(region.phone_code.values())))
        v.setdefault("phone", fake_phone(rng, code, region.mobile))
        v.setdefault("email", "" if rng.random() < 0.15 else fake_email(rng, v.get("type", ""), v.get("name", "")))
        v.setdefault("memo", fake_memo_link(rng))


def write_workbook(region: Region, path: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for tab, rows in region.tabs.items():
        ws = wb.create_sheet(tab)
        headers = region.headers[tab]
        cols = {"Организации": ORG_COLS, "Мероприятия": EVENT_COLS, "Конкурс": CONTEST_COLS,
                "Цели": GOAL_COLS}[tab]
        for c, key in enumerate(cols, start=1):
            cell = ws.cell(row=1, column=c, value=headers[key])
            cell.font = bold
            ws.column_dimensions[get_column_letter(c)].width = WIDTHS[key]
        for r, row in enumerate(rows, start=2):
            if row.blank:
                continue
            for c, key in enumerate(cols, start=1):
                value = row.values.get(key, "")
                if value == "" or value is None:
                    continue
                cell = ws.cell(row=r, column=c)
                if isinstance(value, str) and value.startswith("="):
                    # Text that looks like a formula: keep it a string, never a formula.
                    cell.value = value
                    cell.data_type = "s"
                    cell.quotePrefix = True
                else:
                    cell.value = value
                if isinstance(value, dt.date):
                    cell.number_format = "DD.MM.YYYY"
        ws.freeze_panes = "A2"
    wb.properties.creator = "make_demo.py"
    wb.properties.title = f"#МояХартия — демо ({region.iso})"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.lastModifiedBy = "make_demo.py"
    buf = io.BytesIO()
    wb.save(buf)  # save() stamps "modified" with now(); fixed below, with zip timestamps
    path.write_bytes(reproducible_xlsx(buf.getvalue(), FIXED_TIME))


# --------------------------------------------------------------------------------------
# Checks and summary
# --------------------------------------------------------------------------------------


def generated_mistakes(regions: list[Region]) -> list[tuple[str, str, int, str, str]]:
    out = []
    for region in regions:
        for tab, rows in region.tabs.items():
            for r, row in enumerate(rows, start=2):
                if row.mistake:
                    col, what = row.mistake
                    header = region.headers[tab][col] if col else "—"
                    out.append((region.file, tab, r, header, what))
    return out


def _check_mistakes(regions: list[Region]) -> None:
    got = generated_mistakes(regions)
    if list(DELIBERATE_MISTAKES) != got:
        lines = "\n".join(repr(m) + "," for m in got)
        raise SystemExit("DELIBERATE_MISTAKES does not match the generated rows; it should be:\n" + lines)


def _norm_name(name: str) -> str:
    return re.sub(r"[\s\u00a0]+", " ", name).strip().lower().replace("ё", "е")


def expected_joined(region: Region) -> dict[str | None, int]:
    """Joined organisations per municipality, from the generator's own knowledge of what
    each row means (not by parsing the file): status empty / «меморандум подписан» /
    «в реестре Альянса», a non-empty name, duplicates (same ИНН, or same normalised name
    in the same municipality) counted once. Rows whose municipality does not resolve
    are counted under None. Dates are not checked (the invalid and out-of-window ones
    are counted)."""
    seen_inn, seen_name = set(), set()
    counts: dict[str | None, int] = {}
    for row in region.tabs["Организации"]:
        if row.blank:
            continue
        v = row.values
        name = _norm_name(v.get("name", ""))
        if not name or v.get("status", "").strip().lower() not in JOINED_STATUSES:
            continue
        inn = str(v.get("inn", ""))
        if (inn and inn in seen_inn) or (row.key, name) in seen_name:
            continue
        if inn:
            seen_inn.add(inn)
        seen_name.add((row.key, name))
        counts[row.key] = counts.get(row.key, 0) + 1
    return counts


def _geo_names(iso: str) -> list[str]:
    if not GEO_CSV.exists():
        return []
    import csv

    with GEO_CSV.open(encoding="utf-8") as fh:
        return [r["name_ru"] for r in csv.DictReader(fh) if r["region_iso"] == iso]


def _sanity(regions: list[Region]) -> None:
    for region in regions:
        geo = _geo_names(region.iso)
        for tab, rows in region.tabs.items():
            for row in rows:
                if geo and row.key is not None and row.key not in geo:
                    raise SystemExit(f"{region.file}/{tab}: key {row.key!r} is not in the geodata")
                date = row.values.get("date")
                if isinstance(date, dt.date) and not (WINDOW[0] <= date <= AS_OF):
                    raise SystemExit(f"{region.file}/{tab}: date {date} after the as-of date")
        if "Цели" in region.tabs and geo:
            keys = sorted(r.key for r in region.tabs["Цели"])
            if keys != sorted(geo):
                raise SystemExit(f"{region.file}/Цели does not list every municipality once")


def summary(paths: list[Path]) -> str:
    lines = []
    for path in paths:
        wb = load_workbook(path)
        parts = []
        for ws in wb.worksheets:
            filled = sum(1 for row in ws.iter_rows(min_row=2, values_only=True)
                         if any(v not in (None, "") for v in row))
            parts.append(f"{ws.title}: {filled} rows")
        lines.append(f"{path.name}: " + ", ".join(parts))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out-dir", type=Path, default=DEFAULT_OUT, help="where to write (default: data/demo)")
    ap.add_argument("--list-mistakes", action="store_true", help="print DELIBERATE_MISTAKES and exit")
    ap.add_argument("--counts", action="store_true", help="also print the expected joined counts")
    args = ap.parse_args(argv)

    if args.list_mistakes:
        for m in DELIBERATE_MISTAKES:
            print(" | ".join(str(x) for x in m))
        return 0

    rng = random.Random(SEED)
    regions = build_regions()
    for region in regions:
        fill_contacts(region, rng)
    _sanity(regions)
    _check_mistakes(regions)

    args.out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for region in regions:
        path = args.out_dir / region.file
        write_workbook(region, path)
        paths.append(path)
    zastupnik = args.out_dir / "irkutsk-zastupnik-2024.xlsx"
    write_zastupnik(zastupnik)
    paths.append(zastupnik)
    print(summary(paths))
    if args.counts:
        for region in regions:
            counts = expected_joined(region)
            total = sum(counts.values())
            unresolved = counts.get(None, 0)
            print(f"\n{region.file}: expected joined = {total - unresolved} resolved"
                  f" (+{unresolved} with an unresolved municipality)")
            for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] or "")):
                print(f"  {key or '(unresolved)'}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
