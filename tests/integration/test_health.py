"""What serve.py's /health and /health/fresh say (service/health.py): each campaign's latest read in
the history against its bound (three TTLs, at least the TTL and two minutes)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from data_sources.config import load_settings
from data_sources.local_file import LocalFileSource
from history.store import source_key
from service.health import health
from service.reads import history_for, silent_after


def test_health_says_which_campaign_is_fresh_and_which_has_not_been_read_for_long(tmp_path, monkeypatch):
    monkeypatch.chdir(__import__("pathlib").Path(__file__).resolve().parents[2])
    env = {"CAMPAIGN_CACHE_DIR": str(tmp_path), "CAMPAIGN_TTL_SECONDS": "60"}
    fresh, old = (load_settings(env=env | {"CAMPAIGN_SOURCE": f"data/demo/{name}.xlsx"}, secrets={}, campaign_id=name)
                  for name in ("amur-2022", "primorye-2022"))
    never = load_settings(env=env | {"CAMPAIGN_SOURCE": "data/demo/irkutsk-zastupnik-2024.xlsx"}, secrets={},
                          campaign_id="irkutsk-zastupnik-2024")
    now = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)
    for settings, age in ((fresh, 100), (old, 190)):
        workbook = LocalFileSource(settings.source).read()
        history_for(settings).record(source_key(*settings.history_key), replace(workbook, read_at=now - timedelta(seconds=age)))
    assert silent_after(60) == 180

    said = health([fresh, old, never], now=now)
    assert said["up"] is True and said["fresh"] is False and said["reader"] is None  # SQLite: no reader
    by_id = {entry["id"]: entry for entry in said["campaigns"]}
    assert by_id["amur-2022"] == {"id": "amur-2022", "read_at": (now - timedelta(seconds=100)).isoformat(),
                                  "age_seconds": 100, "fresh": True}
    assert by_id["primorye-2022"]["fresh"] is False and by_id["primorye-2022"]["age_seconds"] == 190
    assert by_id["irkutsk-zastupnik-2024"] == {"id": "irkutsk-zastupnik-2024", "read_at": None, "age_seconds": None,
                                               "fresh": False}
    assert health([fresh], now=now)["fresh"] is True
