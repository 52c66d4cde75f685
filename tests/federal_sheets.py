"""A federal campaign's regional Google Sheets on the Sheets stand-in, read by the server's
background reads on a test clock: what the quota test and `benchmarks/federal.py` share."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

from campaign.region_list import registry_for
from campaign.spec import load_campaign
from campaign.subjects import Subject, all_subjects
from data_sources.config import Settings, load_settings
from data_sources.drive_changes import DriveChanges
from data_sources.google_sheet import GoogleSheetSource, edit_url
from data_sources.resilient import ResilientSource
from service.reads import ReadService, Refresher
from service.sheet_schedule import SheetSchedule

FEDERAL = "moyakhartiya-2022-rf"
ROUND = 30  # seconds between the background reads' rounds
HEADER = ["Муниципальное образование", "Наименование организации", "Тип организации", "Дата присоединения", "Статус"]
# the 83 subjects with boundaries, then the six without (their municipalities from «Цели»)
SUBJECTS = [s for s in all_subjects() if s.has_boundaries] + [s for s in all_subjects() if not s.has_boundaries]


class Clocks:
    """The server's monotonic clock and the wall clock Google's modifiedTime follows, together."""

    def __init__(self) -> None:
        self.monotonic = 1000.0
        self.wall = datetime(2022, 3, 1, 9, 0, tzinfo=timezone.utc)

    def advance(self, seconds: float) -> None:
        self.monotonic += seconds
        self.wall += timedelta(seconds=seconds)


def sheet_key(code: str) -> str:
    return f"region-sheet-{code}"


def tabs_of(subject: Subject, schools: int) -> dict:
    """A region's sheet with `schools` organisations spread over its municipalities."""
    campaign = load_campaign(f"{FEDERAL}@{subject.code}")
    extra = {}
    if subject.has_boundaries:
        names = [m.name for m in registry_for(campaign).municipalities]
    else:  # its municipalities from the «Цели» tab
        names = ["г. Столица", "Первый район", "Второй район"]
        extra = {"Цели": [["Муниципальное образование", "Цель: организаций"], *([n, "5"] for n in names)]}
    orgs = [HEADER] + [[names[n % len(names)], f"Школа № {n + 1}", "школа", "15.02.2022", "подписан"]
                       for n in range(schools)]
    return {"Организации": orgs, "Мероприятия": [["Муниципальное образование", "Вид мероприятия"]], **extra}


def put(standin, subject: Subject, schools: int) -> None:
    """Writes (or changes) the region's sheet: its modifiedTime is the stand-in's clock now."""
    standin.add_spreadsheet(sheet_key(subject.code), f"#МояХартия — {subject.name}", tabs_of(subject, schools))


@dataclass
class Federal:
    clocks: Clocks
    regions: list[Settings]
    service: ReadService
    refresher: Refresher
    drive: DriveChanges


def federal_reads(standin, folder: Path, subjects: list[Subject], schools: int = 1) -> Federal:
    """The regions' sheets on the stand-in and a server's reads of them under the schedule."""
    clocks = Clocks()
    standin.clock = lambda: clocks.wall
    for subject in subjects:
        put(standin, subject, schools)
    base = load_settings(env={}, secrets={}, campaign_id="amur-2022")
    regions = [replace(base, campaign_id=f"{FEDERAL}@{s.code}", source=edit_url(sheet_key(s.code)),
                       source_kind="google", as_of=date(2022, 3, 1), ttl_seconds=60, is_demo=False,
                       cache_dir=folder, history_url=None) for s in subjects]
    client = standin.client()
    drive = DriveChanges(standin.session())
    schedule = SheetSchedule(drive, clock=lambda: clocks.monotonic, wall=lambda: clocks.wall)
    service = ReadService(make=lambda s: ResilientSource(GoogleSheetSource(s.source, client=client), retries=0),
                          clock=lambda: clocks.monotonic, background=False, schedule=schedule)
    return Federal(clocks, regions, service, Refresher(service, lambda: regions, interval=ROUND), drive)


def split(requests) -> tuple[int, int]:
    """(Drive requests, Sheets requests)."""
    drive = sum(1 for _, path in requests if urlsplit(path).path.startswith("/drive/"))
    return drive, len(requests) - drive


def rounds(standin, federal: Federal, count: int) -> list[tuple[float, int, int]]:
    """`count` rounds of the background reads, ROUND seconds apart: (time, Drive, Sheets requests)."""
    made = []
    for _ in range(count):
        before = len(standin.requests)
        federal.refresher.tick()
        made.append((federal.clocks.monotonic, *split(standin.requests[before:])))
        federal.clocks.advance(ROUND)
    return made


def worst_minute(made) -> int:
    """The most Sheets requests of any 60 seconds (two rounds 30 s apart)."""
    return max(a[2] + b[2] for a, b in zip(made, made[1:])) if len(made) > 1 else made[0][2]


def joined(federal: Federal, settings: Settings) -> int:
    return federal.service.current(settings).report.metrics["organisations_joined"]
