"""The history of every read of a sheet, in an SQL database: SQLite in a file by default,
PostgreSQL when a URL is configured (several app servers then share one history).

Rows are stored content-addressed: each distinct row (its tab and cells) once; a read is a
snapshot — per tab its title, header and the list of (sheet row number, row id) — and the time
it was read. Reads with the same content share one snapshot, so the history grows with what
changes, not with the number of reads; any past read is rebuilt exactly. Nothing here is
unpickled: the database holds text and integers only.

The store holds personal data (the cells as typed): the SQLite file is created with mode 0600
in a folder that no other user may write to, and what it gives back is shown by the existing
role rules. Every failure is a `HistoryError` with a Russian message: the dashboard goes on
without its history and tries again on the next call.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import threading
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from itertools import repeat
from pathlib import Path

import numpy as np
import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from campaign.errors import UserFacingError
from campaign.workbook import RawTab, SourceInfo, Workbook, place_of
from history.rows import EMPTY_ROW, NOTHING_KNOWN, Key, Known, TabRows, key_cells, row_key, tab_rows

LOG = logging.getLogger("campaign.history")

DEFAULT_RETENTION_DAYS = 180
SQLITE_NAME = "history.sqlite3"
SAME_READ_SECONDS = 30  # the same content read within one such slot is one read (two servers, one read)
_CHUNK = 500  # ids in one IN (…)
_LOOKUP = 5000  # row digests in one IN (…): SQLite allows 32 766 bound values
_STORE_BLOCK = 20_000  # rows of a read stored at a time (a first read stores every row)
CLAIM_MINUTES = 10  # a claim to send a letter older than this is of a process that died
WENT = ("sent", "unconfirmed")  # a letter in one of these states is not sent again by itself

metadata = sa.MetaData()
sources = sa.Table(
    "sources", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(64), nullable=False, unique=True),
)
rows = sa.Table(
    "rows", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("digest", sa.LargeBinary(16), nullable=False, unique=True),
    sa.Column("tab", sa.Text, nullable=False),
    sa.Column("cells", sa.Text, nullable=False),  # the cells joined by \x1f (see encode_cells)
)
snapshots = sa.Table(
    "snapshots", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=False),
    sa.Column("digest", sa.LargeBinary(16), nullable=False),
    sa.Column("layout", sa.LargeBinary, nullable=False),  # zlib(JSON): per tab title, header, row numbers, row ids
    sa.UniqueConstraint("source_id", "digest"),
)
gone_rows = sa.Table(  # rows of a source's earlier reads missing from a later one
    "gone_rows", metadata,
    sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=False),
    sa.Column("row_id", sa.Integer, sa.ForeignKey("rows.id"), nullable=False),
    sa.Column("row_number", sa.Integer, nullable=False),  # in the last read that had it
    sa.Column("last_read_id", sa.Integer, nullable=False),
    sa.UniqueConstraint("source_id", "row_id"),
)
sendings = sa.Table(  # reminders sent by e-mail: each recipient's letter once
    "sendings", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("campaign", sa.String(100), nullable=False),
    sa.Column("recipient", sa.String(320), nullable=False),
    sa.Column("digest", sa.String(64), nullable=False),  # of the letter: the same letter is not sent twice
    sa.Column("municipality", sa.String(200), nullable=False),
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # sending, sent, failed, unconfirmed
    sa.Column("detail", sa.Text, nullable=False),
    sa.UniqueConstraint("campaign", "recipient", "digest", "status"),
)
figures = sa.Table(  # each target's value in a snapshot, by the counting rules named (campaign.daily)
    "figures", metadata,
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False),
    sa.Column("rules", sa.String(64), nullable=False),
    sa.Column("data", sa.Text, nullable=False),  # JSON: target id -> [value, goal]
    sa.UniqueConstraint("snapshot_id", "rules"),
)
sign_in_failures = sa.Table(  # wrong sign-in codes by a hash of who tried (history/sign_ins.py)
    "sign_in_failures", metadata,
    sa.Column("key", sa.String(64), nullable=False),
    sa.Column("at", sa.Float, nullable=False),  # seconds since the epoch
    sa.Index("sign_in_failures_by_key", "key", "at"),
)
reads = sa.Table(
    "reads", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=False),
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False),
    sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("slot", sa.BigInteger, nullable=False),
    sa.Column("info", sa.Text, nullable=False),  # JSON: the source's kind, label and URL at the time
    sa.UniqueConstraint("source_id", "snapshot_id", "slot"),
    sa.Index("reads_by_time", "source_id", "read_at"),
)


class HistoryError(UserFacingError):
    """The history cannot be used now. `message` is Russian and names no path or password."""

    reason = "history"


@dataclass(frozen=True)
class ReadRecord:
    id: int
    read_at: datetime
    snapshot_id: int


@dataclass(frozen=True)
class GoneRow:
    """A row an earlier read had and the latest lacks."""

    tab: str  # the tab's place (`RawTab.place`: its title, after its file's name in a workbook of files)
    row: int  # its row number in `last_read`
    cells: list[str]
    header: list[str]  # of that tab in `last_read`
    last_seen: datetime
    last_read: int


def _digest(*parts: bytes) -> bytes:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part)
    return hasher.digest()


def row_digest(tab: str, cells: list[str]) -> bytes:
    return _digest(tab.encode("utf-8"), b"\x1d", "\x1f".join(cells).encode("utf-8"))


def _cells(cells: list[str]) -> list[str]:
    return [str(cell) for cell in cells]


def _key_digests(tab: str, keys: list[Key]) -> list[bytes]:
    """`row_digest` of the rows the keys of one tab stand for (the tab's part hashed once)."""
    prefix = hashlib.blake2b(tab.encode("utf-8") + b"\x1d", digest_size=16)
    digests = []
    for key in keys:
        if isinstance(key, str) and key != EMPTY_ROW:
            hasher = prefix.copy()
            hasher.update(key.encode("utf-8"))
            digests.append(hasher.digest())
        else:
            digests.append(row_digest(tab, key_cells(key)))
    return digests


def _encoded(key: Key) -> str:
    """`encode_cells` of the row a key stands for: a joined key is its own encoding unless a
    cell starts with the JSON mark."""
    if isinstance(key, str) and _JSON_MARK not in key:
        return key
    return encode_cells(key_cells(key))


def content_digest(workbook: Workbook, key: bytes = b"", rows_of_tabs: list[TabRows] | None = None) -> bytes:
    """One digest of everything a read holds (tabs, headers, row numbers, cells); keyed with the
    history's secret when one is configured, so that a changed file is noticed. `rows_of_tabs`:
    each tab's `tab_rows`, when made already."""
    hasher = hashlib.blake2b(digest_size=16, key=key[:64])
    for number, tab in enumerate(workbook.tabs):
        head = [tab.title, tab.sheet_id, tab.header] + ([tab.file, tab.personal] if tab.file or tab.personal else [])
        hasher.update(json.dumps(head, ensure_ascii=False).encode("utf-8"))
        hasher.update(np.asarray(tab.row_numbers, dtype=np.int64).tobytes())
        (rows_of_tabs[number] if rows_of_tabs is not None else tab_rows(tab)).hash_into(hasher)
        hasher.update(b"\x1c")
    return hasher.digest()


_JSON_MARK = "\x1e"  # a row whose cells hold the separator is stored as JSON after this mark


def encode_cells(cells: list[str]) -> str:
    if not cells or any("\x1f" in cell or cell.startswith(_JSON_MARK) for cell in cells):
        return _JSON_MARK + json.dumps(cells, ensure_ascii=False, separators=(",", ":"))
    return "\x1f".join(cells)


def decode_cells(text: str) -> list[str]:
    if text.startswith(_JSON_MARK):
        return json.loads(text[1:])
    return text.split("\x1f")


_LAYOUT_V2 = b"\x00layout2\n"  # a layout whose integers follow its JSON as int32 (JSON layouts are older)


def _deltas(values) -> np.ndarray:
    """Row ids or numbers as differences (they compress to almost nothing)."""
    array = np.asarray(values, dtype=np.int64)
    return np.diff(array, prepend=0) if len(array) else array


def pack_layout(layout: list[dict]) -> bytes:
    """A snapshot's layout for the database: its tabs' titles, headers and sheet ids as JSON, then
    their row numbers and row ids as int32 differences, compressed together (JSON of 100 000
    numbers would cost more than the rest of recording a read)."""
    arrays = [np.asarray(tab[field], dtype=np.int64) for tab in layout for field in ("numbers", "rows")]
    if any(len(a) and (a.max() > 2**31 - 1 or a.min() < -2**31) for a in arrays):  # never in a sheet
        plain = [{**tab, "numbers": np.asarray(tab["numbers"]).tolist(), "rows": np.asarray(tab["rows"]).tolist()}
                 for tab in layout]
        return zlib.compress(json.dumps(plain, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)
    head = json.dumps([{**{k: v for k, v in t.items() if k not in ("numbers", "rows")}, "size": len(t["rows"])}
                       for t in layout], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    body = b"".join(a.astype("<i4").tobytes() for a in arrays)
    # differences: level 1 is enough
    return zlib.compress(_LAYOUT_V2 + len(head).to_bytes(4, "little") + head + body, 1)


def unpack_layout(blob: bytes) -> list[dict]:
    """`pack_layout` undone (also the JSON layouts of earlier versions): per tab its title,
    sheet id, header, and the differences of its row numbers («numbers») and row ids («rows»)."""
    data = zlib.decompress(blob)
    if not data.startswith(_LAYOUT_V2):
        return json.loads(data)
    at = len(_LAYOUT_V2)
    size = int.from_bytes(data[at:at + 4], "little")
    tabs = json.loads(data[at + 4:at + 4 + size])
    body = np.frombuffer(data, dtype="<i4", offset=at + 4 + size).astype(np.int64)
    position = 0
    for tab in tabs:
        count = tab.pop("size")
        tab["numbers"] = body[position:position + count]
        tab["rows"] = body[position + count:position + 2 * count]
        position += 2 * count
    return tabs


def _place(tab: dict) -> str:
    """A layout's tab as `RawTab.place` names it (rows are stored under it)."""
    return place_of(tab["title"], tab.get("file", ""))


def _undeltas_array(values) -> np.ndarray:
    steps = np.asarray(values, dtype=np.int64)
    return np.cumsum(steps) if len(steps) else np.zeros(0, dtype=np.int64)


def _undeltas(values) -> list[int]:
    return _undeltas_array(values).tolist()


def _joined(layout: list[dict], field: str) -> np.ndarray:
    """The row ids («rows») or row numbers («numbers») of every tab of a layout, in one array."""
    parts = [_undeltas_array(tab[field]) for tab in layout if len(tab[field])]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def check_private_folder(folder: Path) -> None:
    """Refuse a folder another user could write to: a file planted there would be read as ours."""
    info = folder.stat()
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise HistoryError("Папка истории чтений принадлежит другому пользователю: история не используется.",
                           detail=str(folder))
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not info.st_mode & stat.S_ISVTX:
        # (a sticky folder such as /tmp is shared, but nobody may remove or replace our file there)
        raise HistoryError("Папку истории чтений могут изменять другие пользователи: история не используется. "
                           "Оставьте право записи только владельцу (chmod 700).", detail=str(folder))


class HistoryStore:
    """Reads of sheets, keyed by a source key (a hash of the source; no address in the database)."""

    def __init__(self, url: str | None = None, *, folder: Path | None = None,
                 retention_days: int = DEFAULT_RETENTION_DAYS, secret: str | None = None) -> None:
        if url is None and folder is None:
            raise ValueError("a URL or a folder")
        self._key = hashlib.sha256(secret.encode("utf-8")).digest() if secret else b""
        self.name = SQLITE_NAME
        if url is not None and url.startswith("sqlite:///"):  # a file of its own: kept private like ours
            path = Path(url[len("sqlite:///"):]).expanduser()
            url, folder, self.name = None, path.parent, path.name
        self.url = url
        self.folder = Path(folder).expanduser() if folder is not None else None
        self.retention_days = int(retention_days)
        self._engine: sa.Engine | None = None
        self._lock = threading.Lock()
        # per source: (the snapshot of its last read here, that read's rows by tab)
        self._known: dict[str, tuple[int, dict[str, Known]]] = {}

    # ------------------------------------------------------------------ the database

    @property
    def is_sqlite(self) -> bool:
        return self.url is None or self.url.startswith("sqlite")

    @property
    def path(self) -> Path | None:
        return self.folder / self.name if self.url is None and self.folder is not None else None

    def _open(self) -> sa.Engine:
        if self._engine is not None:
            return self._engine
        with self._lock:
            if self._engine is not None:
                return self._engine
            if self.url is None:
                engine = self._open_sqlite()
            else:
                engine = sa.create_engine(self.url, pool_pre_ping=True, future=True)
            try:
                metadata.create_all(engine)
            except SQLAlchemyError as error:
                if self._is_corrupt(error):
                    engine.dispose()
                    self._quarantine()
                    engine = self._open_sqlite()
                    metadata.create_all(engine)
                elif "already exists" not in str(error):  # two processes creating it at once
                    engine.dispose()
                    raise
            self._engine = engine
            return engine

    def _open_sqlite(self) -> sa.Engine:
        assert self.folder is not None
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            check_private_folder(self.folder)
            path = self.folder / self.name
            if not path.exists():  # created by us, readable by nobody else: it holds personal data
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), 0o600))
            if path.is_symlink() or (hasattr(os, "getuid") and path.stat().st_uid != os.getuid()):
                raise HistoryError("Файл истории чтений принадлежит другому пользователю: история не используется.",
                                   detail=str(path))
            os.chmod(path, 0o600)
            self._forget_old_snapshots()
        except OSError as error:
            raise HistoryError("Папка истории чтений недоступна.", detail=repr(error)) from None
        return sa.create_engine(f"sqlite:///{path}", connect_args={"timeout": 5}, future=True)

    def _forget_old_snapshots(self) -> None:
        """The pickle snapshots of earlier versions are never loaded (a file in a folder must not be
        a way to run code); their half-written temporary files, which hold personal data, go."""
        assert self.folder is not None
        old = sorted(self.folder.glob("workbook-*.pickle"))
        for partial in self.folder.glob("workbook-*.pickle.*.tmp"):
            partial.unlink(missing_ok=True)
        if old:
            LOG.warning("Старые снимки в формате pickle (%d) не загружаются: последние данные берутся из истории "
                        "чтений. Их можно удалить.", len(old))

    @staticmethod
    def _is_corrupt(error: BaseException) -> bool:
        text = str(error).lower()
        return "not a database" in text or "malformed" in text or "file is encrypted" in text

    def _quarantine(self) -> None:
        """A damaged SQLite file is put aside (not deleted: what it held may still be recovered)."""
        path = self.path
        if path is None or not path.exists():
            return
        aside = path.with_name(f"{path.name}.повреждён-{datetime.now():%Y%m%d-%H%M%S}")
        path.rename(aside)
        LOG.error("Файл истории чтений повреждён и отложен: %s; начата новая история.", aside.name)

    def transaction(self, work):
        """`work(connection)` in one transaction of the history's database (history/sign_ins.py);
        a failure is a HistoryError."""
        return self._run(work)

    def _run(self, work):
        """`work(connection)` in one transaction; every failure a HistoryError (and a damaged file
        put aside, so that the next call starts afresh)."""
        try:
            engine = self._open()
            with engine.begin() as connection:
                return work(connection)
        except HistoryError:
            raise
        except SQLAlchemyError as error:
            if self.url is None and self._is_corrupt(error):
                self._reset()
                self._quarantine()
            raise HistoryError(self._message(error), detail=type(error).__name__) from None
        except OSError as error:
            raise HistoryError("История чтений недоступна: ошибка записи на диск.", detail=repr(error)) from None

    def _reset(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
            self._engine = None
            self._known.clear()

    @staticmethod
    def _message(error: SQLAlchemyError) -> str:
        text = str(error).lower()
        if "locked" in text or "busy" in text:
            return "История чтений занята другим процессом."
        if "disk" in text and ("full" in text or "space" in text):
            return "История чтений не записана: на диске нет места."
        if isinstance(error, sa.exc.OperationalError):
            return "База истории чтений недоступна."
        return "История чтений недоступна."

    def close(self) -> None:
        self._reset()

    # ------------------------------------------------------------------ writing

    def record(self, source_key: str, workbook: Workbook) -> ReadRecord:
        """Records one read. The same content as an earlier read adds only its time; the same
        content read within one slot of `SAME_READ_SECONDS` (another server) is that read."""
        rows_of_tabs = [tab_rows(tab) for tab in workbook.tabs]
        digest, early, known_before = self._digest_and_ids(source_key, workbook, rows_of_tabs)
        read_at = _utc(workbook.read_at)  # stored in UTC: SQLite keeps no offset
        source = workbook.source
        info = json.dumps({"kind": source.kind, "label": source.label, "url": source.url,
                           **({"personal_label": source.personal_label} if source.personal_label else {}),
                           **({"by": source.by} if source.by else {})},
                          ensure_ascii=False)

        def work(connection) -> tuple[ReadRecord, dict]:
            source_id = self._source_id(connection, source_key)
            snapshot_id = connection.execute(sa.select(snapshots.c.id).where(
                snapshots.c.source_id == source_id, snapshots.c.digest == digest)).scalar()
            last = known_before
            now_ids, made = None, None
            if snapshot_id is None:
                if last is None:  # this process has not recorded the source yet: its last read
                    last = self._known_rows(connection, source_id)
                layout, known, now_ids = self._store_rows(connection, workbook, last[1], rows_of_tabs, early)
                _insert_ignoring_duplicates(connection, snapshots, [
                    {"source_id": source_id, "digest": digest, "layout": layout}])
                snapshot_id = connection.execute(sa.select(snapshots.c.id).where(
                    snapshots.c.source_id == source_id, snapshots.c.digest == digest)).scalar_one()
                made = (snapshot_id, known)
            self._note_gone_rows(connection, source_id, snapshot_id, read_at, now_ids, last)
            slot = int(read_at.timestamp() // SAME_READ_SECONDS)
            _insert_ignoring_duplicates(connection, reads, [{
                "source_id": source_id, "snapshot_id": snapshot_id, "read_at": read_at, "slot": slot, "info": info}])
            row = connection.execute(sa.select(reads.c.id, reads.c.read_at).where(
                reads.c.source_id == source_id, reads.c.snapshot_id == snapshot_id, reads.c.slot == slot)).one()
            return ReadRecord(row.id, _aware(row.read_at), snapshot_id), made

        record, made = self._run(work)
        if made is not None:
            self._known[source_key] = made
        return record

    def _note_gone_rows(self, connection, source_id: int, snapshot_id: int, read_at: datetime,
                        now_ids: np.ndarray | None = None, last: tuple[int, dict] | None = None) -> None:
        """The rows of the previous read that this one lacks are noted as gone (with their row
        number and the last read that had them); a gone row that is back is no longer gone. A read
        recorded before later ones (a backfill) changes nothing."""
        later = connection.execute(sa.select(reads.c.id).where(
            reads.c.source_id == source_id, reads.c.read_at > read_at).limit(1)).first()
        if later is not None:
            return
        previous = connection.execute(sa.select(reads.c.id, reads.c.snapshot_id).where(
            reads.c.source_id == source_id, reads.c.read_at <= read_at).order_by(
            reads.c.read_at.desc(), reads.c.id.desc()).limit(1)).first()
        if previous is None or previous.snapshot_id == snapshot_id:
            return
        if now_ids is None:
            now_ids = _joined(self._layout(connection, snapshot_id), "rows")
        if last is not None and last[0] == previous.snapshot_id and last[1]:  # its rows are in memory
            then_ids = np.concatenate([known.ids for known in last[1].values()])
            then_numbers = np.concatenate([known.numbers for known in last[1].values()])
        else:
            before = self._layout(connection, previous.snapshot_id)
            then_ids, then_numbers = _joined(before, "rows"), _joined(before, "numbers")
        gone = ~np.isin(then_ids, now_ids)
        back = now_ids[np.isin(now_ids, then_ids, invert=True)]
        if len(back):
            for start in range(0, len(back), _CHUNK):
                chunk = back[start:start + _CHUNK].tolist()
                connection.execute(gone_rows.delete().where(gone_rows.c.source_id == source_id,
                                                            gone_rows.c.row_id.in_(chunk)))
        if gone.any():
            ids = then_ids[gone].tolist()
            for start in range(0, len(ids), _CHUNK):  # gone again after coming back: the newer fact wins
                connection.execute(gone_rows.delete().where(gone_rows.c.source_id == source_id,
                                                            gone_rows.c.row_id.in_(ids[start:start + _CHUNK])))
            _insert_ignoring_duplicates(connection, gone_rows, [
                {"source_id": source_id, "row_id": row_id, "row_number": number, "last_read_id": previous.id}
                for row_id, number in zip(ids, then_numbers[gone].tolist())])

    @staticmethod
    def _layout(connection, snapshot_id: int) -> list[dict]:
        blob = connection.execute(sa.select(snapshots.c.layout).where(snapshots.c.id == snapshot_id)).scalar_one()
        return unpack_layout(blob)

    def _source_id(self, connection, key: str) -> int:
        _insert_ignoring_duplicates(connection, sources, [{"key": key}])
        return connection.execute(sa.select(sources.c.id).where(sources.c.key == key)).scalar_one()

    def _digest_and_ids(self, source_key: str, workbook: Workbook,
                        rows_of_tabs: list[TabRows]) -> tuple[bytes, list[np.ndarray] | None, tuple | None]:
        """The read's content digest and, when this process knows the source's last read, the ids
        its rows had there (-1 for the others) and that last read: the digest and the ids at once,
        on two cores (hashing and Arrow let the interpreter go)."""
        last = self._known.get(source_key)
        if last is None:
            return content_digest(workbook, self._key, rows_of_tabs), None, None
        made: dict[str, object] = {}

        def digest() -> None:
            try:
                made["digest"] = content_digest(workbook, self._key, rows_of_tabs)
            except BaseException as error:  # noqa: BLE001 - raised again below, in the caller's thread
                made["error"] = error

        hashing = threading.Thread(target=digest, name="history-digest")
        hashing.start()
        try:
            ids = [last[1].get(tab.place, NOTHING_KNOWN).ids_of(keys) for tab, keys in zip(workbook.tabs, rows_of_tabs)]
        finally:
            hashing.join()
        if "error" in made:
            raise made["error"]
        return made["digest"], ids, last

    def _store_rows(self, connection, workbook: Workbook, known: dict[str, Known], rows_of_tabs: list[TabRows],
                    found: list[np.ndarray] | None = None) -> tuple[bytes, dict[str, Known], np.ndarray]:
        """Inserts the rows not stored yet; returns the snapshot's layout, its rows by tab (for
        the next read: `known` are those of the previous one) and its row ids. `found`: the ids of
        the rows in `known`, when looked up already."""
        ids_of_tabs = []
        for number, (tab, tab_keys) in enumerate(zip(workbook.tabs, rows_of_tabs)):
            ids = found[number].copy() if found is not None else known.get(tab.place, NOTHING_KNOWN).ids_of(tab_keys)
            missing = np.flatnonzero(ids < 0)
            for start in range(0, len(missing), _STORE_BLOCK):  # a block at a time: bounded memory
                block = missing[start:start + _STORE_BLOCK]
                ids[block] = _stored_ids(connection, tab.place, tab_keys.python_keys(block))
            ids_of_tabs.append(ids)
        layout, now = [], {}
        for tab, tab_keys, ids in zip(workbook.tabs, rows_of_tabs, ids_of_tabs):
            now[tab.place] = Known.of(tab_keys, ids, np.asarray(tab.row_numbers, dtype=np.int64), tab)
            of_files = {"file": tab.file, "personal": tab.personal} if tab.file or tab.personal else {}
            layout.append({"title": tab.title, "sheet_id": tab.sheet_id, "header": list(tab.header), **of_files,
                           "numbers": _deltas(tab.row_numbers), "rows": _deltas(ids)})
        blob = pack_layout(layout)
        every_id = np.concatenate(ids_of_tabs) if ids_of_tabs else np.zeros(0, dtype=np.int64)
        return blob, now, every_id

    def _known_rows(self, connection, source_id: int) -> tuple[int, dict[str, Known]]:
        """The snapshot of the source's latest read and its rows by tab, from the history (after a
        restart, so that the next read stores only what changed without looking up every row)."""
        latest = connection.execute(sa.select(reads.c.snapshot_id).where(reads.c.source_id == source_id).order_by(
            reads.c.read_at.desc(), reads.c.id.desc()).limit(1)).scalar()
        if latest is None:
            return -1, {}
        layout = self._layout(connection, latest)
        texts = _stored_cells(connection, layout)
        known = {}
        for tab in layout:
            ids, numbers = _undeltas_array(tab["rows"]), _undeltas_array(tab["numbers"])
            stored = [texts[i] for i in ids.tolist()]
            if all(_JSON_MARK not in text for text in stored):  # each stored as its cells joined: its key
                known[_place(tab)] = Known(ids, numbers, keys=pa.array(stored, pa.string()))
            else:
                keys = [text if _JSON_MARK not in text else row_key(decode_cells(text)) for text in stored]
                known[_place(tab)] = Known(ids, numbers, table=dict(zip(keys, ids.tolist())))
        return latest, known

    # ------------------------------------------------------------------ reading

    def reads(self, source_key: str, since: datetime | None = None, until: datetime | None = None) -> list[ReadRecord]:
        """The reads of a source, oldest first (between `since` and `until` when given)."""
        def work(connection) -> list[ReadRecord]:
            query = sa.select(reads.c.id, reads.c.read_at, reads.c.snapshot_id).join(
                sources, sources.c.id == reads.c.source_id).where(sources.c.key == source_key)
            if since is not None:
                query = query.where(reads.c.read_at >= _utc(since))
            if until is not None:
                query = query.where(reads.c.read_at <= _utc(until))
            return [ReadRecord(r.id, _aware(r.read_at), r.snapshot_id)
                    for r in connection.execute(query.order_by(reads.c.read_at, reads.c.id))]

        return self._run(work)

    def last_good(self, source_key: str) -> Workbook | None:
        """The latest read of a source, rebuilt; None when it was never read."""
        found = self.reads_before(source_key, None)
        return None if found is None else self.workbook(found.id)

    def reads_before(self, source_key: str, moment: datetime | None) -> ReadRecord | None:
        """The last read of a source at or before `moment` (the latest of all when None)."""
        def work(connection) -> ReadRecord | None:
            query = sa.select(reads.c.id, reads.c.read_at, reads.c.snapshot_id).join(
                sources, sources.c.id == reads.c.source_id).where(sources.c.key == source_key)
            if moment is not None:
                query = query.where(reads.c.read_at <= _utc(moment))
            row = connection.execute(query.order_by(reads.c.read_at.desc(), reads.c.id.desc()).limit(1)).first()
            return None if row is None else ReadRecord(row.id, _aware(row.read_at), row.snapshot_id)

        return self._run(work)

    def workbook(self, read_id: int) -> Workbook:
        """A past read exactly as it was: its tabs, headers, row numbers and cells."""
        def work(connection) -> Workbook:
            read = connection.execute(sa.select(reads.c.read_at, reads.c.info, snapshots.c.layout,
                                                snapshots.c.digest).join(
                snapshots, snapshots.c.id == reads.c.snapshot_id).where(reads.c.id == read_id)).one()
            layout = unpack_layout(read.layout)
            ids = sorted({row_id for tab in layout for row_id in _undeltas(tab["rows"])})
            cells: dict[int, list[str]] = {}
            for start in range(0, len(ids), _CHUNK):
                for row in connection.execute(sa.select(rows.c.id, rows.c.cells).where(
                        rows.c.id.in_(ids[start:start + _CHUNK]))):
                    cells[row.id] = decode_cells(row.cells)
            info = json.loads(read.info)
            tabs = [RawTab(tab["title"], tab["header"], [list(cells[i]) for i in _undeltas(tab["rows"])],
                           _undeltas(tab["numbers"]), tab["sheet_id"], file=tab.get("file", ""),
                           personal=tab.get("personal", False)) for tab in layout]
            workbook = Workbook(tabs=tabs, source=SourceInfo(info["kind"], info["label"], info.get("url"),
                                                             info.get("personal_label", ""), info.get("by", "")),
                                read_at=_aware(read.read_at), extra={"history_read_id": read_id})
            if content_digest(workbook, self._key) != bytes(read.digest):
                LOG.error("Чтение %s в истории не совпадает со своей контрольной суммой: файл изменён вне "
                          "дашборда или повреждён; оно не показывается.", read_id)
                raise HistoryError("История чтений изменена вне дашборда или повреждена: прошлые данные не "
                                   "показываются.")
            return workbook

        return self._run(work)

    def gone_rows(self, source_key: str) -> list[GoneRow]:
        """Rows of earlier reads that the latest one lacks (deleted, or edited into other rows:
        the campaign's keys tell which), with the header of the read that last had them."""
        def work(connection) -> list[GoneRow]:
            query = (sa.select(gone_rows.c.row_number, gone_rows.c.last_read_id, rows.c.tab, rows.c.cells,
                               reads.c.read_at, reads.c.snapshot_id)
                     .join(sources, sources.c.id == gone_rows.c.source_id)
                     .join(rows, rows.c.id == gone_rows.c.row_id)
                     .join(reads, reads.c.id == gone_rows.c.last_read_id)
                     .where(sources.c.key == source_key)
                     .order_by(rows.c.tab, gone_rows.c.row_number))
            found, headers = [], {}
            for row in connection.execute(query):
                if row.snapshot_id not in headers:
                    headers[row.snapshot_id] = {_place(tab): tab["header"] for tab in self._layout(connection,
                                                                                                    row.snapshot_id)}
                found.append(GoneRow(row.tab, row.row_number, decode_cells(row.cells),
                                     headers[row.snapshot_id].get(row.tab, []), _aware(row.read_at), row.last_read_id))
            return found

        return self._run(work)

    def rows_missing_from(self, source_key: str, workbook: Workbook) -> list[GoneRow]:
        """Rows of the latest recorded read that `workbook` — a read not recorded (the command
        line's `summary`) — lacks, as `gone_rows` gives them: what the app notes as gone when it
        records a read, said of a read that is not."""
        def work(connection) -> list[GoneRow]:
            latest = connection.execute(
                sa.select(reads.c.id, reads.c.read_at, reads.c.snapshot_id)
                .join(sources, sources.c.id == reads.c.source_id)
                .where(sources.c.key == source_key)
                .order_by(reads.c.read_at.desc(), reads.c.id.desc()).limit(1)).first()
            if latest is None:
                return []
            current = {tab.place: set(tab_rows(tab).python_keys()) for tab in workbook.tabs}
            layout = self._layout(connection, latest.snapshot_id)
            texts = _stored_cells(connection, layout)
            found = []
            for tab in layout:
                place, now = _place(tab), current.get(_place(tab), set())
                for row_id, number in zip(_undeltas(tab["rows"]), _undeltas(tab["numbers"])):
                    cells = decode_cells(texts[row_id])
                    if row_key(cells) not in now:
                        found.append(GoneRow(place, number, cells, tab["header"], _aware(latest.read_at), latest.id))
            return found

        return self._run(work)

    def sent(self, campaign: str, recipient: str, digest: str) -> bool:
        """Whether this letter already went to this recipient (a retry sends it no second time), or
        may have: the server took it whole and did not answer (`unconfirmed`)."""
        return self.sending_state(campaign, recipient, digest) is not None

    def sending_state(self, campaign: str, recipient: str, digest: str) -> str | None:
        """«sent», «unconfirmed» (the server took the letter and did not say it had: not sent again
        unless an administrator decides so, `forget_unconfirmed`), or None."""
        def work(connection) -> str | None:
            found = {row.status for row in connection.execute(sa.select(sendings.c.status).where(
                sendings.c.campaign == campaign, sendings.c.recipient == recipient, sendings.c.digest == digest,
                sendings.c.status.in_(WENT)))}
            return "sent" if "sent" in found else ("unconfirmed" if found else None)

        return self._run(work)

    def forget_unconfirmed(self, campaign: str) -> int:
        """An administrator's decision: the letters whose delivery was not confirmed may go again."""
        return self._run(lambda connection: connection.execute(sendings.delete().where(
            sendings.c.campaign == campaign, sendings.c.status == "unconfirmed")).rowcount)

    def claim_sending(self, campaign: str, recipient: str, digest: str, municipality: str,
                      now: datetime | None = None) -> bool:
        """Takes this letter to this recipient for sending: False when it went already or another
        process is sending it right now (two administrators pressing «Отправить» at once send it
        once). A claim older than CLAIM_MINUTES (a process that died mid-way) is taken over."""
        now = _utc(now or datetime.now(timezone.utc))
        mine = (sendings.c.campaign == campaign, sendings.c.recipient == recipient, sendings.c.digest == digest)

        def work(connection) -> bool:
            connection.execute(sendings.delete().where(
                *mine, sendings.c.status == "sending", sendings.c.sent_at < now - timedelta(minutes=CLAIM_MINUTES)))
            # first the claim (the unique key lets one process in), then whether it went already: a
            # process that finished in between recorded «sent» in the transaction that ended its claim
            inserted = connection.execute(_insert_ignoring(connection, sendings).values(
                campaign=campaign, recipient=recipient, digest=digest, municipality=municipality, sent_at=now,
                status="sending", detail="").returning(sendings.c.id)).first()
            if inserted is None:  # another process is sending it right now
                return False
            if connection.execute(sa.select(sendings.c.id).where(*mine, sendings.c.status.in_(WENT))).first():
                connection.execute(sendings.delete().where(sendings.c.id == inserted.id))
                return False
            return True

        return self._run(work)

    def note_sending(self, campaign: str, recipient: str, digest: str, municipality: str, status: str,
                     detail: str = "", at: datetime | None = None) -> None:
        """How a sending ended: «sent», «failed» or «unconfirmed» (with the server's answer); ends
        its claim."""
        mine = (sendings.c.campaign == campaign, sendings.c.recipient == recipient, sendings.c.digest == digest)

        def work(connection) -> None:
            if status != "sent":  # the last failure of a letter is what counts
                connection.execute(sendings.delete().where(*mine, sendings.c.status == status))
            _insert_ignoring_duplicates(connection, sendings, [{
                "campaign": campaign, "recipient": recipient, "digest": digest, "municipality": municipality,
                "sent_at": at or datetime.now(timezone.utc), "status": status, "detail": detail[:2000]}])
            connection.execute(sendings.delete().where(*mine, sendings.c.status == "sending"))  # with «sent», at once

        self._run(work)

    def figures(self, snapshot_ids: list[int], rules: str) -> dict[int, dict[str, list]]:
        """The figures noted for these snapshots under these counting rules (snapshot id -> the
        JSON's dict); those never noted are missing."""
        def work(connection) -> dict[int, dict[str, list]]:
            found: dict[int, dict[str, list]] = {}
            ids = sorted(set(snapshot_ids))
            for start in range(0, len(ids), _CHUNK):
                for row in connection.execute(sa.select(figures.c.snapshot_id, figures.c.data).where(
                        figures.c.rules == rules, figures.c.snapshot_id.in_(ids[start:start + _CHUNK]))):
                    found[row.snapshot_id] = json.loads(row.data)
            return found

        return self._run(work)

    def note_figures(self, snapshot_id: int, rules: str, data: dict[str, list | tuple]) -> None:
        """Keeps a snapshot's figures (once: two servers noting the same is one)."""
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        self._run(lambda connection: _insert_ignoring_duplicates(connection, figures, [
            {"snapshot_id": snapshot_id, "rules": rules, "data": text}]))

    def sendings(self, campaign: str) -> list[dict]:
        def work(connection) -> list[dict]:
            return [dict(row._mapping) for row in connection.execute(
                sa.select(sendings).where(sendings.c.campaign == campaign).order_by(sendings.c.sent_at))]

        return self._run(work)

    # ------------------------------------------------------------------ retention

    def prune(self, now: datetime | None = None) -> int:
        """Forgets reads older than the retention (the latest read of each source always stays),
        then the snapshots and rows no read needs. Returns how many reads went."""
        cutoff = _utc(now or datetime.now(timezone.utc)) - timedelta(days=self.retention_days)

        def work(connection) -> int:
            latest = sa.select(sa.func.max(reads.c.id)).group_by(reads.c.source_id)
            gone = connection.execute(reads.delete().where(reads.c.read_at < cutoff, reads.c.id.not_in(latest)))
            used = sa.select(reads.c.snapshot_id).distinct()
            connection.execute(gone_rows.delete().where(gone_rows.c.last_read_id.not_in(sa.select(reads.c.id))))
            connection.execute(figures.delete().where(figures.c.snapshot_id.not_in(used)))
            connection.execute(snapshots.delete().where(snapshots.c.id.not_in(used)))
            kept: set[int] = set()
            for (layout,) in connection.execute(sa.select(snapshots.c.layout)):
                for tab in unpack_layout(layout):
                    kept.update(_undeltas(tab["rows"]))
            kept.update(row_id for (row_id,) in connection.execute(sa.select(gone_rows.c.row_id)))
            stored = [row_id for (row_id,) in connection.execute(sa.select(rows.c.id))]
            unused = [row_id for row_id in stored if row_id not in kept]
            for start in range(0, len(unused), _CHUNK):
                connection.execute(rows.delete().where(rows.c.id.in_(unused[start:start + _CHUNK])))
            return gone.rowcount or 0

        removed = self._run(work)
        self._known.clear()
        return removed

    def size_bytes(self) -> int | None:
        """The SQLite file's size (None for a server database)."""
        path = self.path
        return path.stat().st_size if path is not None and path.exists() else None


def _aware(moment: datetime) -> datetime:
    """A moment read back from the database, in UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _utc(moment: datetime) -> datetime:
    """A moment for the database, in UTC: SQLite keeps the wall clock and no offset, so every
    moment goes in as UTC; PostgreSQL's timestamptz keeps the instant."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return aware.astimezone(timezone.utc)


def _insert_ignoring(connection, table: sa.Table):
    """INSERT … ON CONFLICT DO NOTHING in the database's own dialect (two writers at once)."""
    name = connection.dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - only the two are supported
        raise HistoryError(f"База истории {name} не поддерживается: нужна SQLite или PostgreSQL.")
    return insert(table).on_conflict_do_nothing()


def _insert_ignoring_duplicates(connection, table: sa.Table, values: list[dict]) -> None:
    if not values:
        return
    statement = _insert_ignoring(connection, table)
    for start in range(0, len(values), 2000):
        connection.execute(statement, values[start:start + 2000])


def _insert_rows(connection, values: list[tuple[bytes, str, str]]) -> None:
    """Stores rows (digest, tab, cells), a row stored already left as it is: the driver's own
    executemany on tuples (SQLite: one prepared statement; psycopg: pipelined), without building a
    statement and a dict per row — the first read of a sheet stores every row."""
    name = connection.dialect.name
    if name == "sqlite":
        sql = "INSERT INTO rows (digest, tab, cells) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
    else:
        sql = "INSERT INTO rows (digest, tab, cells) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING"
    for start in range(0, len(values), 20_000):
        connection.exec_driver_sql(sql, values[start:start + 20_000])


def _stored_ids(connection, place: str, keys: list[Key]) -> np.ndarray:
    """The ids of the rows of one tab with `keys`, stored now when they are not yet (a row another
    read stored already is left as it is): each distinct row once, inserted in the digests' order
    (the index is filled front to back; sorted by numpy), the ids of the rows just stored read in
    one pass — in that order when no other read stored any of them —, the others by digest."""
    digests = _key_digests(place, keys)
    if not digests:
        return np.zeros(0, dtype=np.int64)
    halves = np.frombuffer(b"".join(digests), dtype=">u8").reshape(-1, 2).astype(np.uint64)
    order = np.lexsort((halves[:, 1], halves[:, 0]))
    ordered = halves[order]
    first = np.ones(len(order), dtype=bool)  # the first of each distinct digest, in digest order
    first[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    slot = np.empty(len(order), dtype=np.int64)  # each row's distinct digest, numbered in digest order
    slot[order] = np.cumsum(first) - 1
    chosen = order[first].tolist()
    fresh_digests = [digests[i] for i in chosen]
    fresh = list(zip(fresh_digests, repeat(place), [_encoded(keys[i]) for i in chosen]))
    before = connection.execute(sa.select(sa.func.max(rows.c.id))).scalar() or 0
    _insert_rows(connection, fresh)
    stored = _stored_after(connection, before)
    if [bytes(digest) for _, digest in stored] == fresh_digests:  # every one new, nobody else's between
        return np.fromiter((row_id for row_id, _ in stored), dtype=np.int64, count=len(stored))[slot]
    slot_of = {digest: number for number, digest in enumerate(fresh_digests)}
    id_of_slot = np.full(len(fresh), -1, dtype=np.int64)
    for row_id, digest in stored:
        number = slot_of.get(bytes(digest))
        if number is not None:
            id_of_slot[number] = row_id
    unknown = np.flatnonzero(id_of_slot < 0)  # stored by an earlier read (or another server)
    for row_id, digest in _ids_of_digests(connection, [fresh_digests[number] for number in unknown.tolist()]):
        id_of_slot[slot_of[bytes(digest)]] = row_id
    return id_of_slot[slot]


def _stored_cells(connection, layout: list[dict]) -> dict[int, str]:
    """Row id -> its stored cells, for every row of a snapshot's `layout`."""
    wanted = sorted({i for tab in layout for i in _undeltas(tab["rows"])})
    texts: dict[int, str] = {}
    for start in range(0, len(wanted), _LOOKUP):
        for row in connection.execute(sa.select(rows.c.id, rows.c.cells).where(
                rows.c.id.in_(wanted[start:start + _LOOKUP]))):
            texts[row.id] = row.cells
    return texts


def _stored_after(connection, last_id: int) -> list[tuple[int, bytes]]:
    """(id, digest) of the rows stored after the row `last_id`, in the order of their ids."""
    marks = "?" if connection.dialect.name == "sqlite" else "%s"
    cursor = connection.connection.cursor()
    try:
        cursor.execute(f"SELECT id, digest FROM rows WHERE id > {marks} ORDER BY id", (last_id,))
        return cursor.fetchall()
    finally:
        cursor.close()


def _ids_of_digests(connection, digests: list[bytes]) -> list[tuple[int, bytes]]:
    """(id, digest) of the stored rows of `digests`, a chunk of them at a time (tuples straight
    from the driver's cursor: a first read looks up every row)."""
    marks = "?" if connection.dialect.name == "sqlite" else "%s"
    found = []
    cursor = connection.connection.cursor()
    try:
        for start in range(0, len(digests), _LOOKUP):
            part = digests[start:start + _LOOKUP]
            cursor.execute(f"SELECT id, digest FROM rows WHERE digest IN ({', '.join([marks] * len(part))})", part)
            found.extend(cursor.fetchall())
    finally:
        cursor.close()
    return found


def source_key(kind: str, source: str, personal_kind: str | None = None, personal: str | None = None) -> str:
    """The key of a source in the history: a hash (no sheet key or path in the database); a file
    by its absolute path, so that the app and the command line name it alike; a shared sheet whose
    personal columns come from a workbook apart, by both."""
    if kind == "file":
        source = str(Path(source).expanduser().resolve())
    if personal:
        source = f"{source}\n{source_key(personal_kind or 'file', personal)}"
    return hashlib.sha256(f"{kind}\n{source}".encode("utf-8")).hexdigest()[:32]
