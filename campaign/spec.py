"""A campaign described by a TOML file in campaigns/: its sheet, metrics, targets, deadlines."""

from __future__ import annotations

import dataclasses
import difflib
import os
import string
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from campaign import column_types
from campaign.cells import Choice
from campaign.errors import UserFacingError
from campaign.problem_codes import CATALOGUE, DUPLICATE_ROW, SEVERITIES, WARNING, ProblemCode
from campaign.subjects import Subject, UnknownSubject, all_subjects, find_subject
from campaign.text import label_key

CAMPAIGNS_DIR = Path(__file__).resolve().parent.parent / "campaigns"
# «moyakhartiya-2022-rf@08»: the region with ОКАТО code 08 of the federal campaign moyakhartiya-2022-rf
REGION_SEPARATOR = "@"
FEDERAL_REGION = {"name": "Российская Федерация", "genitive": "Российской Федерации", "timezone": "Europe/Moscow"}

COLUMN_TYPES = frozenset(column_types.TYPES)

# A yes/no column is a choice of «да» / «нет» with the spellings coordinators use (and the
# TRUE/FALSE of a Google Sheets checkbox); a file may add variants of its own.
YES_NO_CHOICES = {
    "да": ("есть", "+", "yes", "y", "true", "истина", "1", "✓", "✔", "v", "сделано", "выполнено",
           "размещен", "размещён", "размещено", "вступил", "вступила", "вступили", "назначен"),
    "нет": ("-", "—", "no", "n", "false", "ложь", "0", "не", "не размещен", "не размещён", "не вступил",
            "не вступила", "не назначен", "отсутствует"),
}


class CampaignFileError(UserFacingError, ValueError):
    """The campaign file itself is wrong (a developer's mistake, not a coordinator's)."""

    reason = "campaign_file"


@dataclass(frozen=True)
class ColumnSpec:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    type: str = "text"
    required: bool = False
    personal: bool = False
    choices: tuple[Choice, ...] = ()
    default: str | None = None  # value of an empty choice cell
    unknown_code: str | None = None  # the file's own problem code for a choice that matches nothing
    unknown_severity: str | None = None  # and its severity (a warning unless the file says «error»)
    in_window: bool = False  # dates must fall within the campaign window
    hint: str = ""  # what a coordinator should type, shown with problems
    yes_no: bool = False  # a choice of «да» / «нет» (type "yesno" in the file)
    # required only in rows where other choice columns hold these values: a banner «да» needs its link
    required_when: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @cached_property
    def keys(self) -> frozenset[str]:
        """Its name and aliases as a header is matched to them (campaign/text.label_key)."""
        return frozenset(label_key(label) for label in self.labels)

    def is_named(self, text: str) -> bool:
        """`text` (a header) is this column's name or an alias, however typed."""
        return label_key(text) in self.keys


@dataclass(frozen=True)
class UniqueSpec:
    """Rows that describe the same thing: any one key (a list of column ids) being equal."""

    keys: tuple[tuple[str, ...], ...]
    code: str
    what: str  # «эта организация», for the message
    column: str  # the column the problem points at
    severity: str = WARNING


@dataclass(frozen=True)
class TabSpec:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    required: bool = True
    columns: tuple[ColumnSpec, ...] = ()
    unique: UniqueSpec | None = None
    # how the tab's personal columns, kept in a workbook apart, are joined to its rows (by default
    # the keys of `unique`); never a personal column itself
    personal_keys: tuple[tuple[str, ...], ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @cached_property
    def keys(self) -> frozenset[str]:
        """Its name and aliases as a tab's title is matched to them (campaign/text.label_key)."""
        return frozenset(label_key(label) for label in self.labels)

    def is_named(self, text: str) -> bool:
        """`text` (a tab's title) is this tab's name or an alias, however typed."""
        return label_key(text) in self.keys

    @property
    def join_keys(self) -> tuple[tuple[str, ...], ...]:
        """The keys that join the tab's personal columns, kept in a workbook apart, to its rows:
        its own `personal_keys`, or those of its duplicate check."""
        if self.personal_keys:
            return self.personal_keys
        return self.unique.keys if self.unique is not None else ()

    def column(self, column_id: str) -> ColumnSpec:
        for column in self.columns:
            if column.id == column_id:
                return column
        raise KeyError(column_id)

    @property
    def municipality_column(self) -> ColumnSpec | None:
        return next((c for c in self.columns if c.type == "municipality"), None)


@dataclass(frozen=True)
class MetricSpec:
    """A number computed from one tab: rows counted, or a number column summed."""

    id: str
    label: str
    tab: str
    aggregate: str = "count"  # "count" or "sum"
    column: str | None = None  # the number column for "sum"
    where: dict[str, tuple[str, ...]] = field(default_factory=dict)  # column -> allowed values
    present: tuple[str, ...] = ()  # columns that must not be empty
    unique: bool = False  # later duplicates (by the tab's unique keys) are not counted
    date_column: str | None = None  # gives the metric a daily series
    unit: tuple[str, str, str] | None = None  # plural forms: организация, организации, организаций
    short_label: str = ""  # a column heading or a map tooltip line: «Организаций»

    @property
    def heading(self) -> str:
        return self.short_label or self.label


@dataclass(frozen=True)
class BreakdownSpec:
    """Counts of one metric's rows by the values of a choice column."""

    id: str
    label: str
    metric: str
    by: str
    headings: dict[str, str] = field(default_factory=dict)  # a value -> its short column heading

    def heading(self, value: str) -> str:
        """The column heading of a value's count: the file's short one, or the value capitalised."""
        return self.headings.get(value) or value[:1].upper() + value[1:]  # «…или ТВ» keeps its capitals


@dataclass(frozen=True)
class TargetSpec:
    """A target on a metric: `min`/`max` are counts, or shares (1 = all) of the metric
    `share_of` («every organisation has a responsible person» is min 1 of organisations)."""

    id: str
    label: str
    metric: str
    min: float | None = None
    max: float | None = None
    source: str = ""
    share_of: str | None = None


@dataclass(frozen=True)
class DeadlineSpec:
    date: date
    what: str
    sender: str
    recipient: str
    source: str = ""


@dataclass(frozen=True)
class QuotaSpec:
    """Per-municipality targets read from an optional tab of the sheet."""

    tab: str
    column: str
    metric: str


@dataclass(frozen=True)
class FormRow:
    """One row of an official form: its wording, the metrics it sums, the links it lists."""

    label: str
    metrics: tuple[str, ...] = ()
    links_metric: str | None = None
    links_column: str | None = None
    note: str = ""


@dataclass(frozen=True)
class FormSpec:
    title: str  # with {region_genitive}, {region_name}
    municipality_title: str  # with {municipality}
    rows: tuple[FormRow, ...]


@dataclass(frozen=True)
class LetterSpec:
    """The layout of the ministry's own letters, for reminders to the municipalities: the
    letterhead, to whom it is addressed, the salutation, the signatory's position (the name is
    left for the one who signs)."""

    sender: tuple[str, ...] = ()  # bold lines: «МИНИСТЕРСТВО», «ОБРАЗОВАНИЯ И НАУКИ», «АМУРСКОЙ ОБЛАСТИ»
    details: tuple[str, ...] = ()  # «(Минобрнауки Амурской области)», the address, phone, e-mail
    addressee: tuple[str, ...] = ()  # to all lagging municipalities
    addressee_one: tuple[str, ...] = ()  # to one municipality (its name follows)
    salutation: str = "Уважаемые коллеги!"
    salutation_one: str = ""  # to one municipality; the salutation when empty
    signature: str = ""  # «Заместитель министра»
    reports_to: str = ""  # the «to» of the deadlines the municipalities report by (the sender)


MUNICIPALITY_KINDS = ("городской округ", "муниципальный округ", "муниципальный район")


@dataclass(frozen=True)
class ListedMunicipality:
    """A municipality the campaign file lists ([[municipalities]]): the list of a region whose
    boundaries are not bundled."""

    name: str  # as the dashboard names it: «г. Якутск», «Алданский район»
    kind: str  # one of MUNICIPALITY_KINDS
    aliases: tuple[str, ...] = ()  # other names coordinators type


@dataclass(frozen=True)
class ContactsSpec:
    """The contacts list (personal data): columns of the counted rows of one metric."""

    metric: str
    columns: tuple[str, ...]
    title: str


@dataclass(frozen=True)
class EventsPage:
    """The «Мероприятия» page: which tab lists the events and which metrics count them."""

    metric: str  # counts the events (its tab is the events tab, its date column the days)
    reach: str | None = None  # a sum metric of the same tab
    by: str | None = None  # a choice column to colour the days by
    contest_tab: str | None = None  # entries of a contest, with a result column
    contest_title: str = ""
    contest_result: str | None = None
    contest_winner: str | None = None


@dataclass(frozen=True)
class DashboardSpec:
    """What the pages show first. `headline`: the metric of the map, the burn-up chart and the
    municipality table's first column; `summary`: the metrics of the line under the cards."""

    headline: str
    summary: tuple[str, ...] = ()
    table: tuple[str, ...] = ()  # metrics of the municipality table (the headline first unless listed)
    summary_text: str = ""  # «Присоединились: {organisations_joined}; …» ({id:n}: the number alone)
    map_title: str = ""  # the slide's map: «Организации по муниципалитетам»
    events: EventsPage | None = None


@dataclass(frozen=True)
class Campaign:
    id: str
    title: str
    region_key: str  # the subject's key in the product (subjects.Subject.key): uids, maps, URLs
    region_name: str
    region_name_genitive: str
    start: date
    end: date
    tabs: tuple[TabSpec, ...]
    metrics: tuple[MetricSpec, ...]
    breakdowns: tuple[BreakdownSpec, ...] = ()
    targets: tuple[TargetSpec, ...] = ()
    deadlines: tuple[DeadlineSpec, ...] = ()
    quota: QuotaSpec | None = None
    hashtag: str = ""
    description: str = ""
    timezone: str = "Europe/Moscow"  # the region's, for «данные на …»
    form: FormSpec | None = None
    contacts: ContactsSpec | None = None
    dashboard: DashboardSpec | None = None
    letter: LetterSpec = LetterSpec()
    family: str = ""  # campaigns of one family are the same campaign in several regions
    of_what: str = "акции"  # genitive, for «сроки акции», «вне сроков проекта»
    demo_as_of: date | None = None  # the day the bundled demo workbook shows ([demo] as_of)
    region_code: str = ""  # ОКАТО of the subject: «10»
    municipalities: tuple[ListedMunicipality, ...] = ()  # the file's own list ([[municipalities]])
    federal_regions: tuple[str, ...] = ()  # a federal campaign ([federal]): the ОКАТО codes of its regions
    federal_operator: str = ""  # who collects the regions' reports («Управление Президента РФ …»)
    federal_letter: LetterSpec | None = None  # the operator's reminders to the regions ([federal.letter])

    @property
    def subject(self) -> Subject:
        return find_subject(self.region_code or self.region_key)

    @property
    def is_federal(self) -> bool:
        """A campaign of the whole country: its regions are campaigns `<id>@<code>` of their own."""
        return bool(self.federal_regions)

    def region_campaign_id(self, code: str) -> str:
        return f"{self.id}{REGION_SEPARATOR}{code}"

    @property
    def headline(self) -> MetricSpec:
        return self.metric(self.dashboard.headline if self.dashboard else self.metrics[0].id)

    @property
    def summary_metrics(self) -> tuple[MetricSpec, ...]:
        ids = self.dashboard.summary if self.dashboard and self.dashboard.summary else (self.headline.id,)
        return tuple(self.metric(i) for i in ids)

    @property
    def table_metrics(self) -> tuple[MetricSpec, ...]:
        """The municipality table's metrics: the headline first."""
        ids = list(self.dashboard.table if self.dashboard else ())
        if self.headline.id not in ids:
            ids.insert(0, self.headline.id)
        return tuple(self.metric(i) for i in ids)

    def tab(self, tab_id: str) -> TabSpec:
        for tab in self.tabs:
            if tab.id == tab_id:
                return tab
        raise KeyError(tab_id)

    def tab_named(self, title: str) -> TabSpec | None:
        """The tab a sheet's tab of this title is (by name or alias, however typed), None if none."""
        return next((tab for tab in self.tabs if tab.is_named(title)), None)

    def target(self, target_id: str) -> TargetSpec:
        for target in self.targets:
            if target.id == target_id:
                return target
        raise KeyError(target_id)

    def metric(self, metric_id: str) -> MetricSpec:
        for metric in self.metrics:
            if metric.id == metric_id:
                return metric
        raise KeyError(metric_id)

    def problem_codes(self) -> dict[str, ProblemCode]:
        """Every problem the campaign's sheet can have: the catalogue's codes and the file's own
        (a choice column's `unknown_code`, a tab's `unique.code`), each with its severity."""
        found = dict(CATALOGUE)
        for tab in self.tabs:
            for column in tab.columns:
                problem = column_types.invalid_problem(column)
                if problem is not None:
                    found.setdefault(problem.code, problem)
            if tab.unique is not None:
                found.setdefault(tab.unique.code, DUPLICATE_ROW.named(tab.unique.code, tab.unique.severity))
        return found


def _fields(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls))


# Every key a campaign file may hold, by table: "" is the top of the file, "tabs.columns" a
# [[tabs.columns]] entry; None marks a table whose keys are the file's own (choice values,
# column ids). A key not listed is refused (check_keys), and the README's «The campaign file,
# key by key» documents exactly these (tests/unit/test_docs.py).
FILE_KEYS: dict[str, frozenset[str] | None] = {
    "": frozenset({"id", "title", "description", "family", "extends", "region", "window", "of_what",
                   "hashtag", "tabs", "metrics", "breakdowns", "targets", "deadlines", "quota", "form",
                   "contacts", "dashboard", "letter", "demo", "municipalities", "federal"}),
    "region": frozenset({"code", "iso", "name", "genitive", "timezone"}),
    "municipalities": frozenset({"name", "kind", "aliases"}),
    "federal": frozenset({"regions", "name", "operator", "letter"}),
    "federal.letter": _fields(LetterSpec),
    "window": frozenset({"start", "end"}),
    "tabs": frozenset({"id", "name", "aliases", "required", "columns", "unique", "personal_keys"}),
    "tabs.unique": frozenset({"keys", "code", "severity", "what", "column"}),
    "tabs.columns": frozenset({"id", "name", "aliases", "type", "required", "personal", "choices", "default",
                               "unknown_code", "unknown_severity", "in_window", "hint", "required_when"}),
    "tabs.columns.choices": None,
    "tabs.columns.required_when": None,
    "metrics": frozenset({"id", "label", "short_label", "tab", "aggregate", "column", "where", "present",
                          "unique", "date_column", "unit"}),
    "metrics.where": None,
    "breakdowns": _fields(BreakdownSpec),
    "breakdowns.headings": None,
    "targets": _fields(TargetSpec),
    "deadlines": frozenset({"date", "what", "from", "to", "source"}),
    "quota": _fields(QuotaSpec),
    "form": frozenset({"title", "municipality_title", "rows"}),
    "form.rows": frozenset({"label", "metrics", "links", "note"}),
    "form.rows.links": frozenset({"metric", "column"}),
    "contacts": frozenset({"metric", "columns", "title"}),
    "dashboard": frozenset({"headline", "summary", "table", "summary_text", "map_title", "events"}),
    "dashboard.events": _fields(EventsPage),
    "letter": _fields(LetterSpec),
    "demo": frozenset({"as_of"}),
}


def check_keys(data: dict, file: str = "") -> None:
    """Refuse a key the campaign file may not hold, anywhere in it, naming the file, the table,
    the key and the closest known key: «campaigns/x.toml: [[tabs.columns]] 3 (Телефон) листа
    «Организации»: неизвестный ключ «requried» — может быть, «required»?»."""
    def walk(table: dict, path: str, where: str) -> None:
        known = FILE_KEYS.get(path)
        if known is None:
            return
        for key, value in table.items():
            if key not in known:
                raise CampaignFileError(_unknown_key(file, where, key, known))
            inner = f"{path}.{key}" if path else key
            if inner not in FILE_KEYS:
                continue
            if isinstance(value, dict):
                walk(value, inner, f"{where}, [{inner}]" if where else f"[{inner}]")
            elif isinstance(value, list):
                for number, item in enumerate(value, 1):
                    if isinstance(item, dict):
                        named = item.get("name") or item.get("label") or item.get("id")
                        entry = f"[[{inner}]] {number}" + (f" ({named})" if isinstance(named, str) else "")
                        walk(item, inner, f"{where}, {entry}" if where else entry)

    walk(data, "", "")


def _unknown_key(file: str, where: str, key: str, known: frozenset[str]) -> str:
    place = ": ".join(part for part in (file, where) if part)
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    advice = f" — может быть, «{close[0]}»?" if close else f"; известные ключи: {', '.join(sorted(known))}."
    return f"{place + ': ' if place else ''}неизвестный ключ «{key}»{advice}"


def _tuple(value: object) -> tuple:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _column(data: dict) -> ColumnSpec:
    column_type = data.get("type", "text")
    if column_type not in COLUMN_TYPES:
        close = difflib.get_close_matches(str(column_type), sorted(COLUMN_TYPES), n=1, cutoff=0.5)
        advice = f" — может быть, «{close[0]}»?" if close else f"; типы: {_listed(COLUMN_TYPES)}"
        raise CampaignFileError(f"столбец «{data.get('id')}»: неизвестный тип «{column_type}»{advice}")
    given = data.get("choices", {})
    yes_no = column_type == "yesno"
    if yes_no:  # a choice of «да» / «нет»: the built-in spellings plus the file's own
        column_type = "choice"
        given = {value: (*variants, *_tuple(given.get(value))) for value, variants in YES_NO_CHOICES.items()}
        data = {"hint": "«да» или «нет»", **data}
    choices = tuple(Choice(value, (value, *_tuple(variants))) for value, variants in given.items())
    if column_type == "choice" and not choices:
        raise CampaignFileError(f"столбец «{data['id']}» (type = «choice») без вариантов: укажите choices")
    return ColumnSpec(
        id=data["id"],
        name=data["name"],
        aliases=_tuple(data.get("aliases")),
        type=column_type,
        required=bool(data.get("required", False)),
        personal=bool(data.get("personal", False)),
        choices=choices,
        default=data.get("default"),
        unknown_code=data.get("unknown_code"),
        unknown_severity=_severity(data.get("unknown_severity"), f"столбец «{data.get('id')}»"),
        in_window=bool(data.get("in_window", False)),
        hint=data.get("hint", ""),
        yes_no=yes_no,
        required_when={k: _tuple(v) for k, v in data.get("required_when", {}).items()},
    )


def _severity(value: object, where: str) -> str | None:
    if value is None or value in SEVERITIES:
        return value
    close = difflib.get_close_matches(str(value), SEVERITIES, n=1, cutoff=0.5)
    advice = f" — может быть, «{close[0]}»?" if close else ""
    raise CampaignFileError(f"{where}: важность «{value}» — ни «error», ни «warning»{advice}")


def _tab(data: dict) -> TabSpec:
    unique = None
    if "unique" in data:
        u = data["unique"]
        unique = UniqueSpec(
            tuple(_tuple(k) for k in u["keys"]), u.get("code", DUPLICATE_ROW.code), u.get("what", "эта запись"),
            u["column"], _severity(u.get("severity"), f"unique листа «{data.get('id')}»") or DUPLICATE_ROW.severity,
        )
    return TabSpec(
        id=data["id"],
        name=data["name"],
        aliases=_tuple(data.get("aliases")),
        required=bool(data.get("required", True)),
        columns=tuple(_column(c) for c in data.get("columns", [])),
        unique=unique,
        personal_keys=tuple(_tuple(k) for k in data.get("personal_keys", ())),
    )


def _metric(data: dict) -> MetricSpec:
    unit = data.get("unit")
    return MetricSpec(
        id=data["id"],
        label=data["label"],
        tab=data["tab"],
        aggregate=data.get("aggregate", "count"),
        column=data.get("column"),
        where={k: _tuple(v) for k, v in data.get("where", {}).items()},
        present=_tuple(data.get("present")),
        unique=bool(data.get("unique", False)),
        date_column=data.get("date_column"),
        unit=tuple(unit) if unit else None,
        short_label=data.get("short_label", ""),
    )


def _dashboard(data: dict | None) -> DashboardSpec | None:
    if not data:
        return None
    events = data.get("events")
    return DashboardSpec(
        headline=data["headline"],
        summary=_tuple(data.get("summary")),
        table=_tuple(data.get("table")),
        summary_text=data.get("summary_text", ""),
        map_title=data.get("map_title", ""),
        events=EventsPage(**events) if events else None,
    )


def _form(data: dict | None) -> FormSpec | None:
    if not data:
        return None
    rows = []
    for row in data["rows"]:
        links = row.get("links") or {}
        rows.append(FormRow(row["label"], _tuple(row.get("metrics")), links.get("metric"), links.get("column"),
                            row.get("note", "")))
    return FormSpec(data["title"], data.get("municipality_title", data["title"]), tuple(rows))


def _federal_letter(data: dict | None) -> LetterSpec | None:
    """[federal.letter]: the federal operator's letters to the regions."""
    if data is None:
        return None
    data = {"addressee": ("Руководителям органов исполнительной власти", "субъектов Российской Федерации"),
            "addressee_one": ("Руководителю органа исполнительной власти",), **data}
    return _letter(data, "субъектов Российской Федерации")


def _letter(data: dict | None, region_genitive: str) -> LetterSpec:
    data = dict(data or {})
    for key in ("sender", "details", "addressee", "addressee_one"):
        if key in data:
            data[key] = _tuple(data[key])
    data.setdefault("addressee", ("Главам муниципальных образований", region_genitive))
    data.setdefault("addressee_one", ("Главе",))
    return LetterSpec(**data)


def region_subject(region: dict) -> Subject:
    """The federal subject `[region]` names by `code` (ОКАТО), `iso` (ISO 3166-2) or `name`: each
    one given must name the same subject."""
    found: dict[str, Subject] = {}
    for key in ("code", "iso", "name"):
        if key in region:
            try:
                found[key] = find_subject(region[key])
            except UnknownSubject as error:
                raise CampaignFileError(f"[region] {key}: {error}") from None
    if not found:
        raise CampaignFileError("[region]: укажите субъект — code (код по ОКАТО, например «10»), "
                                "name (например «Амурская область») или iso (например «RU-AMU»)")
    subjects = {subject.code: (key, subject) for key, subject in found.items()}
    if len(subjects) > 1:
        named = ", ".join(f"{key} — {subject.name}" for key, subject in subjects.values())
        raise CampaignFileError(f"[region] называет разные субъекты: {named}")
    return next(iter(found.values()))


def _federal_regions(federal: dict) -> tuple[str, ...]:
    """[federal] regions: "all" (the 89 subjects) or a list of codes or names, as ОКАТО codes."""
    regions = federal.get("regions", "all")
    if regions == "all":
        return tuple(subject.code for subject in all_subjects())
    if isinstance(regions, str) or not isinstance(regions, list) or not regions:
        raise CampaignFileError("[federal] regions: укажите \"all\" или список регионов (коды по ОКАТО или названия)")
    codes = []
    for given in regions:
        try:
            codes.append(find_subject(given).code)
        except UnknownSubject as error:
            raise CampaignFileError(f"[federal] regions: {error}") from None
    return tuple(dict.fromkeys(codes))


def _check_timezone(name: str) -> None:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        known = sorted(zone for zone in zoneinfo.available_timezones() if zone.startswith(("Europe/", "Asia/")))
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        advice = f" — может быть, «{close[0]}»?" if close else " (пример: «Asia/Vladivostok»)"
        raise CampaignFileError(f"[region] timezone: неизвестный часовой пояс «{name}»{advice}") from None


def _listed_municipalities(entries: list[dict]) -> tuple[ListedMunicipality, ...]:
    listed = []
    for number, entry in enumerate(entries, 1):
        kind = entry.get("kind") or kind_from_name(entry["name"])
        if kind not in MUNICIPALITY_KINDS:
            close = difflib.get_close_matches(str(kind), MUNICIPALITY_KINDS, n=1, cutoff=0.5)
            advice = f" — может быть, «{close[0]}»?" if close else f"; возможные: {', '.join(MUNICIPALITY_KINDS)}"
            raise CampaignFileError(f"[[municipalities]] {number} ({entry['name']}): неизвестный вид «{kind}»{advice}")
        listed.append(ListedMunicipality(entry["name"], kind, _tuple(entry.get("aliases"))))
    return tuple(listed)


def kind_from_name(name: str) -> str:
    text = name.lower()
    if "муниципальный округ" in text:
        return "муниципальный округ"
    if "район" in text or "р-н" in text:
        return "муниципальный район"
    return "городской округ"


def parse_campaign(data: dict) -> Campaign:
    check_keys(data)
    try:
        federal = _federal_regions(data["federal"]) if "federal" in data else ()
        if federal and "region" not in data:
            subject = None
            region = {**FEDERAL_REGION, "name": data["federal"].get("name", FEDERAL_REGION["name"])}
        else:
            subject = region_subject(data["region"])
            region = {"name": subject.name, "genitive": subject.genitive, "timezone": subject.timezone,
                      **{key: data["region"][key] for key in ("name", "genitive", "timezone") if key in data["region"]}}
        _check_timezone(region["timezone"])
        tabs = tuple(_tab(t) for t in data["tabs"])
        quota = data.get("quota")
        campaign = Campaign(
            id=data["id"],
            title=data["title"],
            region_key=subject.key if subject else "RU",
            region_code=subject.code if subject else "",
            federal_regions=federal,
            federal_operator=data.get("federal", {}).get("operator", ""),
            federal_letter=_federal_letter(data.get("federal", {}).get("letter")),
            region_name=region["name"],
            region_name_genitive=region["genitive"],
            municipalities=_listed_municipalities(data.get("municipalities", [])),
            start=data["window"]["start"],
            end=data["window"]["end"],
            tabs=tabs,
            metrics=tuple(_metric(m) for m in data.get("metrics", [])),
            breakdowns=tuple(BreakdownSpec(**b) for b in data.get("breakdowns", [])),
            targets=tuple(TargetSpec(**t) for t in data.get("targets", [])),
            deadlines=tuple(
                DeadlineSpec(d["date"], d["what"], d["from"], d["to"], d.get("source", ""))
                for d in data.get("deadlines", [])
            ),
            quota=QuotaSpec(**quota) if quota else None,
            hashtag=data.get("hashtag", ""),
            timezone=region["timezone"],
            form=_form(data.get("form")),
            contacts=ContactsSpec(data["contacts"]["metric"], tuple(data["contacts"]["columns"]),
                                  data["contacts"].get("title", "")) if "contacts" in data else None,
            description=data.get("description", ""),
            dashboard=_dashboard(data.get("dashboard")),
            letter=_letter(data.get("letter"), region["genitive"]),
            family=data.get("family", data["id"]),
            of_what=data.get("of_what", "акции"),
            demo_as_of=data.get("demo", {}).get("as_of"),
        )
    except KeyError as missing:
        raise CampaignFileError(f"в файле кампании нет обязательного ключа {missing}") from None
    except TypeError as error:  # an unknown or misspelt field in a table
        raise CampaignFileError(f"в файле кампании лишний или неверный ключ: {error}") from None
    _check_references(campaign)
    return campaign


def _check_own_codes(campaign: Campaign) -> None:
    """A code the file names for itself has one severity, and a code of the catalogue keeps its
    own: the README's list of codes says each code's severity once."""
    seen: dict[str, str] = {code: problem.severity for code, problem in CATALOGUE.items()}
    named = [(column_types.invalid_problem(column), f"столбец «{column.id}»")
             for tab in campaign.tabs for column in tab.columns]
    named += [(DUPLICATE_ROW.named(tab.unique.code, tab.unique.severity), f"unique листа «{tab.id}»")
              for tab in campaign.tabs if tab.unique is not None]
    for problem, where in named:
        if problem is not None and seen.setdefault(problem.code, problem.severity) != problem.severity:
            said = {"error": "ошибка", "warning": "предупреждение"}
            raise CampaignFileError(f"{where}: код проблемы «{problem.code}» здесь — {said[problem.severity]}, "
                                    f"а в другом месте — {said[seen[problem.code]]}; у кода одна важность")


AGGREGATES = ("count", "sum")


def _listed(names) -> str:
    return ", ".join(f"«{name}»" for name in sorted(names))


def _advice(value: object, known) -> str:
    close = difflib.get_close_matches(str(value), sorted(known), n=1, cutoff=0.5)
    return f" — может быть, «{close[0]}»?" if close else f"; возможные: {_listed(known)}."


def _check_metric(metric: MetricSpec, tab: TabSpec) -> None:
    """What a metric names exists, and its enumerated values are ones the counting knows: a
    misspelt `aggregate` or `where` value would count rows silently wrong."""
    column_ids = {c.id for c in tab.columns}
    used = {*metric.where, *metric.present, metric.column, metric.date_column} - {None}
    if not used <= column_ids:
        raise CampaignFileError(f"показатель «{metric.id}» называет неизвестные столбцы листа «{tab.id}»: "
                                f"{_listed(used - column_ids)}")
    if metric.aggregate not in AGGREGATES:
        raise CampaignFileError(f"показатель «{metric.id}»: aggregate = «{metric.aggregate}» — "
                                f"ни «count», ни «sum»{_advice(metric.aggregate, AGGREGATES)}")
    if metric.aggregate == "sum" and metric.column is None:
        raise CampaignFileError(f"показатель «{metric.id}»: aggregate = «sum» без column — "
                                "не указано, что суммировать")
    for column_id, values in metric.where.items():
        choices = [choice.value for choice in tab.column(column_id).choices]
        for value in values if choices else ():
            if value not in choices:
                raise CampaignFileError(f"показатель «{metric.id}»: where {column_id} = «{value}» — не вариант "
                                        f"столбца «{column_id}»{_advice(value, choices)}")


def _check_references(campaign: Campaign) -> None:
    tab_ids = {t.id for t in campaign.tabs}
    for metric in campaign.metrics:
        if metric.tab not in tab_ids:
            raise CampaignFileError(f"показатель «{metric.id}» называет неизвестный лист «{metric.tab}»"
                                    f"{_advice(metric.tab, tab_ids)}")
        _check_metric(metric, campaign.tab(metric.tab))
    for tab in campaign.tabs:
        column_ids = {c.id for c in tab.columns}
        for column in tab.columns:
            for other, values in column.required_when.items():
                choices = {c.value for c in tab.column(other).choices} if other in column_ids else set()
                if not choices or not set(values) <= choices:
                    raise CampaignFileError(f"столбец «{column.id}»: required_when {other} = {_listed(values)} — "
                                            "это не варианты столбца-выбора этого листа")
        if tab.unique is not None:
            named = {c for key in tab.unique.keys for c in key} | {tab.unique.column}
            if not named <= column_ids:
                raise CampaignFileError(f"лист «{tab.id}»: unique называет неизвестные столбцы "
                                        f"{_listed(named - column_ids)}")
        keys = tab.join_keys
        named = {c for key in tab.personal_keys for c in key}
        if not named <= column_ids:
            raise CampaignFileError(f"лист «{tab.id}»: personal_keys называет неизвестные столбцы "
                                    f"{_listed(named - column_ids)}")
        personal_keys = {c for key in keys for c in key if tab.column(c).personal}
        if personal_keys:
            raise CampaignFileError(f"лист «{tab.id}»: ключи, которыми соединяются персональные данные, хранимые "
                                    f"отдельно, называют персональные столбцы {_listed(personal_keys)}: они "
                                    "оказались бы в общей таблице")
        if any(c.personal for c in tab.columns) and not keys:
            raise CampaignFileError(f"у листа «{tab.id}» есть персональные столбцы, но нет ключей, чтобы соединить их, "
                                    "когда они хранятся отдельно: укажите unique или personal_keys")
    _check_own_codes(campaign)
    if campaign.quota is not None:
        if campaign.quota.tab not in tab_ids:
            raise CampaignFileError(f"quota называет неизвестный лист «{campaign.quota.tab}»"
                                    f"{_advice(campaign.quota.tab, tab_ids)}")
        if campaign.quota.column not in {c.id for c in campaign.tab(campaign.quota.tab).columns}:
            raise CampaignFileError(f"quota называет неизвестный столбец «{campaign.quota.column}»")
    metric_ids = {m.id for m in campaign.metrics}
    for target in campaign.targets:
        for named in {target.metric, target.share_of} - {None} - metric_ids:
            raise CampaignFileError(f"цель «{target.id}» называет неизвестный показатель «{named}»"
                                    f"{_advice(named, metric_ids)}")
    if campaign.dashboard is not None:
        dashboard = campaign.dashboard
        named = {dashboard.headline, *dashboard.summary, *dashboard.table,
                 *(field for _, field, _, _ in string.Formatter().parse(dashboard.summary_text) if field)}
        events = dashboard.events
        if events is not None:
            named |= {events.metric, events.reach} - {None}
        if not named <= metric_ids:
            raise CampaignFileError(f"dashboard называет неизвестные показатели {_listed(named - metric_ids)}")
        if events is not None:
            events_tab = campaign.tab(campaign.metric(events.metric).tab)
            if events.by and events.by not in {c.id for c in events_tab.columns}:
                raise CampaignFileError(f"dashboard.events: by называет неизвестный столбец «{events.by}»")
            if events.contest_tab and events.contest_tab not in tab_ids:
                raise CampaignFileError(f"dashboard.events: contest_tab называет неизвестный лист "
                                        f"«{events.contest_tab}»")
    if campaign.form is not None:
        for row in campaign.form.rows:
            named = {*row.metrics, row.links_metric} - {None}
            if not named <= metric_ids:
                raise CampaignFileError(f"строка формы «{row.label}» называет неизвестные показатели "
                                        f"{_listed(named - metric_ids)}")
            if row.links_metric and row.links_column not in {
                    c.id for c in campaign.tab(campaign.metric(row.links_metric).tab).columns}:
                raise CampaignFileError(f"строка формы «{row.label}» называет неизвестный столбец "
                                        f"«{row.links_column}»")
    if campaign.contacts is not None:
        if campaign.contacts.metric not in metric_ids:
            raise CampaignFileError(f"contacts называет неизвестный показатель «{campaign.contacts.metric}»")
        tab = campaign.tab(campaign.metric(campaign.contacts.metric).tab)
        if not set(campaign.contacts.columns) <= {c.id for c in tab.columns}:
            raise CampaignFileError(f"contacts называет неизвестные столбцы "
                                    f"{_listed(set(campaign.contacts.columns) - {c.id for c in tab.columns})}")
    recipients = sorted({d.recipient for d in campaign.deadlines})
    if campaign.letter.reports_to and campaign.letter.reports_to not in recipients:
        raise CampaignFileError(f"letter.reports_to «{campaign.letter.reports_to}» — не получатель («to») ни одного "
                                f"срока; сроки отправляются: {_listed(recipients)}")
    for breakdown in campaign.breakdowns:
        if breakdown.metric not in metric_ids:
            raise CampaignFileError(f"разбивка «{breakdown.id}» называет неизвестный показатель "
                                    f"«{breakdown.metric}»")
        tab = campaign.tab(campaign.metric(breakdown.metric).tab)
        if breakdown.by not in {c.id for c in tab.columns if c.type == "choice"}:
            raise CampaignFileError(f"разбивка «{breakdown.id}»: «{breakdown.by}» — не столбец-выбор")


def merge(base: dict, child: dict) -> dict:
    """`child` over `base`: tables merge deeply, lists of tables with an `id` merge by id."""
    merged = dict(base)
    for key, value in child.items():
        old = merged.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            merged[key] = merge(old, value)
        elif _is_id_list(old) and _is_id_list(value):
            by_id = {item["id"]: item for item in old}
            for item in value:
                by_id[item["id"]] = merge(by_id[item["id"]], item) if item["id"] in by_id else item
            merged[key] = list(by_id.values())
        else:
            merged[key] = value
    return merged


def _is_id_list(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(
        isinstance(item, dict) and "id" in item for item in value
    )


def campaign_path(id_or_path: str | Path) -> Path:
    path = Path(id_or_path)
    if not path.suffix:
        if str(id_or_path).startswith("_"):
            raise CampaignFileError(f"«{id_or_path}» — общая часть других кампаний, а не кампания. "
                                    f"Известные кампании: {', '.join(available_campaigns())}.")
        path = CAMPAIGNS_DIR / f"{id_or_path}.toml"
    if not path.exists():
        known = ", ".join(available_campaigns())
        raise CampaignFileError(f"Нет файла кампании {path}. Известные кампании: {known}")
    return path


def read_campaign_data(id_or_path: str | Path, files: list[str] | None = None) -> dict:
    """The file's tables, with the file it `extends` (a sibling file's stem) merged under it;
    `files` gathers the paths read."""
    path = campaign_path(id_or_path)
    if files is not None:
        files.append(str(path.resolve()))
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise CampaignFileError(f"{path.name}: файл кампании не в формате TOML ({error}).") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CampaignFileError(f"{path.name}: файл кампании не читается ({error}).") from None
    check_keys(data, _shown_path(path))
    parent = data.pop("extends", None)
    if parent:
        beside = path.with_name(f"{parent}.toml")
        # a file of its own elsewhere may extend a shared part of campaigns/ («_moyakhartiya-2022»)
        shared = CAMPAIGNS_DIR / beside.name
        parent_path = beside if beside.exists() or not shared.exists() else shared
        data = merge(read_campaign_data(parent_path, files), data)
    return data


def _shown_path(path: Path) -> str:
    """«campaigns/x.toml» for a file of the project, the path as given for another."""
    try:
        return path.resolve().relative_to(CAMPAIGNS_DIR.parent).as_posix()
    except ValueError:
        return str(path)


_LOADED: dict[tuple[Path, str], tuple[tuple, Campaign]] = {}


def load_campaign(id_or_path: str | Path) -> Campaign:
    """Load `campaigns/<id>.toml`, or a TOML file given by its path: parsed once per change of
    the file or of a file it extends (a Campaign is frozen, so one object serves everyone).
    `<id>@<code>` is the region with that ОКАТО code of a federal campaign `<id>`: the federal
    file with its `[region]` set to that subject."""
    base, _, code = str(id_or_path).partition(REGION_SEPARATOR)
    path = campaign_path(base).resolve()
    cached = _LOADED.get((path, code))
    if cached is not None and cached[0] == _versions([name for name, *_ in cached[0]]):
        return cached[1]
    files: list[str] = []
    data = read_campaign_data(path, files)
    if code:
        data = _region_of_federal(data, base, code)
    campaign = parse_campaign(data)
    _LOADED[(path, code)] = (_versions(files), campaign)
    return campaign


def require_region(campaign: Campaign) -> Campaign:
    """The campaign, if it is a region's; a federal campaign has no sheet of its own."""
    if campaign.is_federal:
        raise CampaignFileError(f"«{campaign.id}» — федеральная кампания: у каждого региона своя таблица. "
                                f"Укажите регион: {campaign.region_campaign_id('<код по ОКАТО>')}, например "
                                f"{campaign.region_campaign_id(campaign.federal_regions[0])}.")
    return campaign


def _region_of_federal(data: dict, base: str, code: str) -> dict:
    if "federal" not in data:
        raise CampaignFileError(f"Кампания «{base}» не федеральная: в её файле нет [federal], "
                                f"и региона «{code}» у неё нет.")
    regions = _federal_regions(data["federal"])
    if code not in regions:
        raise CampaignFileError(f"Региона с кодом «{code}» нет в федеральной кампании «{base}».")
    data = {key: value for key, value in data.items() if key != "federal"}
    data["region"] = {"code": code, **{k: v for k, v in data.get("region", {}).items() if k == "timezone"}}
    data["id"] = f"{data['id']}{REGION_SEPARATOR}{code}"
    return data


def _versions(files: list[str]) -> tuple:
    """(path, modification time, size) of each file: a cheap test that none has changed."""
    found = []
    for name in files:
        try:
            info = os.stat(name)
        except OSError:
            return ()
        found.append((name, info.st_mtime_ns, info.st_size))
    return tuple(found)


def available_campaigns() -> list[str]:
    """Campaign ids; files starting with «_» are shared parts, not campaigns."""
    return sorted(p.stem for p in CAMPAIGNS_DIR.glob("*.toml") if not p.stem.startswith("_"))
