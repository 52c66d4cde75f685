#!/usr/bin/env python3
"""Write the demo workbook of the social project «Заступник» (Irkutsk Oblast, 2024).

``data/demo/irkutsk-zastupnik-2024.xlsx``: one row per educational organisation (municipal
education authorities, municipal, state and private organisations) as of 03.06.2024, two days
before the deadline 05.06.2024: some municipalities done, some half-way, some silent. Every
name, person and phone is invented; ``random.Random(SEED)`` makes the file byte-identical on
every run. Called by ``scripts/make_demo.py``; runs alone too.

Deliberate mistakes (row as the sheet shows it; see DELIBERATE_MISTAKES):
an unreadable yes/no, a phone too short, a banner link that is text, a banner without its link, an impossible date, a
chat date before the letter, the same school twice, a municipality that is none, a row without
the organisation's name.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # the project: its campaign files
from demo_people import fake_fio, fake_phone, reproducible_xlsx

from campaign.spec import load_campaign

SEED = 20240530
AS_OF = load_campaign("irkutsk-zastupnik-2024").demo_as_of  # the day the workbook shows
MOMENT = dt.datetime.combine(AS_OF, dt.time(17))
REPO = Path(__file__).resolve().parents[1]
TAB = "Образовательные организации"
HEADERS = ["Муниципальное образование", "Наименование организации", "ИНН", "Тип организации",
           "ФИО ответственного", "Должность ответственного", "Телефон ответственного", "Баннер размещён",
           "Ссылка на страницу с баннером", "Вступил в рабочий чат", "Дата вступления в чат"]
WIDTHS = [34, 46, 14, 26, 32, 30, 22, 16, 44, 20, 20]
MOBILE = ("902", "904", "908", "914", "924", "950", "964", "983", "994", "999")

AUTHORITY, MUNICIPAL, STATE, PRIVATE = ("орган управления образованием", "муниципальная образовательная организация",
                                        "государственная образовательная организация",
                                        "частная образовательная организация")

# name as coordinators type it (current official names too) -> (schools, share done, landline code)
MUNICIPALITIES = [
    ("г. Иркутск", 12, 0.8, "3952"), ("Ангарский городской округ", 8, 0.9, "3955"),
    ("г. Братск", 8, 0.6, "3953"), ("г. Усть-Илимск", 4, 0.7, "39535"), ("г. Усолье-Сибирское", 4, 0.5, "39543"),
    ("город Черемхово", 3, 0.4, "39546"), ("г. Саянск", 3, 1.0, "39553"), ("г. Тулун", 3, 0.3, "39530"),
    ("город Зима", 2, 0.5, "39554"), ("г. Свирск", 2, 0.0, "39573"),
    ("Шелеховский район", 5, 1.0, "39550"), ("Иркутское районное муниципальное образование", 6, 0.7, "3952"),
    ("Ольхонский район", 2, 1.0, "39558"), ("Слюдянский район", 3, 0.8, "39544"),
    ("Тайшетский район", 5, 0.2, "39563"), ("Нижнеудинский район", 5, 0.4, "39557"),
    ("Зиминское районное муниципальное образование", 3, 0.6, "39554"), ("Братский район", 4, 0.5, "3953"),
    ("Усольский муниципальный район", 4, 0.6, "39543"), ("Черемховский район", 3, 0.3, "39546"),
    ("Куйтунский район", 3, 0.7, "39536"), ("Тулунский район", 3, 0.5, "39530"), ("Чунский район", 3, 0.4, "39567"),
    ("Нижнеилимский район", 3, 0.6, "39566"), ("Усть-Кутское муниципальное образование", 3, 0.8, "39565"),
    ("Киренский район", 2, 0.5, "39568"), ("Казачинско-Ленский район", 2, 0.0, "39562"),
    ("Заларинский район", 3, 0.7, "39552"), ("Аларский район", 2, 0.9, "39564"),
    ("Боханский район", 2, 0.5, "39538"), ("Осинский район", 2, 0.3, "39539"), ("Нукутский район", 2, 0.6, "39549"),
    ("Баяндаевский район", 2, 1.0, "39537"), ("Эхирит-Булагатский район", 3, 0.6, "39541"),
    ("Качугский район", 2, 0.4, "39540"), ("Балаганский район", 2, 0.5, "39548"),
    ("Усть-Илимский район", 2, 0.7, "39535"),
]
# silent (no rows at all): Бодайбинский, Жигаловский, Катангский, Мамско-Чуйский, Усть-Удинский районы

SCHOOLS = ["МБОУ «СОШ № {n}»", "МАОУ «Лицей № {n}»", "МБОУ «Гимназия № {n}»", "МБДОУ «Детский сад № {n}»",
           "МКОУ «ООШ № {n}»", "МБУ ДО «Дом детского творчества № {n}»"]
STATE_ORGS = ["ГБПОУ ИО «Техникум № {n}»", "ГОКУ «Специальная (коррекционная) школа № {n}»"]
PRIVATE_ORGS = ["ЧОУ «Школа «Развитие» № {n}»"]
POSITIONS = ["заместитель директора по воспитательной работе", "советник директора по воспитанию",
             "социальный педагог", "педагог-организатор", "заместитель заведующего", "педагог-психолог"]
AUTHORITY_POSITIONS = ["главный специалист", "ведущий специалист", "начальник отдела общего образования"]

# (row as the sheet shows it, column, what is wrong); checked against what the generator writes
DELIBERATE_MISTAKES = [
    (5, "Баннер размещён", "yes/no «в процессе» is neither «да» nor «нет»"),
    (9, "Телефон ответственного", "phone «12-34» is too short"),
    (16, "Ссылка на страницу с баннером", "banner «link» is text: «на главной странице сайта»"),
    (22, "Дата вступления в чат", "impossible date «31.06.2024»"),
    (25, "Ссылка на страницу с баннером", "banner «есть» but no link to the page"),
    (30, "Дата вступления в чат", "chat joined 25.05.2024, before the letter of 30.05.2024"),
    (34, "Наименование организации", "the same school as row 33 (same name, same municipality): both rows"),
    (40, "Муниципальное образование", "«Иркутский городской район» is neither г. Иркутск nor Иркутский район"),
    (44, "Наименование организации", "organisation name missing (other cells filled)"),
]


def organisations(rng: random.Random) -> list[list[object]]:
    """The tab's rows (cells in HEADERS order), as coordinators would have typed them."""
    rows: list[list[object]] = []
    for mo, schools, done, code in MUNICIPALITIES:
        authority = ("Комитет по образованию" if mo.startswith(("г.", "город")) else "Управление образования")
        entries = [(f"{authority} ({mo})", AUTHORITY)]
        kinds = [MUNICIPAL] * schools
        if schools >= 8:
            kinds[-2:] = [STATE, PRIVATE]
        elif schools >= 4:
            kinds[-1] = STATE
        for number, kind in enumerate(kinds, start=1):
            pattern = {MUNICIPAL: SCHOOLS, STATE: STATE_ORGS, PRIVATE: PRIVATE_ORGS}[kind]
            entries.append((rng.choice(pattern).format(n=number * 2 + rng.randint(0, 1)), kind))
        for name, kind in entries:
            rows.append(_row(rng, mo, name, kind, done, code))
    return rows


def _row(rng: random.Random, mo: str, name: str, kind: str, done: float, code: str) -> list[object]:
    responsible = rng.random() < done + 0.15
    banner = responsible and rng.random() < done + 0.05
    chat = responsible and rng.random() < done
    slug = "".join(ch for ch in name.lower() if ch.isdigit()) or "1"
    return [
        mo, name, "", kind if rng.random() < 0.85 else "",
        fake_fio(rng) if responsible else "",
        rng.choice(AUTHORITY_POSITIONS if kind == AUTHORITY else POSITIONS) if responsible else "",
        fake_phone(rng, code, MOBILE) if responsible else "",
        rng.choice(["да", "да", "Да", "+", "есть"]) if banner else ("нет" if rng.random() < 0.6 else ""),
        f"https://sh{slug}-{rng.randint(10, 99)}.irkobl.ru/zastupnik" if banner else "",
        rng.choice(["да", "да", "вступил", "+"]) if chat else ("нет" if rng.random() < 0.4 else ""),
        dt.date(2024, 5, 30) + dt.timedelta(days=rng.randint(0, (AS_OF - dt.date(2024, 5, 30)).days)) if chat else "",
    ]


def with_mistakes(rows: list[list[object]]) -> list[list[object]]:
    """The rows with DELIBERATE_MISTAKES typed in (row r of the sheet is rows[r - 2])."""
    def cell(row: int, header: str, value: object) -> None:
        rows[row - 2][HEADERS.index(header)] = value

    cell(5, "Баннер размещён", "в процессе")
    cell(9, "ФИО ответственного", rows[9 - 2][4] or "Иванова Анна Петровна")
    cell(9, "Телефон ответственного", "12-34")
    cell(16, "Баннер размещён", "да")
    cell(16, "Ссылка на страницу с баннером", "на главной странице сайта")
    cell(22, "Вступил в рабочий чат", "да")
    cell(22, "Дата вступления в чат", "31.06.2024")
    cell(25, "Баннер размещён", "есть")
    cell(25, "Ссылка на страницу с баннером", "")
    cell(30, "Вступил в рабочий чат", "да")
    cell(30, "Дата вступления в чат", dt.date(2024, 5, 25))
    rows[34 - 2] = [*rows[33 - 2][:2], *rows[34 - 2][2:]]  # same municipality and name as row 33
    cell(40, "Муниципальное образование", "Иркутский городской район")
    cell(44, "Наименование организации", "")
    return rows


def write_zastupnik(path: Path) -> None:
    rows = with_mistakes(organisations(random.Random(SEED)))
    wb = Workbook()
    ws = wb.active
    ws.title = TAB
    bold = Font(bold=True)
    for column, (header, width) in enumerate(zip(HEADERS, WIDTHS), start=1):
        ws.cell(row=1, column=column, value=header).font = bold
        ws.column_dimensions[get_column_letter(column)].width = width
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            if value in ("", None):
                continue
            cell = ws.cell(row=number, column=column, value=value)
            if isinstance(value, dt.date):
                cell.number_format = "DD.MM.YYYY"
    ws.freeze_panes = "A2"
    wb.properties.creator = wb.properties.lastModifiedBy = "make_demo_zastupnik.py"
    wb.properties.title = "«Заступник» — демо (RU-IRK)"
    wb.properties.created = wb.properties.modified = MOMENT
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(reproducible_xlsx(buffer.getvalue(), MOMENT))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=REPO / "data" / "demo" / "irkutsk-zastupnik-2024.xlsx",
                        help="where to write (default: data/demo/irkutsk-zastupnik-2024.xlsx)")
    out = parser.parse_args().out
    write_zastupnik(out)
    print(out)
