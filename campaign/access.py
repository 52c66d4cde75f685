"""Who may see personal data: roles, passcodes kept as hashes, and which rows a role may open.

Roles: viewer (no personal data anywhere), coordinator (contacts of their own municipality),
admin (all). With no sign-in configured everyone is a viewer.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

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
    for role, hashed in passcodes.items():
        if check_passcode(passcode, str(hashed)):
            return parse_role(role, "код доступа")
    return None


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
