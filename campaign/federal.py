"""One campaign across regions: each region's report against the targets they share, for the
federal view on the map of Russia (data/geo/russia_regions.geojson)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from campaign import russian
from campaign.map_view import REGIONS_ZOOM_IN, extent, screen_features
from campaign.pipeline import Report
from campaign.progress import DeadlineStatus, deadline_statuses
from campaign.registry import one_side_of_antimeridian
from campaign.reminders import Letter, ReminderRow, singular
from campaign.spec import REGION_SEPARATOR, Campaign, CampaignFileError, LetterSpec, load_campaign
from campaign.subjects import GEO_DIR, Subject, by_key
from campaign.summary import remaining_text

REGIONS_FILE = GEO_DIR / "russia_regions.geojson"
RUSSIA_BOX = (19.6, 180.0, 41.0, 81.9)  # west, east, south, north of the mainland and islands (Rudolf Island)


@lru_cache(maxsize=1)
def load_regions_geojson() -> dict:
    """The 83 federal subjects (2013 set), with `iso_3166_2` and `name_ru`."""
    with REGIONS_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


OVERVIEW_FILE = GEO_DIR / "russia_municipalities_overview.geojson"
# A federal district's municipalities are drawn within a pixel or two of the first view (the overview
# is coarse, 0.03°), as coarse as it takes to keep their boundaries within DISTRICT_BYTES (Центральный
# has 633 units with Moscow's): a page with such a map stays within its 300 KB.
DISTRICT_BYTES = 110_000
DISTRICT_TOLERANCES = (-1.0, -1.5, -2.0, -2.5)  # zoom steps (negative: coarser than a pixel)


@lru_cache(maxsize=1)
def _overview() -> dict:
    """Every municipal unit of the 83 subjects, coarse, in one file (1.9 MB): read once, when a
    map of a federal district's municipalities is first asked for."""
    with OVERVIEW_FILE.open(encoding="utf-8") as handle:
        return one_side_of_antimeridian(json.load(handle))


@lru_cache(maxsize=8)
def district_units(district: str, width: int) -> tuple[tuple[dict, ...], tuple[float, float, float, float]]:
    """The municipal units of one federal district as a map `width` pixels wide draws them (only
    what that screen shows is sent: a district's units, not the country's), and their extent."""
    features = [f for f in _overview()["features"]
                if by_key(f["properties"]["region_iso"]).federal_district == district]
    west, east, south, north = extent(features)
    for zoom in DISTRICT_TOLERANCES:
        drawn = screen_features(features, (east - west) / width, zoom)
        if len(json.dumps([f["geometry"] for f in drawn], separators=(",", ":"))) <= DISTRICT_BYTES:
            break
    return tuple(drawn), (west, east, south, north)


@lru_cache(maxsize=8)
def district_outlines(district: str, width: int) -> tuple[dict, ...]:
    """The subject outlines of a federal district at the scale of its municipalities' map (a
    region without a report is drawn whole: no unit of it has anything to tell)."""
    _units, (west, east, _south, _north) = district_units(district, width)
    features = [f for f in load_regions_geojson()["features"]
                if by_key(f["properties"]["iso_3166_2"]).federal_district == district]
    return tuple(screen_features(features, (east - west) / width, DISTRICT_TOLERANCES[0]))


@lru_cache(maxsize=4)
def screen_regions(width: int) -> tuple[dict, ...]:
    """The federal subjects as a map of Russia `width` pixels wide draws them (map_view)."""
    west, east, _south, _north = RUSSIA_BOX
    return tuple(screen_features(load_regions_geojson()["features"], (east - west) / width, REGIONS_ZOOM_IN))


def federal_campaign(campaign_id: str) -> Campaign | None:
    """The federal campaign `campaign_id` is, or is a region of (`<id>@<code>`); None for a
    regional campaign of its own file (or a file that cannot be read)."""
    base = campaign_id.partition(REGION_SEPARATOR)[0]
    try:
        campaign = load_campaign(base)
    except CampaignFileError:
        return None
    return campaign if campaign.is_federal else None


def family_members(campaign_id: str, configured: list[str]) -> list[str]:
    """The campaigns of `campaign_id`'s family (itself included), in their order: one campaign in
    several regions. A federal campaign's family is its regions (`<id>@<code>`, all of them,
    configured or not); otherwise the configured regional files of the same family. A campaign
    whose file cannot be read is nobody's kin."""
    federal = federal_campaign(campaign_id)
    if federal is not None:
        return [federal.region_campaign_id(code) for code in federal.federal_regions]

    def family(other: str) -> str | None:
        try:
            campaign = load_campaign(other)
        except CampaignFileError:
            return None
        return None if campaign.is_federal else campaign.family

    own = family(campaign_id)
    return [other for other in configured if own is not None and family(other) == own] or [campaign_id]


def shared_targets(reports: list[Report]) -> list[str]:
    """Target ids every region's campaign has (the memo's, not one governor's letter), in the
    first region's order."""
    if not reports:
        return []
    ids = [t.id for t in reports[0].campaign.targets]
    return [i for i in ids if all(any(t.id == i for t in r.campaign.targets) for r in reports[1:])]


def region_table(reports: list[Report]) -> pd.DataFrame:
    """One row per region: each shared target's value, goal, share of the goal and whether it
    is met; how many of them are met; the problems in the region's sheet."""
    targets = shared_targets(reports)
    rows = []
    for report in reports:
        progress = {t.id: t for t in report.targets}
        row = {"iso": report.campaign.region_key, "region": report.campaign.region_name,
               "campaign_id": report.campaign.id, "as_of": report.as_of, "read_at": report.read_at,
               "errors": report.errors, "warnings": report.warnings,
               "silent": len(report.silent_municipalities()), "municipalities": len(report.registry)}
        for target_id in targets:
            target = progress[target_id]
            goal = target.goal
            row[f"{target_id}:value"] = target.value
            row[f"{target_id}:goal"] = goal
            row[f"{target_id}:max"] = target.max if not target.is_share else None
            row[f"{target_id}:share"] = min(target.value / goal, 1.0) if goal else (1.0 if target.met else 0.0)
            row[f"{target_id}:met"] = target.met
        row["targets_met"] = sum(bool(row[f"{t}:met"]) for t in targets)
        row["targets"] = len(targets)
        rows.append(row)
    return pd.DataFrame(rows)


def target_cells(table: pd.DataFrame, target_id: str) -> list[str]:
    """«54 из 20» (a count target's value and goal), «4 из 3–5» (a range) for each region of
    `region_table`."""
    def known(value):
        return None if value is None or pd.isna(value) else value

    return [russian.out_of_range(value, known(goal), known(top)) for value, goal, top in
            zip(table[f"{target_id}:value"], table[f"{target_id}:goal"], table[f"{target_id}:max"])]


# ---------------------------------------------------------------- every region of a campaign

REPORTED, NO_ROWS, NOT_READ, NOT_CONNECTED = "reported", "no_rows", "not_read", "not_connected"
STATUS_TEXT = {  # what the federal table says of a region without figures
    REPORTED: "",
    NO_ROWS: "таблица подключена, строк пока нет",
    NOT_READ: "таблица не прочитана",
    NOT_CONNECTED: "таблица не подключена",
}
STATUS_ORDER = (REPORTED, NO_ROWS, NOT_READ, NOT_CONNECTED)


@dataclass(frozen=True)
class RegionRead:
    """A region of a campaign as the federal view sees it: its report, or why there is none."""

    campaign_id: str
    subject: Subject
    report: Report | None = None
    status: str = NOT_CONNECTED
    note: str = ""  # why a connected sheet was not read

    @classmethod
    def of(cls, campaign_id: str, subject: Subject, report: Report | None, note: str = "",
           connected: bool = True) -> "RegionRead":
        if not connected:
            return cls(campaign_id, subject, None, NOT_CONNECTED)
        if report is None:
            return cls(campaign_id, subject, None, NOT_READ, note)
        if int(report.municipalities["rows"].sum()) == 0:
            return cls(campaign_id, subject, report, NO_ROWS)
        return cls(campaign_id, subject, report, REPORTED)


def federal_table(regions: list[RegionRead]) -> pd.DataFrame:
    """One row per region, ranked as the federal operator reads them: the regions with figures,
    the furthest behind first (the share of the headline target, then how many targets are met),
    then those connected with nothing typed yet, those whose sheet was not read, those without
    a sheet. Each region's figures as `region_table` has them, what it still owes of the
    headline target, its federal district and whether the map of Russia has its outline."""
    with_report = [r for r in regions if r.report is not None]
    figures = region_table([r.report for r in with_report]).set_index("campaign_id") if with_report else None
    targets = shared_targets([r.report for r in with_report])
    outlined = {f["properties"]["iso_3166_2"] for f in load_regions_geojson()["features"]}
    rows = []
    for region in regions:
        row = {"campaign_id": region.campaign_id, "key": region.subject.key, "code": region.subject.code,
               "region": region.subject.name, "federal_district": region.subject.federal_district,
               "status": region.status, "note": region.note, "outlined": region.subject.key in outlined}
        if region.report is not None:
            row.update(figures.loc[region.campaign_id].to_dict())
            row["region"] = region.subject.name
            headline = next((t for t in region.report.targets if targets and t.id == targets[0]), None)
            unit = region.report.campaign.metric(headline.metric).unit if headline else None
            row["owes"] = "" if headline is None or headline.met else remaining_text(headline, unit)
        rows.append(row)
    table = pd.DataFrame(rows)
    first = targets[0] if targets else None
    table["_status"] = table["status"].map(STATUS_ORDER.index)
    share = table[f"{first}:share"] if first and f"{first}:share" in table else pd.Series(0.0, index=table.index)
    met = table["targets_met"] if "targets_met" in table else pd.Series(0, index=table.index)
    table["_share"], table["_met"] = share.fillna(0.0), met.fillna(0)
    table = table.sort_values(["_status", "_share", "_met", "region"], kind="stable").reset_index(drop=True)
    table.insert(0, "rank", range(1, len(table) + 1))
    return table.drop(columns=["_status", "_share", "_met"])


def status_counts(table: pd.DataFrame) -> dict[str, int]:
    return {status: int((table["status"] == status).sum()) for status in STATUS_ORDER}


def standing(table: pd.DataFrame, limit: int = 5) -> dict[str, str]:
    """What the first screen of «Регионы» says in words: who lags furthest (the first `limit`
    by rank, with their figure of the first target and what they still owe), who has nothing
    typed yet, who has met every target."""
    targets = [c.removesuffix(":share") for c in table.columns if c.endswith(":share")]
    said: dict[str, str] = {}
    if targets:
        first = targets[0]
        reported = table[table["status"] == REPORTED]
        behind = reported[~reported[f"{first}:met"].astype(bool)].head(limit)
        cells = target_cells(behind, first)
        said["behind"] = "; ".join(f"{rank}. {region} — {cell}" + (f" ({owes})" if owes else "")
                                   for rank, region, cell, owes in zip(behind["rank"], behind["region"], cells,
                                                                       behind["owes"]))
        done = reported[reported["targets_met"] == reported["targets"]]
        if len(done):
            said["done"] = ", ".join(done["region"])
    empty = table[table["status"] == NO_ROWS]
    if len(empty):
        said["empty"] = ", ".join(empty["region"])
    return said


def federal_deadlines(campaign: Campaign, as_of) -> list[DeadlineStatus]:
    """The deadlines from `as_of` on, the regions' own reports to the federal operator first
    (`[federal] operator`, or its letter's `reports_to`), then the others by date."""
    operator = (campaign.federal_letter.reports_to if campaign.federal_letter else "") or campaign.federal_operator
    upcoming = [d for d in deadline_statuses(campaign, as_of) if d.days_left >= 0]
    return sorted(upcoming, key=lambda d: (d.recipient != operator, d.date))


def federal_title(campaign: Campaign) -> str:
    """The title of the results form of all regions: the campaign's form title for the whole
    country («Итоги акции #МояХартия на территории Российской Федерации»); a family of regional
    files is «… на территории субъектов Российской Федерации»."""
    if campaign.form is None:
        raise ValueError(f"campaign {campaign.id} has no results form")
    if campaign.is_federal:
        return campaign.form.title.format(region_genitive=campaign.region_name_genitive,
                                          region_name=campaign.region_name)
    return campaign.form.title.format(region_genitive="субъектов Российской Федерации",
                                      region_name="Российская Федерация")


def federal_reminder(campaign: Campaign, table: pd.DataFrame, as_of, base_url: str = "") -> Letter:
    """The federal operator's letter to the regions that lag (`[federal.letter]`), in the layout
    of the ministries' letters: every region of `federal_table` that has not met the first shared
    target or every target, has nothing typed yet, or has no sheet — with what it still owes and
    a link to its «Проверка данных»."""
    spec = campaign.federal_letter or LetterSpec()
    targets = [c.removesuffix(":share") for c in table.columns if c.endswith(":share")]
    rows = []
    for region in table.itertuples(index=False):
        row = region._asdict()
        if row["status"] == REPORTED:
            if row["targets_met"] == row["targets"]:
                continue
            unmet = int(row["targets"] - row["targets_met"])
            unmet_said = f"не выполнено целей: {unmet} из {int(row['targets'])}" if targets else ""
            owes = "; ".join(part for part in (row.get("owes") or "", unmet_said) if part)
        else:
            owes = {NO_ROWS: "в таблице пока нет ни одной строки", NOT_READ: "таблица не прочитана",
                    NOT_CONNECTED: "данные не представлены: таблица не подключена"}[row["status"]]
        errors = int(row.get("errors") or 0) if row["status"] == REPORTED else 0
        warnings = int(row.get("warnings") or 0) if row["status"] == REPORTED else 0
        has_sheet = row["status"] in (REPORTED, NO_ROWS)  # its «Проверка данных» has something to say
        link = f"{base_url.rstrip('/')}/problems?campaign={row['campaign_id'].replace('@', '%40')}" \
            if base_url and has_sheet else ""
        rows.append(ReminderRow(row["key"], row["region"], owes, russian.problems_count(errors, warnings), errors,
                                link))
    day = russian.day(as_of)
    plural = "" if singular(len(rows)) else "и"  # «выполнил» / «выполнили»
    opening = (f"По данным дашборда {russian.quoted(campaign.title)} на {day} "
               f"{russian.count(len(rows), russian.SUBJECT_FORMS)} ещё не выполнил{plural} показатели "
               f"{campaign.of_what} или не представил{plural} данные. Что осталось сделать каждому — в таблице ниже.")
    upcoming = federal_deadlines(campaign, as_of)
    if upcoming:
        deadline = upcoming[0]
        closing = (f"Напоминаем: срок {russian.quoted(deadline.what)} — {russian.day(deadline.date)} "
                   f"({russian.days_left(deadline.days_left)}). Просим до этого срока внести недостающие "
                   "сведения в таблицу региона и исправить ошибки.",)
    else:
        closing = ("Сроки представления сведений прошли. Просим незамедлительно внести недостающие сведения "
                   "в таблицу региона и исправить ошибки.",)
    return Letter(spec.sender, spec.details, f"{day} № ________", spec.addressee,
                  f"Напоминание о сроках: {russian.quoted(campaign.title)}", spec.salutation, (opening,), tuple(rows),
                  closing, spec.signature, spec.reports_to or campaign.federal_operator,
                  unit_heading="Субъект Российской Федерации")

