"""Roles and passcodes: who may see which rows' personal data."""

import pandas as pd
import pytest

from campaign.access import (
    Access,
    access_for_email,
    access_for_passcode,
    check_passcode,
    hash_passcode,
    parse_role,
)

UIDS = pd.Series(["RU-AMU:тында:go", "RU-AMU:зея:go", ""])


@pytest.mark.parametrize("role, allowed", [
    ("viewer", [False, False, False]),
    ("admin", [True, True, True]),
    ("coordinator:RU-AMU:тында:go", [True, False, False]),
    ("coordinator", [False, False, False]),  # a coordinator without a municipality sees nothing
    ("superuser", [False, False, False]),  # unknown roles are viewers
])
def test_each_role_sees_the_personal_data_of_its_rows_only(role, allowed):
    assert parse_role(role).personal_rows(UIDS).tolist() == allowed


def test_a_passcode_is_kept_as_a_salted_hash_and_checked_in_constant_time():
    hashed = hash_passcode("секрет", iterations=1_000)
    assert "секрет" not in hashed and hashed.startswith("pbkdf2_sha256$1000$")
    assert check_passcode("секрет", hashed)
    assert not check_passcode("секрет ", hashed)
    assert not check_passcode("секрет", "plain-text")
    assert hash_passcode("секрет", iterations=1_000) != hashed  # a new salt each time


def test_the_passcode_decides_the_role():
    passcodes = {"admin": hash_passcode("a", iterations=1_000),
                 "coordinator:RU-AMU:зея:go": hash_passcode("z", iterations=1_000)}
    assert access_for_passcode("a", passcodes).role == "admin"
    assert access_for_passcode("z", passcodes) == Access("coordinator", "RU-AMU:зея:go", "код доступа")
    assert access_for_passcode("x", passcodes) is None


def test_a_signed_in_email_gets_its_role_and_unknown_ones_are_viewers():
    emails = {"Deputy@AmurObl.ru": "admin", "tynda@mail.ru": "coordinator:RU-AMU:тында:go"}
    assert access_for_email("deputy@amurobl.ru", emails).role == "admin"
    assert access_for_email("tynda@mail.ru", emails).municipality_uid == "RU-AMU:тында:go"
    assert access_for_email("someone@mail.ru", emails).role == "viewer"
    assert access_for_email(None, emails).role == "viewer"
    assert access_for_email("deputy@amurobl.ru", emails, verified=False) == Access("viewer", None, "deputy@amurobl.ru")


def test_contacts_exports_follow_the_role():
    assert Access("admin").may_export_contacts(None)
    coordinator = Access("coordinator", "RU-AMU:тында:go")
    assert coordinator.may_export_contacts("RU-AMU:тында:go")
    assert not coordinator.may_export_contacts(None)
    assert not Access().may_export_contacts("RU-AMU:тында:go")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_wrong_codes_make_the_next_attempt_wait_longer_and_longer():
    from campaign.access import FREE_FAILURES, Throttle

    clock = Clock()
    throttle = Throttle(clock)
    for _ in range(FREE_FAILURES):
        assert throttle.wait("s") == 0
        throttle.failed("s")
    assert throttle.wait("s") == 2.0  # after the free ones: 2 s, then 4, 8 …
    clock.now += 2
    assert throttle.wait("s") == 0
    throttle.failed("s")
    assert throttle.wait("s") == 4.0
    assert throttle.wait("another session") == 0  # each key on its own


def test_ten_wrong_codes_lock_the_sign_in_for_a_quarter_of_an_hour():
    from campaign.access import LOCK_AFTER, LOCK_SECONDS, Throttle

    clock = Clock()
    throttle = Throttle(clock)
    for _ in range(LOCK_AFTER):  # a guess a second, from one address
        clock.now += 1
        throttle.failed("address:10.0.0.1")
    assert throttle.wait("address:10.0.0.1") > LOCK_SECONDS - 60
    throttle.succeeded("address:10.0.0.1")
    assert throttle.wait("address:10.0.0.1") == 0


def test_a_guess_costs_one_hash_per_salt_not_per_role(monkeypatch):
    import hashlib

    from campaign.access import access_for_passcode, hash_count

    shared = {f"coordinator:RU-AMU:m{i}:go": hash_passcode(f"code-{i}", salt="shared", iterations=1_000)
              for i in range(30)}
    calls = []
    real = hashlib.pbkdf2_hmac
    monkeypatch.setattr(hashlib, "pbkdf2_hmac", lambda *args: calls.append(args) or real(*args))
    assert access_for_passcode("code-7", shared).municipality_uid == "RU-AMU:m7:go"
    assert access_for_passcode("wrong", shared) is None
    assert len(calls) == 2 and hash_count(shared) == 1


def test_a_sign_in_ticket_holds_its_role_and_nothing_else_passes():
    from campaign.access import ADMIN, COORDINATOR, access_from_ticket, access_ticket, hash_passcode

    passcodes = {"admin": hash_passcode("код-администратора", iterations=1_000),
                 "coordinator:RU-AMU:тында:go": hash_passcode("код-тынды", iterations=1_000)}
    secret = "the-servers-shared-secret"
    ticket = access_ticket("coordinator:RU-AMU:тында:go", passcodes, secret)
    found = access_from_ticket(ticket, passcodes, secret)
    assert (found.role, found.municipality_uid, found.who) == (COORDINATOR, "RU-AMU:тында:go", "код доступа")
    assert access_from_ticket(access_ticket("admin", passcodes, secret), passcodes, secret).role == ADMIN
    assert "код" not in ticket and passcodes["admin"] not in ticket  # neither the code nor its hash

    assert access_from_ticket(ticket, passcodes, "another-secret") is None  # another deployment's
    assert access_from_ticket(ticket[:-2] + ("AA" if not ticket.endswith("AA") else "BB"), passcodes, secret) is None
    assert access_from_ticket(ticket, passcodes, secret, max_age=-1) is None  # expired
    changed = dict(passcodes, **{"coordinator:RU-AMU:тында:go": hash_passcode("новый-код", iterations=1_000)})
    assert access_from_ticket(ticket, changed, secret) is None  # the code was changed: signed out
    assert access_from_ticket(ticket, {"admin": passcodes["admin"]}, secret) is None  # the role was removed
    assert access_from_ticket(None, passcodes, secret) is None and access_from_ticket(ticket, passcodes, "") is None
