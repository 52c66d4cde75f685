"""What both demo scripts share: fictional people (names and phones) and an .xlsx written the
same, byte for byte, on every run."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import zipfile

SURNAMES = [  # male form; female = +«а» for -ов/-ев/-ин/-ёв, unchanged otherwise
    "Иванов", "Соколов", "Кузнецов", "Морозов", "Новиков", "Зайцев", "Павлов", "Семёнов",
    "Виноградов", "Богданов", "Фёдоров", "Тарасов", "Комаров", "Орлов", "Макаров", "Андреев",
    "Ковалёв", "Ильин", "Гусев", "Титов", "Кудрявцев", "Баранов", "Куликов", "Степанов",
    "Сорокин", "Романов", "Захаров", "Борисов", "Герасимов", "Лазарев", "Никитин", "Соболев",
    "Поляков", "Данилов", "Фролов", "Крылов", "Максимов", "Осипов", "Белоусов", "Егоров",
    "Матвеев", "Калинин", "Антонов", "Тимофеев", "Филиппов", "Миронов", "Коновалов",
    "Шестаков", "Громов", "Мельников", "Колесников", "Власов", "Тихонов", "Гаврилов",
    "Литвиненко", "Шевченко", "Ковальчук", "Бондаренко", "Ким", "Пак", "Цой", "Мельниченко",
]
MALE = ["Александр", "Сергей", "Андрей", "Дмитрий", "Алексей", "Владимир", "Евгений",
        "Игорь", "Олег", "Николай", "Михаил", "Виктор", "Павел", "Юрий", "Константин"]
FEMALE = ["Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Марина", "Анна",
          "Юлия", "Людмила", "Галина", "Оксана", "Екатерина", "Надежда", "Виктория", "Лариса"]
PATRONYMIC_BASE = ["Александров", "Сергеев", "Андреев", "Владимиров", "Николаев",
                   "Викторов", "Иванов", "Петров", "Михайлов", "Юрьев", "Геннадьев",
                   "Анатольев", "Борисов", "Васильев", "Олегов"]


def _female_surname(s: str) -> str:
    return s + "а" if re.search(r"(ов|ев|ёв|ин)$", s) else s


def fake_fio(rng: random.Random) -> str:
    surname = rng.choice(SURNAMES)
    if rng.random() < 0.72:  # schools and libraries: mostly women
        return f"{_female_surname(surname)} {rng.choice(FEMALE)} {rng.choice(PATRONYMIC_BASE)}на"
    return f"{surname} {rng.choice(MALE)} {rng.choice(PATRONYMIC_BASE)}ич"


def fake_phone(rng: random.Random, code: str, mobile_prefixes: tuple) -> str:
    if rng.random() < 0.4:
        local_len = 10 - len(code)
        n = "".join(str(rng.randint(0, 9)) for _ in range(local_len))
        n = str(rng.randint(2, 7)) + n[1:]
        groups = {7: (n[:3], n[3:5], n[5:]), 6: (n[:2], n[2:4], n[4:]), 5: (n[:1], n[1:3], n[3:])}[local_len]
        return f"8 ({code}) " + "-".join(groups)
    p = rng.choice(mobile_prefixes)
    n = "".join(str(rng.randint(0, 9)) for _ in range(7))
    style = rng.randrange(5)
    if style == 0:
        return f"+7 {p} {n[:3]} {n[3:5]} {n[5:]}"
    if style == 1:
        return f"8{p}{n}"
    if style == 2:
        return f"8-{p}-{n[:3]}-{n[3:5]}-{n[5:]}"
    if style == 3:
        return f"+7({p}){n}"
    return f"8 {p} {n[:3]} {n[3:5]} {n[5:]}"



def reproducible_xlsx(data: bytes, moment: dt.datetime) -> bytes:
    """An .xlsx saved by openpyxl with every time stamp set to `moment`: the same bytes every run."""
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rf"\g<1>{stamp}\g<2>", text)
                text = re.sub(r"(<dcterms:created[^>]*>)[^<]*(</dcterms:created>)", rf"\g<1>{stamp}\g<2>", text)
                content = text.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=moment.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, content)
    return out.getvalue()
