"""Messages and the mail server: one e-mail per recipient, built the same way every time.

The Message-ID and the MIME boundary come from what the message carries (meeting,
recipient, §§ and the hash of each attachment), so a message sent again after a crash
is recognisably the same message, and a dry run writes the same .eml bytes twice.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import smtplib
import socket
import ssl
from dataclasses import dataclass
from datetime import datetime
from email import message_from_string, policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from functools import cached_property
from pathlib import Path

from beslutsgen.errors import BeslutsgenError, UsageError
from beslutsgen.model.adressbok import TlsMode, load_certificates

USER_VARIABLE = "BESLUTSGEN_SMTP_USER"
PASSWORD_VARIABLE = "BESLUTSGEN_SMTP_PASSWORD"
SCHEMES: dict[str, TlsMode] = {"smtp": "ingen", "smtps": "smtps"}  # --smtp smtp://, smtps://


@dataclass(frozen=True)
class Attachment:
    """One attached file (an utdrag, the handlingar, a bilaga); its hash and MIME part are
    made once, however many messages carry it. `nummer` is what the send log files it
    under: the § of an utdrag, the place of a file in the kallelse."""

    nummer: int
    filename: str
    data: bytes
    mimetype: str = "application/pdf"

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @cached_property
    def part(self) -> EmailMessage:
        part = EmailMessage(policy=policy.SMTP)
        maintype, _, subtype = self.mimetype.partition("/")
        part.set_content(
            self.data,
            maintype=maintype,
            subtype=subtype,
            disposition="attachment",
            filename=self.filename,
        )
        del part["MIME-Version"]  # belongs to the message, not to each part
        return part


def ascii_address(address: str) -> str:
    """local@domain with the domain in IDNA form (kansli@åre.se → kansli@xn--re-roa.se):
    what headers and the SMTP envelope can carry."""
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.encode('idna').decode('ascii')}"


def message_id(meeting: str, recipient: str, attachments: list[Attachment], domain: str) -> str:
    """The same id for the same content to the same person; a new one when anything changes."""
    parts = [meeting, recipient, *(f"{a.nummer}:{a.sha256}" for a in attachments)]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:40]
    return f"<{digest}.beslutsgen@{domain.encode('idna').decode('ascii')}>"


def compose(
    *,
    sender: tuple[str, str],
    to: tuple[str, str],
    subject: str,
    body: str,
    attachments: list[Attachment],
    mid: str,
    when: datetime,
) -> EmailMessage:
    """A text message with the files attached, every header and boundary determined."""
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = formataddr((sender[0], ascii_address(sender[1])))
    message["To"] = formataddr((to[0], ascii_address(to[1])))
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = mid
    message["Auto-Submitted"] = "auto-generated"
    if not all(_round_trips(message, name) for name in ("From", "To", "Subject")):
        message.policy = LONG_LINES
    message.set_content(body)
    if attachments:
        message.make_mixed()
        for attachment in attachments:
            message.attach(attachment.part)
        message.set_boundary("beslutsgen-" + mid.strip("<>").split(".")[0])
        for part in message.iter_parts():
            del part["MIME-Version"]
    return message


# The standard library's folding can drop the space between two encoded words that end
# up on separate lines ("§§ 196–198" arrived as "§§196–198"); such a header is written
# on one line instead (RFC 5322 allows 998 characters).
LONG_LINES = policy.SMTP.clone(max_line_length=998)


def _round_trips(message: EmailMessage, name: str) -> bool:
    """Whether header `name`, folded for the wire and read back, is what was written."""
    folded = message.policy.fold(name, message[name])
    parsed = message_from_string(folded + "\r\n", policy=policy.default)
    return str(parsed[name]) == str(message[name])


class ServerDown(Exception):
    """The server could not be reached or dropped the connection: nothing more can go now."""


class Rejected(Exception):
    """The server refused this message or recipient; the others may still go. A 4xx
    refusal is `temporary` (try again later), a 5xx one is not (fix the address)."""

    def __init__(self, code: int, text: str) -> None:
        self.code = code
        self.temporary = 400 <= code < 500
        super().__init__(f"{code} {text}")


class Misconfigured(BeslutsgenError):
    """The server cannot be used the way the profile or --smtp says (it offers no STARTTLS,
    its certificate does not verify): running again will not help, changing the setting
    will. Exit 3, said once."""


@dataclass(frozen=True)
class Endpoint:
    """Where messages go and how: host, port, TLS mode and the extra CA certificates."""

    host: str
    port: int
    tls: TlsMode
    cafile: str | None = None

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def credentials(user: str | None, password: str | None) -> tuple[str, str] | None:
    """The login to the server: both or neither (the command line reads them from
    BESLUTSGEN_SMTP_USER and BESLUTSGEN_SMTP_PASSWORD)."""
    if bool(user) != bool(password):
        raise UsageError(f"sätt både {USER_VARIABLE} och {PASSWORD_VARIABLE}, eller ingen")
    return (user, password) if user and password else None


class Mailer:
    """One SMTP connection, opened on first use and opened again after a failure. TLS
    (STARTTLS or from the start) always verifies the certificate and the host name."""

    def __init__(self, endpoint: Endpoint, login: tuple[str, str] | None = None) -> None:
        self.endpoint = endpoint
        self._login = login
        self._context: ssl.SSLContext | None = None
        self._smtp: smtplib.SMTP | None = None

    def connect(self) -> smtplib.SMTP:
        """The open connection; ServerDown when the server cannot be reached now,
        Misconfigured when it cannot be used as configured."""
        if self._smtp is None:
            where = self.endpoint
            try:
                self._smtp = self._open()
            except ssl.SSLCertVerificationError as exc:
                raise Misconfigured(
                    f"{where}: serverns certifikat godtas inte "
                    f"({exc.verify_message or exc.reason}); har servern ett internt "
                    "certifikat, ange dess CA med ca_fil under expediering.smtp i "
                    "beslutsgen.yaml, och använd det värdnamn som certifikatet gäller för"
                ) from exc
            except ssl.SSLError as exc:
                raise Misconfigured(
                    f"{where}: TLS-förhandlingen misslyckades ({exc.reason or exc}); stämmer "
                    "tls under expediering.smtp i beslutsgen.yaml (eller --smtp) med serverns "
                    "port: smtps för TLS från början (465), starttls för 587?"
                ) from exc
            except smtplib.SMTPAuthenticationError as exc:
                raise Misconfigured(
                    f"{where}: inloggningen nekades ({exc.smtp_code}); kontrollera "
                    "BESLUTSGEN_SMTP_USER och BESLUTSGEN_SMTP_PASSWORD"
                ) from exc
            except smtplib.SMTPNotSupportedError as exc:
                raise Misconfigured(
                    f"{where}: servern tar inte emot inloggning här ({exc}); logga in först "
                    "efter STARTTLS (tls: starttls) eller ta bort BESLUTSGEN_SMTP_USER och "
                    "BESLUTSGEN_SMTP_PASSWORD för ett relä utan inloggning"
                ) from exc
            except (OSError, smtplib.SMTPException) as exc:
                raise ServerDown(f"{where}: {_reason(exc)}") from exc
        return self._smtp

    def _open(self) -> smtplib.SMTP:
        where = self.endpoint
        smtp = (
            smtplib.SMTP_SSL(where.host, where.port, timeout=30, context=self._tls())
            if where.tls == "smtps"
            else smtplib.SMTP(where.host, where.port, timeout=30)
        )
        try:
            if where.tls == "starttls":
                smtp.ehlo()
                if not smtp.has_extn("starttls"):
                    raise Misconfigured(
                        f"{where} erbjuder inte STARTTLS, som expediering.smtp kräver; ändra "
                        "expediering.smtp i beslutsgen.yaml (värd, port eller tls) eller "
                        f"använd --smtp smtp://{where} för ett lokalt relä utan TLS"
                    )
                smtp.starttls(context=self._tls())
            if self._login is not None:
                _log_in(smtp, *self._login)
        except BaseException:
            with contextlib.suppress(OSError):
                smtp.close()
            raise
        return smtp

    def _tls(self) -> ssl.SSLContext:
        """The system's roots and the profile's ca_fil; host names are checked."""
        if self._context is None:
            context = ssl.create_default_context()
            cafile = self.endpoint.cafile
            if cafile is not None:
                try:
                    load_certificates(context, Path(cafile).read_bytes())
                except (OSError, ssl.SSLError, ValueError) as exc:
                    raise Misconfigured(f"CA-filen {cafile} kan inte läsas: {exc}") from exc
            self._context = context
        return self._context

    def send(self, message: EmailMessage, sender: str, recipient: str) -> None:
        """Hand one message over; returns only when the server has accepted it."""
        smtp = self.connect()
        try:
            smtp.send_message(
                message, from_addr=ascii_address(sender), to_addrs=[ascii_address(recipient)]
            )
        except smtplib.SMTPRecipientsRefused as exc:
            self._drop()  # smtplib may have closed it (421); a fresh one costs little
            code, text = next(iter(exc.recipients.values()))
            raise Rejected(code, _text(text)) from exc
        except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
            self._drop()
            raise Rejected(exc.smtp_code, _text(exc.smtp_error)) from exc
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            raise ServerDown(f"{self.endpoint}: {_reason(exc)}") from exc

    def _drop(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError):
                self._smtp.close()
            self._smtp = None

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._smtp.quit()
        self._drop()


def _log_in(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """Log in; a user name or password outside ASCII (smtplib refuses those) goes as
    AUTH PLAIN in UTF-8, as RFC 4616 says PLAIN carries it."""
    if (user + password).isascii():
        smtp.login(user, password)
        return
    smtp.ehlo_or_helo_if_needed()
    if "PLAIN" not in smtp.esmtp_features.get("auth", "").upper().split():
        raise smtplib.SMTPNotSupportedError("AUTH PLAIN (för inloggning med å, ä, ö) erbjuds inte")
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, reply = smtp.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "anslutningen nekades (är servern igång?)"
    if isinstance(exc, socket.timeout):
        return "servern svarar inte"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "servern stängde anslutningen"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"inloggningen nekades ({exc.smtp_code})"
    return str(exc) or type(exc).__name__
