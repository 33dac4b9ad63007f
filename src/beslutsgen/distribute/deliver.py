"""Delivering what is due to each recipient: by e-mail, by post, or (dry) as .eml.

What is sent is a `Content`: the utdrag of the justerade §§ (`utdrag.Utdrag`) or the
kallelse (`kallelse.Kallelse`); it decides what is due, writes the letter and the PDF to
post, and the rest is the same for both. A message really sent is logged pending, then
sent or failed; a server that cannot be used as configured stops the run before anything
is logged. Recipients by post get one print-ready PDF, dated by the content (never the
clock); a dry run writes every message as .eml, the same every time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Protocol

from beslutsgen.distribute.mail import (
    Endpoint,
    Mailer,
    Misconfigured,
    Rejected,
    ServerDown,
    compose,
    message_id,
)
from beslutsgen.distribute.plan import Delivery
from beslutsgen.distribute.sendlog import Clock, SendLog, Sent
from beslutsgen.errors import UsageError, relative
from beslutsgen.model.adressbok import Smtp, TlsMode
from beslutsgen.model.profile import Profile
from beslutsgen.output import write_atomic

__all__ = [
    "Content",
    "Options",
    "Outcome",
    "Sending",
    "check_profile",
    "endpoint",
    "send_all",
]


@dataclass(frozen=True)
class Options:
    """What a distribute run may do."""

    dry_run: bool = False
    resend: bool = False
    smtp_host: str | None = None  # --smtp: another server than the profile's
    smtp_port: int | None = None
    smtp_tls: TlsMode | None = None  # None: the profile's mode
    login: tuple[str, str] | None = field(default=None, repr=False)  # user name, password


@dataclass
class Outcome:
    """What one run did, for the command line to print."""

    sent: list[tuple[Delivery, str]] = field(default_factory=list)
    failed: list[tuple[Delivery, str]] = field(default_factory=list)
    skipped: list[Delivery] = field(default_factory=list)
    not_justerade: list[int] = field(default_factory=list)
    changed: list[tuple[Delivery, list[int]]] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    retry_later: bool = False  # the server was down or refused for now (4xx)


def endpoint(server: Smtp, options: Options) -> Endpoint:
    """The profile's server, or the one --smtp names (in the profile's TLS mode unless
    --smtp says smtp:// or smtps://); the profile's ca_fil either way."""
    return Endpoint(
        options.smtp_host or server.vard,
        options.smtp_port or server.effective_port,
        options.smtp_tls or server.mode,
        server.ca_fil,
    )


class Content(Protocol):
    """What a run sends, and what differs between the utdrag and the kallelse."""

    @property
    def key(self) -> str:
        """How the send log names it (the meeting, and which kind of sending)."""

    @property
    def prefix(self) -> str:
        """The start of the name of every file it writes ("" or "kallelse-")."""

    @property
    def dated(self) -> date:
        """A dry run's Date and a posted letter's date, so the copies are the same twice."""

    def due(self, delivery: Delivery, delivered: dict[int, Sent], resend: bool) -> None:
        """Keep in `delivery` what has not reached the recipient (`delivered`) yet."""

    def letter(self, delivery: Delivery) -> tuple[str, str]:
        """Subject and text of the message, or of the cover letter."""

    def bundle(self, delivery: Delivery, subject: str, body: str) -> bytes:
        """The print-ready PDF for a recipient by post."""


def check_profile(profile: Profile, options: Options, what: str) -> Smtp | None:
    """The profile's SMTP server; what distribute needs of the profile is checked first.
    `what` is what would go out ("utdrag", "kallelsen"), for the message."""
    if not profile.adressbok:
        raise UsageError(f"profilen saknar adressbok; utan den vet beslutsgen inte vart {what} ska")
    if profile.expediering is None:
        raise UsageError("profilen saknar expediering (avsändare, smtp)")
    server = profile.expediering.smtp
    if server is None and not options.dry_run:
        raise UsageError("profilen saknar expediering.smtp; prova med --dry-run")
    return server


@dataclass
class Sending:
    """One run's deliveries, one by one: the message, the copy, the log, the server."""

    profile: Profile
    content: Content
    log: SendLog
    options: Options
    folder: Path  # where copies are written: expediering/ (provkorning/ for a dry run)
    mailer: Mailer | None
    outcome: Outcome
    clock: Clock  # the Date of a message really sent
    shown_from: Path  # the folder the paths in the log are relative to

    def deliver(self, delivery: Delivery) -> None:
        """What is due to one recipient: sent, printed for post, or (dry) written as .eml."""
        content, recipient = self.content, delivery.recipient
        content.due(delivery, self.log.delivered(content.key, recipient.key), self.options.resend)
        if delivery.changed:
            self.outcome.changed.append((delivery, delivery.changed))
        if not delivery.attachments:
            self.outcome.skipped.append(delivery)
            return
        subject, body = content.letter(delivery)
        assert self.profile.expediering is not None
        domain = self.profile.expediering.avsandare.epost.rpartition("@")[2]
        mid = message_id(content.key, recipient.key, delivery.attachments, domain)
        if self.options.dry_run or recipient.epost is None:
            path = self._write_copy(delivery, subject, body, mid)
            self.outcome.written.append(path)
            if not self.options.dry_run:
                self._begin(delivery, mid, subject)
                self.log.finish(mid, True, f"utskrift {relative(path, self.shown_from)}")
            self.outcome.sent.append((delivery, mid))
            return
        self._email(delivery, mid, subject, body)

    def _write_copy(self, delivery: Delivery, subject: str, body: str, mid: str) -> Path:
        """An .eml (e-mail, dry run) or a print-ready PDF (post) for one recipient."""
        recipient = delivery.recipient
        plain = recipient.epost or f"{recipient.namn} {recipient.post}"
        stem = "-".join("".join(c if c.isalnum() else " " for c in plain.casefold()).split())[:80]
        prefix = self.content.prefix
        if recipient.epost is not None:
            assert self.profile.expediering is not None
            sender = self.profile.expediering.avsandare
            message = compose(
                sender=(sender.namn, sender.epost),
                to=(recipient.namn, recipient.epost),
                subject=subject,
                body=body,
                attachments=delivery.attachments,
                mid=mid,
                # a dry run's copy is the same every time
                when=datetime.combine(self.content.dated, time(12, 0), tzinfo=UTC),
            )
            path = self.folder / f"{prefix}{stem}.eml"
            write_atomic(path, message.as_bytes())
            return path
        path = self.folder / f"{prefix}post-{stem}-{mid.strip('<>')[:8]}.pdf"  # one file each
        write_atomic(path, self.content.bundle(delivery, subject, body))
        return path

    def _begin(self, delivery: Delivery, mid: str, subject: str) -> None:
        recipient = delivery.recipient
        self.log.begin(
            mid,
            self.content.key,
            recipient.key,
            recipient.namn,
            recipient.epost or str(recipient.post),
            "epost" if recipient.epost else "post",
            subject,
            [(a.nummer, a.filename, a.sha256) for a in delivery.attachments],
        )

    def _email(self, delivery: Delivery, mid: str, subject: str, body: str) -> None:
        """Connect first, so that a server that cannot be used as configured (Misconfigured)
        stops the run before anything is logged; then pending, send, sent or failed."""
        assert self.mailer is not None and self.profile.expediering is not None
        sender, address = self.profile.expediering.avsandare, delivery.recipient.epost
        assert address is not None
        try:
            self.mailer.connect()
        except ServerDown as exc:
            self._begin(delivery, mid, subject)
            self._failed(delivery, mid, f"servern: {exc}", temporary=True)
            return
        self._begin(delivery, mid, subject)
        message = compose(
            sender=(sender.namn, sender.epost),
            to=(delivery.recipient.namn, address),
            subject=subject,
            body=body,
            attachments=delivery.attachments,
            mid=mid,
            when=self.clock(),
        )
        try:
            self.mailer.send(message, sender.epost, address)
        except Rejected as exc:
            why = f"{'tillfälligt avvisat' if exc.temporary else 'avvisat'}: {exc}"
            self._failed(delivery, mid, why, temporary=exc.temporary)
            return
        except ServerDown as exc:
            self._failed(delivery, mid, f"servern: {exc}", temporary=True)
            return
        except Misconfigured as exc:  # on a reconnection: the message never left
            self.log.finish(mid, False, str(exc))
            raise
        self.log.finish(mid, True)
        self.outcome.sent.append((delivery, mid))

    def _failed(self, delivery: Delivery, mid: str, why: str, *, temporary: bool) -> None:
        self.log.finish(mid, False, why)
        self.outcome.failed.append((delivery, why))
        self.outcome.retry_later = self.outcome.retry_later or temporary


def send_all(
    content: Content,
    deliveries: Sequence[Delivery],
    outcome: Outcome,
    profile: Profile,
    server: Smtp | None,
    log: SendLog,
    options: Options,
    folder: Path,
    clock: Clock,
    shown_from: Path,
) -> Outcome:
    """Every delivery in turn, over one connection to `server` (none for a dry run); the
    copies go to `folder` (its provkorning/ for a dry run)."""
    mailer = (
        Mailer(endpoint(server, options), options.login)
        if server is not None and not options.dry_run
        else None
    )
    where = folder / "provkorning" if options.dry_run else folder
    sending = Sending(profile, content, log, options, where, mailer, outcome, clock, shown_from)
    try:
        for delivery in deliveries:
            sending.deliver(delivery)
    finally:
        if mailer is not None:
            mailer.close()
    return outcome
