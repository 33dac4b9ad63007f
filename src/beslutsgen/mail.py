"""Messages and the mail server: one e-mail per recipient, built the same way every time.

The Message-ID and the MIME boundary come from what the message carries (meeting,
recipient, §§ and the hash of each attachment), so a message sent again after a crash
is recognisably the same message, and a dry run writes the same .eml bytes twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import smtplib
import socket
import ssl
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from functools import cached_property

from beslutsgen.addressbook import Smtp
from beslutsgen.errors import UsageError

USER_VARIABLE = "BESLUTSGEN_SMTP_USER"
PASSWORD_VARIABLE = "BESLUTSGEN_SMTP_PASSWORD"


@dataclass(frozen=True)
class Attachment:
    """One utdrag PDF; its hash and MIME part are made once, however many messages carry it."""

    nummer: int
    filename: str
    data: bytes

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @cached_property
    def part(self) -> EmailMessage:
        part = EmailMessage(policy=policy.SMTP)
        part.set_content(
            self.data,
            maintype="application",
            subtype="pdf",
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
    """A text message with the PDFs attached, every header and boundary determined."""
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = formataddr((sender[0], ascii_address(sender[1])))
    message["To"] = formataddr((to[0], ascii_address(to[1])))
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = mid
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    if attachments:
        message.make_mixed()
        for attachment in attachments:
            message.attach(attachment.part)
        message.set_boundary("beslutsgen-" + mid.strip("<>").split(".")[0])
        for part in message.iter_parts():
            del part["MIME-Version"]
    return message


class ServerDown(Exception):
    """The server could not be reached or dropped the connection: nothing more can go now."""


class Rejected(Exception):
    """The server refused this message or recipient; the others may still go. A 4xx
    refusal is `temporary` (try again later), a 5xx one is not (fix the address)."""

    def __init__(self, code: int, text: str) -> None:
        self.code = code
        self.temporary = 400 <= code < 500
        super().__init__(f"{code} {text}")


class Mailer:
    """One SMTP connection, opened on first use and opened again after a failure."""

    def __init__(self, server: Smtp, host: str | None = None, port: int | None = None) -> None:
        self.host = host or server.vard
        self.port = port or server.port
        self.starttls = server.starttls
        self.user = os.environ.get(USER_VARIABLE)
        self.password = os.environ.get(PASSWORD_VARIABLE)
        if bool(self.user) != bool(self.password):
            raise UsageError(f"sätt både {USER_VARIABLE} och {PASSWORD_VARIABLE}, eller ingen")
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        if self._smtp is None:
            try:
                smtp = smtplib.SMTP(self.host, self.port, timeout=30)
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.user and self.password:
                    smtp.login(self.user, self.password)
            except (OSError, smtplib.SMTPException) as exc:
                raise ServerDown(f"{self.host}:{self.port}: {_reason(exc)}") from exc
            self._smtp = smtp
        return self._smtp

    def send(self, message: EmailMessage, sender: str, recipient: str) -> None:
        """Hand one message over; returns only when the server has accepted it."""
        smtp = self._connect()
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
            raise ServerDown(f"{self.host}:{self.port}: {_reason(exc)}") from exc

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
