"""Benchmark of the history of reads (history/store.py) and of what changed (campaign/changes.py).

    python benchmarks/history.py --rows 100000 --json
    python benchmarks/history.py --rows 3000 --reads 8760 --json

With the rows of `benchmarks/pipeline.py` (N organisations, N/3 events, N/20 contest entries),
in a new SQLite history in a temporary folder, times (best of `--repeat`):
- pipeline_s: the pipeline on those rows, the yardstick;
- record_first_s: recording the first read (every row new);
- record_same_s: recording a read identical to the last (it adds only its time);
- record_changed_s: recording a read in which 1 % of the organisations changed a cell, one in
  a thousand was deleted and as many added;
- pipeline_after_record_s: the pipeline on a read the history has recorded: the history
  converts the rows to Arrow once and the pipeline reads its columns from that conversion;
- changed_adds_s (same_adds_s for the identical read): what recording adds to the time of a
  read, record_changed_s + pipeline_after_record_s − pipeline_s;
- changes_s: what changed since yesterday's read and the rows that disappeared
  (`service.reads.look_back`), with yesterday's report made already (it is made once per day);
- changes_cold_s: the same with yesterday's read rebuilt from the history and run through the
  pipeline first (the first page view of a day after a restart).
With `--reads K`: K reads an hour apart of that sheet, 1 % of its organisations edited a day
(a cell each, in working hours, plus one in a thousand deleted and added), nothing pruned: the
history's file size at the end (size_mb) and the mean time to record a read (record_mean_s).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
# this file's folder off the path: its name would hide the `history` package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

from benchmarks.pipeline import build_tabs  # noqa: E402 - imported once sys.path holds the project
from campaign.pipeline import run  # noqa: E402 - imported once sys.path holds the project
from campaign.registry import load_registry  # noqa: E402 - imported once sys.path holds the project
from campaign.spec import load_campaign  # noqa: E402 - imported once sys.path holds the project
from campaign.workbook import SourceInfo, Workbook  # noqa: E402 - imported once sys.path holds the project
from history.store import HistoryStore  # noqa: E402 - imported once sys.path holds the project
from service.reads import look_back  # noqa: E402 - imported once sys.path holds the project

AS_OF = date(2022, 2, 22)
START = datetime(2022, 2, 8, 0, 0, tzinfo=timezone.utc)
STATUSES = ["меморандум подписан", "заявка подана", "в реестре Альянса"]


def workbook(tabs, at: datetime) -> Workbook:
    return Workbook(tabs=tabs, source=SourceInfo("google", "Бенчмарк"), read_at=at)


def edited(tabs, rng: random.Random, share: float = 0.01, churn: float = 0.001):
    """The tabs with `share` of the organisations' statuses changed, `churn` of them deleted and
    as many new ones added at the end."""
    orgs = tabs[0]
    rows = [list(r) for r in orgs.rows]
    numbers = list(orgs.row_numbers)
    for i in rng.sample(range(len(rows)), max(1, int(len(rows) * share))):
        while len(rows[i]) < 6:
            rows[i].append("")
        rows[i][5] = rng.choice([s for s in STATUSES if s != rows[i][5]])
    gone = set(rng.sample(range(len(rows)), max(1, int(len(rows) * churn))))
    kept = [(n, r) for i, (n, r) in enumerate(zip(numbers, rows)) if i not in gone]
    top = max(numbers) if numbers else 1
    added = [(top + k + 1, [rows[0][0], f"Новая организация {top + k}", "", "школа", "15.02.2022",
                            "меморандум подписан"]) for k in range(len(gone))]
    kept += added
    return [replace(orgs, rows=[r for _, r in kept], row_numbers=[n for n, _ in kept]), *tabs[1:]]


def best(repeat: int, make, timed) -> float:
    """The best time of `timed(x)` over `repeat` fresh `x = make()`."""
    times = []
    for _ in range(repeat):
        subject = make()
        started = time.perf_counter()
        timed(subject)
        times.append(time.perf_counter() - started)
    return min(times)


def interleaved(repeat: int, cases: dict) -> dict[str, float]:
    """The best time of each case (name -> (make, timed)), the cases taking turns."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeat):
        for name, (make, timed) in cases.items():
            subject = make()
            started = time.perf_counter()
            timed(subject)
            times[name].append(time.perf_counter() - started)
    return {name: min(values) for name, values in times.items()}


def timings(rows: int, repeat: int) -> dict:
    campaign = load_campaign("amur-2022")
    load_registry(campaign.region_key)
    rng = random.Random(11)
    tabs = build_tabs(rows)
    changed = edited(tabs, rng)
    yesterday, today = START, START + timedelta(days=1)

    def fresh(tabs_read):  # the tabs as a new read gives them: nothing converted yet
        return [replace(tab) for tab in tabs_read]

    result = {"rows": rows}
    with tempfile.TemporaryDirectory() as folder:
        count = iter(range(1_000_000))

        def empty() -> HistoryStore:
            return HistoryStore(folder=Path(folder) / f"h{next(count)}")

        def with_yesterday() -> HistoryStore:
            store = empty()
            store.record("s", workbook(tabs, yesterday))
            return store

        def converted():
            read = fresh(changed)
            for tab in read:
                tab.text_cells  # noqa: B018 - what recording the read leaves for the pipeline
            return read

        # measured in turns, so that each sees the same moments of a shared, noisy machine
        measured = interleaved(repeat, {
            "pipeline_s": (lambda: fresh(changed), lambda t: run(t, campaign, as_of=AS_OF)),
            "pipeline_after_record_s": (converted, lambda t: run(t, campaign, as_of=AS_OF)),
            "record_same_s": (with_yesterday, lambda s: s.record("s", workbook(fresh(tabs), today))),
            "record_changed_s": (with_yesterday, lambda s: s.record("s", workbook(fresh(changed), today))),
        })
        pipeline_s, after = measured["pipeline_s"], measured["pipeline_after_record_s"]
        result.update({name: round(value, 3) for name, value in measured.items()})
        result["changed_adds_s"] = round(measured["record_changed_s"] + after - pipeline_s, 3)
        result["same_adds_s"] = round(measured["record_same_s"] + after - pipeline_s, 3)
        result["record_first_s"] = round(best(max(1, repeat // 2), empty,
                                              lambda s: s.record("s", workbook(fresh(tabs), yesterday))), 3)
        store = with_yesterday()
        now_book = workbook(changed, today)
        store.record("s", now_book)
        before = run(tabs, campaign, as_of=AS_OF, read_at=yesterday)
        now = run(changed, campaign, as_of=AS_OF, read_at=today)
        found = look_back(store, "s", now_book, now, lambda record: before)
        result["changes_s"] = round(best(repeat, lambda: None,
                                         lambda _: look_back(store, "s", now_book, now, lambda record: before)), 3)

        def cold(_):
            look_back(store, "s", now_book, now,
                      lambda record: run(store.workbook(record.id).tabs, campaign, as_of=AS_OF))

        result["changes_cold_s"] = round(best(repeat, lambda: None, cold), 3)
        result["lost_rows"] = len(found.lost)
        result["changed_municipalities"] = len(found.yesterday.municipalities)
        store.close()
    result["adds_ratio"] = round(max(result["changed_adds_s"], result["same_adds_s"]) / pipeline_s, 2)
    result["record_ratio"] = round(max(result["record_same_s"], result["record_changed_s"]) / pipeline_s, 2)
    result["record_first_ratio"] = round(result["record_first_s"] / pipeline_s, 2)
    return result


def year_of_reads(rows: int, reads: int, change: float) -> dict:
    """`reads` hourly reads; each working hour (9–17 UTC+9) a ninth of the day's edits."""
    rng = random.Random(5)
    tabs = build_tabs(rows)
    per_hour = change / 9
    recording = 0.0
    with tempfile.TemporaryDirectory() as folder:
        store = HistoryStore(folder=Path(folder), retention_days=reads // 24 + 2)
        for hour in range(reads):
            at = START + timedelta(hours=hour)
            if 9 <= (at.hour + 9) % 24 < 18:
                tabs = edited(tabs, rng, share=per_hour, churn=per_hour / 10)
            started = time.perf_counter()
            store.record("s", workbook(tabs, at))
            recording += time.perf_counter() - started
        store.prune(now=START + timedelta(hours=reads))
        size = store.size_bytes()
        snapshots = len({r.snapshot_id for r in store.reads("s")})
        store.close()
    return {"rows": rows, "reads": reads, "days": round(reads / 24, 1), "change_per_day": change,
            "snapshots": snapshots, "size_mb": round(size / 1e6, 1), "record_mean_s": round(recording / reads, 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--reads", type=int, default=0, help="simulate this many hourly reads (8760: a year)")
    parser.add_argument("--change", type=float, default=0.01, help="share of the rows edited a day (with --reads)")
    parser.add_argument("--repeat", type=int, default=7, help="best of this many runs")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    result = year_of_reads(args.rows, args.reads, args.change) if args.reads else timings(args.rows, args.repeat)
    if args.json:
        print(json.dumps(result))
    else:
        print(", ".join(f"{key} {value}" for key, value in result.items()))


if __name__ == "__main__":
    main()
