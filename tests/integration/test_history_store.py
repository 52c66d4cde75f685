"""The history of reads (history/store.py) against SQLite and a real PostgreSQL server: rows
stored once, identical reads adding only their time, any past read rebuilt exactly, rows that
disappeared, retention, two writers at once, a server that goes away and comes back."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from campaign.workbook import RawTab, SourceInfo, Workbook
from history.store import HistoryError, HistoryStore

DAY0 = datetime(2022, 2, 10, 9, 0, tzinfo=timezone.utc)
HEADER = ["Муниципальное образование", "Наименование организации", "ИНН"]


def workbook(rows: list[list[str]], at: datetime, numbers: list[int] | None = None) -> Workbook:
    numbers = numbers or list(range(2, 2 + len(rows)))
    return Workbook(tabs=[RawTab("Организации", HEADER, [list(r) for r in rows], numbers)],
                    source=SourceInfo("file", "кампания.xlsx"), read_at=at)


ROWS = [["г. Тында", f"Школа № {i}", ""] for i in range(1, 101)]


def count(store: HistoryStore, table: str) -> int:
    engine = store._open()
    with engine.connect() as connection:
        return connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_an_identical_read_adds_only_its_time(store):
    for hour in range(24):
        store.record("s", workbook(ROWS, DAY0 + timedelta(hours=hour)))
    assert (count(store, "reads"), count(store, "snapshots"), count(store, "rows")) == (24, 1, 100)


def test_a_read_that_changed_stores_only_the_rows_that_changed(store):
    store.record("s", workbook(ROWS, DAY0))
    changed = [list(r) for r in ROWS]
    changed[5][1] = "Школа № 6 имени Пушкина"
    store.record("s", workbook(changed, DAY0 + timedelta(hours=1)))
    assert (count(store, "snapshots"), count(store, "rows")) == (2, 101)


def test_after_a_restart_a_changed_read_still_stores_only_the_rows_that_changed(history_url):
    url, folder = history_url
    first = HistoryStore(url, folder=folder)
    first.record("s", workbook(ROWS + [["г. Зея", "Школа\x1fс разделителем", ""]], DAY0))
    first.close()
    again = HistoryStore(url, folder=folder)  # another process: it knows the rows from the history
    changed = [list(r) for r in ROWS] + [["г. Зея", "Школа\x1fс разделителем", ""]]
    changed[0][1] = "Школа № 1 имени Чехова"
    record = again.record("s", workbook(changed, DAY0 + timedelta(hours=1)))
    assert (count(again, "snapshots"), count(again, "rows")) == (2, 102)
    assert again.workbook(record.id).tabs[0].rows == changed
    again.close()


def test_a_history_written_before_layouts_were_packed_still_rebuilds_and_goes_on(history_url):
    """Layouts of earlier versions are JSON, their row ids and numbers lists of differences."""
    import json
    import zlib

    from history.store import unpack_layout

    url, folder = history_url
    first = HistoryStore(url, folder=folder)
    read = first.record("s", workbook(ROWS, DAY0))
    engine = first._open()
    with engine.begin() as connection:
        layout = unpack_layout(connection.execute(sa.text("SELECT layout FROM snapshots")).scalar_one())
        old = [{**tab, "numbers": tab["numbers"].tolist(), "rows": tab["rows"].tolist()} for tab in layout]
        connection.execute(sa.text("UPDATE snapshots SET layout = :layout"),
                           {"layout": zlib.compress(json.dumps(old).encode("utf-8"))})
    first.close()
    again = HistoryStore(url, folder=folder)
    assert again.workbook(read.id).tabs[0].rows == ROWS
    again.record("s", workbook(ROWS[:95], DAY0 + timedelta(hours=1)))  # five rows deleted since
    assert [g.row for g in again.gone_rows("s")] == list(range(97, 102))
    assert again.prune(now=DAY0 + timedelta(days=1)) == 0
    again.close()


def test_any_past_read_is_rebuilt_exactly(store):
    first = workbook(ROWS, DAY0, numbers=[n * 2 for n in range(2, 102)])
    second = workbook(ROWS[:50] + [["Зейский район", "Гимназия «Ё»", "2801156557"]], DAY0 + timedelta(days=1))
    records = [store.record("s", first), store.record("s", second)]
    for record, original in zip(records, (first, second)):
        again = store.workbook(record.id)
        assert again.tabs == original.tabs and again.read_at == original.read_at
        assert again.source == original.source
    assert store.last_good("s").tabs == second.tabs


def test_rows_that_disappeared_are_kept_with_their_row_and_when_they_were_last_seen(store):
    store.record("s", workbook(ROWS, DAY0))
    store.record("s", workbook(ROWS[:90], DAY0 + timedelta(hours=5)))  # rows 92…101 deleted
    gone = store.gone_rows("s")
    assert [g.row for g in gone] == list(range(92, 102))
    assert gone[0].cells == ["г. Тында", "Школа № 91", ""] and gone[0].header == HEADER
    assert {g.last_seen for g in gone} == {DAY0}
    store.record("s", workbook(ROWS[:95], DAY0 + timedelta(hours=6)))  # five of them pasted back
    assert [g.row for g in store.gone_rows("s")] == list(range(97, 102))


def test_retention_forgets_old_reads_but_keeps_the_latest_and_what_it_needs(history_url):
    url, folder = history_url
    store = HistoryStore(url, folder=folder, retention_days=30)
    for day in range(60):
        rows = ROWS[: 100 - day // 10]  # a row goes every ten days
        store.record("s", workbook(rows, DAY0 + timedelta(days=day)))
    removed = store.prune(now=DAY0 + timedelta(days=60))
    assert removed == 30
    reads = store.reads("s")
    assert len(reads) == 30 and reads[0].read_at == DAY0 + timedelta(days=30)
    assert store.last_good("s").tabs[0].rows == ROWS[:95]
    assert store.workbook(reads[0].id).tabs[0].rows == ROWS[:97]
    store.close()


def test_a_snapshot_s_figures_are_kept_once_per_counting_rules_and_go_with_it(store):
    old = store.record("s", workbook(ROWS[:90], DAY0))
    new = store.record("s", workbook(ROWS, DAY0 + timedelta(days=200)))
    store.note_figures(old.snapshot_id, "rules-1", {"memo": [90, 20]})
    store.note_figures(old.snapshot_id, "rules-1", {"memo": [90, 20]})  # a second server: one row
    store.note_figures(new.snapshot_id, "rules-1", {"memo": [100, 20]})
    assert store.figures([old.snapshot_id, new.snapshot_id], "rules-1") == {
        old.snapshot_id: {"memo": [90, 20]}, new.snapshot_id: {"memo": [100, 20]}}
    assert store.figures([old.snapshot_id], "rules-2") == {}  # other rules count anew
    assert count(store, "figures") == 2
    store.prune(now=DAY0 + timedelta(days=201))  # the old read's snapshot goes, its figures with it
    assert store.figures([old.snapshot_id, new.snapshot_id], "rules-1") == {new.snapshot_id: {"memo": [100, 20]}}


def test_two_writers_recording_the_same_read_at_once_record_it_once(history_url):
    url, folder = history_url
    stores = [HistoryStore(url, folder=folder) for _ in range(2)]
    stores[0].record("s", workbook(ROWS[:1], DAY0 - timedelta(days=1)))  # the tables exist
    read = workbook(ROWS, DAY0)
    barrier = threading.Barrier(2)
    errors = []

    def write(store):
        barrier.wait()
        try:
            store.record("s", replace(read, read_at=DAY0 + timedelta(seconds=1 + stores.index(store))))
        except HistoryError as error:  # a busy SQLite may refuse one writer: it is not lost for good
            errors.append(error)

    threads = [threading.Thread(target=write, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    reads = stores[0].reads("s")
    assert len(reads) == 2  # the earlier one, and the same read recorded once
    assert count(stores[0], "rows") == 100
    for store in stores:
        store.close()


def test_a_reminder_is_sent_to_a_recipient_once(store):
    assert not store.sent("amur-2022", "zeya@example.ru", "abc")
    store.note_sending("amur-2022", "zeya@example.ru", "abc", "г. Зея", "failed", "421 busy")
    assert not store.sent("amur-2022", "zeya@example.ru", "abc")
    store.note_sending("amur-2022", "zeya@example.ru", "abc", "г. Зея", "sent")
    store.note_sending("amur-2022", "zeya@example.ru", "abc", "г. Зея", "sent")
    assert store.sent("amur-2022", "zeya@example.ru", "abc")
    assert [s["status"] for s in store.sendings("amur-2022")] == ["failed", "sent"]


def test_a_letter_is_claimed_by_one_sender_and_a_dead_senders_claim_expires(store):
    now = datetime(2022, 3, 1, 10, 0, tzinfo=timezone.utc)
    assert store.claim_sending("amur-2022", "zeya@example.ru", "abc", "г. Зея", now=now)
    assert not store.claim_sending("amur-2022", "zeya@example.ru", "abc", "г. Зея", now=now)  # being sent
    assert store.claim_sending("amur-2022", "zeya@example.ru", "other", "г. Зея", now=now)  # another letter
    later = now + timedelta(minutes=11)  # the first sender died: its claim is taken over
    assert store.claim_sending("amur-2022", "zeya@example.ru", "abc", "г. Зея", now=later)
    store.note_sending("amur-2022", "zeya@example.ru", "abc", "г. Зея", "sent", at=later)
    assert not store.claim_sending("amur-2022", "zeya@example.ru", "abc", "г. Зея", now=later + timedelta(hours=1))
    assert [s["status"] for s in store.sendings("amur-2022") if s["digest"] == "abc"] == ["sent"]


def test_a_postgresql_server_that_goes_away_is_an_error_and_then_it_recovers(postgres):
    store = HistoryStore(postgres.url)
    store.record("pg-down", workbook(ROWS, DAY0))
    postgres.stop()
    try:
        with pytest.raises(HistoryError) as info:
            store.record("pg-down", workbook(ROWS[:10], DAY0 + timedelta(hours=1)))
        assert info.value.message == "База истории чтений недоступна."
    finally:
        postgres.restart()
    store.record("pg-down", workbook(ROWS[:10], DAY0 + timedelta(hours=2)))  # by itself, no restart of ours
    assert store.last_good("pg-down").tabs[0].rows == ROWS[:10]
    store.close()


@pytest.mark.parametrize("cells", [[], [""], ["a\x1fb", "c"], ["\x1eстарт"], ["", "", "x"]])
def test_cells_come_back_exactly_whatever_they_hold(cells):
    from history.store import decode_cells, encode_cells

    assert decode_cells(encode_cells(cells)) == cells
