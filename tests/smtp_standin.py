"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the reminder tests: it keeps every message it
accepts, can refuse chosen recipients, ask for a password and speak STARTTLS with a certificate
of a test authority (trustme)."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


class _Handler:
    def __init__(self, standin: "SmtpStandIn") -> None:
        self.standin = standin

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.standin.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.standin.lock:
            self.standin.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        if set(address.lower() for address in envelope.rcpt_tos) & self.standin.held:
            while not self.standin.release.is_set():  # a slow server: the letter waits for the test
                await asyncio.sleep(0.05)
        if set(address.lower() for address in envelope.rcpt_tos) & self.standin.silent_after_data:
            # took the whole letter, then says nothing until the client has given up
            await asyncio.sleep(self.standin.silence_seconds)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpStandIn:
    """`with SmtpStandIn(...) as server:` — `server.port`, `server.received`, `server.refuse`."""

    def __init__(self, *, user: str | None = None, password: str | None = None,
                 tls_folder: Path | None = None, port: int | None = None) -> None:
        self.user, self.password = user, password
        self.port = port or free_port()
        self.refuse: set[str] = set()
        self.silent_after_data: set[str] = set()  # recipients whose letter is taken and not answered
        self.silence_seconds = 30.0
        self.held: set[str] = set()  # recipients whose letter is answered only once `release` is set
        self.release = threading.Event()
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.ca_file: Path | None = None
        self._tls_context: ssl.SSLContext | None = None
        if tls_folder is not None:
            import trustme

            authority = trustme.CA()
            certificate = authority.issue_cert("127.0.0.1", "localhost")
            self._tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            certificate.configure_cert(self._tls_context)
            self.ca_file = tls_folder / "office-ca.pem"
            authority.cert_pem.write_to_path(str(self.ca_file))
        self._controller: Controller | None = None

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == self.user \
            and auth_data.password.decode() == self.password
        return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself

    def start(self) -> "SmtpStandIn":
        options = {}
        if self.user is not None:
            options.update(authenticator=self._authenticate, auth_required=True,
                           auth_require_tls=self._tls_context is not None)
        if self._tls_context is not None:
            options.update(tls_context=self._tls_context, require_starttls=True)
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port, **options)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> "SmtpStandIn":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [r.message for r in self.received if address in r.recipients]
