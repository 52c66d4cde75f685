"""Reminders sent in the background: the page that starts a sending goes on at once, and every open
page of the campaign shows its progress until it ends (a server that does not answer costs each
recipient its timeout: fifty of them kept a page waiting 25 minutes). One sending per campaign at
a time in this process; each letter is claimed in the history before it goes (service/mail.py), so
a second server or a second click sends nothing twice."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from campaign.pipeline import Report
from history.store import HistoryStore
from service.mail import MailSettings, Outcome, Planned, send

LOG = logging.getLogger(__name__)


@dataclass
class Sending:
    campaign: str
    total: int  # the recipients gone through (a letter sent already is skipped)
    letters: int  # of them, the letters to send
    outcomes: list[Outcome] = field(default_factory=list)  # as they come, one per recipient
    finished: threading.Event = field(default_factory=threading.Event)
    failure: str = ""  # what stopped it, when something unforeseen did

    @property
    def done(self) -> int:
        return len(self.outcomes)

    def count(self, status: str) -> int:
        return sum(outcome.status == status for outcome in list(self.outcomes))

    @property
    def running(self) -> bool:
        return not self.finished.is_set()


_sendings: dict[str, Sending] = {}  # campaign -> its latest sending in this process
_lock = threading.Lock()


def start_sending(planned: list[Planned], mail: MailSettings, store: HistoryStore, report: Report) -> Sending:
    """Starts sending `planned` in a thread of its own; the campaign's sending under way instead,
    when there is one (a second click, a second administrator)."""
    campaign = report.campaign.id
    with _lock:
        current = _sendings.get(campaign)
        if current is not None and current.running:
            return current
        sending = _sendings[campaign] = Sending(campaign, sum(len(item.recipients) for item in planned),
                                                sum(len(item.to_send) for item in planned))

    def work() -> None:
        try:
            send(planned, mail, store, report, progress=sending.outcomes.append)
        except Exception as error:
            LOG.exception("reminders for %s stopped", campaign)
            sending.failure = f"внутренняя ошибка ({type(error).__name__})"
        finally:
            sending.finished.set()

    threading.Thread(target=work, name=f"reminders-{campaign}", daemon=True).start()
    return sending


def sending_of(campaign: str) -> Sending | None:
    """The campaign's latest sending in this process (under way, or ended)."""
    with _lock:
        return _sendings.get(campaign)
