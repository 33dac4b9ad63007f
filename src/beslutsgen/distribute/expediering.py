"""Expediering: every justerat § goes to the recipients its Expedieras-till roles stand for.

The entry point: `run` loads and checks the meeting, `distribute` builds the utdrag and
hands them to `plan` (who gets which §) and `deliver` (e-mail, post, dry run), and the
expedieringslista is written last.

One message per recipient with the protokollsutdrag of every § that lists them (each §
once, however many of their roles list it). What has reached someone is in the send log
and is not sent again; a § whose utdrag has changed since is reported, and sent again
only when asked. Recipients by post get one print-ready PDF: a cover letter and the
utdrag.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from beslutsgen.build.sammantrade import (
    EXPEDIERING,
    UTDRAG,
    SammantradeDokument,
    build_sammantrade,
    folder_name,
    sammantrade_context,
)
from beslutsgen.build.templates import Templates
from beslutsgen.build.tjanssteskrivelse import Built
from beslutsgen.distribute.deliver import Options, Outcome, Sending, endpoint
from beslutsgen.distribute.expedieringslista import COLUMNS
from beslutsgen.distribute.expedieringslista import as_csv as lista_csv
from beslutsgen.distribute.expedieringslista import as_document as lista_document
from beslutsgen.distribute.expedieringslista import rows as lista_rows
from beslutsgen.distribute.mail import Attachment, Mailer
from beslutsgen.distribute.plan import Delivery, plan
from beslutsgen.distribute.sendlog import Clock, Entry, SendLog, claim
from beslutsgen.errors import InputError, Problem, UsageError, relative
from beslutsgen.law.dates import justerad_for_expediering
from beslutsgen.load.project import LoadedSammantrade, key_position, load_project
from beslutsgen.model.adressbok import Smtp
from beslutsgen.model.profile import Profile, resolve_style
from beslutsgen.output import write_atomic
from beslutsgen.render.docx import DocxRenderer
from beslutsgen.render.pdf import PdfRenderer

__all__ = ["COLUMNS", "DistributeRun", "Options", "distribute", "plan", "run"]


def sammantrade_key(docs: SammantradeDokument) -> str:
    """How the send log names a meeting: its folder name (organ and day)."""
    return docs.folder


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
    server = _server(profile, options)
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
    sending = Sending(
        loaded,
        profile,
        templates,
        log,
        options,
        sammantrade_key(docs),
        folder / "provkorning" if options.dry_run else folder,
        mailer,
        Outcome(not_justerade=waiting),
        sammantrade_context(loaded, profile),
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


def _server(profile: Profile, options: Options) -> Smtp | None:
    """The profile's SMTP server; what distribute needs of the profile is checked first."""
    if not profile.adressbok:
        raise UsageError("profilen saknar adressbok; utan den vet beslutsgen inte vart utdrag ska")
    if profile.expediering is None:
        raise UsageError("profilen saknar expediering (avsändare, smtp)")
    server = profile.expediering.smtp
    if server is None and not options.dry_run:
        raise UsageError("profilen saknar expediering.smtp; prova med --dry-run")
    return server


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
