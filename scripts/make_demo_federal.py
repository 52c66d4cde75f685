"""Write the federal demo: small #МояХартия workbooks of regions in every federal district
(data/demo/moyakhartiya-2022-rf/<ОКАТО code>.xlsx), reporting unevenly on 01.03.2022 — some past
the memo's 20 organisations, some far behind, three connected with nothing typed yet; the other
subjects have no sheet. Deterministic: the same bytes on every run.

Run: python scripts/make_demo_federal.py [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_people import fake_fio, fake_phone, reproducible_xlsx

from campaign.region_list import registry_for
from campaign.spec import load_campaign
from campaign.subjects import find_subject

FEDERAL = "moyakhartiya-2022-rf"
CAMPAIGN = load_campaign(FEDERAL)
AS_OF = CAMPAIGN.demo_as_of
FIXED_TIME = dt.datetime.combine(AS_OF, dt.time(18))
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / "demo" / FEDERAL
SEED = 20220315


@dataclass(frozen=True)
class Plan:
    """How far a region has got: `level` of the memo's targets (1.0: every target just met)."""

    name: str
    level: float


# Two or three regions of every federal district; Якутия has no bundled boundaries (its
# municipalities come from its «Цели» tab); the last three are connected and empty.
PLANS = (
    Plan("Московская область", 1.3), Plan("Тульская область", 0.5), Plan("Курская область", 0.0),
    Plan("Санкт-Петербург", 0.9), Plan("Мурманская область", 0.3),
    Plan("Краснодарский край", 1.1), Plan("Республика Крым", 0.6), Plan("Республика Калмыкия", 0.0),
    Plan("Республика Дагестан", 0.2), Plan("Ставропольский край", 0.75),
    Plan("Республика Татарстан", 1.2), Plan("Нижегородская область", 0.7),
    Plan("Свердловская область", 0.8), Plan("Ямало-Ненецкий автономный округ", 0.4),
    Plan("Новосибирская область", 0.6), Plan("Иркутская область", 0.35),
    Plan("Хабаровский край", 0.9), Plan("Республика Саха (Якутия)", 0.3), Plan("Чукотский автономный округ", 0.0),
)

# Якутия: its 2 city okrugs and 34 districts (улусы), as its coordinators would list them
YAKUTIA = ["г. Якутск", "г. Жатай"] + [f"{name} улус" for name in (
    "Абыйский", "Алданский", "Аллаиховский", "Амгинский", "Анабарский", "Булунский", "Верхневилюйский",
    "Верхнеколымский", "Верхоянский", "Вилюйский", "Горный", "Жиганский", "Кобяйский", "Ленский",
    "Мегино-Кангаласский", "Мирнинский", "Момский", "Намский", "Нерюнгринский", "Нижнеколымский", "Нюрбинский",
    "Оймяконский", "Олёкминский", "Оленёкский", "Среднеколымский", "Сунтарский", "Таттинский", "Томпонский",
    "Усть-Алданский", "Усть-Майский", "Усть-Янский", "Хангаласский", "Чурапчинский", "Эвено-Бытантайский")]

HEADERS = {
    "Организации": ["Муниципальное образование", "Наименование организации", "ИНН", "Тип организации",
                    "Дата присоединения", "Статус", "ФИО контактного лица", "Должность", "Телефон", "Email",
                    "Ссылка на меморандум"],
    "Мероприятия": ["Муниципальное образование", "Вид мероприятия", "Название", "Дата", "Ссылка", "Охват, чел."],
    "Конкурс": ["Муниципальное образование", "Участник", "Площадка", "Ссылка на видеоролик", "Итог"],
    "Цели": ["Муниципальное образование", "Цель: организаций"],
}
KINDS = (("информационная кампания", 4, "Информационная кампания «Цифровая этика детства»"),
         ("конференция", 1.5, "Конференция «Безопасный интернет для детей»"),
         ("интервью / выступление на радио или ТВ", 10, "Интервью о Хартии"))
ORG_KINDS = (("МБОУ «Средняя общеобразовательная школа № {n}»", "образовательная организация", "директор"),
             ("МБДОУ «Детский сад № {n}»", "образовательная организация", "заведующий"),
             ("МБУК «Библиотека № {n}»", "иное", "директор"),
             ("АНО «Центр цифровой грамотности № {n}»", "НКО", "руководитель"))


def phone_code(subject) -> str:
    return re.search(r"\((\d+)\)", subject.phone_example).group(1)


def day(rng: random.Random) -> dt.date:
    return CAMPAIGN.start + dt.timedelta(days=rng.randrange((AS_OF - CAMPAIGN.start).days + 1))


def region_rows(plan: Plan, rng: random.Random) -> dict[str, list[list]]:
    subject = find_subject(plan.name)
    names = YAKUTIA if not subject.has_boundaries else [
        m.name for m in registry_for(load_campaign(CAMPAIGN.region_campaign_id(subject.code))).municipalities]
    tabs: dict[str, list[list]] = {"Организации": [], "Мероприятия": [], "Конкурс": []}
    if not subject.has_boundaries:
        tabs["Цели"] = [[name, 2 if name.startswith("г. ") else 1] for name in names]
    if plan.level == 0:
        return tabs
    # the active municipalities: the towns first, then some districts
    active = names[: max(2, round(len(names) * min(plan.level, 1) * 0.6))]
    code = phone_code(subject)
    organisations = round(20 * plan.level * rng.uniform(0.9, 1.1))
    for n in range(1, organisations + 1):
        pattern, kind, position = rng.choice(ORG_KINDS)
        status = "меморандум подписан" if rng.random() < 0.85 else "заявка подана"
        tabs["Организации"].append([
            rng.choice(active), pattern.format(n=n), "", kind, day(rng).strftime("%d.%m.%Y"), status,
            fake_fio(rng), position, fake_phone(rng, code, ("914", "924", "962")), f"school{n}@example.ru",
            f"https://example.ru/hartiya/{subject.code}/{n}"])
    for kind, per_target, title in KINDS:
        for n in range(round(per_target * plan.level * rng.uniform(0.8, 1.1))):
            tabs["Мероприятия"].append([rng.choice(active), kind, f"{title} ({n + 1})", day(rng).strftime("%d.%m.%Y"),
                                        f"https://vk.com/wall-{1000 + int(subject.code)}_{n + 1}",
                                        rng.randrange(40, 400)])
    if plan.level >= 0.6:
        municipality = active[0]
        tabs["Мероприятия"].append([municipality, "конкурс видеороликов", "Конкурс видеороликов «Моя Хартия»",
                                    day(rng).strftime("%d.%m.%Y"), "https://vk.com/wall-1_1", 120])
        for n, result in enumerate(("победитель", "призёр", "участник")):
            tabs["Конкурс"].append([municipality, f"{fake_fio(rng).split()[1]} ({13 + n} лет)", "VK Клипы",
                                    f"https://vk.com/clip-{1000 + int(subject.code)}_{n + 1}", result])
    return tabs


def write(tabs: dict[str, list[list]], path: Path) -> None:
    book = Workbook()
    book.remove(book.active)
    for title, rows in tabs.items():
        sheet = book.create_sheet(title)
        sheet.append(HEADERS[title])
        for row in rows:
            sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    path.write_bytes(reproducible_xlsx(data.getvalue(), FIXED_TIME))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT, help=f"where to write (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for plan in PLANS:
        subject = find_subject(plan.name)
        rng = random.Random(f"{SEED}:{subject.code}")
        path = args.out_dir / f"{subject.code}.xlsx"
        tabs = region_rows(plan, rng)
        write(tabs, path)
        print(f"{path.name}: {subject.name}, " + ", ".join(f"{t}: {len(r)}" for t, r in tabs.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
