"""What the anslagstavla holds (KL 8 kap. 9–12 §§), as data: one Notis per
tillkännagivande, each with the days it goes up and comes down.

- the justering of a protocol (only when `justering.justerat` is true), and of the
  omedelbart justerade §§ on their own (they are justerade at the meeting);
- a fullmäktige meeting (or any meeting whose file gives `tillkännages:`): time, place
  and ärenden, at least a week ahead, until the day after the meeting;
- a delegationsbeslut not anmält to the organ, from its file's `anslag:`.

Which notices are up on a day, and which have run out, is decided here; how they look
is the site's business.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from beslutsgen.build.publication import left_out
from beslutsgen.build.sammantrade import folder_name
from beslutsgen.build.templates import long_date
from beslutsgen.law.anslag import last_appeal_day
from beslutsgen.law.dates import Anslag, kungorelse, sammantradesdatum
from beslutsgen.load.project import LoadedSammantrade, Project
from beslutsgen.model.anmalan import DelegationsbeslutFil
from beslutsgen.model.sammantrade import Sammantrade, paragraph_span
from beslutsgen.output import slug

PROTOKOLL = "protokoll"
OMEDELBART = "omedelbart justerade paragrafer"
KUNGORELSE = "sammanträde"
DELEGATION = "delegationsbeslut"

JUSTERAT = "Protokollet är justerat. Justeringen har tillkännagivits genom anslag."
JUSTERAT_OMEDELBART = (
    "Paragraferna justerades omedelbart vid sammanträdet. Justeringen har tillkännagivits "
    "genom anslag."
)
OPPET = " Sammanträdet är offentligt (5 kap. 38 § kommunallagen)."


@dataclass(frozen=True)
class Punkt:
    """One § (or item) a notice names: its number, heading, and why it is left out."""

    nummer: int
    rubrik: str
    diarienummer: str
    utelamnad: str = ""


@dataclass(frozen=True)
class Notis:
    """One tillkännagivande on the anslagstavla."""

    id: str  # the page's file stem, unique on the site
    slag: str
    rubrik: str
    organ: str
    uppsatt: date
    nedtas: date
    forvaringsplats: str
    text: str  # what the notice announces, in a sentence or two
    sammantradesdatum: date | None = None
    paragrafer: str = ""  # "§§ 196–197, 199"
    justerat: date | None = None
    sista_dag: date | None = None
    tid: str = ""
    plats: str = ""
    punkter: tuple[Punkt, ...] = ()
    uppgifter: tuple[tuple[str, str], ...] = ()  # further label/value rows
    # The published PDFs, (file name under dokument/, title): the protocol, or before it
    # is justerat the utdrag of the omedelbart justerade §§, or a fullmäktige kallelse.
    dokument: tuple[tuple[str, str], ...] = ()

    def uppe(self, day: date) -> bool:
        """Up on the anslagstavla on `day`: from the day it went up until it comes down."""
        return self.uppsatt <= day < self.nedtas

    def nedtagen(self, day: date) -> bool:
        return day >= self.nedtas


def site_folder(meeting: Sammantrade) -> str:
    """regionstyrelsen-2025-11-25, in ASCII: the stem of the meeting's pages and files."""
    return slug(folder_name(meeting), "sammantrade")


def tillkannagivanden(project: Project) -> list[Notis]:
    """Every notice the project's files give, in any state; newest first. Two notices
    that would share a page name (two files for one meeting) get -2, -3 in file order."""
    notices = _all_notices(project)
    seen: dict[str, int] = {}
    unique = []
    for notis in notices:
        count = seen[notis.id] = seen.get(notis.id, 0) + 1
        unique.append(notis if count == 1 else replace(notis, id=f"{notis.id}-{count}"))
    return sorted(unique, key=lambda n: (n.uppsatt, n.id), reverse=True)


def _all_notices(project: Project) -> list[Notis]:
    profile = project.profile
    notices: list[Notis] = []
    for loaded in project.meetings:
        notices += _justering(loaded, project)
        if profile.is_fullmaktige(loaded.meeting.organ) or loaded.meeting.tillkannages:
            notices.append(_kungorelse(loaded, project))
    for _, beslut in project.delegationer:
        if beslut.anslag is not None:
            notices.append(_delegation(beslut, project))
    return notices


def _forvaringsplats(given: str | None, project: Project) -> str:
    return given or project.profile.forvaringsplats or ""


def _punkter(loaded: LoadedSammantrade, numbers: set[int] | None, where: str) -> tuple[Punkt, ...]:
    """The §§ of `numbers` (all when None) with their headings, as the protocol has them."""
    found = []
    for item, arende in zip(loaded.meeting.paragrafer, loaded.arenden, strict=True):
        if numbers is not None and item.nummer not in numbers:
            continue
        rubrik = arende.arende.rubrik if arende is not None else item.rubrik or ""
        dnr = arende.arende.diarienummer if arende is not None else ""
        why = "" if item.publicerad else left_out(item.sekretess, where)
        found.append(Punkt(item.nummer, rubrik, dnr, why))
    return tuple(found)


def _justering(loaded: LoadedSammantrade, project: Project) -> list[Notis]:
    """The tillkännagivanden of the meeting's justering: the omedelbart justerade §§ (if
    any) on their own, and the rest once the protocol is justerat."""
    meeting = loaded.meeting
    dates = sammantradesdatum(meeting)
    justerat = meeting.justering.justerat
    found = []
    for one in dates.all:
        if not (justerat or one.immediate):
            continue
        found.append(_anslag_notis(loaded, project, one, justerat))
    return found


def _anslag_notis(
    loaded: LoadedSammantrade, project: Project, one: Anslag, justerat: bool
) -> Notis:
    meeting = loaded.meeting
    folder = site_folder(meeting)
    where = _forvaringsplats(meeting.forvaringsplats, project)
    span = paragraph_span(one.paragrafer)
    early = one.immediate and any(not p.omedelbart_justerad for p in meeting.paragrafer)
    slag, suffix = (OMEDELBART, "omedelbart-justerade") if early else (PROTOKOLL, "protokoll")
    # The whole protocol once every § in it is justerat; before that, the omedelbart
    # justerade §§ are published as their protokollsutdrag.
    if justerat or not early:
        documents: tuple[tuple[str, str], ...] = ((f"{folder}-protokoll.pdf", "Protokoll"),)
    else:
        documents = tuple(
            (f"{folder}-protokollsutdrag-{n}.pdf", f"Protokollsutdrag § {n}")
            for n in one.paragrafer
        )
    heading = f"{meeting.organ} {meeting.datum.isoformat()}"
    return Notis(
        id=f"{folder}-{suffix}",
        slag=slag,
        rubrik=f"Omedelbart justerade paragrafer, {heading}, {span}"
        if early
        else f"Protokoll {heading}, {span}",
        organ=meeting.organ,
        uppsatt=one.anslag,
        nedtas=one.anslag_down,
        text=JUSTERAT_OMEDELBART if early else JUSTERAT,
        forvaringsplats=where,
        sammantradesdatum=meeting.datum,
        paragrafer=span,
        justerat=one.justering,
        sista_dag=one.last_appeal,
        punkter=_punkter(loaded, set(one.paragrafer), where),
        dokument=documents,
    )


def _kungorelse(loaded: LoadedSammantrade, project: Project) -> Notis:
    meeting = loaded.meeting
    folder = site_folder(meeting)
    when = kungorelse(meeting)
    return Notis(
        id=f"{folder}-sammantrade",
        slag=KUNGORELSE,
        rubrik=f"{meeting.organ} sammanträder {long_date(meeting.datum)}",
        organ=meeting.organ,
        uppsatt=when.up,
        nedtas=when.down,
        text=f"{meeting.organ} sammanträder {long_date(meeting.datum)} kl. {meeting.tid}, "
        f"{meeting.plats}." + (OPPET if project.profile.is_fullmaktige(meeting.organ) else ""),
        forvaringsplats="",  # nothing is kept yet: the meeting is still to come
        sammantradesdatum=meeting.datum,
        tid=meeting.tid,
        plats=meeting.plats,
        punkter=_punkter(loaded, None, ""),
        dokument=((f"{folder}-kallelse.pdf", "Kallelse och föredragningslista"),),
    )


def _delegation(beslut: DelegationsbeslutFil, project: Project) -> Notis:
    assert beslut.anslag is not None
    last = last_appeal_day(beslut.anslag)
    return Notis(
        id=f"delegationsbeslut-{slug(beslut.diarienummer, 'beslut')}",
        slag=DELEGATION,
        rubrik=f"Delegationsbeslut {beslut.diarienummer}: {beslut.beskrivning}",
        organ=beslut.organ,
        uppsatt=beslut.anslag,
        nedtas=last + timedelta(days=1),
        text=f"Beslutet har fattats med stöd av delegation från {beslut.organ} och "
        "tillkännages här. Tiden för att överklaga det räknas från den dag "
        "tillkännagivandet sattes upp.",
        forvaringsplats=_forvaringsplats(beslut.forvaringsplats, project),
        sista_dag=last,
        uppgifter=(
            ("Diarienummer", beslut.diarienummer),
            ("Beslutsdatum", beslut.datum.isoformat()),
            ("Beslutsfattare", beslut.beslutsfattare),
            ("Delegationspunkt", beslut.delegationspunkt),
            ("Beslut", beslut.beskrivning),
        ),
    )
