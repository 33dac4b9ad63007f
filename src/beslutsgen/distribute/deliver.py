"""Delivering what is due to each recipient: by e-mail, by post, or (dry) as .eml.

A message really sent is logged pending, then sent or failed; a server that cannot be
used as configured stops the run before anything is logged. Recipients by post get one
print-ready PDF (a cover letter and the utdrag), dated the justering day; a dry run
writes every message as .eml, the same every time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from beslutsgen.build.templates import Templates
from beslutsgen.build.tjanssteskrivelse import Built
from beslutsgen.distribute.mail import (
    Endpoint,
    Mailer,
    Misconfigured,
    Rejected,
    ServerDown,
    compose,
    message_id,
)
from beslutsgen.distribute.plan import Delivery, due
from beslutsgen.distribute.printbundle import print_bundle
from beslutsgen.distribute.sendlog import Clock, SendLog
from beslutsgen.errors import relative
from beslutsgen.load.project import LoadedSammantrade
from beslutsgen.model.adressbok import Mottagare, Smtp, TlsMode
from beslutsgen.model.profile import Profile
from beslutsgen.model.sammantrade import paragraph_span
from beslutsgen.output import write_atomic
from beslutsgen.render.pdf import PdfRenderer

__all__ = ["COVER_TEMPLATE", "Options", "Outcome", "Sending", "endpoint"]

COVER_TEMPLATE = "expediering.txt.j2"


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


@dataclass
class Sending:
    """One run's deliveries, one by one: the message, the copy, the log, the server."""

    loaded: LoadedSammantrade
    profile: Profile
    templates: Templates
    log: SendLog
    options: Options
    key: str
    folder: Path
    mailer: Mailer | None
    outcome: Outcome
    context: dict[str, Any]  # what the cover template sees of the meeting
    utdrag: Mapping[int, Built]  # § → its utdrag's block tree, for the print bundle
    clock: Clock  # the Date of a message really sent
    shown_from: Path  # the folder the paths in the log are relative to

    def deliver(self, delivery: Delivery) -> None:
        """What is due to one recipient: sent, printed for post, or (dry) written as .eml."""
        due(delivery, self.log.delivered(self.key, delivery.recipient.key), self.options.resend)
        if delivery.changed:
            self.outcome.changed.append((delivery, delivery.changed))
        if not delivery.attachments:
            self.outcome.skipped.append(delivery)
            return
        subject, body = self._letter(delivery)
        assert self.profile.expediering is not None
        sender = self.profile.expediering.avsandare
        domain = sender.epost.rpartition("@")[2]
        mid = message_id(self.key, delivery.recipient.key, delivery.attachments, domain)
        recipient = delivery.recipient
        if self.options.dry_run or recipient.epost is None:
            justering = self.loaded.meeting.justering.datum
            path = _write_copy(
                self.folder,
                delivery,
                subject,
                body,
                mid,
                (sender.namn, sender.epost),
                self.profile,
                datetime.combine(justering, time(12, 0), tzinfo=UTC),
                self.utdrag,
            )
            self.outcome.written.append(path)
            if not self.options.dry_run:
                self._begin(delivery, mid, subject)
                self.log.finish(mid, True, f"utskrift {relative(path, self.shown_from)}")
            self.outcome.sent.append((delivery, mid))
            return
        self._email(delivery, mid, subject, body)

    def _letter(self, delivery: Delivery) -> tuple[str, str]:
        """Subject and text of the message (or the cover letter) to one recipient."""
        meeting = self.loaded.meeting
        numbers = [a.nummer for a in delivery.attachments]
        subject = f"Protokollsutdrag {meeting.organ} {meeting.datum}, {paragraph_span(numbers)}"
        titles = {p["nummer"]: p for p in self.context["paragrafer"]}
        assert self.profile.expediering is not None
        body = self.templates.render_text(
            COVER_TEMPLATE,
            {
                **self.context,
                "mottagare": delivery.recipient.model_dump(),
                "roller": delivery.roles,
                "utdrag": [titles[n] for n in numbers],
                "avsändare": self.profile.expediering.avsandare.model_dump(),
            },
        )
        return subject, body

    def _begin(self, delivery: Delivery, mid: str, subject: str) -> None:
        recipient = delivery.recipient
        self.log.begin(
            mid,
            self.key,
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


def _write_copy(
    folder: Path,
    delivery: Delivery,
    subject: str,
    body: str,
    mid: str,
    sender: tuple[str, str],
    profile: Profile,
    dry_run_date: datetime,
    utdrag: Mapping[int, Built],
) -> Path:
    """An .eml (e-mail, dry run) or a print-ready PDF (post) for one recipient."""
    recipient = delivery.recipient
    plain = recipient.epost or f"{recipient.namn} {recipient.post}"
    stem = "-".join("".join(c if c.isalnum() else " " for c in plain.casefold()).split())[:80]
    if recipient.epost is not None:
        when = dry_run_date  # a dry run's copy is the same every time
        message = compose(
            sender=sender,
            to=(recipient.namn, recipient.epost),
            subject=subject,
            body=body,
            attachments=delivery.attachments,
            mid=mid,
            when=when,
        )
        path = folder / f"{stem}.eml"
        write_atomic(path, message.as_bytes())
        return path
    path = folder / f"post-{stem}-{mid.strip('<>')[:8]}.pdf"  # each letter its own file
    # The letter is dated the justering day (`dry_run_date`), never by the clock.
    bundle = _print_bundle(recipient, subject, body, delivery, utdrag, profile, dry_run_date.date())
    write_atomic(path, bundle)
    return path


def _print_bundle(
    recipient: Mottagare,
    subject: str,
    body: str,
    delivery: Delivery,
    utdrag: Mapping[int, Built],
    profile: Profile,
    dated: date,
) -> bytes:
    """A cover letter with the address, then every utdrag: one PDF to print and post."""
    parts = [utdrag[a.nummer] for a in delivery.attachments]
    return print_bundle(recipient, subject, body, parts, profile, dated, PdfRenderer())
