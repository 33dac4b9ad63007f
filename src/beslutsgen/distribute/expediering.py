"""Expediering: every justerat § goes to the recipients its Expedieras-till roles stand for.

One message per recipient with the protokollsutdrag of every § that lists them (each §
once, however many of their roles list it). What has reached someone is in the send log
and is not sent again; a § whose utdrag has changed since is reported, and sent again
only when asked. Recipients by post get one print-ready PDF: a cover letter and the
utdrag.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from beslutsgen.build.sammantrade import (
    EXPEDIERING,
    UTDRAG,
    SammantradeDokument,
    build_sammantrade,
    folder_name,
    meeting_context,
)
from beslutsgen.build.templates import Templates
from beslutsgen.build.tjanssteskrivelse import Built
from beslutsgen.distribute.expedieringslista import COLUMNS
from beslutsgen.distribute.expedieringslista import as_csv as lista_csv
from beslutsgen.distribute.expedieringslista import as_document as lista_document
from beslutsgen.distribute.expedieringslista import rows as lista_rows
from beslutsgen.distribute.mail import (
    Attachment,
    Endpoint,
    Mailer,
    Misconfigured,
    Rejected,
    ServerDown,
    compose,
    message_id,
)
from beslutsgen.distribute.printbundle import print_bundle
from beslutsgen.distribute.sendlog import Clock, Entry, SendLog, Sent, claim
from beslutsgen.errors import InputError, Problem, UsageError, relative
from beslutsgen.law.dates import justerad_for_expediering
from beslutsgen.load.project import LoadedSammantrade, key_position, load_project
from beslutsgen.model.adressbok import Mottagare, Smtp, TlsMode
from beslutsgen.model.profile import Profile, resolve_style
from beslutsgen.model.sammantrade import paragraph_span
from beslutsgen.output import write_atomic
from beslutsgen.render.docx import DocxRenderer
from beslutsgen.render.pdf import PdfRenderer

__all__ = ["COLUMNS", "DistributeRun", "Options", "distribute", "plan", "run"]

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
class Delivery:
    """One recipient and the §§ that go to them in this run."""

    recipient: Mottagare
    roles: list[str]
    attachments: list[Attachment] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    already: list[int] = field(default_factory=list)


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


def meeting_key(docs: SammantradeDokument) -> str:
    """How the send log names a meeting: its folder name (organ and day)."""
    return docs.folder


def plan(
    loaded: LoadedSammantrade, profile: Profile, pdf_of: Callable[[int], Attachment]
) -> tuple[list[Delivery], list[int]]:
    """Who gets which justerat §, in § order; and the §§ that are not justerade yet."""
    meeting = loaded.meeting
    book = profile.adressbok
    deliveries: dict[str, Delivery] = {}
    waiting = []
    for index, item in enumerate(meeting.paragrafer):
        if not justerad_for_expediering(meeting, item):
            waiting.append(item.nummer)
            continue
        roles = loaded.expedieras_till(index)
        attachment: Attachment | None = None
        for role in roles:
            for recipient in book[role]:
                delivery = deliveries.setdefault(recipient.key, Delivery(recipient, []))
                if role not in delivery.roles:
                    delivery.roles.append(role)
                if all(a.nummer != item.nummer for a in delivery.attachments):
                    attachment = attachment or pdf_of(item.nummer)
                    delivery.attachments.append(attachment)
    return list(deliveries.values()), waiting


def distribute(
    loaded: LoadedSammantrade,
    profile: Profile,
    templates: Templates,
    render_pdf: Callable[[Built], bytes],
    log: SendLog,
    out_dir: Path,
    options: Options,
    clock: Clock,
    shown_from: Path,
) -> Outcome:
    """Send (or, dry, write) what is due; record everything in `log`. `clock` dates the
    messages really sent; paths written down are shown relative to `shown_from`."""
    if not profile.adressbok:
        raise UsageError("profilen saknar adressbok; utan den vet beslutsgen inte vart utdrag ska")
    if profile.expediering is None:
        raise UsageError("profilen saknar expediering (avsändare, smtp)")
    server = profile.expediering.smtp
    if server is None and not options.dry_run:
        raise UsageError("profilen saknar expediering.smtp; prova med --dry-run")
    docs = build_sammantrade(loaded, profile, templates, (UTDRAG,))
    rendered: dict[int, Attachment] = {}

    def pdf_of(nummer: int) -> Attachment:
        if nummer not in rendered:
            rendered[nummer] = Attachment(
                nummer, docs.utdrag_file(nummer), render_pdf(docs.utdrag[nummer])
            )
        return rendered[nummer]

    deliveries, waiting = plan(loaded, profile, pdf_of)
    folder = out_dir / docs.folder / EXPEDIERING
    mailer = (
        Mailer(endpoint(server, options), options.login)
        if server is not None and not options.dry_run
        else None
    )
    sending = _Sending(
        loaded,
        profile,
        templates,
        log,
        options,
        meeting_key(docs),
        folder / "provkorning" if options.dry_run else folder,
        mailer,
        Outcome(not_justerade=waiting),
        meeting_context(loaded, profile),
        docs.utdrag,
        clock,
        shown_from,
    )
    try:
        for delivery in deliveries:
            sending.deliver(delivery)
    finally:
        if mailer is not None:
            mailer.close()
    return sending.outcome


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
class _Sending:
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
        _due(delivery, self.log.delivered(self.key, delivery.recipient.key), self.options.resend)
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


def _due(delivery: Delivery, delivered: dict[int, Sent], resend: bool) -> None:
    """Keep only the attachments this recipient has not got, or got in another version."""
    due = []
    for attachment in delivery.attachments:
        before = delivered.get(attachment.nummer)
        if before is None:
            due.append(attachment)
        elif before.sha256 != attachment.sha256:
            delivery.changed.append(attachment.nummer)
            if resend:
                due.append(attachment)
        else:
            delivery.already.append(attachment.nummer)
    delivery.attachments = due


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


@dataclass(frozen=True)
class DistributeRun:
    """One `beslutsgen distribute`: what happened, and the expedieringslista written."""

    meeting: LoadedSammantrade
    outcome: Outcome
    lista: tuple[Path, ...]
    rows: list[tuple[str, ...]]


def run(
    path: Path,
    root: Path,
    out_dir: Path,
    log_path: Path,
    options: Options,
    clock: Clock,
    cwd: Path | None = None,
) -> tuple[DistributeRun, list[Problem]]:
    """Load and check the meeting, distribute it, write the expedieringslista; the
    warnings of the load come back alongside. `clock` dates what is sent and logged (the
    CLI passes its own); paths are shown relative to `cwd`, the project root when None."""
    shown_from = cwd or root
    project = load_project([path], root, shown_from)
    if not project.meetings:
        raise UsageError(f"{relative(path, shown_from)} är inget sammanträde (typ: sammanträde)")
    (loaded,) = project.meetings
    _check_justerat(loaded, shown_from)
    templates = Templates(root / "templates")
    renderer = PdfRenderer()
    meeting = folder_name(loaded.meeting)
    with ExitStack() as held:
        # One run at a time per meeting, from reading the log to writing the lista (Busy,
        # exit 3, for the other). A dry run sends nothing, takes no lock and never
        # creates the log; it reads what has been sent.
        if not options.dry_run:
            held.enter_context(claim(log_path, meeting, clock))
        log_file = log_path if log_path.exists() or not options.dry_run else None
        with SendLog(log_file, clock) as log:
            outcome = distribute(
                loaded,
                project.profile,
                templates,
                lambda built: renderer.render(built.document, built.style),
                log,
                out_dir,
                options,
                clock,
                shown_from,
            )
            if options.dry_run:
                entries = [_planned(loaded, delivery, mid) for delivery, mid in outcome.sent]
                return DistributeRun(loaded, outcome, (), lista_rows(entries)), project.warnings
            entries = log.entries(meeting)
        folder = out_dir / meeting / EXPEDIERING
        today = clock().astimezone().date()
        written = _write_lista(loaded, project.profile, entries, folder, today)
    return DistributeRun(loaded, outcome, written, lista_rows(entries)), project.warnings


def _check_justerat(loaded: LoadedSammantrade, shown_from: Path) -> None:
    """Nothing to distribute before justering, unless a § was omedelbart justerad."""
    if any(justerad_for_expediering(loaded.meeting, p) for p in loaded.meeting.paragrafer):
        return
    line, col = key_position(loaded.path, ("justering",))
    raise InputError(
        [
            Problem(
                relative(loaded.path, shown_from),
                line,
                col,
                "justering.justerat",
                "protokollet är inte justerat och ingen paragraf är omedelbart justerad; "
                "inget att expediera (skriv justerat: true när protokollet är justerat)",
            )
        ]
    )


def _write_lista(
    loaded: LoadedSammantrade, profile: Profile, entries: list[Entry], folder: Path, today: date
) -> tuple[Path, ...]:
    """The expedieringslista as CSV, PDF and DOCX in the meeting's expediering folder,
    dated by its last entry (`today` when it has none)."""
    document = lista_document(loaded.meeting, profile.organisation, entries, today)
    style = resolve_style(profile.stil, None)
    written = []
    for name, data in (
        ("expedieringslista.csv", lista_csv(entries)),
        ("expedieringslista.pdf", PdfRenderer().render(document, style)),
        ("expedieringslista.docx", DocxRenderer().render(document, style)),
    ):
        write_atomic(folder / name, data)
        written.append(folder / name)
    return tuple(written)


def _planned(loaded: LoadedSammantrade, delivery: Delivery, mid: str) -> Entry:
    """A dry run's row: what would be sent."""
    recipient = delivery.recipient
    return Entry(
        mid,
        recipient.namn,
        recipient.epost or str(recipient.post),
        "epost" if recipient.epost else "post",
        tuple(a.nummer for a in delivery.attachments),
        "planned",
        "",
        "",
        None,
    )
