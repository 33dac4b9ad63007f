"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, recording everything it receives.

    server = SmtpServer(reject={"karin.lund@regionjh.example"}, down_after=3)
    server.start()            # listens on server.port (a free port)
    ...                       # run beslutsgen against 127.0.0.1:server.port
    server.received           # every message that reached DATA, in order
    server.refused            # every RCPT TO address refused (550 or 421), in order
    server.restart()          # up again on the same port (after going down)
    server.stop()

Failure injection:

- `reject`: recipient addresses (any case) refused at RCPT TO with 550; the message
  never reaches DATA, the client may go on with the next one on the same connection.
- `busy`: recipient addresses answered at RCPT TO with 421 (try again later), after
  which the server closes that connection, as RFC 5321 says a 421 does; the server
  itself stays up and takes the next connection.
- `down_after=k`: the k-th accepted message still gets its 250, then the server goes
  down: the listening socket closes at once (new connections are refused) and the
  connection that carried message k is closed after the reply. `restart()` brings it
  back on the same port, with `down_after` cleared.
- `delay`: seconds to wait after a message has arrived (it is recorded already) before
  answering 250, so a client can be killed while the server holds an unanswered message.

TLS: `tls=server_tls(folder)` (a certificate for 127.0.0.1 and localhost from a CA made
for the test, `TestCa`) offers STARTTLS; with `implicit_tls=True` the server speaks TLS
from the first byte (SMTPS) instead. `Received.tls` says whether a message came over TLS.
Without `tls` the server offers no STARTTLS.

AUTH PLAIN/LOGIN is offered without TLS; every login (user, password) is recorded in
`logins` and accepted. Nothing here asks DNS (the greeting names a fixed host), and
aiosmtpd's own log is kept to errors (it warns about its deprecated login_data on each AUTH).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import ssl
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HOST = "127.0.0.1"
REJECTION = "550 5.1.1 Mailbox unavailable"
BUSY = "421 4.7.0 Try again later, closing connection"

logging.getLogger("mail.log").setLevel(logging.ERROR)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Received:
    """One message as the server got it: envelope, raw bytes, and who had logged in."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    login: tuple[str, str] | None
    tls: bool = False

    @property
    def message(self) -> EmailMessage:
        """The message parsed (headers decoded) by the standard library."""
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class SmtpServer:
    """aiosmtpd in a thread, with the failure injection described in the module docstring."""

    reject: set[str] = field(default_factory=set)
    busy: set[str] = field(default_factory=set)
    down_after: int | None = None
    delay: float = 0.0
    tls: ssl.SSLContext | None = None
    implicit_tls: bool = False
    port: int = field(default_factory=free_port)
    received: list[Received] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    password: str | None = None  # when set, a login with any other password is refused (535)
    accepted: int = 0
    went_down: threading.Event = field(default_factory=threading.Event)
    _controller: Controller | None = None

    # --- lifecycle -----------------------------------------------------------------------

    def start(self) -> None:
        starttls: dict[str, Any] = {}
        if self.tls is not None and not self.implicit_tls:
            starttls["tls_context"] = self.tls  # offers STARTTLS
        controller = Controller(
            self,
            hostname=HOST,
            port=self.port,
            ssl_context=self.tls if self.implicit_tls else None,
            server_hostname="smtp.test",
            authenticator=self._authenticate,
            auth_require_tls=False,
            **starttls,
        )
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def restart(self) -> None:
        """Up again on the same port (after going down), without a planned fall."""
        self.stop()
        self.down_after = None
        self.went_down.clear()
        self.start()

    def __enter__(self) -> SmtpServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- what the tests read ---------------------------------------------------------------

    @property
    def messages(self) -> list[EmailMessage]:
        return [r.message for r in self.received]

    # --- aiosmtpd handler hooks ------------------------------------------------------------

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        login = (data.login.decode(), data.password.decode())
        self.logins.append(login)
        if self.password not in (None, login[1]):
            return AuthResult(success=False, handled=False)
        return AuthResult(success=True, auth_data=login)

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if address.casefold() in {a.casefold() for a in self.reject}:
            self.refused.append(address)
            return REJECTION
        if address.casefold() in {a.casefold() for a in self.busy}:
            self.refused.append(address)
            self._close_after_reply(server)
            return BUSY
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        self.received.append(
            Received(
                str(envelope.mail_from),
                tuple(envelope.rcpt_tos),
                bytes(content),
                session.auth_data if session.authenticated else None,
                server.transport is not None
                and server.transport.get_extra_info("ssl_object") is not None,
            )
        )
        if self.delay:
            await asyncio.sleep(self.delay)
        self.accepted += 1
        if self.down_after is not None and self.accepted >= self.down_after:
            self._go_down(server)
        return "250 2.0.0 OK: queued"

    def _go_down(self, server: SMTP) -> None:
        """Runs in the server's loop: stop listening now; drop this connection once the
        250 for the message in hand has been written."""
        assert self._controller is not None and self._controller.server is not None
        self._controller.server.close()
        self._close_after_reply(server)
        self.went_down.set()

    @staticmethod
    def _close_after_reply(server: SMTP) -> None:
        """Close this connection once the reply being returned has been written (the
        hook's caller writes it before it next yields to the loop)."""
        transport = server.transport
        if transport is not None:
            asyncio.get_running_loop().call_soon(transport.close)


# --- TLS: a CA made for the test, and a server certificate for 127.0.0.1 and localhost ------


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "beslutsgen test"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


@dataclass(frozen=True)
class TestCa:
    """A root CA for one test; `issue` makes a server certificate under it."""

    __test__ = False  # not a pytest test class

    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    @classmethod
    def make(cls, common: str = "Test-CA för SMTP") -> TestCa:
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(common))
            .issuer_name(_name(common))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .sign(key, hashes.SHA256())
        )
        return cls(key, cert)

    def write(self, path: Path, encoding: serialization.Encoding) -> Path:
        path.write_bytes(self.cert.public_bytes(encoding))
        return path

    def server_context(
        self, folder: Path, names: tuple[str, ...] = (HOST, "localhost")
    ) -> ssl.SSLContext:
        """A server-side TLS context with a certificate for `names` (IP addresses and DNS
        names) issued by this CA; key and certificate are written to `folder`."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        alt: list[x509.GeneralName] = []
        for name in names:
            try:
                alt.append(x509.IPAddress(ipaddress.ip_address(name)))
            except ValueError:
                alt.append(x509.DNSName(name))
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(names[0]))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), False
            )
            .sign(self.key, hashes.SHA256())
        )
        cert_path = folder / "server.pem"
        key_path = folder / "server-key.pem"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert_path, key_path)
        return context
