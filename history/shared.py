"""One history of reads shared by several app servers on PostgreSQL: who reads the sheets, and how
the others learn of a new read.

- **One reader.** The server holding the PostgreSQL advisory lock `READER_LOCK` (on a connection
  of its own, for as long as it lives) is the reader: it alone reads the sources and records every
  read in the history; the other servers serve the history's latest read and never read a sheet.
  One reader for all the sheets, not one per sheet, because the Sheets quota is one per service
  account: the reader keeps one minute's budget (service/sheet_schedule.py). When the reader's
  process ends, PostgreSQL ends its session and frees the lock, and the next server to ask
  (every `LEAD_SECONDS`) takes over; a machine that vanishes without closing its connection is
  found by TCP keepalives on both sides (`KEEPALIVE_*`: within 25 s). So a new reader reads within
  `TAKEOVER_BOUND_SECONDS` of the old one's end.
- **Announcements.** A new read is announced on the channel `READS_CHANNEL` (LISTEN/NOTIFY, its
  source key as the payload); every server listens and loads the new read once for all its
  sessions. Notifications sent while a listener reconnects are lost, so the listener also asks
  the history for the latest reads every `POLL_SECONDS` (the safety net).
- **«Обновить»** on any server is a notification on `REFRESH_CHANNEL` (the campaign's id): the
  reader reads that sheet now.

No Streamlit here; `service/reads.py` uses it. With SQLite (the embedded default) nothing of this
runs: one server reads its sheets itself, as before.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

import psycopg
import sqlalchemy as sa

LOG = logging.getLogger("campaign.shared")

READS_CHANNEL = "campaign_reads"  # payload: the source key of a new read
REFRESH_CHANNEL = "campaign_refresh"  # payload: a campaign a user asked to read now, and when
READER_LOCK = 0x6361_6D70_7265_6164  # pg_advisory_lock key of the reader ("campread")
LEAD_SECONDS = 5  # how often a server that is not the reader asks for the lock
POLL_SECONDS = 10  # the safety net: the latest reads asked for at least this often
RECONNECT_SECONDS = 5  # a lost listening or lock connection is made again after this
KEEPALIVE_IDLE, KEEPALIVE_INTERVAL, KEEPALIVE_COUNT = 10, 5, 3  # a silent peer is dead after 25 s
TAKEOVER_BOUND_SECONDS = KEEPALIVE_IDLE + KEEPALIVE_INTERVAL * KEEPALIVE_COUNT + LEAD_SECONDS + 20  # 60 s
KEEPALIVES = {"keepalives": 1, "keepalives_idle": KEEPALIVE_IDLE, "keepalives_interval": KEEPALIVE_INTERVAL,
              "keepalives_count": KEEPALIVE_COUNT, "connect_timeout": 5}
# the server side of the lock's connection: PostgreSQL ends the session of a vanished reader
SERVER_KEEPALIVES = (f"SET tcp_keepalives_idle = {KEEPALIVE_IDLE}; SET tcp_keepalives_interval = "
                     f"{KEEPALIVE_INTERVAL}; SET tcp_keepalives_count = {KEEPALIVE_COUNT}")


def is_shared(url: str | None) -> bool:
    """Whether a history URL is one several servers can share (PostgreSQL)."""
    return bool(url) and str(url).startswith("postgresql")


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL of the history (`postgresql+psycopg://…`) as libpq takes it."""
    return sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class SharedHistory:
    """This server's part in a shared history: the reader's lock, the announcements it sends and
    the ones it listens to. `on_read(source key)`: another server recorded a new read;
    `on_refresh(campaign id, when)`: a user asked for a read now (seconds since the epoch);
    `on_poll()`: the safety net's turn."""

    def __init__(self, url: str, *, on_read: Callable[[str], None] = lambda key: None,
                 on_refresh: Callable[[str, float], None] = lambda campaign, when: None,
                 on_poll: Callable[[], None] = lambda: None, poll_seconds: float = POLL_SECONDS) -> None:
        self.url = url
        self._dsn = libpq_url(url)
        self.on_read, self.on_refresh, self.on_poll = on_read, on_refresh, on_poll
        self.poll_seconds = poll_seconds
        self._lock_connection: psycopg.Connection | None = None
        self._guard = threading.Lock()
        self._stop = threading.Event()
        self._listener: threading.Thread | None = None
        self.listening = threading.Event()  # set while the listener is connected (tests wait for it)

    # ------------------------------------------------------------------ the reader

    def lead(self) -> bool:
        """Whether this server is the reader: holds the lock, or takes it now if it is free."""
        with self._guard:
            connection = self._lock_connection
            if connection is not None:
                try:
                    connection.execute("SELECT 1")  # the lock lives as long as this session
                    return True
                except psycopg.Error:
                    LOG.warning("Связь с PostgreSQL потеряна: этот сервер больше не читает таблицы.")
                    self._close_lock()
            try:
                connection = psycopg.connect(self._dsn, autocommit=True, **KEEPALIVES)
                connection.execute(SERVER_KEEPALIVES)
                held = connection.execute("SELECT pg_try_advisory_lock(%s)", (READER_LOCK,)).fetchone()[0]
            except psycopg.Error as error:
                LOG.warning("PostgreSQL недоступен, таблицы не читаются: %s", type(error).__name__)
                return False
            if not held:
                connection.close()
                return False
            self._lock_connection = connection
            LOG.info("Этот сервер теперь читает таблицы (сервер чтения).")
            return True

    @property
    def is_reader(self) -> bool:
        return self._lock_connection is not None

    def step_down(self) -> None:
        """Lets the lock go (a clean shutdown): another server takes over at once."""
        with self._guard:
            self._close_lock()

    def _close_lock(self) -> None:
        if self._lock_connection is not None:
            try:
                self._lock_connection.close()
            except psycopg.Error:
                pass
        self._lock_connection = None

    # ------------------------------------------------------------------ announcements

    def announce(self, source_key: str) -> None:
        """A new read of `source_key` is in the history: every server loads it."""
        self._notify(READS_CHANNEL, source_key)

    def ask_refresh(self, campaign_id: str) -> None:
        """A user pressed «Обновить»: the reader reads the campaign's sheet now, unless it has read
        it since (the payload says when it was asked: «<campaign id> <seconds since the epoch>»)."""
        self._notify(REFRESH_CHANNEL, f"{campaign_id} {time.time():.3f}")

    def _notify(self, channel: str, payload: str) -> None:
        try:
            with psycopg.connect(self._dsn, autocommit=True, **KEEPALIVES) as connection:
                connection.execute("SELECT pg_notify(%s, %s)", (channel, payload))
        except psycopg.Error as error:  # the others find the read by their safety net
            LOG.warning("Оповещение %s не отправлено: %s", channel, type(error).__name__)

    def listen(self) -> "SharedHistory":
        """Starts the listening thread (once)."""
        if self._listener is None:
            self._listener = threading.Thread(target=self._listen_loop, name="history-listener", daemon=True)
            self._listener.start()
        return self

    def close(self) -> None:
        self._stop.set()
        self.step_down()
        if self._listener is not None:
            self._listener.join(timeout=self.poll_seconds + 5)

    def _listen_loop(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._dsn, autocommit=True, **KEEPALIVES) as connection:
                    connection.execute(f"LISTEN {READS_CHANNEL}")
                    connection.execute(f"LISTEN {REFRESH_CHANNEL}")
                    self.listening.set()
                    self._safely(self.on_poll)  # what was announced while nobody listened
                    polled = time.monotonic()
                    while not self._stop.is_set():
                        for note in connection.notifies(timeout=1.0):
                            if note.channel == READS_CHANNEL:
                                self._safely(self.on_read, note.payload)
                            elif note.channel == REFRESH_CHANNEL:
                                campaign, _, when = note.payload.rpartition(" ")
                                self._safely(self.on_refresh, campaign, float(when or 0))
                        if time.monotonic() - polled >= self.poll_seconds:
                            polled = time.monotonic()
                            self._safely(self.on_poll)
            except psycopg.Error as error:
                LOG.warning("Оповещения о новых чтениях прерваны (%s): новые чтения найдутся по расписанию.",
                            type(error).__name__)
            self.listening.clear()
            self._stop.wait(RECONNECT_SECONDS)

    @staticmethod
    def _safely(callback, *args) -> None:
        try:
            callback(*args)
        except Exception:
            LOG.exception("Оповещение не обработано")
