"""Benchmark of a federal campaign: R regional Google Sheets of N organisation rows each, read by
the server's background reads within the Sheets quota.

    python benchmarks/federal.py --regions 89 --rows-per-region 300 --json

The sheets live on the Sheets stand-in (tests/sheets_standin.py: real gspread and a real Drive
`files.list` over HTTP on 127.0.0.1); the reads' rounds run every 30 s of a test clock, so that
minutes of the schedule take seconds, while CPU time and memory are the process's own:

- `cold`: from a server's start until every sheet is read — rounds, minutes of the schedule, the
  most Sheets requests in any 60 s, the CPU seconds of the whole cycle (every read and report);
- `unchanged`: one round when nothing changed — Drive and Sheets requests, CPU seconds;
- `one_changed`: one sheet changed — the requests, and the seconds of the schedule until its new
  figure is served;
- `all_changed`: every sheet changed at once — rounds and minutes until all are served, the
  most Sheets requests in any 60 s, CPU seconds;
- `peak_memory_mb`: the process's peak resident memory;
- `regions_page`: «Регионы» of the bundled federal demo in AppTest (89 subjects, 19 sheets):
  its first run, the median of 5 warm reruns and the bytes it sends. It fails loudly if the
  page shows an error instead of the regions.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.federal_sheets import SUBJECTS, federal_reads, joined, put, rounds, worst_minute  # noqa: E402 - imported once sys.path holds the project
from tests.sheets_standin import SheetsStandIn  # noqa: E402 - imported once sys.path holds the project

MAX_ROUNDS = 40  # 20 minutes of the schedule: a cycle that does not end by then is a failure


def cpu() -> float:
    return time.process_time()


def until(standin, federal, done, limit: int = MAX_ROUNDS) -> list:
    made = []
    while not done():
        if len(made) >= limit:
            raise SystemExit(f"not done after {limit} rounds of the schedule")
        made += rounds(standin, federal, 1)
    return made


def measure_sheets(regions: int, rows: int) -> dict:
    subjects = SUBJECTS[:regions]
    with SheetsStandIn() as standin, tempfile.TemporaryDirectory() as folder:
        federal = federal_reads(standin, Path(folder), subjects, rows)
        service = federal.service
        started = cpu()
        cold = until(standin, federal, lambda: all(service.read_ok(s) for s in federal.regions))
        cold_cpu = cpu() - started
        if any(joined(federal, s) != rows for s in federal.regions):
            raise SystemExit("a region's figure is not its sheet's: the benchmark would time the wrong thing")

        rounds(standin, federal, 2)  # every sheet confirmed once more
        standin.reset_requests()
        started = cpu()
        quiet = rounds(standin, federal, 2)
        unchanged_cpu = (cpu() - started) / 2

        target = federal.regions[0]
        put(standin, subjects[0], rows + 1)
        changed_at = federal.clocks.monotonic
        standin.reset_requests()
        one = until(standin, federal, lambda: joined(federal, target) == rows + 1, limit=8)
        one_after = one[-1][0] - changed_at

        for subject in subjects:
            put(standin, subject, rows + 2)
        changed_at = federal.clocks.monotonic
        started = cpu()
        every = until(standin, federal, lambda: all(joined(federal, s) == rows + 2 for s in federal.regions))
        all_cpu = cpu() - started
        return {
            "cold": {"rounds": len(cold), "minutes": round(len(cold) * 30 / 60, 1), "cpu_s": round(cold_cpu, 2),
                     "worst_minute_sheets_requests": worst_minute(cold),
                     "sheets_requests": sum(s for _, _, s in cold), "drive_requests": sum(d for _, d, _ in cold)},
            "unchanged": {"drive_requests_per_round": max(d for _, d, _ in quiet),
                          "sheets_requests_per_round": max(s for _, _, s in quiet), "cpu_s": round(unchanged_cpu, 3)},
            "one_changed": {"sheets_requests": sum(s for _, _, s in one), "drive_requests": sum(d for _, d, _ in one),
                            "shown_after_s": one_after},
            "all_changed": {"rounds": len(every), "minutes": round((every[-1][0] - changed_at) / 60 + 0.5, 1),
                            "worst_minute_sheets_requests": worst_minute(every), "cpu_s": round(all_cpu, 2),
                            "sheets_requests": sum(s for _, _, s in every)},
        }


def measure_page() -> dict:
    """«Регионы» of the bundled federal demo: first run, warm reruns, bytes."""
    os.environ.setdefault("CAMPAIGN_BACKGROUND_READS", "0")
    os.environ["CAMPAIGN_CACHE_DIR"] = tempfile.mkdtemp(prefix="campaign-bench-federal-")
    from streamlit.testing.v1 import AppTest

    from tests.page_bytes import count_sent

    sizes = count_sent()
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    at.query_params["campaign"] = "moyakhartiya-2022-rf"
    started = time.perf_counter()
    at.run()
    first = time.perf_counter() - started

    def check() -> None:
        if at.exception or not at.title or at.title[0].value != "Акция #МояХартия — по регионам" \
                or len(at.dataframe[-1].value) != 89:
            raise SystemExit(f"«Регионы» shows no regions: {[e.value for e in at.exception]} "
                             f"{[e.value for e in at.error]}")

    check()
    warm = []
    for _ in range(5):
        started = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - started)
        check()
    return {"first_s": round(first, 2), "warm_s": round(statistics.median(warm), 3), "bytes": sizes[-1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regions", type=int, default=89, help="how many regional sheets (at most 89)")
    parser.add_argument("--rows-per-region", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not 1 <= args.regions <= len(SUBJECTS):
        parser.error(f"--regions: from 1 to {len(SUBJECTS)}")
    result = {"regions": args.regions, "rows_per_region": args.rows_per_region,
              **measure_sheets(args.regions, args.rows_per_region)}
    result["regions_page"] = measure_page()
    result["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    result["load"] = round(os.getloadavg()[0], 1)
    print(json.dumps(result, ensure_ascii=False, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
