"""A loaded meeting → the block trees of its documents: kallelse, protokoll, one
protokollsutdrag per § and the anslagsbevis, each through its Jinja template.

The context the templates see is assembled here once per meeting, so the protocol and
every utdrag tell the same § in the same words (they share paragraf.md.j2).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from beslutsgen.build.context import sammantrade_context
from beslutsgen.build.document import Document, Meta, parse_template
from beslutsgen.build.publication import left_out, masked, publication_context
from beslutsgen.build.templates import Templates
from beslutsgen.build.tjanssteskrivelse import Built
from beslutsgen.law.dates import sammantradesdatum
from beslutsgen.load.project import LoadedSammantrade
from beslutsgen.model.profile import Profile, Style, resolve_style
from beslutsgen.model.sammantrade import Sammantrade

__all__ = [
    "ANSLAGSBEVIS",
    "EXPEDIERING",
    "KALLELSE",
    "PROTOKOLL",
    "UTDRAG",
    "SammantradeDokument",
    "build_sammantrade",
    "folder_name",
    "sammantrade_context",
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
class SammantradeDokument:
    """Everything one meeting produces, in the order a secretariat needs it."""

    folder: str
    documents: tuple[Built, ...]
    utdrag: Mapping[int, Built] = field(default_factory=dict)  # by § number

    def utdrag_file(self, nummer: int) -> str:
        """regionstyrelsen-2025-11-25-protokollsutdrag-196.pdf: an utdrag sent on its own."""
        return f"{self.folder}-{self.utdrag[nummer].stem}.pdf"


def folder_name(meeting: Sammantrade) -> str:
    """regionstyrelsen-2025-11-25: one folder per meeting, safe on every file system."""
    slug = "".join(c if c.isalnum() else "-" for c in meeting.organ.casefold())
    slug = "-".join(part for part in slug.split("-") if part) or "sammantrade"
    return f"{slug}-{meeting.datum.isoformat()}"


def build_sammantrade(
    loaded: LoadedSammantrade,
    profile: Profile,
    templates: Templates,
    kinds: Collection[str] = KINDS,
    publicering: bool = False,
) -> SammantradeDokument:
    """Kallelse, protokoll, every protokollsutdrag and the anslagsbevis of one meeting —
    or only those of `kinds` (distribute needs the utdrag, archive the protocol).

    With `publicering`, the renditions for the web: personnummer and e-mail addresses
    masked, and the §§ not to be published reduced to their heading and the reason."""
    context = sammantrade_context(loaded, profile)
    meeting = loaded.meeting
    if publicering:
        where = context["förvaringsplats"]
        why = {
            p.nummer: left_out(p.sekretess, where) for p in meeting.paragrafer if not p.publicerad
        }
        context = publication_context(context, why)
    span = context["paragrafer_span"]
    base = _base_meta(meeting, profile)
    style = resolve_style(profile.stil, None)
    build = _Builder(templates, context, style, kinds, publicering)
    build(KALLELSE, KALLELSE, _kallelse_meta(base, meeting))
    build(PROTOKOLL, PROTOKOLL, _protokoll_meta(base, meeting, span))
    by_number: dict[int, Built] = {}
    for item in context["paragrafer"]:
        meta = _utdrag_meta(base, meeting, item)
        built = build(UTDRAG, f"{UTDRAG}-{item['nummer']}", meta, {"paragraf": item})
        if built is not None:
            by_number[item["nummer"]] = built
    build(ANSLAGSBEVIS, ANSLAGSBEVIS, _anslagsbevis_meta(base, meeting, span))
    return SammantradeDokument(folder_name(meeting), tuple(build.documents), by_number)


@dataclass
class _Builder:
    """One meeting's documents, each built from its template as it is asked for (when its
    kind is wanted), in the order they are asked for."""

    templates: Templates
    context: dict[str, Any]
    style: Style
    kinds: Collection[str]
    publicering: bool
    documents: list[Built] = field(default_factory=list)

    def __call__(
        self, kind: str, stem: str, meta: Meta, extra: dict[str, Any] | None = None
    ) -> Built | None:
        if kind not in self.kinds:
            return None
        text, registry = self.templates.render(f"{kind}.md.j2", {**self.context, **(extra or {})})
        document = Document(meta, parse_template(text, registry))
        built = Built(masked(document) if self.publicering else document, self.style, stem)
        self.documents.append(built)
        return built


def _base_meta(meeting: Sammantrade, profile: Profile) -> Meta:
    """What every document of the meeting shows in its furniture."""
    return Meta(
        doc_type="",
        title="",
        organisation=profile.organisation,
        organ=meeting.organ,
        date=meeting.datum,
        dnr="",
        author=meeting.sekreterare,
        date_label=SAMMANTRADESDATUM,
    )


def _kallelse_meta(base: Meta, meeting: Sammantrade) -> Meta:
    return replace(
        base,
        doc_type="Kallelse",
        title=f"Kallelse till {meeting.organ} {meeting.datum.isoformat()}",
        subject=f"{meeting.organ}, kallelse och föredragningslista",
    )


def _protokoll_meta(base: Meta, meeting: Sammantrade, span: str) -> Meta:
    return replace(
        base,
        doc_type="Protokoll",
        title=f"Protokoll {meeting.organ} {meeting.datum.isoformat()}",
        subject=f"{meeting.organ}, {span}",
        sign_boxes=(JUSTERANDES_SIGN, UTDRAGSBESTYRKANDE),
    )


def _utdrag_meta(base: Meta, meeting: Sammantrade, item: dict[str, Any]) -> Meta:
    return replace(
        base,
        doc_type="Protokollsutdrag",
        title=f"§ {item['nummer']} {item['rubrik']}",
        subject=f"{meeting.organ}, § {item['nummer']}, {item['diarienummer']}",
        dnr=item["diarienummer"],
        sign_boxes=(UTDRAGSBESTYRKANDE,),
    )


def _anslagsbevis_meta(base: Meta, meeting: Sammantrade, span: str) -> Meta:
    return replace(
        base,
        doc_type="Anslagsbevis",
        title=f"Anslagsbevis {meeting.organ} {meeting.datum.isoformat()}",
        subject=f"{meeting.organ}, {span}",
        date=sammantradesdatum(meeting).anslag,
        date_label="Datum",
    )
