"""Load on a deployment of two app servers (serve.py) on one PostgreSQL history: N websocket
sessions at once, spread over both servers and the pages in turn, each as a browser opens a page
(the script's run over Streamlit's own websocket protocol; no browser is needed for the servers'
side of it).

    python benchmarks/load.py --sessions 100 --json [--rows 100000] [--servers 2]

For the bundled demo, and with `--rows N` for a sheet of N organisation rows (the .xlsx that
benchmarks/pages.py writes, read as the campaign's file source through the shared history):

- `errors`: sessions whose page showed an exception or an error box instead of data (the run
  fails loudly: a load figure of error pages means nothing);
- `slowest_s`, `median_s`: from the websocket's opening to the script's end, per session;
- `memory_mb`: each server's resident memory before the sessions and with all of them open;
- `reads`: how many reads of the sheet the history recorded (one reader for both servers).

PostgreSQL is started on a temporary folder and a free port, as the tests start it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from components import page_list  # noqa: E402 - imported once sys.path holds the project

PAGES = [entry.url_path for entry in page_list.PAGES if entry.name not in ("regions", "briefing")]
PAGE_TITLES = {entry.url_path: entry.title for entry in page_list.PAGES}
SESSION_LIMIT_S = 900  # a bound, not a wait: a session that takes longer is stuck


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def session(port: int, page: str, opened: list) -> dict:
    """One browser's page, over the websocket: until the script has finished; the socket is left
    open (in `opened`) so that the session stays, as a browser's tab would."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    started = time.monotonic()
    socket = await websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                      max_size=None, open_timeout=SESSION_LIMIT_S)
    opened.append(socket)
    message = BackMsg()
    message.rerun_script.query_string = ""
    message.rerun_script.page_name = page
    await socket.send(message.SerializeToString())
    problems, texts = [], []
    while True:
        raw = await asyncio.wait_for(socket.recv(), SESSION_LIMIT_S)
        forward = ForwardMsg()
        forward.ParseFromString(raw)
        kind = forward.WhichOneof("type")
        if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
            element = forward.delta.new_element
            shown = element.WhichOneof("type")
            if shown == "exception":
                problems.append(f"exception: {element.exception.message[:200]}")
            elif shown == "alert" and element.alert.format == element.alert.ERROR:
                problems.append(f"error: {element.alert.body[:200]}")
            elif shown in ("markdown", "heading"):
                texts.append(getattr(element, shown).body)
        elif kind == "script_finished" and forward.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            break
    heading = PAGE_TITLES[page]
    if not any(text.startswith(f"{heading} · ") for text in texts):  # the header's line names the page
        problems.append(f"not the page «{heading}»: {texts[:3]}")
    return {"page": page or "summary", "port": port, "seconds": time.monotonic() - started,
            "problems": problems, "title": next((t for t in texts if "—" in t), "")}


async def all_sessions(ports: list[int], count: int) -> tuple[list[dict], list]:
    opened: list = []
    results = await asyncio.gather(*(session(ports[n % len(ports)], PAGES[(n // len(ports)) % len(PAGES)], opened)
                                     for n in range(count)))
    return list(results), opened


def fresh(app, limit_s: float = SESSION_LIMIT_S) -> None:
    """Until the server's /health says every campaign's data is fresh."""
    import urllib.request

    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{app.url}/health", timeout=30) as reply:
                if json.loads(reply.read()).get("fresh"):
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the sheet was not read within {limit_s:.0f} s")


def measure(env: dict, servers: int, sessions: int) -> dict:
    from tests.browser.conftest import App

    apps = []
    try:
        apps = [App("light", env=env | {"CAMPAIGN_CACHE_DIR": tempfile.mkdtemp(prefix="load-cache-")},
                    script="serve.py") for _ in range(servers)]
        fresh(apps[0])  # the reader has read the sheet (a page before it says so and waits)
        # every server warm: its first session (the first read, the pipeline) is not the load
        first, opened = asyncio.run(all_sessions([app.port for app in apps], servers))
        before = {app.port: resident_mb(app.process.pid) for app in apps}
        started = time.monotonic()

        async def run() -> tuple[list[dict], dict]:
            results, sockets = await all_sessions([app.port for app in apps], sessions)
            during = {app.port: resident_mb(app.process.pid) for app in apps}
            for socket in sockets:
                await socket.close()
            return results, during

        results, during = asyncio.run(run())
        elapsed = time.monotonic() - started
    finally:
        for app in apps:
            app.stop()
    failed = [r for r in results if r["problems"]]
    if failed:
        raise SystemExit(f"{len(failed)} of {sessions} sessions showed an error instead of data: "
                         f"{failed[0]['page']}: {failed[0]['problems'][0]}")
    seconds = sorted(r["seconds"] for r in results)
    return {"sessions": sessions, "servers": servers, "errors": len(failed), "all_s": round(elapsed, 1),
            "slowest_s": round(seconds[-1], 1), "median_s": round(statistics.median(seconds), 1),
            "first_session_s": round(max(r["seconds"] for r in first), 1),
            "memory_mb": {"before": [round(v) for v in before.values()],
                          "with_sessions": [round(v) for v in during.values()]},
            "titles": sorted({r["title"] for r in results})[:3]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--rows", type=int, default=0, help="also a sheet of N organisation rows")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from tests.postgres import PostgresServer

    figures = {}
    with PostgresServer() as postgres:
        base = {k: v for k, v in os.environ.items() if not k.startswith("CAMPAIGN_")}
        shared = {"CAMPAIGN_HISTORY_URL": postgres.url, "STREAMLIT_SERVER_COOKIE_SECRET": "load-benchmark",
                  "CAMPAIGN_ID": "amur-2022", "CAMPAIGN_AS_OF": "2022-02-22", "CAMPAIGN_TTL_SECONDS": "600"}
        figures["demo"] = measure(base | shared, args.servers, args.sessions)
        if args.rows:
            from pages import workbook

            source = workbook(args.rows)
            figures[f"rows_{args.rows}"] = measure(base | shared | {"CAMPAIGN_SOURCE": str(source)},
                                                   args.servers, args.sessions)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
    else:
        for name, found in figures.items():
            print(f"{name}: {found}")


if __name__ == "__main__":
    main()
