"""What went wrong, as a user reads it: every error the product shows shares this base — a
Russian `message` that says what to do, a `reason` from a closed set (what kind of failure it
is, for a banner, a log line or an exit status), and a `detail` for the log only (never shown:
it may name a path or an address).

The reasons (`REASONS`): a source's failures (`SourceError.kind`: the sheet not found, no
access, a quota, the network, a damaged file, a file over the limits, …), a campaign file that is
wrong, the history that cannot be used, a mail server's settings, an upload refused, a slide that
cannot be written as asked.
"""

from __future__ import annotations

SOURCE_REASONS = frozenset({
    "not_found", "no_access", "quota", "network", "server", "changed", "bad_response", "bad_file", "config",
    "no_data", "not_empty", "pending", "reader", "too_large",
})
REASONS = SOURCE_REASONS | {"campaign_file", "history", "mail_config", "upload_refused", "briefing"}


class UserFacingError(Exception):
    """The base of the errors a user reads (see the module's docstring)."""

    reason = ""

    def __init__(self, message: str, *, reason: str | None = None, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        if reason is not None:
            self.reason = reason  # one of REASONS (tests/unit/test_errors.py checks every one raised)
