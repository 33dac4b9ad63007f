"""A meeting's sammanträdeshandlingar (the pack the ledamöter read): a contents page, the
kallelse with its föredragningslista, then for every item its tjänsteskrivelse — or, for
an item without one, a page of its own saying what it is — as the parts of one PDF.

The contents names every item with the page it starts on and lists its bilagor by number,
title, pages and the file name it is sent under; an item whose handlingar are held back
(`handlingar: utelämnas`) shows that note and nothing of its ärende.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from beslutsgen.build.document import (
    Contents,
    ContentsEntry,
    Document,
    Fields,
    Heading,
    Run,
    parse_template,
)
from beslutsgen.build.sammantrade import (
    KALLELSE,
    build_sammantrade,
    folder_name,
    sammantrade_context,
)
from beslutsgen.build.templates import Templates, long_date
from beslutsgen.build.tjanssteskrivelse import Built, build_tjanssteskrivelse
from beslutsgen.load.bilagor import Bilagefil, describe
from beslutsgen.load.project import LoadedSammantrade
from beslutsgen.model.arende import bilaga_titel
from beslutsgen.model.profile import Profile
from beslutsgen.model.sammantrade import Sammantrade
from beslutsgen.output import slug

__all__ = ["HANDLINGAR", "MED_BILAGOR", "Handlingar", "Punkt", "build_handlingar"]

HANDLINGAR = "handlingar"  # the folder in the meeting's folder, and the pack's stem
MED_BILAGOR = "handlingar-med-bilagor"  # the merged reading copy's stem
PUNKT_TEMPLATE = "handlingar-punkt.md.j2"
HELD_BACK = "utelämnas"


@dataclass(frozen=True)
class Punkt:
    """One item of the föredragningslista as the pack carries it."""

    nummer: int  # its number in the föredragningslista, from 1
    paragraf: int
    rubrik: str
    part: int  # the index of its part in the pack
    bilagor: tuple[tuple[Bilagefil, str], ...]  # each file and the name it is written as
    utelamnas: str | None = None  # why the handlingar are held back
    utan_fil: tuple[tuple[int, str], ...] = ()  # the bilagor named by title only


@dataclass(frozen=True)
class Handlingar:
    """The pack of one meeting: its parts in order, and what each item carries."""

    folder: str  # the meeting's folder; the pack goes into its handlingar/
    titel: str
    parts: tuple[Built, ...]
    punkter: tuple[Punkt, ...]

    @property
    def files(self) -> tuple[tuple[Bilagefil, str], ...]:
        """Every bilaga file of the pack, in item order, with its name."""
        return tuple(one for punkt in self.punkter for one in punkt.bilagor)


def build_handlingar(
    loaded: LoadedSammantrade, profile: Profile, templates: Templates
) -> Handlingar:
    """The handlingar of one meeting, built in memory (nothing is rendered here)."""
    meeting = loaded.meeting
    context = sammantrade_context(loaded, profile)
    titel = f"Handlingar till {meeting.organ} {meeting.datum.isoformat()}"
    kallelse = build_sammantrade(loaded, profile, templates, (KALLELSE,)).documents[0]
    parts: list[Built] = [_in_bundle(kallelse, titel)]
    punkter: list[Punkt] = []
    width = len(str(len(meeting.paragrafer)))
    for index, item in enumerate(context["paragrafer"]):
        nummer, arende = index + 1, loaded.arenden[index]
        paragraf = meeting.paragrafer[index]
        held = paragraf.handlingar
        held_back = held.skal if held is not None and held.status == HELD_BACK else None
        if arende is not None and held_back is None:
            part = build_tjanssteskrivelse(arende, profile, templates)
            files = tuple(
                (fil, bilaga_name(nummer, width, fil)) for fil in arende.bilagefiler
            )
            with_file = {fil.nummer for fil in arende.bilagefiler}
            titles = tuple(
                (n, bilaga_titel(b))
                for n, b in enumerate(arende.arende.bilagor, 1)
                if n not in with_file
            )
        else:
            part = _punkt_part(context, item, nummer, templates, kallelse)
            files, titles = (), ()
        parts.append(_in_bundle(part, titel))
        punkter.append(
            Punkt(nummer, item["nummer"], item["rubrik"], index + 2, files, held_back, titles)
        )
    cover = _cover(kallelse, titel, punkter, meeting)
    return Handlingar(folder_name(meeting), titel, (cover, *parts), tuple(punkter))


def bilaga_name(nummer: int, width: int, fil: Bilagefil) -> str:
    """punkt-04-bilaga-1-ansokan-om-borgen.pdf: sorts by item, safe on every file system
    and in every mail client (ASCII), the original's own kind kept."""
    name = slug(fil.titel, "bilaga")
    return f"punkt-{nummer:0{width}d}-bilaga-{fil.nummer}-{name}{fil.path.suffix.lower()}"


def _punkt_part(
    context: dict[str, Any],
    item: dict[str, Any],
    nummer: int,
    templates: Templates,
    kallelse: Built,
) -> Built:
    """The page of an item without a tjänsteskrivelse, in the kallelse's furniture."""
    text, registry = templates.render(PUNKT_TEMPLATE, {**context, "item": item, "punkt": nummer})
    meta = replace(
        kallelse.document.meta,
        doc_type="Handling",
        title=f"{nummer}. {item['rubrik']}",
        dnr=item["diarienummer"],
    )
    return Built(Document(meta, parse_template(text, registry)), kallelse.style, f"punkt-{nummer}")


def _cover(kallelse: Built, titel: str, punkter: list[Punkt], meeting: Sammantrade) -> Built:
    """The first part: what the pack is, and where each item starts."""
    base = kallelse.document.meta
    meta = replace(
        base,
        doc_type="Handlingar",
        title=titel,
        subject=f"{base.organ}, sammanträdeshandlingar",
        bundle=titel,
    )
    entries = [ContentsEntry(_runs("Kallelse och föredragningslista"), 1, 1)]
    for punkt in punkter:
        entries.append(ContentsEntry(_runs(f"{punkt.nummer}. {punkt.rubrik}"), 1, punkt.part))
        if punkt.utelamnas is not None:
            note = f"Handlingarna lämnas inte ut: {punkt.utelamnas}"
            entries.append(ContentsEntry(_runs(note), 2))
        lines = [(n, f"Bilaga {n}: {title} (ingen fil)") for n, title in punkt.utan_fil]
        lines += [
            (fil.nummer, f"Bilaga {fil.nummer}: {fil.titel} ({describe(fil)}), {name}")
            for fil, name in punkt.bilagor
        ]
        entries += [ContentsEntry(_runs(line), 2) for _, line in sorted(lines)]
    blocks = (
        Heading(1, _runs("Sammanträdeshandlingar")),
        Fields(
            (
                (_runs("Organ"), _runs(meeting.organ)),
                (_runs("Tid"), _runs(f"{long_date(meeting.datum)} kl. {meeting.tid}")),
                (_runs("Plats"), _runs(meeting.plats)),
            )
        ),
        Heading(2, _runs("Innehåll")),
        Contents(tuple(entries)),
    )
    return Built(Document(meta, blocks), kallelse.style, HANDLINGAR)


def _runs(text: str) -> tuple[Run, ...]:
    return (Run(text),)


def _in_bundle(built: Built, titel: str) -> Built:
    meta = replace(built.document.meta, bundle=titel)
    return replace(built, document=replace(built.document, meta=meta))
