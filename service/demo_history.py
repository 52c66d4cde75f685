"""A history for the bundled demo: the sheet as it looked on the last few days before its «as
of», recorded as reads made on the last few days before now, so that «за сутки» and the lost
rows have something to show on a newcomer's first run. Deterministic: made from the demo
workbook alone (rows dated after a day are left out of that day's read), plus one organisation
a coordinator «deleted» (it is in the earlier reads, not in the workbook).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from campaign import russian
from campaign.cells import parse_date
from campaign.reading import find_columns
from campaign.spec import Campaign
from campaign.workbook import RawTab, Workbook

DAYS = 3  # reads on each of the three days before today, at 10:00 in the region's time
READ_HOUR = 10

# the row the demo's earlier reads have and its workbook lacks (in the municipality of the tab's
# first row): shown as a lost row
DELETED = {"name": "МОБУ «Средняя школа № 99» (удалена из таблицы)", "status": "меморандум подписан"}


class SeedingHistory:
    """The demo's history: before the first read is recorded, the few days before it are (from
    that very workbook), so that the first read already has a yesterday to be compared with."""

    def __init__(self, store, campaign: Campaign, as_of: date) -> None:
        self.store, self.campaign, self.as_of = store, campaign, as_of

    def record(self, key: str, workbook: Workbook):
        seed(self.store, key, workbook, self.campaign, self.as_of, workbook.read_at)
        return self.store.record(key, workbook)

    def last_good(self, key: str) -> Workbook | None:
        return self.store.last_good(key)


def seed(store, key: str, workbook: Workbook, campaign: Campaign, as_of: date, now: datetime) -> bool:
    """Records the demo's earlier reads unless the history has reads of it already; returns
    whether it did."""
    if store.reads(key):
        return False
    zone = ZoneInfo(campaign.timezone)
    today = now.astimezone(zone).date()
    for back in range(DAYS, 0, -1):
        day_of_sheet = as_of - timedelta(days=back)
        read_at = datetime.combine(today - timedelta(days=back), time(READ_HOUR), tzinfo=zone)
        store.record(key, replace(workbook, tabs=[_as_on(tab, campaign, day_of_sheet) for tab in workbook.tabs],
                                  read_at=read_at))
    return True


def _as_on(tab: RawTab, campaign: Campaign, day: date) -> RawTab:
    """The tab without the rows dated after `day` (they were typed in later)."""
    spec = campaign.tab_named(tab.title)
    if spec is None:
        return tab
    dates = [m.date_column for m in campaign.metrics if m.tab == spec.id and m.date_column]
    positions = find_columns(spec, tab.header)
    where = positions.get(dates[0]) if dates else None
    kept = [(number, row) for number, row in zip(tab.row_numbers, tab.rows)
            if where is None or where >= len(row) or (parse_date(str(row[where])) or date.min) <= day]
    rows = [row for _, row in kept]
    numbers = [number for number, _ in kept]
    if spec.unique is not None and {"municipality", "name"} <= set(positions) and tab.rows:
        row = [""] * len(tab.header)
        first = tab.rows[0]
        at = positions["municipality"]
        row[at] = first[at] if at < len(first) else ""
        for column_id, value in DELETED.items():
            if column_id in positions:
                row[positions[column_id]] = value
        if dates and dates[0] in positions:
            row[positions[dates[0]]] = russian.day(campaign.start)
        rows.append(row)
        numbers.append((numbers[-1] if numbers else 1) + 1)
    return replace(tab, rows=rows, row_numbers=numbers)
