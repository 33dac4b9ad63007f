"""Model + profile → the block tree of one document, through its Jinja template."""

from __future__ import annotations

from dataclasses import dataclass

from beslutsgen.build.document import Document, Meta, parse_template
from beslutsgen.build.templates import Templates
from beslutsgen.load.project import LoadedArende
from beslutsgen.model.arende import bilaga_titel
from beslutsgen.model.profile import Profile, Style, resolve_style
from beslutsgen.output import stem_for

TEMPLATE_TJANSTESKRIVELSE = "tjanssteskrivelse.md.j2"


@dataclass(frozen=True)
class Built:
    """One document ready for any renderer, with the style to render it in."""

    document: Document
    style: Style
    stem: str


def build_tjanssteskrivelse(loaded: LoadedArende, profile: Profile, templates: Templates) -> Built:
    """The tjänsteskrivelse of one ärende."""
    arende = loaded.arende
    style = resolve_style(profile.stil, arende.stil)
    signatories = arende.i_tjansten or profile.i_tjansten
    organisation = arende.organisation or profile.organisation
    context = arende.model_dump(by_alias=True)
    context.update(
        organisation=organisation,
        i_tjänsten=[s.model_dump() for s in signatories],
        stil={"uppräkning": style.list_style},
        ordning=profile.tjanssteskrivelse.parts,
        förslagsblock=[block.model_dump() for block in arende.forslagen],
        bilagor=[bilaga_titel(b) for b in arende.bilagor],  # the files: in the handlingar
    )
    text, registry = templates.render(TEMPLATE_TJANSTESKRIVELSE, context)
    meta = Meta(
        doc_type="Tjänsteskrivelse",
        title=arende.rubrik,
        organisation=organisation,
        organ=arende.organ,
        date=arende.datum,
        dnr=arende.diarienummer,
        author=arende.handlaggare,
        sender=(arende.avdelning, arende.handlaggare),
        subject=f"{arende.organ}, {arende.diarienummer}",
    )
    blocks = parse_template(text, registry)
    return Built(Document(meta, blocks), style, stem_for(arende.diarienummer, "tjanssteskrivelse"))
