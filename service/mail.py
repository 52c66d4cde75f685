"""Reminders by e-mail: to each lagging municipality its own letter, sent to the coordinator
addresses configured for it in [access.emails] and to no other, through the SMTP server of
[smtp] in secrets. A preview first (`plan`), then `send`: every sending is recorded in the
history store, a letter already sent to an address is not sent again (a retry after a failure
sends only what failed), and the server's refusal is reported per recipient.

Settings (secrets.toml):

    [smtp]
    host = "smtp.example.ru"
    port = 587                  # 465 with security = "ssl"
    security = "starttls"       # starttls, ssl or none (a relay inside the office network)
    user = "dashboard@example.ru"
    password = "…"
    from = "Минобрнауки Амурской области <dashboard@example.ru>"
    ca_file = "/etc/ssl/office-ca.pem"   # optional: the office's own certificate authority
"""

from __future__ import annotations

import hashlib
import logging
import re
import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import formataddr, parseaddr
from pathlib import Path

from campaign import russian
from campaign.access import COORDINATOR, parse_role
from campaign.errors import UserFacingError
from campaign.exports import reminder_docx
from campaign.pipeline import Report
from campaign.reminders import Letter, email_text, reminder_letter, reminder_rows
from campaign.summary import terminal_safe
from history.store import HistoryError, HistoryStore

LOG = logging.getLogger("campaign.mail")
SECURITY = ("starttls", "ssl", "none")
DEFAULT_TIMEOUT = 30
# Headers folded at 200 characters, not 78: a sender's name in Cyrillic stays one encoded word
# (RFC 5322 allows 998), which every mail client joins back the same way.
HEADERS = policy.SMTP.clone(max_line_length=200)
# one address of a coordinator: what `parseaddr` takes apart cleanly, no spaces or line breaks
_ADDRESS = re.compile(r"^[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"']+$")


class MailConfigError(UserFacingError, ValueError):
    """A [smtp] section that cannot work: the message says which key and what to write."""

    reason = "mail_config"


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    security: str
    user: str
    password: str = field(repr=False)
    sender: str
    timeout: float = DEFAULT_TIMEOUT
    ca_file: str = ""  # the office's own certificate authority, when the server's certificate is from it

    @property
    def sender_address(self) -> str:
        return parseaddr(self.sender)[1]


def mail_settings(secrets: Mapping[str, object]) -> MailSettings | None:
    """The SMTP server of [smtp]; None when none is configured (sending is then not offered)."""
    section = secrets.get("smtp")
    if not section:
        return None
    if not isinstance(section, Mapping):
        raise MailConfigError("[smtp] в secrets.toml должна быть таблицей: host, port, security, user, "
                              "password, from.")
    host = str(section.get("host") or "").strip()
    if not host:
        raise MailConfigError("В [smtp] не указан host — адрес почтового сервера (smtp.example.ru).")
    security = str(section.get("security", "starttls")).strip().lower()
    if security not in SECURITY:
        raise MailConfigError(f"[smtp] security = «{security}»: допустимы starttls, ssl или none.")
    default_port = 465 if security == "ssl" else 587 if security == "starttls" else 25
    try:
        port = int(section.get("port", default_port))
        timeout = float(section.get("timeout_seconds", DEFAULT_TIMEOUT))
    except (TypeError, ValueError):
        raise MailConfigError("[smtp] port и timeout_seconds — числа (например, port = 587).") from None
    if not 0 < port < 65536:
        raise MailConfigError(f"[smtp] port = {port}: номер порта от 1 до 65535 (обычно 587 или 465).")
    user = str(section.get("user") or "")
    password = str(section.get("password") or "")
    if not (user.isascii() and password.isascii()):
        raise MailConfigError("[smtp] user и password — только латинские буквы, цифры и знаки: кириллицу "
                              "в имени и пароле почтовый вход (SMTP AUTH) не передаёт. Задайте пароль почты латиницей.")
    sender = str(section.get("from") or user)
    if not _ADDRESS.match(parseaddr(sender)[1] or ""):
        raise MailConfigError("В [smtp] укажите from — адрес отправителя, например "
                              "«Минобрнауки Амурской области <dashboard@example.ru>».")
    ca_file = str(section.get("ca_file") or "")
    if ca_file and not Path(ca_file).expanduser().is_file():
        raise MailConfigError(f"[smtp] ca_file: файла «{ca_file}» нет — укажите путь к сертификату "
                              "удостоверяющего центра (.pem).")
    return MailSettings(host, port, security, user, password, sender, timeout, ca_file)


def recipients(emails: Mapping[str, object], uid: str) -> tuple[str, ...]:
    """The coordinator addresses [access.emails] maps to the municipality `uid`: only those, each
    once, and only ones that are one plain address (no list, no display name, no line break)."""
    found = set()
    for address, role in emails.items():
        address = str(address).strip().lower()
        access = parse_role(role, address)  # the role as sign-in reads it
        if access.role == COORDINATOR and access.municipality_uid == uid and _ADDRESS.match(address):
            found.add(address)
    return tuple(sorted(found))


@dataclass(frozen=True)
class Planned:
    """One municipality's reminder: its letter, who gets it, and who has had this very letter."""

    uid: str
    municipality: str
    letter: Letter
    recipients: tuple[str, ...]
    already_sent: tuple[str, ...] = ()  # or may have gone: their delivery was not confirmed
    unconfirmed: tuple[str, ...] = ()

    @property
    def to_send(self) -> tuple[str, ...]:
        return tuple(r for r in self.recipients if r not in self.already_sent)


def plan(report: Report, emails: Mapping[str, object], *, uids: list[str] | None = None, base_url: str = "",
         store: HistoryStore | None = None) -> list[Planned]:
    """The reminders to send: to each lagging municipality (or each of `uids`) that owes
    something or has errors in the sheet, its own letter."""
    planned = []
    for row in reminder_rows(report, uids, base_url):
        if not row.needs_reminding:
            continue
        letter = reminder_letter(report, [row.uid], base_url)
        addresses = recipients(emails, row.uid)
        states = {a: store.sending_state(report.campaign.id, a, letter.digest) if store is not None else None
                  for a in addresses}
        planned.append(Planned(row.uid, row.municipality, letter, addresses,
                               tuple(a for a in addresses if states[a]),
                               tuple(a for a in addresses if states[a] == "unconfirmed")))
    return planned


@dataclass(frozen=True)
class Outcome:
    municipality: str
    recipient: str
    status: str  # sent, skipped (sent before), failed, unconfirmed (taken, no answer: not resent), dry-run
    detail: str = ""  # in Russian, for the page and the terminal

    @property
    def line(self) -> str:
        mark = {"sent": "отправлено", "skipped": "уже отправлено раньше, повторно не отправляется",
                "failed": "не отправлено", "dry-run": "будет отправлено",
                "unconfirmed": "доставка не подтверждена, повторно не отправляется"}[self.status]
        return f"{self.municipality} → {self.recipient}: {mark}" + (f" ({self.detail})" if self.detail else "")


def message(planned: Planned, recipient: str, settings: MailSettings, report: Report) -> EmailMessage:
    """The e-mail of one letter to one recipient: the text and the DOCX attached."""
    letter = planned.letter
    mail = EmailMessage(policy=HEADERS)
    mail["From"] = settings.sender
    mail["To"] = formataddr(("", recipient))
    mail["Subject"] = letter.subject
    domain = settings.sender_address.rpartition("@")[2] or "localhost"
    # the same letter to the same address has the same Message-ID: a copy that did go twice is one
    own = hashlib.sha256(f"{letter.digest}|{recipient}".encode("utf-8")).hexdigest()[:24]
    mail["Message-ID"] = f"<reminder.{own}@{domain}>"
    mail.set_content(email_text(letter))
    name = russian.file_name("Напоминание", report.campaign.title, planned.municipality, extension="docx")
    mail.add_attachment(reminder_docx(letter), maintype="application",
                        subtype="vnd.openxmlformats-officedocument.wordprocessingml.document", filename=name)
    return mail


def send(planned: list[Planned], settings: MailSettings, store: HistoryStore, report: Report, *,
         dry_run: bool = False, connect: Callable[[MailSettings], smtplib.SMTP] | None = None,
         progress: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Sends each planned letter to each of its recipients once. Each outcome is recorded in the
    history (`store.note_sending`) and handed to `progress` as it comes; a letter the store says
    went already, or that another process is sending right now, is skipped. Nothing is sent
    without a history to record it."""
    campaign = report.campaign.id
    outcomes: list[Outcome] = []

    def said(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if progress is not None:
            progress(outcome)

    connection: smtplib.SMTP | None = None
    unreachable = ""  # the server could not be reached: the rest fail at once, not one timeout each
    connect = connect or _connect
    try:
        for item in planned:
            for recipient in item.recipients:
                digest = item.letter.digest
                try:
                    if dry_run:
                        status = "skipped" if store.sent(campaign, recipient, digest) else "dry-run"
                        said(Outcome(item.municipality, recipient, status))
                        continue
                    if not store.claim_sending(campaign, recipient, digest, item.municipality):
                        said(Outcome(item.municipality, recipient, "skipped"))
                        continue
                except HistoryError as error:
                    said(Outcome(item.municipality, recipient, "failed",
                                            f"история чтений недоступна, письмо не отправлено: {error.message}"))
                    continue
                detail, status = unreachable, "failed"
                if not detail:
                    try:
                        if connection is None:
                            try:
                                connection = _tracked(connect(settings))
                            except (smtplib.SMTPException, OSError) as error:
                                unreachable = smtp_error_text(error, settings)
                                raise
                        connection.body_sent = False
                        connection.send_message(message(item, recipient, settings, report),
                                                from_addr=settings.sender_address, to_addrs=[recipient])
                    except (smtplib.SMTPException, OSError) as error:
                        detail = smtp_error_text(error, settings)
                        if (getattr(connection, "body_sent", False)
                                and not isinstance(error, smtplib.SMTPResponseException)):
                            # the server took the whole letter and then said nothing: it may have gone;
                            # sending it again could deliver it twice — an administrator decides
                            status = "unconfirmed"
                            detail = f"сервер принял письмо, но не ответил: {detail}"
                        if not isinstance(error, (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused)):
                            connection = _close(connection)  # the next recipient tries a new connection
                if detail:
                    _note(store, campaign, recipient, item, status, detail)
                    said(Outcome(item.municipality, recipient, status, detail))
                else:
                    _note(store, campaign, recipient, item, "sent")
                    said(Outcome(item.municipality, recipient, "sent"))
    finally:
        _close(connection)
    sent = sum(o.status == "sent" for o in outcomes)
    failed = sum(o.status == "failed" for o in outcomes)
    LOG.info("reminders for %s: %d sent, %d failed, %d skipped", campaign, sent, failed,
             len(outcomes) - sent - failed)  # no addresses in the log
    return outcomes


def _note(store: HistoryStore, campaign: str, recipient: str, item: Planned, status: str, detail: str = "") -> None:
    try:
        store.note_sending(campaign, recipient, item.letter.digest, item.municipality, status, detail)
    except HistoryError:  # sent, but not noted: the claim stays and expires (store.CLAIM_MINUTES)
        LOG.warning("a reminder's sending was not recorded in the history")


def _tracked(connection: smtplib.SMTP) -> smtplib.SMTP:
    """`connection.body_sent` becomes True once a letter's body (ending «CRLF.CRLF») is sent: a
    failure after it is an unconfirmed delivery, not a letter that did not go."""
    plain_send = connection.send

    def send(data) -> None:
        plain_send(data)
        if isinstance(data, (bytes, bytearray)) and data.endswith(b"\r\n.\r\n"):
            connection.body_sent = True

    connection.send = send  # type: ignore[method-assign]
    connection.body_sent = False  # type: ignore[attr-defined]
    return connection


def _connect(settings: MailSettings) -> smtplib.SMTP:
    context = ssl.create_default_context(cafile=str(Path(settings.ca_file).expanduser()) if settings.ca_file else None)
    if settings.security == "ssl":
        connection: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                                    context=context)
    else:
        connection = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        if settings.security == "starttls":
            connection.starttls(context=context)
    if settings.user:
        connection.login(settings.user, settings.password)
    return connection


def _close(connection: smtplib.SMTP | None) -> None:
    if connection is None:
        return None
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()
    return None


def smtp_error_text(error: BaseException, settings: MailSettings) -> str:
    """The SMTP server's answer in Russian, with its code; never a password."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return f"почтовый сервер не принял имя и пароль из [smtp] (код {error.smtp_code})"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = ", ".join(str(code) for code, _ in error.recipients.values())
        return f"почтовый сервер отказался принять адрес (код {codes})"
    if isinstance(error, smtplib.SMTPSenderRefused):
        return f"почтовый сервер не принял адрес отправителя [smtp] from (код {error.smtp_code})"
    if isinstance(error, smtplib.SMTPResponseException):
        answer = error.smtp_error.decode("utf-8", "replace") if isinstance(error.smtp_error, bytes) \
            else str(error.smtp_error)
        return f"почтовый сервер ответил: {error.smtp_code} {terminal_safe(answer)[:200]}".rstrip()
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return "почтовый сервер не поддерживает STARTTLS: укажите в [smtp] security = \"ssl\" или \"none\""
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return "почтовый сервер разорвал соединение"
    if isinstance(error, ssl.SSLError):
        return f"не удалось установить защищённое соединение с {settings.host}:{settings.port}"
    if isinstance(error, TimeoutError):
        return (f"почтовый сервер {settings.host}:{settings.port} не ответил "
                f"за {russian.number(int(settings.timeout))} с")
    if isinstance(error, OSError):
        return f"не удалось соединиться с почтовым сервером {settings.host}:{settings.port}"
    return "ошибка почтового сервера"
