"""The reads of every campaign's sheet in this server process, shared by all sessions.

For each campaign (its source, kind and «as of») there is one current report, made once per
read by the pipeline and handed to every page as it is (nothing is copied per session):

- the first read waits (bounded by the source's time budget); after that nobody waits for a
  read: when the TTL has run out the previous report is served and the next read is made in the
  background, one at a time;
- a failed read is remembered for a short back-off, for every session: a storm of page views
  makes one read, not one per view;
- «Обновить» reads at once, but not more often than once in `REFRESH_SECONDS` per source;
- every good read is recorded in the history (`history.store`); a source that fails serves the
  last good read — from memory, or from the history after a restart — marked stale.

No Streamlit here: `components/data.py` keeps one `ReadService` per server (st.cache_resource).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from datetime import time as dt_time
from typing import Callable
from zoneinfo import ZoneInfo

from campaign.changes import Changes, LostRow, changes, lost_rows
from campaign.daily import ReportDay, campaign_digest, day_ends, figures_of
from campaign.pipeline import Report, read_only, restamped, run
from campaign.spec import Campaign, load_campaign
from campaign.workbook import SourceError, Workbook
from data_sources.config import Settings, source_of
from data_sources.google_sheet import spreadsheet_key
from data_sources.memory import give_back, use_returning_allocator
from data_sources.resilient import ResilientSource
from history.shared import LEAD_SECONDS, SharedHistory, is_shared
from history.store import HistoryError, HistoryStore, source_key
from service.sheet_schedule import SheetSchedule

LOG = logging.getLogger("campaign.reads")

BACKOFF_SECONDS = 30  # after a failed read, the next is tried no sooner
MSG_PENDING = ("Таблица ещё не прочитана: таблицы читаются по очереди, чтобы не превысить лимит запросов "
               "Google Sheets. Обновите страницу через минуту.")
PAST_REPORTS = 4  # reports of earlier reads kept per campaign (yesterday's, the one before, …)
REFRESH_SECONDS = 30  # «Обновить» reads a source at most this often
MSG_NOT_READ_YET = ("Таблица ещё не прочитана: её читает сервер чтения, данные появятся на странице сами "
                    "через несколько секунд.")
MSG_READER_SILENT = ("сервер чтения давно не записывал новых чтений: источник недоступен или сервер чтения "
                     "остановлен")


def silent_after(ttl_seconds: float) -> float:
    """How old the latest read of a shared history may be before a server says the data is old: three
    times the TTL, at least two minutes more than it (a reader taking over, a read that retries)."""
    return max(3 * ttl_seconds, ttl_seconds + 120)


@dataclass(frozen=True)
class Current:
    """What a page shows of a campaign now."""

    settings: Settings
    report: Report | None
    error: SourceError | None = None  # no data at all: why
    stale_error: SourceError | None = None  # the data is the last good read: why a fresh one failed
    history_error: str | None = None  # the history of reads cannot be used now


@dataclass(frozen=True)
class Hindsight:
    """What the history says about the current read."""

    yesterday: Changes | None  # against the last read of the previous day (the region's time)
    previous: Changes | None  # against the read before this one
    lost: tuple[LostRow, ...]  # rows of earlier reads nobody can find now
    error: str | None = None  # the history cannot be used now


NO_HINDSIGHT = Hindsight(None, None, ())
REPORT_DAYS = 60  # «по дням отчётов» shows the last two months


@dataclass(frozen=True, eq=False)
class ReportDays:
    """The end of each day's figures (oldest first), or why the history cannot give them. One
    object per read for every session: it is its own identity (a chart drawn of it is kept)."""

    days: tuple[ReportDay, ...]
    error: str | None = None


@dataclass
class _State:
    settings: Settings
    resilient: ResilientSource
    lock: threading.Lock = field(default_factory=threading.Lock)
    workbook: Workbook | None = None
    report: Report | None = None
    read_at: float | None = None  # monotonic time of the last attempt that gave data
    stale_error: SourceError | None = None
    history_error: str | None = None
    failed_at: float | None = None  # monotonic time of the last failure without data
    error: SourceError | None = None
    refreshing: threading.Thread | None = None
    asked_at: float | None = None  # the last read asked for («Обновить» or the TTL)
    building: threading.Lock = field(default_factory=threading.Lock)  # one pipeline run per read
    first_read: threading.Lock = field(default_factory=threading.Lock)
    reading: int = 0  # reads under way (a page's, the background's): the background reads wait for them
    record: object | None = None  # the history's record of the current read (ReadRecord)
    follows: bool = False  # the history is shared: this server serves its latest read, the reader reads
    following: threading.Thread | None = None  # loading a new read of the shared history
    past: dict[int, Report] = field(default_factory=dict)  # snapshot id -> its report (PAST_REPORTS at most)
    # what the history says of the current read (hindsight, «по дням отчётов»): name -> (id of
    # the workbook it is about, what it says)
    derived: dict[str, tuple[int, object]] = field(default_factory=dict)


class ReadService:
    def __init__(self, *, make: Callable[[Settings], ResilientSource] | None = None,
                 campaign: Callable[[str], Campaign] = load_campaign,
                 clock: Callable[[], float] = time.monotonic, background: bool = True,
                 schedule: SheetSchedule | None = None, shared_url: str | None = None,
                 poll_seconds: float | None = None) -> None:
        use_returning_allocator()  # a large read's memory goes back to the system (data_sources/memory.py)
        self._make = make or resilient_for
        self._campaign = campaign
        self._clock = clock
        self._background = background
        self.schedule = schedule  # Google sheets read by the background reads within the quota
        self._lock = threading.Lock()
        self._states: dict[tuple, _State] = {}
        self.wanted: dict[str, float] = {}  # campaign -> when a user asked to read it now (epoch seconds)
        self.woken = threading.Event()  # set when there is something for the reader to read now
        # a history several servers share (PostgreSQL): one reader, the others follow its reads
        self.shared: SharedHistory | None = None
        if is_shared(shared_url):
            self.shared = SharedHistory(shared_url, on_read=self._announced, on_refresh=self._asked,
                                        on_poll=self._poll, **({"poll_seconds": poll_seconds} if poll_seconds else {}))
            self.shared.listen()

    # ------------------------------------------------------------------ for the pages

    def current(self, settings: Settings) -> Current:
        """The campaign's report now: read first if there is none; refreshed in the background
        when the TTL has run out."""
        state = self._state(settings)
        if state.follows:
            return self._current_shared(state)
        now = self._clock()
        scheduled = self.scheduled(settings)
        with state.lock:
            has_data = state.report is not None
            in_backoff = state.failed_at is not None and now - state.failed_at < BACKOFF_SECONDS
            due = state.read_at is None or now - state.read_at >= settings.ttl_seconds
            if has_data and due and not in_backoff and not self._running(state) and not scheduled:
                self._start(state, now)  # a scheduled sheet is read by the background reads
        if not has_data and not in_backoff and scheduled and not self.schedule.may_read():
            return Current(settings, None, SourceError("pending", MSG_PENDING))
        if not has_data and not in_backoff:
            with state.first_read:  # one first read: who comes while it runs waits for it, then has its data
                with state.lock:
                    needed = state.report is None and not (
                        state.failed_at is not None and self._clock() - state.failed_at < BACKOFF_SECONDS)
                if needed:
                    self._read_now(state)
        return self._current(state)

    def _current_shared(self, state: _State) -> Current:
        """A server of a shared history: the history's latest read (loaded once per read for all
        sessions, in the background after the first); never a read of the sheet itself."""
        with state.lock:
            has_data = state.report is not None
        if not has_data:
            with state.first_read:
                with state.lock:
                    needed = state.report is None
                if needed:
                    self._follow(state)
        with state.lock:
            waiting = state.report is None
            now = self._clock()
            ask = waiting and (state.asked_at is None or now - state.asked_at >= REFRESH_SECONDS)
            if ask:
                state.asked_at = now
        if waiting:
            if ask:  # the reader reads it now rather than in its next round
                self.shared.ask_refresh(state.settings.campaign_id)
            with state.lock:
                return Current(state.settings, None, state.error or SourceError("pending", MSG_NOT_READ_YET),
                               history_error=state.history_error)
        with state.lock:
            age = (datetime.now(timezone.utc) - state.workbook.read_at).total_seconds()
            silent = age > silent_after(state.settings.ttl_seconds) and state.stale_error is None
            current = Current(state.settings, state.report, None,
                              SourceError("reader", MSG_READER_SILENT) if silent else state.stale_error,
                              state.history_error)
        return current

    def scheduled(self, settings: Settings) -> bool:
        """Whether the sheet is read only by the background reads within the Sheets quota."""
        return self.schedule is not None and settings.source_kind == "google"

    def confirm(self, settings: Settings) -> None:
        """The sheet has not changed since the current read (Google Drive says so): that read
        is the data as of now, without a read (recorded in the history as a read of the same
        content, so that the history has no gaps)."""
        state = self._state(settings)
        with state.lock:
            workbook, report = state.workbook, state.report
        if workbook is None or report is None:
            return
        now = datetime.now(timezone.utc)
        confirmed = replace(workbook, read_at=now, requests_made=0)
        store = history_for(settings)
        if store is not None:
            try:
                store.record(source_key(*settings.history_key), confirmed)
            except HistoryError as error:
                LOG.warning("Подтверждённое чтение не записано в историю: %s", error.message)
            else:
                if state.follows:
                    self.shared.announce(source_key(*settings.history_key))
        with state.lock:
            if state.workbook is workbook:
                state.workbook = confirmed
                restamped(report, now, workbook.source)
                state.read_at = self._clock()
                state.stale_error = None

    def read_ok(self, settings: Settings) -> bool:
        """Whether the latest read of the sheet gave fresh data."""
        state = self._state(settings)
        with state.lock:
            return state.report is not None and state.stale_error is None and state.failed_at is None

    def refresh(self, settings: Settings) -> int | None:
        """«Обновить»: a read now. Returns None, or the seconds to wait when the source was read
        less than `REFRESH_SECONDS` ago (anyone may press the button); 0 when the history is shared
        and the reader was asked to read it (the pages show the read when it is made)."""
        state = self._state(settings)
        now = self._clock()
        with state.lock:
            if state.asked_at is not None and now - state.asked_at < REFRESH_SECONDS:
                return int(REFRESH_SECONDS - (now - state.asked_at)) + 1
            state.failed_at = None
            state.asked_at = now
        if state.follows:  # the reader reads it; every open page shows the read when it is made
            self.shared.ask_refresh(settings.campaign_id)
            return 0
        self._read_now(state)
        return None

    def hindsight(self, settings: Settings) -> Hindsight:
        """The change since yesterday and since the previous read, and the lost rows, of the
        current read (made once per read, for every session)."""
        return self._of_this_read(settings, "hindsight", NO_HINDSIGHT, self._hindsight,
                                  lambda message: Hindsight(None, None, (), message))

    def report_days(self, settings: Settings, days: int = REPORT_DAYS) -> ReportDays:
        """Each target's value at the end of each of the last `days` days, as the dashboard saw it
        (campaign/daily.py); figures of a past day are made once and kept in the history."""
        name, make = self._days_of(days)
        return self._of_this_read(settings, name, ReportDays(()), make, lambda message: ReportDays((), message))

    def _days_of(self, days: int) -> tuple[str, Callable]:
        """(the name «по дням отчётов» of `days` is kept under, what makes it of a read)."""
        return f"days:{days}", lambda *read: ReportDays(tuple(self._report_days(*read, days)))

    def _said_of_each_read(self) -> dict[str, Callable]:
        """What the history says of every read, by name: `make(state, store, source key, workbook,
        report)`. Made by the read before it is served (`_made_before_served`), or else by the
        first page that asks (`_of_this_read`)."""
        return dict([("hindsight", self._hindsight), self._days_of(REPORT_DAYS)])

    def _of_this_read(self, settings: Settings, name: str, nothing, make, failed):
        """What the history says of the current read, made once per read for every session:
        `make(state, store, source key, workbook, report)`; `nothing` without a read or a history,
        `failed(message)` when the history cannot be used now (tried again on the next call)."""
        state = self._state(settings)
        with state.lock:
            workbook, report = state.workbook, state.report
            known = state.derived.get(name)
        if workbook is None or report is None:
            return nothing
        if known is not None and known[0] == id(workbook):
            return known[1]
        store = history_for(settings)
        if store is None:
            return nothing
        try:
            made = make(state, store, source_key(*settings.history_key), workbook, report)
        except HistoryError as error:
            return failed(error.message)
        with state.lock:
            if state.workbook is workbook:
                state.derived[name] = (id(workbook), made)
        return made

    def _report_days(self, state: _State, store: HistoryStore, key: str, workbook: Workbook, report: Report,
                     days: int) -> list[ReportDay]:
        campaign = report.campaign
        ends = day_ends(store.reads(key, since=workbook.read_at - timedelta(days=days), until=workbook.read_at),
                        campaign.timezone)
        rules = campaign_digest(campaign)
        kept = store.figures([r.snapshot_id for r in ends], rules)
        made = []
        for record in ends:
            found = kept.get(record.snapshot_id)
            if found is None:
                current = abs((record.read_at - workbook.read_at).total_seconds()) < 1
                figures = figures_of(report if current else self._past(state, store, record))
                store.note_figures(record.snapshot_id, rules, figures)
            else:
                figures = {k: (v[0], v[1]) for k, v in found.items()}
            made.append(ReportDay(record.read_at.astimezone(ZoneInfo(campaign.timezone)).date(), record.read_at,
                                  figures))
        return made

    def _hindsight(self, state: _State, store: HistoryStore, key: str, workbook: Workbook,
                   report: Report) -> Hindsight:
        return look_back(store, key, workbook, report, lambda record: self._past(state, store, record))

    def _past(self, state: _State, store: HistoryStore, record) -> Report:
        """The report of a past read (one pipeline run per distinct content)."""
        report = state.past.get(record.snapshot_id)
        if report is None:
            workbook = store.workbook(record.id)
            report = self._run(state.settings, workbook)
            self._keep_past(state, record.snapshot_id, report)
        return report

    @staticmethod
    def _keep_past(state: _State, snapshot_id: int, report: Report) -> None:
        state.past.pop(snapshot_id, None)
        state.past[snapshot_id] = report
        while len(state.past) > PAST_REPORTS:
            state.past.pop(next(iter(state.past)))

    def due(self, settings: Settings) -> bool:
        """Whether the campaign's current read is older than its TTL (or there is none) and not
        in its back-off."""
        state = self._state(settings)
        now = self._clock()
        with state.lock:
            in_backoff = state.failed_at is not None and now - state.failed_at < BACKOFF_SECONDS
            stale = state.read_at is None or now - state.read_at >= settings.ttl_seconds
            # a read under way (a page's first read, its pipeline still running) is not due again
            return stale and not in_backoff and not self._running(state) and not state.reading

    def waiting_since(self, settings: Settings) -> float:
        """When the sheet was last read (monotonic; never read: the longest wait of all)."""
        state = self._state(settings)
        with state.lock:
            return float("-inf") if state.read_at is None else state.read_at

    def refresh_quietly(self, settings: Settings) -> None:
        """A read now (the background refresher's), however recent the last one was asked for."""
        self._read_now(self._state(settings))

    def wait(self, timeout: float = 60) -> bool:
        """Until no read runs in the background (for tests and a clean shutdown)."""
        end = time.monotonic() + timeout
        for state in list(self._states.values()):
            for thread in (state.refreshing, state.following):
                if thread is not None:
                    thread.join(max(0.0, end - time.monotonic()))
                    if thread.is_alive():
                        return False
        return True

    def forget(self) -> None:
        """Everything read so far (as after a restart: the history stays)."""
        self.wait()
        with self._lock:
            self._states.clear()

    def expire(self) -> None:
        """Every current report is due for a new read (the TTL has run out)."""
        for state in self._states.values():
            with state.lock:
                state.read_at = None
                state.asked_at = None

    # ------------------------------------------------------------------ internals

    def _state(self, settings: Settings) -> _State:
        key = (settings.campaign_id, settings.source, settings.source_kind, settings.as_of)
        with self._lock:
            state = self._states.get(key)
            if state is None or state.settings != settings:
                follows = (self.shared is not None and not settings.is_demo
                           and settings.history_url == self.shared.url)
                state = self._states[key] = _State(settings, self._make(settings), follows=follows)
            return state

    def running(self, settings: Settings) -> bool:
        """Whether a read of the campaign is under way."""
        state = self._state(settings)
        with state.lock:
            return self._running(state) or bool(state.reading)

    @staticmethod
    def _running(state: _State) -> bool:
        return state.refreshing is not None and state.refreshing.is_alive()

    def _start(self, state: _State, now: float) -> None:
        state.asked_at = now
        if not self._background:
            return  # a caller reads when it wants to (tests)
        thread = threading.Thread(target=self._read_now, args=(state,), name="sheet-read", daemon=True)
        thread.start()
        state.refreshing = thread  # started first: wait() may join it at once

    def _read_now(self, state: _State) -> None:
        state.asked_at = self._clock()
        with state.lock:
            state.reading += 1
        try:
            self._read_and_build(state)
        finally:
            with state.lock:
                state.reading -= 1

    def _read_and_build(self, state: _State) -> None:
        try:
            fetched = state.resilient.read()  # concurrent callers share one read
        except SourceError as error:
            with state.lock:
                state.failed_at = self._clock()
                if state.report is None:
                    state.error = error
                else:
                    state.stale_error = error
            return
        announce = self._take(state, fetched) and state.follows and not fetched.stale and fetched.record is not None
        del fetched  # what the read made and the report does not keep goes back to the system
        give_back()
        if announce:
            self.shared.announce(source_key(*state.settings.history_key))  # the other servers load it

    def _take(self, state: _State, fetched, loaded: bool = False) -> bool:
        """A read becomes the campaign's current one: its report made (once), what the history says
        of it made before it is served. False when it could not be (the campaign file is broken).
        `loaded`: the read comes from the shared history (another server's, or this one's before)."""
        with state.building:  # and one pipeline run: the second caller finds the report made
            if loaded and state.workbook is not None and (
                    fetched.workbook.read_at < state.workbook.read_at or (
                        fetched.record is not None and state.record is not None
                        and fetched.record.id == state.record.id)):
                return True  # a read of the history older than the one served, or that one (two loads crossed)
            if fetched.workbook is state.workbook:
                report = state.report
            elif self._unchanged(state, fetched):
                # the same cells as the current read: its report stays (and what the pages drew of
                # it), read again now
                report = restamped(state.report, fetched.workbook.read_at, fetched.workbook.source)
            else:
                try:
                    report = self._run(state.settings, fetched.workbook)
                except Exception as error:
                    LOG.exception("Отчёт не построен")
                    failure = SourceError("config", f"Отчёт не построен: {error}")
                    with state.lock:
                        state.failed_at = self._clock()
                        if state.report is None:
                            state.error = failure
                        else:
                            state.stale_error = failure
                    return False
            derived = {} if fetched.stale else self._made_before_served(state, fetched, report)
            with state.lock:
                if fetched.workbook is not state.workbook:
                    state.record = fetched.record  # None: a stale read, or the history failed
                state.workbook, state.report = fetched.workbook, report
                state.derived.update(derived)
                state.stale_error = fetched.error if fetched.stale else None
                state.history_error = fetched.history_error
                state.error = None
                state.failed_at = self._clock() if fetched.stale else None  # a stale answer backs off too
                state.read_at = self._clock()
                if state.follows:  # read by whichever server was the reader: its age is the sheet's
                    age = (datetime.now(timezone.utc) - fetched.workbook.read_at).total_seconds()
                    state.read_at -= min(max(age, 0.0), float(state.settings.ttl_seconds))
        return True

    # ------------------------------------------------------------------ a shared history

    def follow(self, settings: Settings) -> None:
        """The shared history's latest read of the campaign becomes its current one, if it is newer
        (the reader, before it decides what is due; a server after an announcement)."""
        state = self._state(settings)
        if state.follows:
            self._follow(state)

    def _follow(self, state: _State) -> None:
        store = history_for(state.settings)
        key = source_key(*state.settings.history_key)
        try:
            record = store.reads_before(key, None)
            with state.lock:
                current, workbook = state.record, state.workbook
            if record is None or (current is not None and record.id == current.id):
                return
            if current is not None and workbook is not None and record.snapshot_id == current.snapshot_id:
                loaded = replace(workbook, read_at=record.read_at)  # the same cells, read again
            else:
                loaded = store.workbook(record.id)
        except HistoryError as error:
            with state.lock:
                state.history_error = error.message
                if state.report is None:
                    state.error = SourceError("config", f"История чтений недоступна: {error.message}")
            return
        from data_sources.resilient import Fetched

        self._take(state, Fetched(loaded, record=record), loaded=True)

    def _start_follow(self, state: _State) -> None:
        with state.lock:
            if state.following is not None and state.following.is_alive():
                return
            thread = threading.Thread(target=self._follow, args=(state,), name="history-follow", daemon=True)
            thread.start()
            state.following = thread  # started first: wait() may join it at once

    def _following(self) -> list[_State]:
        with self._lock:
            return [state for state in self._states.values() if state.follows]

    def _announced(self, key: str) -> None:
        """Another server recorded a new read of `key`: loaded once for every session here."""
        for state in self._following():
            if source_key(*state.settings.history_key) == key:
                self._start_follow(state)

    def _poll(self) -> None:
        """The safety net of the announcements: every campaign shown here against the history."""
        for state in self._following():
            self._start_follow(state)

    def _asked(self, campaign_id: str, when: float) -> None:
        """A user of some server pressed «Обновить» (or opened a sheet never read): the reader reads it."""
        if self.shared is not None and self.shared.is_reader:
            with self._lock:
                self.wanted[campaign_id] = max(when, self.wanted.get(campaign_id, 0.0))
            self.woken.set()

    def wanted_now(self, settings: Settings, wanted: dict[str, float]) -> bool:
        """Whether a user asked for the campaign's sheet after its current read was made."""
        asked = wanted.get(settings.campaign_id)
        if asked is None or self.running(settings):
            return False
        state = self._state(settings)
        with state.lock:
            return state.workbook is None or state.workbook.read_at.timestamp() < asked

    def take_wanted(self) -> dict[str, float]:
        with self._lock:
            wanted, self.wanted = self.wanted, {}
        return wanted

    def close(self) -> None:
        """A clean shutdown: the reader's lock let go, the listening stopped."""
        if self.shared is not None:
            self.shared.close()

    @staticmethod
    def _unchanged(state: _State, fetched) -> bool:
        """Whether a fresh read holds exactly the cells of the current one (the history's snapshot)."""
        with state.lock:
            current, report = state.record, state.report
        return (report is not None and current is not None and fetched.record is not None and not fetched.stale
                and fetched.record.snapshot_id == current.snapshot_id)

    def _made_before_served(self, state: _State, fetched, report: Report) -> dict:
        """What the history says of a new read (the change since yesterday, the lost rows, «по
        дням отчётов»), made by the read itself: the previous read is served meanwhile, and no
        page waits for it after the read. Nothing when the history cannot be used now (a page
        tries again)."""
        store = history_for(state.settings)
        if store is None or fetched.workbook is state.workbook:
            return {}
        workbook, key = fetched.workbook, source_key(*state.settings.history_key)
        with state.lock:
            if state.report is not None and state.record is not None:  # the read before, found at once
                self._keep_past(state, state.record.snapshot_id, state.report)
        try:
            return {name: (id(workbook), make(state, store, key, workbook, report))
                    for name, make in self._said_of_each_read().items()}
        except HistoryError as error:
            LOG.warning("История о новом чтении не посчитана: %s", error.message)
            return {}

    def _run(self, settings: Settings, workbook: Workbook) -> Report:
        report = read_only(run(workbook.tabs, self._campaign(settings.campaign_id),
                               as_of=settings.as_of or date.today(), source=workbook.source, read_at=workbook.read_at))
        for tab in workbook.tabs:  # the Arrow copy the history made and the pipeline used
            tab.forget_converted_cells()
        return report

    @staticmethod
    def _current(state: _State) -> Current:
        with state.lock:
            return Current(state.settings, state.report, state.error if state.report is None else None,
                           state.stale_error, state.history_error)


def look_back(store: HistoryStore, key: str, workbook: Workbook, report: Report, past,
              recorded: bool = True) -> Hindsight:
    """The current read against the last read of the previous day (in the region's time) and
    against the read before it; the rows of earlier reads nobody can find now. `past(record)`
    gives the report of an earlier read. `recorded=False`: the current read is not in the history
    (the command line's `summary`), so the rows the latest recorded read had and it lacks are
    looked for too (the app's reads are recorded first, which notes them as gone)."""
    zone = ZoneInfo(report.campaign.timezone)
    read_at = workbook.read_at
    midnight = datetime.combine(read_at.astimezone(zone).date(), dt_time(), tzinfo=zone)
    yesterday_read = store.reads_before(key, midnight - timedelta(microseconds=1))
    earlier = store.reads(key, until=read_at - timedelta(microseconds=1))
    previous_read = earlier[-1] if earlier else None
    def since(record) -> Changes | None:  # when that read was made (an unchanged sheet's report is reused)
        return None if record is None else replace(changes(report, past(record)), since=record.read_at)

    yesterday = since(yesterday_read)
    if previous_read is not None and yesterday_read is not None and previous_read.id == yesterday_read.id:
        previous = yesterday  # the read before is yesterday's last (no read yet today)
    else:
        previous = since(previous_read)
    gone = store.gone_rows(key) + ([] if recorded else store.rows_missing_from(key, workbook))
    return Hindsight(yesterday, previous, tuple(lost_rows(report, workbook.tabs, gone)))


class Refresher:
    """One thread for the server that reads every configured campaign when its TTL has run out,
    also while nobody has the dashboard open, so that the history has no gaps."""

    def __init__(self, service: ReadService, campaigns: Callable[[], list[Settings]], interval: float = 30) -> None:
        self.service, self.campaigns = service, campaigns
        # a shared history: every round also asks for the reader's lock (a takeover within seconds)
        self.interval = interval if service.shared is None else min(interval, LEAD_SECONDS)
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="background-reads", daemon=True)

    def start(self) -> "Refresher":
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.service.woken.set()

    def tick(self) -> int:
        """One round: a read of every campaign that is due; returns how many were asked for.
        Google sheets under the service's schedule: one change check for all of them, then a
        read of the changed ones the minute's budget allows (the longest-waiting first); an
        unchanged one is confirmed without a read."""
        asked = 0
        shared = self.service.shared
        if shared is not None and not shared.lead():
            return 0  # another server is the reader: this one follows its reads
        try:
            every = self.campaigns()
        except SourceError as error:
            LOG.warning("Фоновые чтения: настройки не прочитаны: %s", error.message)
            return 0
        wanted = self.service.take_wanted()  # «Обновить» pressed on some server
        due = []
        for settings in every:
            try:
                self.service.follow(settings)  # a shared history: what the previous reader read
                if self.service.due(settings) or self.service.wanted_now(settings, wanted):
                    due.append(settings)
            except Exception:
                LOG.exception("Фоновое чтение кампании %s не удалось", settings.campaign_id)
        scheduled = [s for s in due if self.service.scheduled(s)]
        schedule = self.service.schedule
        known = schedule.check() if scheduled else False
        paid: set[str] = set()  # sheets read this round: the regions of a whole-country sheet share one read
        for settings in sorted(due, key=self.service.waiting_since):
            try:
                if settings in scheduled:
                    key, reader = spreadsheet_key(settings.source), settings.campaign_id
                    if known and schedule.unchanged(key, reader) and self.service.read_ok(settings):
                        self.service.confirm(settings)
                        continue
                    if key not in paid and not schedule.may_read():
                        continue  # the next round: the minute's budget is spent
                    paid.add(key)
                    version = schedule.version(key)
                    self.service.refresh_quietly(settings)
                    if self.service.read_ok(settings):
                        schedule.read(key, version, reader)
                else:
                    self.service.refresh_quietly(settings)
                asked += 1
            except Exception:
                LOG.exception("Фоновое чтение кампании %s не удалось", settings.campaign_id)
        return asked

    def _loop(self) -> None:
        # a shared history: the first round at once (a cold deployment reads without waiting), then
        # every round also asks for the reader's lock; a user's «Обновить» wakes the reader at once
        first = self.service.shared is not None
        while not self._stop.is_set():
            if not first:
                self.service.woken.wait(self.interval)
                self.service.woken.clear()
            first = False
            if self._stop.is_set():
                break
            self.tick()


_STORES: dict[tuple, HistoryStore] = {}
_STORES_LOCK = threading.Lock()


DEMO_FOLDER = "demo-history"  # in the cache folder: the demo's own history, apart from real sheets


def history_for(settings: Settings) -> HistoryStore | None:
    """The history of reads the settings name (one store per database for the process). The
    bundled demo has a history of its own in the cache folder, begun with a few days of reads
    (service/demo_history.py)."""
    folder = settings.cache_dir / DEMO_FOLDER if settings.is_demo else settings.cache_dir
    url = None if settings.is_demo else settings.history_url
    key = (url, str(folder), settings.history_days, settings.history_secret)
    with _STORES_LOCK:
        store = _STORES.get(key)
        if store is None:
            store = _STORES[key] = HistoryStore(url, folder=folder, retention_days=settings.history_days,
                                                secret=settings.history_secret)
        return store


def resilient_for(settings: Settings) -> ResilientSource:
    """The source of the settings with retries, a time budget and the history behind it."""
    history, key = history_for(settings), source_key(*settings.history_key)
    try:
        source = source_of(settings, (lambda: latest_upload(history, key)) if history is not None else None)
    except SourceError as error:
        failing = _Failing(error)
        return ResilientSource(failing, retries=0)
    if settings.is_demo and history is not None:  # the demo begins its history with a few days
        from service.demo_history import SeedingHistory

        history = SeedingHistory(history, load_campaign(settings.campaign_id), settings.as_of or date.today())
    return ResilientSource(source, history=history, history_key=key)


def latest_upload(store: HistoryStore, key: str) -> Workbook | None:
    """The latest upload of a campaign whose data is uploaded (kept in the history of reads)."""
    try:
        return store.last_good(key)
    except HistoryError as error:
        raise SourceError("config", error.message) from None


class _Failing:
    """A source that cannot even be made (a wrong URL): every read says why."""

    def __init__(self, error: SourceError) -> None:
        self.error = error

    def read(self) -> Workbook:
        raise self.error


__all__ = ["Current", "ReadService", "history_for", "resilient_for", "HistoryError"]
