"""The one place that reads configuration: environment variables and Streamlit-style secrets.

Everything else receives plain values. Settings (environment variable / secrets key):

- CAMPAIGN_ID / [campaign] id: the campaign file in campaigns/ (default: every campaign that
  has a bundled demo workbook, «amur-2022» first, and the user picks one);
- [campaigns.<id>] tables (instead of [campaign]): several campaigns, each with its own
  source, source_kind and as_of — e.g. one per region of the same campaign for the federal
  view; the user picks one, and the dashboard compares the regions of one campaign family;
- CAMPAIGN_SOURCE / [campaign] source: a path to an .xlsx file, a folder of .csv files or of
  municipal .xlsx, a Google Sheet's URL or key, a WebDAV address (a folder: ending in «/»), a
  Yandex Disk public link, or «upload» (default: the bundled demo workbook of the campaign);
- CAMPAIGN_SOURCE_KIND / [campaign] source_kind: auto, file, google (service account), link (a
  sheet shared by link, read as one xlsx export), webdav, yandex or upload; auto picks by the
  address (`source_kind_for`);
- CAMPAIGN_PERSONAL_SOURCE / [campaign] personal_source (and personal_source_kind): where the
  campaign's personal columns come from when the shared sheet must not hold them (a workbook
  hosted in Russia: a file, a WebDAV address, a Yandex Disk public link); they are joined to the
  shared sheet's rows by each tab's keys (campaign/personal_join.py);
- CAMPAIGN_AS_OF / [campaign] as_of: the «as of» date (YYYY-MM-DD or DD.MM.YYYY) for
  days-to-deadline; default today, or the demo's own date for the demo workbook;
- CAMPAIGN_TTL_SECONDS / [campaign] ttl_seconds: how long a read of the sheet is reused (60);
- CAMPAIGN_CACHE_DIR / [campaign] cache_dir: where the last good read of each source is kept
  (a snapshot served when the sheet or the network fails, also after a restart); default
  ~/.cache/campaign-dashboard;
- CAMPAIGN_BASEMAP / [map] basemap: a tiled basemap under the municipalities, off by default
  (the polygons are the map, and it works offline): "light" or "dark" (Carto tiles, need
  internet), or a style URL;
- [webdav."<host>"] user, password (and ca_file): the account a WebDAV server (Yandex Disk,
  Nextcloud, a document server) is read with; sent to that host only;
- GOOGLE_APPLICATION_CREDENTIALS (path to a service account JSON key) or the secrets table
  [gcp_service_account]: the service account for source_kind google;
- CAMPAIGN_HISTORY_URL / [history] url: the database of the history of reads — SQLite in
  CAMPAIGN_CACHE_DIR by default, or a PostgreSQL URL (postgresql+psycopg://user:password@host/db)
  shared by several app servers;
- CAMPAIGN_HISTORY_DAYS / [history] retention_days: how long reads are kept (180);
- CAMPAIGN_HISTORY_SECRET / [history] secret: keys the check sum of every recorded read, so a
  history changed outside the dashboard is refused, not shown;
- [campaign] max_rows, max_cells, max_unzipped_mb, max_files: what a workbook may claim before it
  is read (rows of a sheet, cells of a workbook, what an .xlsx or a folder's zip unzips to, files of
  a folder); parse_apart_mb, max_memory_mb: a workbook that unzips to more is parsed in a process
  of its own, its memory bounded (data_sources/limits.py has the defaults).

A value that cannot be used is refused with a Russian SourceError("config") naming the setting.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from campaign.spec import REGION_SEPARATOR, CampaignFileError, load_campaign
from campaign.workbook import Source, SourceError
from data_sources.limits import DEFAULT_LIMITS, ReadLimits
from data_sources.limits import SETTINGS as LIMIT_SETTINGS

REPO = Path(__file__).resolve().parent.parent
DEMO_DIR = REPO / "data" / "demo"
DEFAULT_CAMPAIGN = "amur-2022"
DEFAULT_TTL_SECONDS = 60
DEFAULT_CACHE_DIR = "~/.cache/campaign-dashboard"
DEFAULT_HISTORY_DAYS = 180


def demo_as_of(campaign_id: str) -> date | None:
    """The day the bundled demo of a campaign shows (the file's [demo] as_of): the demos are
    campaigns half-way, or just before the deadline."""
    try:
        return load_campaign(campaign_id).demo_as_of
    except (CampaignFileError, FileNotFoundError):  # the app shows the file's error itself
        return None


@dataclass(frozen=True)
class Settings:
    campaign_id: str
    source: str
    source_kind: str  # file, google, link
    as_of: date | None
    ttl_seconds: int
    service_account: dict | None
    is_demo: bool
    basemap: str | None = None
    cache_dir: Path = Path(DEFAULT_CACHE_DIR).expanduser()
    history_url: str | None = None
    history_days: int = DEFAULT_HISTORY_DAYS
    history_secret: str | None = None  # keys the digest of every read: a changed history is noticed
    personal_source: str | None = None  # the workbook of personal columns kept apart (hosted in Russia)
    personal_source_kind: str = "file"
    webdav: tuple[tuple[str, str, str, str | None], ...] = ()  # (host, user, password, ca_file) per server
    region_rows: str | None = None  # a region's rows (its ОКАТО code) of a workbook of the whole country
    limits: ReadLimits = DEFAULT_LIMITS  # what a workbook may claim before it is read (data_sources/limits.py)

    @property
    def connected(self) -> bool:
        """Whether there is anything to read: a configured source, or the demo workbook (a region
        of a federal campaign without either has no sheet: «таблица не подключена»)."""
        return not self.is_demo or Path(self.source).exists()

    @property
    def history_key(self) -> tuple[str, str, str | None, str | None]:
        """What names the source in the history (history.store.source_key's arguments); the
        uploads of each campaign apart."""
        personal = (self.personal_source_kind, self.personal_source) if self.personal_source else (None, None)
        source = f"{UPLOAD}/{self.campaign_id}" if self.source_kind == UPLOAD else self.source
        if self.region_rows:  # each region's rows of a shared workbook have a history of their own
            source = f"{source} [регион {self.region_rows}]"
        return (self.source_kind, source, *personal)


def parse_date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise SourceError("config", f"Дата «{text}» в настройках не распознана: нужна ГГГГ-ММ-ДД или ДД.ММ.ГГГГ.")


def demo_workbook(campaign_id: str) -> Path:
    """data/demo/<id>.xlsx; a region of a federal demo: data/demo/<federal id>/<code>.xlsx."""
    base, _, code = campaign_id.partition(REGION_SEPARATOR)
    return DEMO_DIR / base / f"{code}.xlsx" if code else DEMO_DIR / f"{campaign_id}.xlsx"


def federal_demos() -> list[str]:
    """The federal campaigns with a bundled demo: a folder data/demo/<id>/ of regional workbooks."""
    return sorted(path.name for path in DEMO_DIR.iterdir() if path.is_dir() and any(path.glob("*.xlsx")))


def configured_campaigns(env: Mapping[str, str] | None = None,
                         secrets: Mapping[str, object] | None = None) -> list[str]:
    """The campaigns the user can pick from: CAMPAIGN_ID alone, the [campaigns.<id>] tables,
    [campaign] id, or (nothing configured) every campaign with a bundled demo workbook."""
    env = os.environ if env is None else env
    secrets = secrets or {}
    if env.get("CAMPAIGN_ID"):
        return [env["CAMPAIGN_ID"]]
    several = secrets.get("campaigns")
    if isinstance(several, Mapping) and several:
        return [str(campaign_id) for campaign_id in several]
    section = secrets.get("campaign") or {}
    if isinstance(section, Mapping) and section.get("id"):
        return [str(section["id"])]
    demos = sorted(path.stem for path in DEMO_DIR.glob("*.xlsx"))
    # the default first, the federal demos (the whole country) after the regions'
    return sorted(demos, key=lambda campaign_id: campaign_id != DEFAULT_CAMPAIGN) + federal_demos()


def kept_fresh(env: Mapping[str, str] | None = None, secrets: Mapping[str, object] | None = None) -> list[str]:
    """The campaigns the background reads keep fresh: every configured one, a federal campaign
    by its regions that have a sheet."""
    found = []
    for campaign_id in configured_campaigns(env, secrets):
        try:
            campaign = load_campaign(campaign_id)
        except CampaignFileError:
            found.append(campaign_id)  # its page says what is wrong with its file
            continue
        if not campaign.is_federal:
            found.append(campaign_id)
            continue
        regions = (campaign.region_campaign_id(code) for code in campaign.federal_regions)
        found += [region for region in regions if load_settings(env, secrets, region).connected]
    return found


def google_reads_per_minute(secrets: Mapping[str, object]) -> int | None:
    """[google] reads_per_minute: the Sheets requests the background reads may make in a minute
    with the service account (None: the schedule's default, 50 of Google's 60)."""
    section = secrets.get("google") or {}
    value = section.get("reads_per_minute") if isinstance(section, Mapping) else None
    return None if value is None else whole_number(value, "[google] reads_per_minute", minimum=2)


def service_account(env: Mapping[str, str] | None = None, secrets: Mapping[str, object] | None = None) -> dict | None:
    """The Google service account's JSON key, if one is configured."""
    return _service_account(os.environ if env is None else env, secrets or {})


def load_settings(
    env: Mapping[str, str] | None = None, secrets: Mapping[str, object] | None = None,
    campaign_id: str | None = None,
) -> Settings:
    """The settings of one campaign: `campaign_id`, or the first configured one."""
    env = os.environ if env is None else env
    secrets = secrets or {}
    several = secrets.get("campaigns") or {}
    assert isinstance(several, Mapping)
    campaign_id = campaign_id or configured_campaigns(env, secrets)[0]
    section = several.get(campaign_id) or _region_section(several, campaign_id) or secrets.get("campaign", {}) or {}
    assert isinstance(section, Mapping)
    # the environment speaks for its own campaign only
    env = env if not env.get("CAMPAIGN_ID") or env["CAMPAIGN_ID"] == campaign_id else {
        name: value for name, value in env.items() if name not in _OWN_ENV}
    if section.get("id") not in (None, campaign_id):  # [campaign] describes another campaign
        section = {key: value for key, value in section.items() if key not in _OWN_KEYS}

    def pick(env_name: str, key: str, default: object = None) -> object:
        if env.get(env_name):
            return env[env_name]
        return section.get(key, default)

    source = pick("CAMPAIGN_SOURCE", "source")
    is_demo = not source
    source = str(source or demo_workbook(campaign_id))
    service_account = _service_account(env, secrets)
    kind = _kind(str(pick("CAMPAIGN_SOURCE_KIND", "source_kind", "auto")), source, service_account)
    personal = pick("CAMPAIGN_PERSONAL_SOURCE", "personal_source")
    personal_kind = _kind(str(pick("CAMPAIGN_PERSONAL_SOURCE_KIND", "personal_source_kind", "auto")),
                          str(personal or ""), None)

    as_of_value = pick("CAMPAIGN_AS_OF", "as_of")
    if isinstance(as_of_value, date):
        as_of: date | None = as_of_value
    elif as_of_value:
        as_of = parse_date(str(as_of_value))
    else:
        as_of = demo_as_of(campaign_id) if is_demo else None
    ttl = whole_number(pick("CAMPAIGN_TTL_SECONDS", "ttl_seconds", DEFAULT_TTL_SECONDS),
                       "CAMPAIGN_TTL_SECONDS / [campaign] ttl_seconds", minimum=5)
    map_section = secrets.get("map", {}) or {}
    basemap = env.get("CAMPAIGN_BASEMAP") or map_section.get("basemap") or None
    cache_dir = Path(str(pick("CAMPAIGN_CACHE_DIR", "cache_dir", DEFAULT_CACHE_DIR))).expanduser()
    history = _history_section(secrets)
    history_url = history_url_of(env, secrets)
    days = whole_number(env.get("CAMPAIGN_HISTORY_DAYS") or history.get("retention_days", DEFAULT_HISTORY_DAYS),
                        "CAMPAIGN_HISTORY_DAYS / [history] retention_days", minimum=1)
    secret = env.get("CAMPAIGN_HISTORY_SECRET") or history.get("secret") or None
    google_reads_per_minute(secrets)  # a wrong value is said on every page, not ignored
    region_rows = section.get("region_rows") if not env.get("CAMPAIGN_SOURCE") else None
    return Settings(campaign_id, source, kind, as_of, ttl, service_account, is_demo, basemap, cache_dir,
                    history_url, days, str(secret) if secret else None,
                    str(personal) if personal else None, personal_kind, webdav_accounts(secrets),
                    str(region_rows) if region_rows else None, limits_of(section))


def limits_of(section: Mapping) -> ReadLimits:
    """The limits a campaign's section sets (`max_rows = 200000` …), the defaults for the rest."""
    values = {field: whole_number(section[key], f"[campaign] {key}", minimum=1)
              for field, key in LIMIT_SETTINGS.items() if section.get(key) not in (None, "")}
    return ReadLimits(**values)


def _history_section(secrets: Mapping[str, object]) -> Mapping:
    history = secrets.get("history") or {}
    if not isinstance(history, Mapping):
        raise SourceError("config", "В настройках [history] должна быть таблицей (url, retention_days).")
    return history


def history_url_of(env: Mapping[str, str] | None = None, secrets: Mapping[str, object] | None = None) -> str | None:
    """The history's database (CAMPAIGN_HISTORY_URL / [history] url; None: SQLite in the cache folder).
    A PostgreSQL one is shared by every server of a deployment (history/shared.py)."""
    env = os.environ if env is None else env
    url = env.get("CAMPAIGN_HISTORY_URL") or _history_section(secrets or {}).get("url") or None
    if url is not None and not str(url).startswith(("sqlite", "postgresql")):
        raise SourceError("config", "Адрес базы истории (CAMPAIGN_HISTORY_URL / [history] url) должен начинаться "
                                    "с postgresql+psycopg:// или sqlite:///.")
    return str(url) if url else None


def app_url(env: Mapping[str, str] | None = None, secrets: Mapping[str, object] | None = None) -> str:
    """CAMPAIGN_APP_URL / [app] url: where the dashboard is, for the links in letters (the app and
    the command line alike); "" when neither says."""
    env = os.environ if env is None else env
    section = (secrets or {}).get("app") or {}
    value = env.get("CAMPAIGN_APP_URL") or (section.get("url") if isinstance(section, Mapping) else None)
    return str(value or "").strip().rstrip("/")


def behind_proxy(env: Mapping[str, str] | None = None, secrets: Mapping[str, object] | None = None) -> bool:
    """CAMPAIGN_BEHIND_PROXY / [app] behind_proxy: the app servers are reached only through the
    deployment's reverse proxy, whose X-Forwarded-For names the browser's address."""
    env = os.environ if env is None else env
    section = (secrets or {}).get("app") or {}
    value = env.get("CAMPAIGN_BEHIND_PROXY") or (section.get("behind_proxy") if isinstance(section, Mapping) else None)
    return str(value).strip().lower() in ("1", "true", "yes", "да")


def _region_section(several: Mapping, campaign_id: str) -> dict | None:
    """A region `<id>@<code>` of a federal campaign: the federal campaign's settings, with the
    region's own source from its `sources` table ([campaigns.<id>.sources] "<code>" = "…"); a
    region without one has none (its demo workbook, if any)."""
    base, _, code = campaign_id.partition(REGION_SEPARATOR)
    federal = several.get(base) if code else None
    if not isinstance(federal, Mapping):
        return None
    # the sheet is the region's own; every other setting (source_kind, as_of, ttl_seconds, …) is all regions'
    section = {key: value for key, value in federal.items() if key not in ("source", "sources", "personal_source")}
    sources = federal.get("sources") or {}
    if isinstance(sources, Mapping) and sources.get(code):
        section["source"] = sources[code]
    elif federal.get("source"):  # one workbook of the whole country with a «Регион» column
        section["source"], section["region_rows"] = federal["source"], code
        if federal.get("personal_source"):
            section["personal_source"] = federal["personal_source"]
    return section


def webdav_accounts(secrets: Mapping[str, object]) -> tuple[tuple[str, str, str, str | None], ...]:
    """[webdav."<host>"] tables: (host, user, password, ca_file) of each WebDAV server."""
    table = secrets.get("webdav") or {}
    if not isinstance(table, Mapping):
        raise SourceError("config", 'В настройках [webdav] должна быть таблицей серверов: [webdav."disk.example.ru"] '
                                    "с user и password.")
    accounts = []
    for host, account in table.items():
        if not isinstance(account, Mapping) or not account.get("user") or "password" not in account:
            raise SourceError("config", f'В настройках [webdav."{host}"] нужны user и password.')
        accounts.append((str(host).lower(), str(account["user"]), str(account["password"]),
                         str(account["ca_file"]) if account.get("ca_file") else None))
    return tuple(accounts)


_OWN_ENV = ("CAMPAIGN_SOURCE", "CAMPAIGN_SOURCE_KIND", "CAMPAIGN_AS_OF", "CAMPAIGN_PERSONAL_SOURCE",
            "CAMPAIGN_PERSONAL_SOURCE_KIND")  # the environment's settings of its own campaign only
_OWN_KEYS = ("source", "source_kind", "as_of", "personal_source", "personal_source_kind")
KINDS = ("file", "google", "link", "webdav", "yandex", "upload")
UPLOAD = "upload"  # the source of a campaign whose data an administrator uploads


def _kind(kind: str, source: str, service_account: dict | None) -> str:
    """The kind of a source as configured, `auto` decided by its address."""
    if kind == "auto":
        kind = source_kind_for(source, service_account)
    if kind not in KINDS:
        raise SourceError("config", f"Неизвестный вид источника «{kind}»: допустимы {', '.join(KINDS)}.")
    return kind


def whole_number(value: object, setting: str, *, minimum: int) -> int:
    """A setting that must be a whole number of at least `minimum`, or a Russian error naming it."""
    try:
        number = int(str(value).strip())
    except ValueError:
        raise SourceError("config", f"Настройка {setting}: «{value}» — не целое число.") from None
    if number < minimum:
        raise SourceError("config", f"Настройка {setting}: {number} — слишком мало, нужно не меньше {minimum}.")
    return number


def source_kind_for(source: str, service_account: dict | None) -> str:
    """`auto`: the kind an address names. A Google Sheet's address or bare key: google (with a
    service account) or link; a Yandex Disk public link: yandex; webdav(s):// or any other
    http(s) address: webdav; a path: file."""
    text = source.strip()
    lowered = text.lower()
    if lowered == UPLOAD:
        return UPLOAD
    if lowered.startswith(("webdav://", "webdavs://", "dav://", "davs://")):
        return "webdav"
    if lowered.startswith(("http://", "https://")):
        from urllib.parse import urlsplit

        parts = urlsplit(text)
        if parts.hostname == "docs.google.com" or "/spreadsheets/d/" in parts.path:
            return "google" if service_account else "link"
        from data_sources.yandex_public import is_public_link

        return "yandex" if is_public_link(text) else "webdav"
    looks_like_file = lowered.endswith((".xlsx", ".xlsm", ".xls", ".csv"))
    if Path(text).exists() or looks_like_file or "/" in text or "\\" in text:
        return "file"
    return "google" if service_account else "link"


def _service_account(env: Mapping[str, str], secrets: Mapping[str, object]) -> dict | None:
    table = secrets.get("gcp_service_account")
    if isinstance(table, Mapping) and table:
        return dict(table)
    path = env.get("GOOGLE_APPLICATION_CREDENTIALS")
    if path:
        try:
            key = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise SourceError("config", f"Не удалось прочитать ключ сервисного аккаунта: {Path(path).name}",
                              detail=str(error)) from None
        if not isinstance(key, dict) or "client_email" not in key:
            raise SourceError("config", f"Файл {Path(path).name} — не JSON-ключ сервисного аккаунта Google: в нём "
                                        "нет поля client_email. Скачайте ключ в Google Cloud Console.")
        return key
    return None


def source_of(settings: Settings, latest_upload=None) -> Source:
    """The adapter of a campaign's settings: its sheet, joined with the workbook of its personal
    columns when they are kept apart. `latest_upload()`: the latest upload (from the history of
    reads), for a campaign whose data is uploaded."""
    if settings.source_kind == UPLOAD:
        from data_sources.uploaded import UploadedSource

        if latest_upload is None:
            raise SourceError("config", "Загруженные таблицы хранятся в истории чтений, а она недоступна.")
        shared = UploadedSource(latest_upload)
    elif settings.region_rows:  # one region's rows of the whole country's workbook, read once for all
        from data_sources.region_rows import RegionRows, shared_read

        whole = shared_read(settings.source_kind, settings.source, lambda: make_source(
            settings.source, settings.source_kind, settings.service_account, webdav=settings.webdav,
            limits=settings.limits))
        shared = RegionRows(whole, settings.region_rows)
    else:
        shared = make_source(settings.source, settings.source_kind, settings.service_account, webdav=settings.webdav,
                             limits=settings.limits)
    if not settings.personal_source:
        return shared
    from data_sources.joined import JoinedSource

    return JoinedSource(shared, make_source(settings.personal_source, settings.personal_source_kind,
                                            settings.service_account, webdav=settings.webdav, limits=settings.limits))


def make_source(source: str, kind: str, service_account: dict | None = None, session=None,
                webdav: tuple = (), limits: ReadLimits = DEFAULT_LIMITS) -> Source:
    """The adapter for a source string of a given kind (`webdav`: the accounts of WebDAV servers)."""
    if kind == "webdav":
        from urllib.parse import urlsplit

        from data_sources.webdav import WebDavSource, webdav_url

        host = (urlsplit(webdav_url(source)).hostname or "").lower()
        account = next((a for a in webdav if a[0] == host), None)
        return WebDavSource(source, credentials=(account[1], account[2]) if account else None,
                            ca_file=account[3] if account else None, session=session, limits=limits)
    if kind == "yandex":
        from data_sources.yandex_public import YandexPublicSource

        return YandexPublicSource(source, session=session, limits=limits)
    if kind == "file":
        from data_sources.local_file import LocalFileSource

        return LocalFileSource(source, limits)
    if kind == "google":
        from data_sources.google_sheet import GoogleSheetSource

        if service_account is None:
            raise SourceError("config", "Для чтения таблицы через Google API нужен сервисный аккаунт: "
                                        "укажите [gcp_service_account] в secrets.toml.")
        return GoogleSheetSource(source, credentials=service_account, limits=limits)
    from data_sources.public_link import PublicLinkSource

    return PublicLinkSource(source, session=session, limits=limits)
