"""Benchmark of the reading/checking/progress pipeline on N organisation rows.

    python benchmarks/pipeline.py --rows 100000 --json

Builds N organisation rows (plus N/3 events and N/20 contest entries) as a source returns
them (text cells, ragged rows, varied spellings and some mistakes), then times:
- floor_s: only building pandas DataFrames from the same raw rows;
- pipeline_s: the whole pipeline (reading, checking, progress) on those rows.
With --personal-apart the personal columns come as tabs of their own (the key columns and the
personal ones, as a compliant deployment keeps them: campaign/personal_join.py joins them back),
and pipeline_s includes that join.
peak_mb is how far the pipeline raises the peak resident memory of a separate process that
builds the rows and then runs the pipeline once (the raw rows, the interpreter and pandas are
not counted); process_peak_mb is that process's whole peak.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
import warnings
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd  # noqa: E402

from campaign.pipeline import run  # noqa: E402
from campaign.registry import load_registry  # noqa: E402
from campaign.spec import Campaign, load_campaign  # noqa: E402
from campaign.personal_join import split_positions  # noqa: E402
from campaign.workbook import RawTab  # noqa: E402

ORG_HEADER = ["Муниципальное образование", "Наименование организации", "ИНН", "Тип организации",
              "Дата присоединения", "Статус", "ФИО контактного лица", "Должность", "Телефон", "Email",
              "Ссылка на меморандум"]
EVENT_HEADER = ["Муниципальное образование", "Вид мероприятия", "Название", "Дата", "Ссылка", "Охват, чел."]
CONTEST_HEADER = ["Муниципальное образование", "Участник", "Площадка", "Ссылка на видеоролик", "Итог"]


def _inn(rng: random.Random) -> str:
    digits = [2, 8] + [rng.randint(0, 9) for _ in range(7)]
    weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    check = sum(d * w for d, w in zip(digits, weights)) % 11 % 10
    return "".join(map(str, digits)) + str(check)


def _municipality_spellings(campaign_region: str) -> list[str]:
    spellings = []
    for m in load_registry(campaign_region).municipalities:
        if m.municipality_class == "go":
            spellings += [m.name, m.short_name, f"город {m.short_name}", f"ГО {m.name}"]
        else:
            spellings += [m.name, m.name.replace(" район", " р-н"),
                          m.name.replace(" район", " муниципальный округ")]
    return spellings * 10 + ["Белогорскй р-н", "Неизвестный район"]


def build_tabs(rows: int, seed: int = 7) -> list[RawTab]:
    rng = random.Random(seed)
    places = _municipality_spellings("RU-AMU")
    start = date(2022, 2, 8)
    day_texts = []
    for offset in [*range(0, 15)] * 10 + [-5, 40]:  # half-way through, a few outside
        d = start + timedelta(days=offset)
        day_texts += [d.strftime("%d.%m.%Y"), d.isoformat(), d.strftime("%d.%m.%y"),
                      str((d - date(1899, 12, 30)).days)]
    day_texts += ["31.02.2022"]
    statuses = ["", "", "меморандум подписан", "в реестре Альянса", "заявка подана", "подписан"] * 8 + ["в работе"]
    kinds = ["информационная кампания", "конференция", "интервью", "выступление на радио",
             "конкурс видеороликов", "круглый стол", "иное мероприятие"] * 7 + ["флешмоб"]
    org_rows = []
    for i in range(rows):
        phone = rng.choice([f"8 (4162) {rng.randint(20, 59)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
                            f"+7 914 {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                            f"8914{rng.randint(1000000, 9999999)}"] * 16 + ["12-34"])
        row = [rng.choice(places), f"МОБУ СОШ № {i}", _inn(rng) if i % 3 else "", rng.choice(["школа", "НКО", ""]),
               rng.choice(day_texts), rng.choice(statuses), f"Иванова А. {i}", "директор", phone,
               f"school{i}@mail.ru", rng.choice(["", f"https://school{i}.ru/memo.pdf", "vk.com/x"] * 10 + ["нет"])]
        if i % 97 == 0:
            row[1] = f"МОБУ СОШ № {i - 1}"  # a duplicate
        org_rows.append(row[: rng.choice([9, 10, 11, 11])])  # ragged, like the API returns
    event_rows = [
        [rng.choice(places), rng.choice(kinds), f"Событие {i}", rng.choice(day_texts),
         rng.choice([f"https://vk.com/wall-{i}", f"vk.com/club{i}"] * 20 + ["см. сайт"]),
         rng.choice(["150", "~300", "1 200", "40 чел.", ""] * 10 + ["много"])]
        for i in range(rows // 3)
    ]
    contest_rows = [
        [rng.choice(places), f"Участник {i}", rng.choice(["TikTok", "ВК клипы", "Yappy", "Instagram"]),
         f"https://vk.com/clip{i}", rng.choice(["победитель", "призёр", "участник", ""])]
        for i in range(rows // 20)
    ]
    return [
        RawTab("Организации", ORG_HEADER, org_rows, list(range(2, len(org_rows) + 2)), 0),
        RawTab("Мероприятия", EVENT_HEADER, event_rows, list(range(2, len(event_rows) + 2)), 1),
        RawTab("Конкурс", CONTEST_HEADER, contest_rows, list(range(2, len(contest_rows) + 2)), 2),
    ]


def personal_apart(tabs: list[RawTab], campaign: Campaign) -> list[RawTab]:
    """The tabs as a compliant deployment reads them: each without its personal columns, and
    for each tab with personal columns a tab of the personal workbook (its join keys and its
    personal columns, the rows in the same order), as `personal_join.split_positions` says."""
    shared, personal = [], []
    for tab in tabs:
        spec = campaign.tab_named(tab.title)
        shared_at, personal_at = split_positions(spec, tab.header)

        def part(wanted: list[int]) -> tuple[list[str], list[list[str]]]:
            return ([tab.header[i] for i in wanted],
                    [[row[i] if i < len(row) else "" for i in wanted] for row in tab.rows])

        shared.append(RawTab(tab.title, *part(shared_at), tab.row_numbers, tab.sheet_id))
        if personal_at:
            personal.append(RawTab(tab.title, *part(personal_at), tab.row_numbers, 100 + len(personal),
                                   file="Персональные данные.xlsx", personal=True))
    return shared + personal


def floor_seconds(tabs: list[RawTab]) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas warns that it pads ragged rows
        started = time.perf_counter()
        for tab in tabs:
            pd.DataFrame(tab.rows)
        return time.perf_counter() - started


def pipeline_seconds(tabs: list[RawTab], repeat: int = 1) -> tuple[float, object]:
    campaign = load_campaign("amur-2022")
    load_registry(campaign.region_key)
    best, report = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        report = run(tabs, campaign, as_of=date(2022, 2, 22))
        best = min(best, time.perf_counter() - started)
    return best, report


def peak_mb(rows: int, apart: bool = False) -> tuple[float, float]:
    """(pipeline's own peak, whole process peak) in MB, from a fresh process.

    The peak is VmHWM, the high-water mark of the process's own memory, reset just before the
    pipeline runs (so building the rows does not count): ru_maxrss would carry over the peak of
    this (parent) process, which Linux keeps across the child's exec."""
    code = (
        "import sys; sys.path.insert(0, 'benchmarks'); import pipeline as b;"
        "from campaign.spec import load_campaign; from campaign.registry import load_registry;"
        "load_registry(load_campaign('amur-2022').region_key);"
        f"t=b.build_tabs({rows});"
        + ("t=b.personal_apart(t, load_campaign('amur-2022'));" if apart else "")
        + "import gc; gc.collect();"
        "before=int(open('/proc/self/statm').read().split()[1])*4096/1024;"
        "open('/proc/self/clear_refs', 'w').write('5');"
        "b.pipeline_seconds(t, 1);"
        "peak=next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'));"
        "print(peak - before, peak)"
    )
    repo = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=True)
    own, whole = out.stdout.strip().splitlines()[-1].split()
    return float(own) / 1024, float(whole) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-memory", action="store_true", help="skip the separate memory run")
    parser.add_argument("--personal-apart", action="store_true",
                        help="the personal columns in tabs of their own, joined back by the pipeline")
    args = parser.parse_args()

    tabs = build_tabs(args.rows)
    if args.personal_apart:
        tabs = personal_apart(tabs, load_campaign("amur-2022"))
    floor = min(floor_seconds(tabs) for _ in range(args.repeat))
    seconds, report = pipeline_seconds(tabs, args.repeat)
    result = {
        "rows": args.rows,
        **({"personal_apart": True} if args.personal_apart else {}),
        "pipeline_s": round(seconds, 3),
        "floor_s": round(floor, 3),
        "ratio": round(seconds / floor, 2) if floor else None,
    }
    if not args.no_memory:
        own, whole = peak_mb(args.rows, args.personal_apart)
        result["peak_mb"] = round(own, 1)
        result["process_peak_mb"] = round(whole, 1)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{args.rows} rows: pipeline {seconds:.3f} s, floor {floor:.3f} s, "
              f"ratio {result['ratio']}, peak {result.get('peak_mb')} MB; "
              f"{report.metrics['organisations_joined']} joined, {len(report.problems)} problems")


if __name__ == "__main__":
    main()
