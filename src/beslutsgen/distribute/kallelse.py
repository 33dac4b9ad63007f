"""The kallelse: the sammanträdeshandlingar to every ledamot and ersättare of the organ.

Who: the recipients of the address book roles the organ's `kallas:` lists in
beslutsgen.yaml, each once. What: one message each with handlingar.pdf (the pack
`beslutsgen handlingar` renders, byte for byte) and the bilaga files, under the names the
contents page gives them. The send log files it under its own key, so the kallelse and
the utdrag of one meeting never stand in for each other; the kallelse is due whole or not
at all: once it reached someone, a changed pack is reported and sent again, whole, only
with --resend.

By post: a letter naming what it encloses, and the enclosures written once into
kallelse-handlingar/ beside it. They are not merged into the letter, so the printed pages
carry the same numbers as the e-mailed handlingar.pdf ("sidan 12" is the same page for
everyone), and a bilaga that is a Word file could not be merged anyway.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from beslutsgen.build.handlingar import HANDLINGAR, Handlingar, build_handlingar
from beslutsgen.build.sammantrade import SAMMANTRADESDATUM, folder_name, sammantrade_context
from beslutsgen.build.templates import Templates
from beslutsgen.distribute.deliver import Options, Outcome, check_profile, send_all
from beslutsgen.distribute.mail import Attachment
from beslutsgen.distribute.plan import Delivery
from beslutsgen.distribute.printbundle import print_letter
from beslutsgen.distribute.sendlog import Clock, SendLog, Sent
from beslutsgen.errors import InputError, OutputError, Problem, relative
from beslutsgen.load.bilagor import MIMETYPES, Bilagefil, describe
from beslutsgen.load.messages import key_path
from beslutsgen.load.project import LoadedSammantrade, key_position
from beslutsgen.load.yamlsource import Loc
from beslutsgen.model.adressbok import Smtp
from beslutsgen.model.profile import PROFILE_NAME, Organ, Profile
from beslutsgen.output import write_atomic
from beslutsgen.render.pdf import PdfRenderer

__all__ = ["ENCLOSURES", "PREFIX", "TEMPLATE", "Kallelse", "kallade", "prepare", "send"]

TEMPLATE = "kallelse-meddelande.txt.j2"
PREFIX = "kallelse-"  # every file the kallelse writes in expediering/ starts so
ENCLOSURES = "kallelse-handlingar"  # beside the letters: what they enclose, to print


def kallelse_key(folder: str) -> str:
    """How the send log names a meeting's kallelse: regionstyrelsen-2026-06-16-kallelse
    (a folder name ends in its date, so it is never one)."""
    return f"{folder}-kallelse"


@dataclass(frozen=True)
class Kallelse:
    """The kallelse of one meeting, as one run sends it."""

    key: str
    loaded: LoadedSammantrade
    profile: Profile
    templates: Templates
    pack: Handlingar
    files: tuple[Attachment, ...]  # handlingar.pdf, then every bilaga file
    renderer: PdfRenderer
    prefix: str = PREFIX

    @property
    def dated(self) -> date:
        return self.loaded.meeting.datum

    def due(self, delivery: Delivery, delivered: dict[int, Sent], resend: bool) -> None:
        """All or nothing: due when nothing of it has reached the recipient; when what did
        differs in any file, changed, and due again (whole) only with `resend`."""
        if not delivered:
            return
        changed = [
            a.nummer
            for a in delivery.attachments
            if a.nummer not in delivered or delivered[a.nummer].sha256 != a.sha256
        ]
        if not changed:
            delivery.already = [a.nummer for a in delivery.attachments]
            delivery.attachments = []
            return
        delivery.changed = changed
        if not resend:
            delivery.attachments = []

    def letter(self, delivery: Delivery) -> tuple[str, str]:
        """"Kallelse: Regionstyrelsen 2026-06-16" and the text naming time, place and files."""
        meeting = self.loaded.meeting
        assert self.profile.expediering is not None
        body = self.templates.render_text(
            TEMPLATE,
            {
                **sammantrade_context(self.loaded, self.profile),
                **_files_context(self.pack),
                "mottagare": delivery.recipient.model_dump(),
                "roller": delivery.roles,
                "avsändare": self.profile.expediering.avsandare.model_dump(),
            },
        )
        return f"Kallelse: {meeting.organ} {meeting.datum.isoformat()}", body

    def bundle(self, delivery: Delivery, subject: str, body: str) -> bytes:
        """The letter alone; what it encloses is in kallelse-handlingar/ (`enclose`)."""
        return print_letter(
            delivery.recipient,
            subject,
            body,
            self.profile,
            self.dated,
            self.renderer,
            SAMMANTRADESDATUM,
        )

    def enclose(self, folder: Path) -> list[Path]:
        """The files a posted letter encloses, written once into `folder`/kallelse-handlingar."""
        written = []
        for attachment in self.files:
            path = folder / ENCLOSURES / attachment.filename
            write_atomic(path, attachment.data)
            written.append(path)
        return written


def _files_context(pack: Handlingar) -> dict[str, Any]:
    """What the message says it carries: the pack, each bilaga file, the items held back."""
    return {
        "handlingar": f"{HANDLINGAR}.pdf",
        "bilagor": [
            {
                "fil": name,
                "titel": fil.titel,
                "punkt": punkt.nummer,
                "nummer": fil.nummer,
                "beskrivning": describe(fil),
            }
            for punkt in pack.punkter
            for fil, name in punkt.bilagor
        ],
        "utelämnade": [
            {"punkt": p.nummer, "rubrik": p.rubrik, "skäl": p.utelamnas}
            for p in pack.punkter
            if p.utelamnas is not None
        ],
    }


def kallade(
    loaded: LoadedSammantrade, profile: Profile, root: Path, shown_from: Path
) -> list[Delivery]:
    """Every recipient of the roles the organ's `kallas:` lists, once each with the roles
    that name them, in the order of the roles."""
    organ = _kallas(loaded, profile, root, shown_from)
    deliveries: dict[str, Delivery] = {}
    for role in organ.kallas:
        for recipient in profile.adressbok[role]:
            delivery = deliveries.setdefault(recipient.key, Delivery(recipient, []))
            if role not in delivery.roles:
                delivery.roles.append(role)
    if not deliveries:
        loc = ("organ", loaded.meeting.organ, "kallas")
        message = "rollerna i kallas har inga mottagare i adressboken; ingen att kalla"
        raise _problem(root / PROFILE_NAME, loc, message, shown_from)
    return list(deliveries.values())


HOW = "med de roller i adressboken som ska få kallelsen (t.ex. ledamöter och ersättare)"


def _kallas(loaded: LoadedSammantrade, profile: Profile, root: Path, shown_from: Path) -> Organ:
    """The meeting's organ in the profile, with a `kallas:` (whose roles validation has
    found in the address book); else InputError at the line to change."""
    name = loaded.meeting.organ
    organ = profile.organ.get(name)
    if organ is None:
        message = (
            f"{name} finns inte under organ: i {PROFILE_NAME}; lägg till "
            f"{name}: {{ledamöter: …, kallas: [roll, …]}} under organ:, {HOW}"
        )
        raise _problem(loaded.path, ("organ",), message, shown_from)
    if not organ.kallas:
        message = (
            f"{name} har ingen kallas:; lägg till kallas: [roll, …] under "
            f"organ: {name}: i {PROFILE_NAME}, {HOW}"
        )
        raise _problem(root / PROFILE_NAME, ("organ", name), message, shown_from)
    return organ


def _problem(path: Path, loc: Loc, message: str, shown_from: Path) -> InputError:
    """One problem at `loc` in `path`, as the CLI prints it: file:line:col: key: message."""
    line, col = key_position(path, loc)
    return InputError([Problem(relative(path, shown_from), line, col, key_path(loc), message)])


@dataclass(frozen=True)
class Prepared:
    """A kallelse ready to go: its content, who gets it, the server; nothing sent yet."""

    content: Kallelse
    deliveries: list[Delivery]
    server: Smtp | None


def prepare(
    loaded: LoadedSammantrade,
    profile: Profile,
    templates: Templates,
    root: Path,
    renderer: PdfRenderer,
    options: Options,
    shown_from: Path,
) -> Prepared:
    """Check the profile and `kallas:`, build and render the pack: everything that can fail
    on the input, before the send log is opened."""
    server = check_profile(profile, options, "kallelsen")
    deliveries = kallade(loaded, profile, root, shown_from)
    pack = build_handlingar(loaded, profile, templates)
    handlingar = renderer.render_parts([(part.document, part.style) for part in pack.parts])
    files = (
        Attachment(0, f"{HANDLINGAR}.pdf", handlingar),
        *(
            Attachment(index, name, _read_checked(fil), MIMETYPES[fil.path.suffix.lower()])
            for index, (fil, name) in enumerate(pack.files, 1)
        ),
    )
    key = kallelse_key(folder_name(loaded.meeting))
    content = Kallelse(key, loaded, profile, templates, pack, files, renderer)
    for delivery in deliveries:
        delivery.attachments = list(files)
    return Prepared(content, deliveries, server)


def _read_checked(fil: Bilagefil) -> bytes:
    """A bilaga's bytes, only as they were when it was checked (SHA-256 and size)."""
    try:
        data = fil.path.read_bytes()
    except OSError as exc:
        raise OutputError(f"{fil.fil}: kan inte läsas: {exc.strerror or exc}") from exc
    if len(data) != fil.storlek or hashlib.sha256(data).hexdigest() != fil.sha256:
        raise OutputError(f"{fil.fil}: filen har ändrats sedan den kontrollerades; kör igen")
    return data


def send(
    prepared: Prepared,
    log: SendLog,
    folder: Path,
    options: Options,
    clock: Clock,
    shown_from: Path,
) -> Outcome:
    """Send (or, dry, write) the kallelse to whoever it is due; the enclosures of any
    letter by post go beside the letters."""
    content = prepared.content
    outcome = send_all(
        content,
        prepared.deliveries,
        Outcome(),
        content.profile,
        prepared.server,
        log,
        options,
        folder,
        clock,
        shown_from,
    )
    if any(delivery.recipient.epost is None for delivery, _ in outcome.sent):
        where = folder / "provkorning" if options.dry_run else folder
        outcome.written += content.enclose(where)
    return outcome
