"""Expediering: every justerat § goes to the recipients its Expedieras-till roles stand for;
with `kallelse`, the sammanträdeshandlingar go to those the organ's `kallas:` names.

The entry point: `run` loads and checks the meeting, `distribute` builds the utdrag and
hands them to `plan` (who gets which §) and `deliver` (e-mail, post, dry run), and the
expedieringslista is written last. `kallelse` prepares the kallelse instead; the sending,
the log, the lock and the list are the same (the list is kallelse-expedieringslista.*).

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
from beslutsgen.distribute import kallelse as kallelse_
from beslutsgen.distribute.deliver import Options, Outcome, check_profile, send_all
from beslutsgen.distribute.expedieringslista import COLUMNS, KALLELSE_COLUMNS
from beslutsgen.distribute.expedieringslista import as_csv as lista_csv
from beslutsgen.distribute.expedieringslista import as_document as lista_document
from beslutsgen.distribute.expedieringslista import rows as lista_rows
from beslutsgen.distribute.mail import Attachment
from beslutsgen.distribute.plan import Delivery, plan
from beslutsgen.distribute.sendlog import Clock, Entry, SendLog, claim
from beslutsgen.distribute.utdrag import Utdrag
from beslutsgen.errors import InputError, Problem, UsageError, relative
from beslutsgen.law.dates import justerad_for_expediering
from beslutsgen.load.project import LoadedSammantrade, Project, key_position, load_project
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
    server = check_profile(profile, options, "utdrag")
    docs = build_sammantrade(loaded, profile, templates, (UTDRAG,))
    rendered: dict[int, Attachment] = {}

    def pdf_of(nummer: int) -> Attachment:
        if nummer not in rendered:
            rendered[nummer] = Attachment(
                nummer, docs.utdrag_file(nummer), render_pdf(docs.utdrag[nummer])
            )
        return rendered[nummer]

    deliveries, waiting = plan(loaded, profile, pdf_of)
    context = sammantrade_context(loaded, profile)
    content = Utdrag(sammantrade_key(docs), loaded, profile, templates, context, docs.utdrag)
    folder = out_dir / docs.folder / EXPEDIERING
    outcome = Outcome(not_justerade=waiting)
    return send_all(
        content, deliveries, outcome, profile, server, log, options, folder, clock, shown_from
    )


@dataclass(frozen=True)
class DistributeRun:
    """One `beslutsgen distribute`: what happened, and the expedieringslista written."""

    meeting: LoadedSammantrade
    outcome: Outcome
    lista: tuple[Path, ...]
    rows: list[tuple[str, ...]]
    kallelse: bool = False  # the kallelse was sent (its rows have no §§)

    @property
    def columns(self) -> tuple[str, ...]:
        return KALLELSE_COLUMNS if self.kallelse else COLUMNS


def run(
    path: Path,
    root: Path,
    out_dir: Path,
    log_path: Path,
    options: Options,
    clock: Clock,
    cwd: Path | None = None,
    kallelse: bool = False,
) -> tuple[DistributeRun, list[Problem]]:
    """Load and check the meeting, distribute its utdrag (or, with `kallelse`, its
    kallelse), write the expedieringslista; the warnings of the load come back alongside.
    `clock` dates what is sent and logged (the CLI passes its own); paths are shown
    relative to `cwd`, the project root when None."""
    shown_from = cwd or root
    project = load_project([path], root, shown_from)
    if not project.meetings:
        raise UsageError(f"{relative(path, shown_from)} är inget sammanträde (typ: sammanträde)")
    (loaded,) = project.meetings
    folder = out_dir / folder_name(loaded.meeting) / EXPEDIERING
    key, send = _sender(project, loaded, out_dir, options, clock, shown_from, kallelse)
    with ExitStack() as held:
        # One run at a time per meeting and kind, from reading the log to writing the lista
        # (Busy, exit 3, for the other). A dry run sends nothing, takes no lock and never
        # creates the log; it reads what has been sent.
        if not options.dry_run:
            held.enter_context(claim(log_path, key, clock))
        log_file = log_path if log_path.exists() or not options.dry_run else None
        with SendLog(log_file, clock) as log:
            outcome = send(log)
            if options.dry_run:
                entries = [_planned(delivery, mid) for delivery, mid in outcome.sent]
                rows = lista_rows(entries, kallelse)
                return DistributeRun(loaded, outcome, (), rows, kallelse), project.warnings
            entries = log.entries(key)
        today = clock().astimezone().date()
        written = _write_lista(loaded, project.profile, entries, folder, today, kallelse)
    rows = lista_rows(entries, kallelse)
    return DistributeRun(loaded, outcome, written, rows, kallelse), project.warnings


def _sender(
    project: Project,
    loaded: LoadedSammantrade,
    out_dir: Path,
    options: Options,
    clock: Clock,
    shown_from: Path,
    kallelse: bool,
) -> tuple[str, Callable[[SendLog], Outcome]]:
    """The send log's key and what sends, once what can fail on the input has been checked
    (before the log is opened or the lock taken)."""
    templates = Templates(project.root / "templates")
    renderer = PdfRenderer()
    if kallelse:  # it goes before the meeting: nothing need be justerat
        prepared = kallelse_.prepare(
            loaded, project.profile, templates, project.root, renderer, options, shown_from
        )
        folder = out_dir / folder_name(loaded.meeting) / EXPEDIERING

        def send_kallelse(log: SendLog) -> Outcome:
            return kallelse_.send(prepared, log, folder, options, clock, shown_from)

        return prepared.content.key, send_kallelse
    _check_justerat(loaded, shown_from)

    def send_utdrag(log: SendLog) -> Outcome:
        return distribute(
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

    return folder_name(loaded.meeting), send_utdrag


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
    loaded: LoadedSammantrade,
    profile: Profile,
    entries: list[Entry],
    folder: Path,
    today: date,
    kallelse: bool = False,
) -> tuple[Path, ...]:
    """The expedieringslista as CSV, PDF and DOCX in the meeting's expediering folder,
    dated by its last entry (`today` when it has none); the kallelse's is
    kallelse-expedieringslista.*."""
    document = lista_document(loaded.meeting, profile.organisation, entries, today, kallelse)
    style = resolve_style(profile.stil, None)
    stem = f"{kallelse_.PREFIX if kallelse else ''}expedieringslista"
    written = []
    for name, data in (
        (f"{stem}.csv", lista_csv(entries, kallelse)),
        (f"{stem}.pdf", PdfRenderer().render(document, style)),
        (f"{stem}.docx", DocxRenderer().render(document, style)),
    ):
        write_atomic(folder / name, data)
        written.append(folder / name)
    return tuple(written)


def _planned(delivery: Delivery, mid: str) -> Entry:
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
