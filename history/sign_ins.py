"""Wrong sign-in codes counted in the history's database (campaign.access.Throttle's `Failures`):
with PostgreSQL every server of a deployment counts them together, so a guesser gains nothing by
reloading the page or reaching another server. Who tried is kept only as a hash; failures older
than the throttle's window are dropped as new ones come. When the database cannot be used, this
server counts them itself meanwhile (a sign-in is never refused for the database's sake)."""

from __future__ import annotations

import hashlib
import logging

import sqlalchemy as sa

from campaign.access import LOCK_SECONDS, LOCK_WINDOW_SECONDS, InMemoryFailures
from history.store import HistoryError, HistoryStore, sign_in_failures

LOG = logging.getLogger("campaign.access")


def _hashed(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class SignInFailures:
    def __init__(self, store: HistoryStore) -> None:
        self.store = store
        self.meanwhile = InMemoryFailures()  # while the database cannot be used

    def _run(self, work, fallback):
        try:
            return self.store.transaction(work)
        except HistoryError as error:
            LOG.warning("Неверные коды считаются только на этом сервере: %s", error.message)
            return fallback()

    def since(self, key: str, moment: float) -> list[float]:
        def work(connection) -> list[float]:
            return [row.at for row in connection.execute(sa.select(sign_in_failures.c.at).where(
                sign_in_failures.c.key == _hashed(key), sign_in_failures.c.at > moment))]

        return self._run(work, lambda: self.meanwhile.since(key, moment))

    def add(self, key: str, moment: float) -> None:
        def work(connection) -> None:
            connection.execute(sa.delete(sign_in_failures).where(
                sign_in_failures.c.at < moment - LOCK_WINDOW_SECONDS - LOCK_SECONDS))
            connection.execute(sa.insert(sign_in_failures).values(key=_hashed(key), at=moment))

        self._run(work, lambda: self.meanwhile.add(key, moment))

    def clear(self, key: str) -> None:
        def work(connection) -> None:
            connection.execute(sa.delete(sign_in_failures).where(sign_in_failures.c.key == _hashed(key)))

        self.meanwhile.clear(key)
        self._run(work, lambda: None)
