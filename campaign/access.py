"""Who may see personal data: roles, passcodes kept as hashes, and which rows a role may open.

Roles: viewer (no personal data anywhere), coordinator (contacts of their own municipality),
admin (all). With no sign-in configured everyone is a viewer.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

VIEWER, COORDINATOR, ADMIN = "viewer", "coordinator", "admin"
ROLE_NAMES = {VIEWER: "наблюдатель", COORDINATOR: "координатор", ADMIN: "администратор"}
_ITERATIONS = 200_000


@dataclass(frozen=True)
class Access:
    role: str = VIEWER
    municipality_uid: str | None = None  # a coordinator's municipality
    who: str = ""  # the e-mail or «код доступа», for the sidebar

    @property
    def may_see_personal(self) -> bool:
        return self.role in (COORDINATOR, ADMIN)

    def personal_rows(self, uids: pd.Series) -> pd.Series:
        """Which rows' personal data this role may see (by the rows' municipality uid)."""
        if self.role == ADMIN:
            return pd.Series(True, index=uids.index)
        if self.role == COORDINATOR and self.municipality_uid:
            return uids == self.municipality_uid
        return pd.Series(False, index=uids.index)

    def may_export_contacts(self, municipality_uid: str | None) -> bool:
        if self.role == ADMIN:
            return True
        return self.role == COORDINATOR and municipality_uid is not None and municipality_uid == self.municipality_uid


def parse_role(text: str, who: str = "") -> Access:
    """«admin», «viewer» or «coordinator:<municipality uid>»; anything else is a viewer."""
    role, _, uid = str(text).strip().partition(":")
    if role == ADMIN:
        return Access(ADMIN, None, who)
    if role == COORDINATOR and uid:
        return Access(COORDINATOR, uid, who)
    return Access(VIEWER, None, who)


def hash_passcode(passcode: str, salt: str | None = None, iterations: int = _ITERATIONS) -> str:
    """«pbkdf2_sha256$<iterations>$<salt>$<hex>», for secrets.toml (the passcode itself is never kept)."""
    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", passcode.encode("utf-8"), salt.encode("ascii"), iterations).hex()
    return f"pbkdf2_sha256${iterations}${salt}${digest}"


def check_passcode(passcode: str, hashed: str) -> bool:
    try:
        scheme, iterations, salt, digest = hashed.split("$")
    except ValueError:
        return False
    if scheme != "pbkdf2_sha256":
        return False
    candidate = hashlib.pbkdf2_hmac("sha256", passcode.encode("utf-8"), salt.encode("ascii"), int(iterations)).hex()
    return hmac.compare_digest(candidate, digest)


def access_for_passcode(passcode: str, passcodes: dict[str, str]) -> Access | None:
    """The role whose hash matches, or None. `passcodes` maps a role to a hash."""
    role = passcode_role(passcode, passcodes)
    return None if role is None else parse_role(role, "код доступа")


TICKET_SALT = "dashboard-access"
TICKET_HOURS = 12  # a passcode sign-in holds this long (a working day), on every server


def access_ticket(role: str, passcodes: Mapping[str, str], secret: str) -> str:
    """What the sign-in cookie holds after a right code: the role, bound to that role's current
    code (a changed code ends the sign-ins made with the old one), signed with the servers' shared
    secret (itsdangerous)."""
    from itsdangerous import URLSafeTimedSerializer

    bound = hashlib.sha256(str(passcodes[role]).encode("utf-8")).hexdigest()[:16]
    return URLSafeTimedSerializer(secret, salt=TICKET_SALT).dumps({"role": role, "code": bound})


def access_from_ticket(ticket: str | None, passcodes: Mapping[str, str], secret: str,
                       max_age: float = TICKET_HOURS * 3600) -> Access | None:
    """The role a sign-in cookie holds, or None: not signed by the secret, older than `max_age`
    seconds, or made with a code that has changed since."""
    from itsdangerous import BadSignature, URLSafeTimedSerializer

    if not ticket or not secret:
        return None
    try:
        payload = URLSafeTimedSerializer(secret, salt=TICKET_SALT).loads(ticket, max_age=max_age)
    except BadSignature:  # also SignatureExpired
        return None
    role = payload.get("role") if isinstance(payload, dict) else None
    if role not in passcodes:
        return None
    bound = hashlib.sha256(str(passcodes[role]).encode("utf-8")).hexdigest()[:16]
    if not hmac.compare_digest(bound, str(payload.get("code", ""))):
        return None
    return parse_role(role, "код доступа")


def passcode_role(passcode: str, passcodes: dict[str, str]) -> str | None:
    """The key of `passcodes` (a role) whose hash matches, or None.

    A guess costs one PBKDF2 per distinct salt, not one per role (codes made with one shared
    salt, `passcode --salt`, cost one), and every hash is computed and compared whether or not
    an earlier one matched: the time of an answer says nothing about which role was close."""
    groups: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for role, hashed in passcodes.items():
        try:
            scheme, iterations, salt, digest = str(hashed).split("$")
            if scheme != "pbkdf2_sha256":
                continue
            groups.setdefault((salt, int(iterations)), []).append((role, digest))
        except ValueError:
            continue
    found: str | None = None
    for (salt, iterations), entries in groups.items():
        candidate = hashlib.pbkdf2_hmac("sha256", passcode.encode("utf-8"), salt.encode("ascii"), iterations).hex()
        for role, digest in entries:
            if hmac.compare_digest(candidate, digest) and found is None:
                found = role
    return found


def hash_count(passcodes: dict[str, str]) -> int:
    """How many PBKDF2 computations one guess costs with these codes (one per distinct salt)."""
    return len({tuple(str(hashed).split("$")[1:3]) for hashed in passcodes.values()})


MIN_PASSCODE_LENGTH = 8
FREE_FAILURES = 3  # wrong codes allowed before the waiting starts
MAX_WAIT_SECONDS = 300
LOCK_AFTER = 10  # wrong codes within LOCK_WINDOW_SECONDS lock the sign-in for LOCK_SECONDS
LOCK_WINDOW_SECONDS = 15 * 60
LOCK_SECONDS = 15 * 60


class Failures(Protocol):
    """Where wrong codes are counted: in this process (`InMemoryFailures`), or in the shared
    history's database (`history.sign_ins.SignInFailures`: every server, across reloads)."""

    def since(self, key: str, moment: float) -> list[float]: ...

    def add(self, key: str, moment: float) -> None: ...

    def clear(self, key: str) -> None: ...


class InMemoryFailures:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: dict[str, list[float]] = {}

    def since(self, key: str, moment: float) -> list[float]:
        with self._lock:
            times = self._failures[key] = [t for t in self._failures.get(key, []) if t > moment]
            return list(times)

    def add(self, key: str, moment: float) -> None:
        with self._lock:
            self._failures.setdefault(key, []).append(moment)

    def clear(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


class Throttle:
    """Failed sign-ins by key (a session, a client address): after FREE_FAILURES wrong codes each
    next attempt waits twice as long (2, 4, 8 … up to MAX_WAIT_SECONDS s); LOCK_AFTER of them
    within LOCK_WINDOW_SECONDS lock the key for LOCK_SECONDS. Counted where `failures` keeps them
    (this process by default; the shared database with several servers, by wall-clock time)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, failures: Failures | None = None) -> None:
        self._clock = clock
        self._failures = failures or InMemoryFailures()

    def wait(self, key: str) -> float:
        """Seconds until `key` may try a code again (0: now)."""
        now = self._clock()
        times = sorted(self._failures.since(key, now - LOCK_WINDOW_SECONDS))
        if len(times) >= LOCK_AFTER:
            return max(0.0, times[LOCK_AFTER - 1] + LOCK_SECONDS - now)
        if len(times) < FREE_FAILURES:
            return 0.0
        delay = min(2.0 ** (len(times) - FREE_FAILURES + 1), MAX_WAIT_SECONDS)
        return max(0.0, times[-1] + delay - now)

    def failed(self, key: str) -> int:
        """Records a wrong code; returns how many `key` has made lately."""
        now = self._clock()
        self._failures.add(key, now)
        return len(self._failures.since(key, now - LOCK_WINDOW_SECONDS))

    def succeeded(self, key: str) -> None:
        self._failures.clear(key)


def email_roles(settings: Mapping[str, object]) -> Mapping[str, object]:
    """The settings' [access.emails] table (e-mail -> role), {} when there is none."""
    access = settings.get("access") or {}
    emails = access.get("emails") if isinstance(access, Mapping) else None
    return emails if isinstance(emails, Mapping) else {}


def access_for_email(email: str | None, emails: dict[str, str], *, verified: bool = True) -> Access:
    """A signed-in user's role from the e-mail list; unknown e-mails are viewers, and so is an
    e-mail the identity provider has not verified (anyone could have typed it)."""
    if not email:
        return Access()
    if not verified:
        return Access(VIEWER, None, email)
    wanted = email.strip().lower()
    for known, role in emails.items():
        if known.strip().lower() == wanted:
            return parse_role(role, email)
    return Access(VIEWER, None, email)
