"""Benchmark of the pages as a user waits for them, with AppTest, on a sheet of N organisation rows.

    python benchmarks/pages.py --rows 100000 --json [--compare 300] [--warm 7]

Builds an .xlsx of N organisation rows (plus N/3 events and N/20 contest entries, as
`benchmarks/pipeline.py` makes them) for the Amur campaign, with the other bundled demos beside it
(so that «Регионы» is there), and runs the real app with Streamlit's AppTest:

- `first_s`: the first session of a fresh server (the read, the pipeline, the history's first
  record of the sheet, the page);
- `read_s`, `pipeline_s`: reading the .xlsx alone, and the pipeline alone on what was read;
- `refresh_s`: a refresh of the current read (what «Обновить» or an expired TTL costs: the read, the
  pipeline, the history's record), timed on the server's own read service;
- per page (named by its file): `cold_s`, the first run of the page in a new session (the server
  has the data); `warm_s`, the median of `--warm` reruns of the page in that session (a click
  on a widget or back to the page); `bytes`, what the page's run sends to the browser (the
  script's messages, serialized as Streamlit sends them, and the images it shows).

`memory_mb`: the process's resident memory with one session open, and with `--sessions` (30)
sessions open at once on the pages in turn (what is shared must not be copied per session).

`--compare M` measures the same at M rows (`--compare demo`: on the bundled demo workbook) and
adds `"compare": {"rows", "pages", "ratio"}`, the ratio being warm_s at N / warm_s at M per page.
Nothing is downloaded; the workbooks are kept in the temporary folder (`campaign-bench-pages/`),
so a second run does not write them again.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import warnings
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from pipeline import build_tabs  # noqa: E402 - imported once sys.path holds the project

from components.page_list import NAMES  # noqa: E402 - imported once sys.path holds the project

PAGES = list(NAMES)  # every page of the app (components/page_list.py)
CAMPAIGN = "amur-2022"
AS_OF = date(2022, 2, 22)
WORKBOOKS = Path(tempfile.gettempdir()) / "campaign-bench-pages"
DEMO = "demo"  # --compare demo: the bundled demo workbook (70 organisations, 35 events)


def workbook(rows: int | str) -> Path:
    """The benchmark's .xlsx of `rows` organisation rows (written once, then reused), or the
    bundled demo workbook for "demo"."""
    from openpyxl import Workbook

    if rows == DEMO:
        return REPO / "data" / "demo" / f"{CAMPAIGN}.xlsx"
    path = WORKBOOKS / f"{CAMPAIGN}-{rows}.xlsx"
    if path.exists():
        return path
    WORKBOOKS.mkdir(parents=True, exist_ok=True)
    book = Workbook(write_only=True)
    for tab in build_tabs(rows):
        sheet = book.create_sheet(tab.title)
        sheet.append(tab.header)
        for row in tab.rows:
            sheet.append(row)
    partial = path.with_suffix(".partial")
    book.save(partial)
    partial.rename(path)
    return path


def secrets(path: Path) -> dict:
    return {"campaigns": {CAMPAIGN: {"source": str(path), "source_kind": "file", "as_of": AS_OF.isoformat()},
                          "primorye-2022": {}, "irkutsk-zastupnik-2024": {}}}


class Sent:
    """What the last AppTest run sent: its forward messages and the images it registered."""

    bytes = 0

    @classmethod
    def install(cls) -> None:
        from streamlit.runtime import Runtime
        from streamlit.runtime.media_file_storage import MediaFileKind
        from streamlit.testing.v1.local_script_runner import LocalScriptRunner

        real_run = LocalScriptRunner.run

        def counting_run(self, *args, **kwargs):
            tree = real_run(self, *args, **kwargs)
            messages = sum(message.ByteSize() for message in self.forward_msgs())
            storage = Runtime._instance.media_file_mgr._storage
            images = sum(len(f.content) for f in storage._files_by_id.values() if f.kind == MediaFileKind.MEDIA)
            cls.bytes = messages + images
            return tree

        LocalScriptRunner.run = counting_run


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def new_session(path: Path, page: str | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=600)
    at.secrets.update(secrets(path))
    if page and page != "summary":
        at.switch_page(f"pages/{page}.py")
    return at


def failure(at) -> str | None:
    """Why the page shows no data, if it does not: an exception, or a page without its title — the
    error page («Источник данных не ответил вовремя», 3.7 KB) was once timed and weighed as if it
    were the page."""
    if at.exception:
        return at.exception[0].message.splitlines()[0]
    if not at.title and not at.get("image"):  # every page has its title; the slide is its picture
        said = [element.value for element in [*at.error, *at.warning, *at.info]]
        return "no data on the page: " + (" | ".join(said)[:300] or "no title")
    return None


def measure(rows: int | str, warm: int, sessions: int) -> dict:
    """The figures at one size, on a server (this process) that has not read this sheet yet."""
    from campaign.pipeline import run
    from campaign.spec import load_campaign
    from components.data import reads
    from data_sources.config import load_settings
    from data_sources.local_file import LocalFileSource

    path = workbook(rows)
    service = reads()
    service.forget()
    first = new_session(path)
    first_s = timed(first.run)
    if failure(first):
        raise SystemExit(f"the first session failed: {failure(first)}")

    read_s = min(timed(lambda: LocalFileSource(str(path)).read()) for _ in range(3))
    tabs = LocalFileSource(str(path)).read().tabs
    campaign = load_campaign(CAMPAIGN)
    pipeline_s = min(timed(lambda: run(tabs, campaign, as_of=AS_OF)) for _ in range(3))
    settings = load_settings(secrets=secrets(path), campaign_id=CAMPAIGN)
    refreshes = []
    for _ in range(3):
        service.expire()
        refreshes.append(timed(lambda: service.refresh_quietly(settings)))

    pages = {}
    for page in PAGES:
        at = new_session(path, page)
        cold = timed(at.run)
        runs = [timed(at.run) for _ in range(warm)]
        if failure(at):  # a figure of an error page is no figure: said, and the benchmark fails
            raise SystemExit(f"«{page}» at {rows} rows shows no data: {failure(at)}")
        pages[page] = {"cold_s": round(cold, 3), "warm_s": round(statistics.median(runs), 3), "bytes": Sent.bytes}
    return {"rows": rows, "first_s": round(first_s, 3), "read_s": round(read_s, 3), "pipeline_s": round(pipeline_s, 3),
            "refresh_s": round(min(refreshes), 3), "pages": pages, "memory_mb": memory(path, sessions)}


def resident_mb() -> float:
    import gc

    gc.collect()
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20


def memory(path: Path, sessions: int) -> dict:
    """Resident memory with one session open, then with `sessions` open at once (pages in turn)."""
    first = new_session(path).run()
    one = resident_mb()
    opened = [first]
    for number in range(1, sessions):
        opened.append(new_session(path, PAGES[number % len(PAGES)]).run())
    many = resident_mb()
    return {"one": round(one, 1), "sessions": sessions, "all": round(many, 1), "ratio": round(many / one, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--compare", type=lambda v: v if v == DEMO else int(v),
                        help="also measure at this many rows (or «demo»: the bundled demo), and the ratio per page")
    parser.add_argument("--warm", type=int, default=7, help="warm reruns per page (the median is kept)")
    parser.add_argument("--sessions", type=int, default=30, help="sessions open at once for the memory figure")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    os.chdir(REPO)
    os.environ["CAMPAIGN_BACKGROUND_READS"] = "0"  # the benchmark reads when it means to
    os.environ["CAMPAIGN_CACHE_DIR"] = tempfile.mkdtemp(prefix="campaign-bench-cache-")  # a fresh history
    for name in ("CAMPAIGN_ID", "CAMPAIGN_SOURCE", "CAMPAIGN_SOURCE_KIND", "CAMPAIGN_AS_OF"):
        os.environ.pop(name, None)
    warnings.simplefilter("ignore")
    import logging

    logging.disable(logging.CRITICAL)  # AppTest's «no runtime» warnings; a page without its data stops the benchmark
    Sent.install()

    result = measure(args.rows, args.warm, args.sessions)
    if args.compare:
        small = measure(args.compare, args.warm, args.sessions)
        result["compare"] = {
            "rows": small["rows"], "first_s": small["first_s"], "read_s": small["read_s"],
            "pipeline_s": small["pipeline_s"], "refresh_s": small["refresh_s"], "pages": small["pages"],
            "ratio": {page: round(result["pages"][page]["warm_s"] / max(small["pages"][page]["warm_s"], 1e-6), 2)
                      for page in PAGES},
        }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    print(f"{result['rows']} rows: first session {result['first_s']} s, read {result['read_s']} s, "
          f"pipeline {result['pipeline_s']} s, refresh {result['refresh_s']} s; memory {result['memory_mb']}")
    for page, figures in result["pages"].items():
        ratio = result.get("compare", {}).get("ratio", {}).get(page)
        print(f"  {page:15} cold {figures['cold_s']:6.3f} s  warm {figures['warm_s']:6.3f} s  "
              f"{figures['bytes'] / 1024:8.1f} KB" + (f"  ×{ratio} of {args.compare}" if ratio else ""))


if __name__ == "__main__":
    main()
