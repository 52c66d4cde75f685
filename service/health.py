"""What a load balancer and a monitor ask a server (serve.py's `/health` and `/health/fresh`):
is it up, and is the data it serves fresh — each campaign's latest read in the history against
its TTL (service.reads.silent_after: three TTLs, at least two minutes more than one)."""

from __future__ import annotations

from datetime import datetime, timezone

from data_sources.config import Settings
from history.store import HistoryError, source_key
from service.reads import ReadService, history_for, silent_after


def health(campaigns: list[Settings], service: ReadService | None = None,
           now: datetime | None = None) -> dict:
    """{"up": true, "fresh": …, "reader": …, "campaigns": [{"id", "read_at", "age_seconds", "fresh"}]}:
    `fresh` is false when a campaign's latest read is older than it may be, or the history cannot
    be asked; `reader`: whether this server reads the sheets of a shared history (None: not shared)."""
    now = now or datetime.now(timezone.utc)
    found = []
    for settings in campaigns:
        entry = {"id": settings.campaign_id, "read_at": None, "age_seconds": None, "fresh": False}
        try:
            latest = history_for(settings).reads_before(source_key(*settings.history_key), None)
        except HistoryError as error:
            entry["error"] = error.message
            latest = None
        if latest is not None:
            age = (now - latest.read_at).total_seconds()
            entry.update(read_at=latest.read_at.isoformat(), age_seconds=round(age),
                         fresh=age <= silent_after(settings.ttl_seconds))
        found.append(entry)
    shared = service.shared if service is not None else None
    return {"up": True, "fresh": all(entry["fresh"] for entry in found),
            "reader": None if shared is None else shared.is_reader, "campaigns": found}
