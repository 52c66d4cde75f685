"""Benchmark of the reading/checking/progress pipeline on N organisation rows.

    python benchmarks/pipeline.py --rows 100000 --json

Builds N organisation rows (plus N/3 events and N/20 contest entries) as a source returns
them (text cells, ragged rows, varied spellings and some mistakes), then times:
- floor_s: only building pandas DataFrames from the same raw rows;
- pipeline_s: the whole pipeline (reading, checking, progress) on those rows.
With --personal-apart the personal columns come as tabs of their own (the key columns and the
personal ones, as a compliant deployment keeps them: campaign/personal_join.py joins them back),
and pipeline_s includes that join.

With --xlsx the same rows are written to an .xlsx as a coordinator's Excel keeps them (a date
typed as a date cell, most ИНН and reach figures as numbers, the rest as typed text: columns that
mix kinds of cells), and the read path is timed against two references nobody here wrote, the
cases alternated round by round in one process, CPU time (this process and its children: a large
workbook is parsed in a child process, data_sources/parse_apart.py):
- polars_s: polars with fastexcel reading every tab, then a group-by of the organisations per
  municipality and the events' reach per municipality;
- pandas_s: pandas.read_excel(engine="calamine") and the same group-bys;
- refresh_s: what a refresh costs: reading the file as the app does (LocalFileSource) and the
  whole pipeline (every check, every count);
- first_s: the first read of the sheet by the app's read service, into a new history (every row
  recorded), with what the history says of the read; refresh_again_s: the service's next read
  of the unchanged sheet.
kb_per_row: how far a fresh server process's peak memory rises for the first read through the
service (read, history, pipeline), per row; next_kb_per_row: how far its next read of the unchanged
sheet raises it again from what the first left (the served report and workbook included).
peak_mb is how far the pipeline raises the peak resident memory of a separate process that
builds the rows and then runs the pipeline once (the raw rows, the interpreter and pandas are
not counted); process_peak_mb is that process's whole peak.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd

from campaign.personal_join import split_positions
from campaign.pipeline import run
from campaign.registry import load_registry
from campaign.spec import Campaign, load_campaign
from campaign.workbook import RawTab

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

        def part(wanted: list[int], tab: RawTab = tab) -> tuple[list[str], list[list[str]]]:
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
    setup = ("from campaign.spec import load_campaign; from campaign.registry import load_registry;"
             "load_registry(load_campaign('amur-2022').region_key);"
             f"t=b.build_tabs({rows});"
             + ("t=b.personal_apart(t, load_campaign('amur-2022'));" if apart else ""))
    own, whole, _ = peak_rise(setup, "b.pipeline_seconds(t, 1)")
    return own / 1024, whole / 1024


def peak_rise(setup: str, action: str) -> tuple[float, float, float]:
    """(how far `action` raises a fresh process's peak memory, that process's whole peak, the
    largest peak of a worker process it left running), KB; `setup` runs first, not counted. `b` is
    this module."""
    code = (
        "import sys; sys.path.insert(0, 'benchmarks'); import pipeline as b;" + setup +
        "import gc; gc.collect();"
        "before = int(open('/proc/self/statm').read().split()[1]) * 4096 / 1024;"
        "open('/proc/self/clear_refs', 'w').write('5');" + action + ";"
        "peak = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'));"
        "print(peak - before, peak, b.children_peak_kb())"
    )
    repo = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=True)
    own, whole, workers = (float(v) for v in out.stdout.strip().splitlines()[-1].split())
    return own, whole, workers


XLSX_CACHE = Path(tempfile.gettempdir()) / "campaign-bench-pipeline"
DEMO_XLSX = Path(__file__).resolve().parent.parent / "data" / "demo" / "amur-2022.xlsx"
TYPED_DAY = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})$")


def typed_cell(text: str, header: str, rng: random.Random) -> object:
    """A cell as Excel keeps what a coordinator typed: a date as a date, digits mostly as a number."""
    day = TYPED_DAY.match(text)
    if day and header.startswith("Дата"):
        try:
            return datetime(int(day.group(3)), int(day.group(2)), int(day.group(1)))
        except ValueError:  # «31.02.2022» stays text, as Excel keeps it
            return text
    if text.isdigit() and not text.startswith("0") and rng.random() < 0.8:
        return int(text)
    return text


def xlsx_workbook(rows: int) -> Path:
    """The benchmark's .xlsx of `rows` organisation rows (written once, then reused)."""
    from openpyxl import Workbook

    path = XLSX_CACHE / f"typed-{rows}.xlsx"
    if path.exists():
        return path
    XLSX_CACHE.mkdir(parents=True, exist_ok=True)
    rng = random.Random(11)
    book = Workbook(write_only=True)
    for tab in build_tabs(rows):
        sheet = book.create_sheet(tab.title)
        sheet.append(tab.header)
        for row in tab.rows:
            sheet.append([typed_cell(cell, tab.header[j], rng) for j, cell in enumerate(row)])
    partial = path.with_suffix(".partial")
    book.save(partial)
    partial.rename(path)
    return path


def cpu_seconds() -> float:
    """CPU time of this process and of its children, finished or running (the worker that parses
    a large workbook apart stays for the next read: its CPU is read from /proc)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system + running_children_cpu()


def children() -> list[str]:
    """The pids of this process's running children."""
    pids = []
    for threads in Path("/proc/self/task").iterdir():
        try:
            pids += (threads / "children").read_text().split()
        except OSError:
            continue
    return pids


def children_peak_kb() -> float:
    """The largest peak memory (VmHWM) of this process's running children, KB."""
    peaks = [0.0]
    for pid in children():
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        peaks += [float(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")]
    return max(peaks)


def running_children_cpu() -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in children():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # it ended meanwhile: counted among the finished ones
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def cpu_of(action) -> float:
    started = cpu_seconds()
    action()
    return cpu_seconds() - started


def polars_reference(path: Path) -> None:
    import polars as pl

    frames = pl.read_excel(path, sheet_id=0, engine="calamine")
    frames["Организации"].group_by("Муниципальное образование").len()
    events = frames["Мероприятия"].with_columns(pl.col("Охват, чел.").cast(pl.String))
    events.group_by("Муниципальное образование").agg(pl.col("Охват, чел.").count())


def pandas_reference(path: Path) -> None:
    frames = pd.read_excel(path, sheet_name=None, engine="calamine")
    frames["Организации"].groupby("Муниципальное образование").size()
    frames["Мероприятия"].groupby("Муниципальное образование")["Охват, чел."].count()


def app_refresh(path: Path, unzipped_mb: int | None = None) -> object:
    """A refresh as the app makes it: the file read by its source, then every check and count."""
    from data_sources.limits import ReadLimits
    from data_sources.local_file import LocalFileSource

    workbook = LocalFileSource(path, ReadLimits(**({"unzipped_mb": unzipped_mb} if unzipped_mb else {}))).read()
    return run(workbook.tabs, load_campaign("amur-2022"), as_of=date(2022, 2, 22))


def service_reads(path: Path, unzipped_mb: int | None = None) -> tuple[float, float, float]:
    """(the first read of the sheet by the read service into a new history, its next read of the
    unchanged sheet: CPU seconds; the first read's wall seconds, what the first page waits)."""
    service, settings, first, wall = service_first_read(path, unzipped_mb)
    return first, service_next_read(service, settings), wall


def service_first_read(path: Path, unzipped_mb: int | None = None):
    """(a read service, its settings, the CPU and wall seconds of its first read of `path` into a
    new history); stops when the service shows no data."""
    os.environ["CAMPAIGN_CACHE_DIR"] = tempfile.mkdtemp(prefix="campaign-bench-pipeline-")
    from data_sources.config import load_settings
    from service.reads import ReadService

    section = {"source": str(path), "source_kind": "file", "as_of": "2022-02-22",
               **({"max_unzipped_mb": unzipped_mb} if unzipped_mb else {})}
    settings = load_settings(secrets={"campaigns": {"amur-2022": section}}, campaign_id="amur-2022")
    service = ReadService()
    started = time.perf_counter()
    first = cpu_of(lambda: service.refresh_quietly(settings))
    wall = time.perf_counter() - started
    current = service.current(settings)
    if current.report is None or current.error is not None:
        raise SystemExit(f"the read service showed no data for {path.name}: {current.error}")
    return service, settings, first, wall


def service_next_read(service, settings) -> float:
    """The CPU seconds of the service's next read of the unchanged sheet (its TTL run out)."""
    service.expire()
    return cpu_of(lambda: service.refresh_quietly(settings))


def xlsx_rounds(rows: int, rounds: int, unzipped_mb: int | None = None) -> dict:
    """The read path against both references, alternated round by round (best of `rounds`)."""
    path = xlsx_workbook(rows)
    cases = {"polars_s": lambda: polars_reference(path), "pandas_s": lambda: pandas_reference(path),
             "refresh_s": lambda: app_refresh(path, unzipped_mb)}
    best = {name: float("inf") for name in cases}
    for _ in range(rounds):
        for name, action in cases.items():
            best[name] = min(best[name], cpu_of(action))
    report = app_refresh(path, unzipped_mb)
    if not report.metrics.get("organisations_joined"):
        raise SystemExit("the pipeline counted no organisation: the benchmark measured an error")
    # a server that runs already: its modules imported, its history's driver warm (the bundled demo read once)
    service_reads(DEMO_XLSX)
    firsts = [service_reads(path, unzipped_mb) for _ in range(max(1, rounds // 2))]
    result = {name: round(value, 3) for name, value in best.items()}
    result["first_s"] = round(min(first for first, _, _ in firsts), 3)
    result["first_wall_s"] = round(min(wall for _, _, wall in firsts), 3)
    result["refresh_again_s"] = round(min(again for _, again, _ in firsts), 3)
    result["refresh_vs_polars"] = round(best["refresh_s"] / best["polars_s"], 2)
    result["refresh_vs_pandas"] = round(best["refresh_s"] / best["pandas_s"], 2)
    result["first_vs_refresh"] = round(result["first_s"] / best["refresh_s"], 2)
    return result


def xlsx_memory(rows: int, unzipped_mb: int | None = None) -> dict:
    """How far a fresh server process's peak memory rises for the first read through the service
    (read, history, pipeline), and for its next read of the unchanged sheet from what the first
    left (the report and the workbook of the first served meanwhile); the largest peak of the
    worker that parsed the workbook apart (data_sources/parse_apart.py)."""
    running = f"path = b.xlsx_workbook({rows}); b.service_reads(b.DEMO_XLSX);"  # a server running
    own, whole, worker = peak_rise(running, f"made = b.service_first_read(path, {unzipped_mb!r})")
    again, _, _ = peak_rise(running + f"service, settings, _, _ = b.service_first_read(path, {unzipped_mb!r});",
                            "b.service_next_read(service, settings)")
    return {"peak_rise_mb": round(own / 1024, 1), "kb_per_row": round(own / rows, 2),
            "next_peak_rise_mb": round(again / 1024, 1), "next_kb_per_row": round(again / rows, 2),
            "process_peak_mb": round(whole / 1024, 1), "worker_peak_mb": round(worker / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-memory", action="store_true", help="skip the separate memory run")
    parser.add_argument("--xlsx", action="store_true",
                        help="the read path from an .xlsx against polars + fastexcel and pandas (CPU, alternated)")
    parser.add_argument("--max-unzipped-mb", type=int, default=None,
                        help="the campaign's max_unzipped_mb for the read service (a million rows unzip to 1.1 GB)")
    parser.add_argument("--personal-apart", action="store_true",
                        help="the personal columns in tabs of their own, joined back by the pipeline")
    args = parser.parse_args()

    if args.xlsx:
        result = {"rows": args.rows, **xlsx_rounds(args.rows, args.repeat, args.max_unzipped_mb)}
        if not args.no_memory:
            result.update(xlsx_memory(args.rows, args.max_unzipped_mb))
        print(json.dumps(result) if args.json else result)
        return
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
