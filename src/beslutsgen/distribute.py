"""Expediering: every justerat § goes to the recipients its Expedieras-till roles stand for.

One message per recipient with the protokollsutdrag of every § that lists them (each §
once, however many of their roles list it). What has reached someone is in the send log
and is not sent again; a § whose utdrag has changed since is reported, and sent again
only when asked. Recipients by post get one print-ready PDF: a cover letter and the
utdrag.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path

import pypdf

from beslutsgen.addressbook import Mottagare
from beslutsgen.build import Built
from beslutsgen.config import Profile, resolve_style
from beslutsgen.document import Document, Meta, Paragraph, Run
from beslutsgen.errors import InputError, Problem, UsageError, relative
from beslutsgen.expedieringslista import COLUMNS
from beslutsgen.expedieringslista import as_csv as lista_csv
from beslutsgen.expedieringslista import as_document as lista_document
from beslutsgen.expedieringslista import rows as lista_rows
from beslutsgen.load import LoadedMeeting, key_position, load_project
from beslutsgen.mail import Attachment, Mailer, Rejected, ServerDown, compose, message_id
from beslutsgen.meeting_docs import MeetingDocuments, build_meeting, folder_name, meeting_context
from beslutsgen.meeting_model import paragraph_span
from beslutsgen.output import write_atomic
from beslutsgen.pipeline import DISTRIBUTION_FOLDER
from beslutsgen.render.docx import DocxRenderer
from beslutsgen.render.pdf import PdfRenderer
from beslutsgen.sendlog import Entry, SendLog, Sent
from beslutsgen.templates import Templates

__all__ = ["COLUMNS", "DistributeRun", "Options", "distribute", "plan", "run"]

COVER_TEMPLATE = "expediering.txt.j2"
UTDRAG = "protokollsutdrag-"
FOLDER = DISTRIBUTION_FOLDER  # inside the meeting's folder; `beslutsgen meeting` keeps it


@dataclass(frozen=True)
class Options:
    """What a distribute run may do."""

    dry_run: bool = False
    resend: bool = False
    smtp_host: str | None = None
    smtp_port: int | None = None


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


def meeting_key(docs: MeetingDocuments) -> str:
    """How the send log names a meeting: its folder name (organ and day)."""
    return docs.folder


def plan(
    loaded: LoadedMeeting, profile: Profile, pdf_of: Callable[[int], Attachment]
) -> tuple[list[Delivery], list[int]]:
    """Who gets which justerat §, in § order; and the §§ that are not justerade yet."""
    meeting = loaded.meeting
    book = profile.adressbok
    deliveries: dict[str, Delivery] = {}
    waiting = []
    for item, case in zip(meeting.paragrafer, loaded.arenden, strict=True):
        if not (meeting.justering.justerat or item.omedelbart_justerad):
            waiting.append(item.nummer)
            continue
        roles = (
            item.expedieras_till if item.expedieras_till is not None else case.arende.utdrag_till
        )
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
    loaded: LoadedMeeting,
    profile: Profile,
    templates: Templates,
    render_pdf: Callable[[Built], bytes],
    log: SendLog,
    out_dir: Path,
    options: Options,
) -> Outcome:
    """Send (or, dry, write) what is due; record everything in `log`."""
    if not profile.adressbok:
        raise UsageError("profilen saknar adressbok; utan den vet beslutsgen inte vart utdrag ska")
    if profile.expediering is None:
        raise UsageError("profilen saknar expediering (avsändare, smtp)")
    if profile.expediering.smtp is None and not options.dry_run:
        raise UsageError("profilen saknar expediering.smtp; prova med --dry-run")
    docs = build_meeting(loaded, profile, templates, lambda stem: stem.startswith(UTDRAG))
    by_number = {
        int(one.stem.rsplit("-", 1)[1]): one
        for one in docs.documents
        if one.stem.startswith(UTDRAG)
    }
    key = meeting_key(docs)
    context = meeting_context(loaded, profile)
    titles = {p["nummer"]: p for p in context["paragrafer"]}
    rendered: dict[int, Attachment] = {}

    def pdf_of(nummer: int) -> Attachment:
        if nummer not in rendered:
            name = f"{docs.folder}-protokollsutdrag-{nummer}.pdf"
            rendered[nummer] = Attachment(nummer, name, render_pdf(by_number[nummer]))
        return rendered[nummer]

    deliveries, waiting = plan(loaded, profile, pdf_of)
    outcome = Outcome(not_justerade=waiting)
    sender = profile.expediering.avsandare
    server = profile.expediering.smtp
    mailer = (
        Mailer(server, options.smtp_host, options.smtp_port)
        if server is not None and not options.dry_run
        else None
    )
    folder = out_dir / docs.folder / FOLDER
    if options.dry_run:
        folder = folder / "provkorning"
    try:
        for delivery in deliveries:
            _due(delivery, log.delivered(key, delivery.recipient.key), options.resend)
            if delivery.changed:
                outcome.changed.append((delivery, delivery.changed))
            if not delivery.attachments:
                outcome.skipped.append(delivery)
                continue
            numbers = [a.nummer for a in delivery.attachments]
            subject = f"Protokollsutdrag {loaded.meeting.organ} {loaded.meeting.datum}, "
            subject += paragraph_span(numbers)
            body = templates.render_text(
                COVER_TEMPLATE,
                {
                    **context,
                    "mottagare": delivery.recipient.model_dump(),
                    "roller": delivery.roles,
                    "utdrag": [titles[n] for n in numbers],
                    "avsändare": sender.model_dump(),
                },
            )
            domain = sender.epost.rpartition("@")[2]
            mid = message_id(key, delivery.recipient.key, delivery.attachments, domain)
            recipient = delivery.recipient
            if options.dry_run or recipient.epost is None:
                justering = loaded.meeting.justering.datum
                path = _write_copy(
                    folder,
                    delivery,
                    subject,
                    body,
                    mid,
                    (sender.namn, sender.epost),
                    profile,
                    datetime.combine(justering, time(12, 0), tzinfo=UTC),
                )
                outcome.written.append(path)
                if options.dry_run:
                    outcome.sent.append((delivery, mid))
                    continue
            log.begin(
                mid,
                key,
                recipient.key,
                recipient.namn,
                recipient.epost or str(recipient.post),
                "epost" if recipient.epost else "post",
                subject,
                [(a.nummer, a.filename, a.sha256) for a in delivery.attachments],
            )
            if recipient.epost is None:
                log.finish(mid, True, f"utskrift {relative(outcome.written[-1])}")
                outcome.sent.append((delivery, mid))
                continue
            assert mailer is not None
            message = compose(
                sender=(sender.namn, sender.epost),
                to=(recipient.namn, recipient.epost),
                subject=subject,
                body=body,
                attachments=delivery.attachments,
                mid=mid,
                when=datetime.now(UTC),
            )
            try:
                mailer.send(message, sender.epost, recipient.epost)
            except Rejected as exc:
                why = f"{'tillfälligt avvisat' if exc.temporary else 'avvisat'}: {exc}"
                log.finish(mid, False, why)
                outcome.failed.append((delivery, why))
                outcome.retry_later = outcome.retry_later or exc.temporary
                continue
            except ServerDown as exc:
                log.finish(mid, False, f"servern: {exc}")
                outcome.failed.append((delivery, f"servern: {exc}"))
                outcome.retry_later = True
                continue
            log.finish(mid, True)
            outcome.sent.append((delivery, mid))
    finally:
        if mailer is not None:
            mailer.close()
    return outcome


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
    write_atomic(path, _print_bundle(recipient, subject, body, delivery, profile))
    return path


def _print_bundle(
    recipient: Mottagare, subject: str, body: str, delivery: Delivery, profile: Profile
) -> bytes:
    """A cover letter with the address, then every utdrag: one PDF to print and post."""
    address = [recipient.namn, *(str(recipient.post).split(", "))]
    blocks = [Paragraph((Run("\n".join(address)),)), Paragraph((Run(subject, bold=True),))]
    blocks += [Paragraph((Run(part.strip()),)) for part in body.split("\n\n") if part.strip()]
    meta = Meta(
        doc_type="Följebrev",
        title=subject,
        organisation=profile.organisation,
        organ="",
        date=datetime.now(UTC).date(),
        dnr="",
        author=profile.expediering.avsandare.namn if profile.expediering else "",
    )
    cover = PdfRenderer().render(Document(meta, tuple(blocks)), resolve_style(profile.stil, None))
    writer = pypdf.PdfWriter()
    for data in (cover, *(a.data for a in delivery.attachments)):
        writer.append(pypdf.PdfReader(io.BytesIO(data)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass(frozen=True)
class DistributeRun:
    """One `beslutsgen distribute`: what happened, and the expedieringslista written."""

    meeting: LoadedMeeting
    outcome: Outcome
    lista: tuple[Path, ...]
    rows: list[tuple[str, ...]]


def run(
    path: Path, root: Path, out_dir: Path, log_path: Path, options: Options
) -> tuple[DistributeRun, list[Problem]]:
    """Load and check the meeting, distribute it, write the expedieringslista; the
    warnings of the load come back alongside."""
    project = load_project([path], root)
    if not project.meetings:
        raise UsageError(f"{relative(path)} är inget sammanträde (typ: sammanträde)")
    (loaded,) = project.meetings
    templates = Templates(root / "templates")
    renderer = PdfRenderer()
    if not any(
        loaded.meeting.justering.justerat or p.omedelbart_justerad
        for p in loaded.meeting.paragrafer
    ):
        line, col = key_position(loaded.path, ("justering",))
        raise InputError(
            [
                Problem(
                    relative(loaded.path),
                    line,
                    col,
                    "justering.justerat",
                    "protokollet är inte justerat och ingen paragraf är omedelbart justerad; "
                    "inget att expediera (skriv justerat: true när protokollet är justerat)",
                )
            ]
        )
    # A dry run reads what has been sent but never creates the log.
    log = SendLog(log_path if log_path.exists() or not options.dry_run else None)
    try:
        outcome = distribute(
            loaded,
            project.profile,
            templates,
            lambda built: renderer.render(built.document, built.style),
            log,
            out_dir,
            options,
        )
        folder = out_dir / folder_name(loaded.meeting) / FOLDER
        if options.dry_run:
            entries = [_planned(loaded, delivery, mid) for delivery, mid in outcome.sent]
            return DistributeRun(loaded, outcome, (), lista_rows(entries)), project.warnings
        entries = log.entries(folder_name(loaded.meeting))
    finally:
        log.close()
    document = lista_document(loaded.meeting, project.profile.organisation, entries)
    style = resolve_style(project.profile.stil, None)
    written = []
    for name, data in (
        ("expedieringslista.csv", lista_csv(entries)),
        ("expedieringslista.pdf", renderer.render(document, style)),
        ("expedieringslista.docx", DocxRenderer().render(document, style)),
    ):
        write_atomic(folder / name, data)
        written.append(folder / name)
    return DistributeRun(loaded, outcome, tuple(written), lista_rows(entries)), project.warnings


def _planned(loaded: LoadedMeeting, delivery: Delivery, mid: str) -> Entry:
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
