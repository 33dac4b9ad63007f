"""A loaded meeting → the block trees of its documents: kallelse, protokoll, one
protokollsutdrag per § and the anslagsbevis, each through its Jinja template.

The context the templates see is assembled here once per meeting, so the protocol and
every utdrag tell the same § in the same words (they share paragraf.md.j2).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from beslutsgen.build.context import meeting_context
from beslutsgen.build.document import Document, Meta, parse_template
from beslutsgen.build.templates import Templates
from beslutsgen.build.tjanssteskrivelse import Built
from beslutsgen.law.dates import meeting_dates
from beslutsgen.load.project import LoadedMeeting
from beslutsgen.model.profile import Profile, resolve_style
from beslutsgen.model.sammantrade import Meeting

__all__ = [
    "ANSLAGSBEVIS",
    "EXPEDIERING",
    "KALLELSE",
    "PROTOKOLL",
    "UTDRAG",
    "MeetingDocuments",
    "build_meeting",
    "folder_name",
    "meeting_context",
]

SAMMANTRADESDATUM = "Sammanträdesdatum"
JUSTERANDES_SIGN = "Justerandes sign"
UTDRAGSBESTYRKANDE = "Utdragsbestyrkande"

# The documents of a meeting by kind; each one's stem (its file name without the format)
# is decided here and nowhere else, and nobody reads a § number back out of a stem.
KALLELSE = "kallelse"
PROTOKOLL = "protokoll"
UTDRAG = "protokollsutdrag"  # one per §: protokollsutdrag-196
ANSLAGSBEVIS = "anslagsbevis"
KINDS = (KALLELSE, PROTOKOLL, UTDRAG, ANSLAGSBEVIS)
# The folder distribute writes inside the meeting's folder; rendering the meeting again
# keeps it.
EXPEDIERING = "expediering"


@dataclass(frozen=True)
class MeetingDocuments:
    """Everything one meeting produces, in the order a secretariat needs it."""

    folder: str
    documents: tuple[Built, ...]
    utdrag: Mapping[int, Built] = field(default_factory=dict)  # by § number

    def utdrag_file(self, nummer: int) -> str:
        """regionstyrelsen-2025-11-25-protokollsutdrag-196.pdf: an utdrag sent on its own."""
        return f"{self.folder}-{self.utdrag[nummer].stem}.pdf"


def folder_name(meeting: Meeting) -> str:
    """regionstyrelsen-2025-11-25: one folder per meeting, safe on every file system."""
    slug = "".join(c if c.isalnum() else "-" for c in meeting.organ.casefold())
    slug = "-".join(part for part in slug.split("-") if part) or "sammantrade"
    return f"{slug}-{meeting.datum.isoformat()}"


def build_meeting(
    loaded: LoadedMeeting,
    profile: Profile,
    templates: Templates,
    kinds: Collection[str] = KINDS,
) -> MeetingDocuments:
    """Kallelse, protokoll, every protokollsutdrag and the anslagsbevis of one meeting —
    or only those of `kinds` (distribute needs the utdrag, archive the protocol)."""
    context = meeting_context(loaded, profile)
    style = resolve_style(profile.stil, None)
    meeting = loaded.meeting
    when = meeting.datum.isoformat()
    span = context["paragrafer_span"]
    base = Meta(
        doc_type="",
        title="",
        organisation=profile.organisation,
        organ=meeting.organ,
        date=meeting.datum,
        dnr="",
        author=meeting.sekreterare,
        date_label=SAMMANTRADESDATUM,
    )

    documents: list[Built] = []
    by_number: dict[int, Built] = {}

    def build(
        kind: str, stem: str, meta: Meta, extra: dict[str, Any] | None = None
    ) -> Built | None:
        if kind not in kinds:
            return None
        text, registry = templates.render(f"{kind}.md.j2", {**context, **(extra or {})})
        built = Built(Document(meta, parse_template(text, registry)), style, stem)
        documents.append(built)
        return built

    kallelse = replace(
        base,
        doc_type="Kallelse",
        title=f"Kallelse till {meeting.organ} {when}",
        subject=f"{meeting.organ}, kallelse och föredragningslista",
    )
    protokoll = replace(
        base,
        doc_type="Protokoll",
        title=f"Protokoll {meeting.organ} {when}",
        subject=f"{meeting.organ}, {span}",
        sign_boxes=(JUSTERANDES_SIGN, UTDRAGSBESTYRKANDE),
    )
    build(KALLELSE, KALLELSE, kallelse)
    build(PROTOKOLL, PROTOKOLL, protokoll)
    for item in context["paragrafer"]:
        utdrag = replace(
            base,
            doc_type="Protokollsutdrag",
            title=f"§ {item['nummer']} {item['rubrik']}",
            subject=f"{meeting.organ}, § {item['nummer']}, {item['diarienummer']}",
            dnr=item["diarienummer"],
            sign_boxes=(UTDRAGSBESTYRKANDE,),
        )
        built = build(UTDRAG, f"{UTDRAG}-{item['nummer']}", utdrag, {"paragraf": item})
        if built is not None:
            by_number[item["nummer"]] = built
    anslagsbevis = replace(
        base,
        doc_type="Anslagsbevis",
        title=f"Anslagsbevis {meeting.organ} {when}",
        subject=f"{meeting.organ}, {span}",
        date=meeting_dates(meeting).anslag,
        date_label="Datum",
    )
    build(ANSLAGSBEVIS, ANSLAGSBEVIS, anslagsbevis)
    return MeetingDocuments(folder_name(meeting), tuple(documents), by_number)
