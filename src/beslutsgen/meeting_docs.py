"""A loaded meeting → the block trees of its documents: kallelse, protokoll, one
protokollsutdrag per § and the anslagsbevis, each through its Jinja template.

The context the templates see is assembled here once per meeting, so the protocol and
every utdrag tell the same § in the same words (they share paragraf.md.j2).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from beslutsgen.build import Built
from beslutsgen.config import Profile, resolve_style
from beslutsgen.document import Document, Meta, parse_template
from beslutsgen.load import LoadedMeeting
from beslutsgen.meeting import meeting_dates
from beslutsgen.meeting_context import meeting_context
from beslutsgen.meeting_model import Meeting
from beslutsgen.templates import Templates

__all__ = ["MeetingDocuments", "build_meeting", "folder_name", "meeting_context"]

SAMMANTRADESDATUM = "Sammanträdesdatum"
JUSTERANDES_SIGN = "Justerandes sign"
UTDRAGSBESTYRKANDE = "Utdragsbestyrkande"


@dataclass(frozen=True)
class MeetingDocuments:
    """Everything one meeting produces, in the order a secretariat needs it."""

    folder: str
    documents: tuple[Built, ...]


def folder_name(meeting: Meeting) -> str:
    """regionstyrelsen-2025-11-25: one folder per meeting, safe on every file system."""
    slug = "".join(c if c.isalnum() else "-" for c in meeting.organ.casefold())
    slug = "-".join(part for part in slug.split("-") if part) or "sammantrade"
    return f"{slug}-{meeting.datum.isoformat()}"


def build_meeting(
    loaded: LoadedMeeting,
    profile: Profile,
    templates: Templates,
    wanted: Callable[[str], bool] = lambda stem: True,
) -> MeetingDocuments:
    """Kallelse, protokoll, every protokollsutdrag and the anslagsbevis of one meeting —
    or only those whose stem is `wanted` (distribute needs the utdrag, archive the
    protocol)."""
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

    def build(template: str, stem: str, meta: Meta, extra: dict[str, Any] | None = None) -> None:
        if wanted(stem):
            text, registry = templates.render(template, {**context, **(extra or {})})
            documents.append(Built(Document(meta, parse_template(text, registry)), style, stem))

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
    build("kallelse.md.j2", "kallelse", kallelse)
    build("protokoll.md.j2", "protokoll", protokoll)
    for item in context["paragrafer"]:
        utdrag = replace(
            base,
            doc_type="Protokollsutdrag",
            title=f"§ {item['nummer']} {item['rubrik']}",
            subject=f"{meeting.organ}, § {item['nummer']}, {item['diarienummer']}",
            dnr=item["diarienummer"],
            sign_boxes=(UTDRAGSBESTYRKANDE,),
        )
        stem = f"protokollsutdrag-{item['nummer']}"
        build("protokollsutdrag.md.j2", stem, utdrag, {"paragraf": item})
    anslagsbevis = replace(
        base,
        doc_type="Anslagsbevis",
        title=f"Anslagsbevis {meeting.organ} {when}",
        subject=f"{meeting.organ}, {span}",
        date=meeting_dates(meeting).anslag,
        date_label="Datum",
    )
    build("anslagsbevis.md.j2", "anslagsbevis", anslagsbevis)
    return MeetingDocuments(folder_name(meeting), tuple(documents))
