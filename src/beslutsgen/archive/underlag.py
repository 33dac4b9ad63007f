"""The beslutsunderlag of a meeting, for its archival package.

For every § that treats an ärende: the ärende's tjänsteskrivelse as PDF/A, the very bytes
`beslutsgen render` writes for it, and each of its bilaga files as it was checked when the
case was loaded (copied only when the package is written, and refused if it changed). A §
whose handlingar are held back from the kallelse (`handlingar: utelämnas`) is no
exception: secrecy governs what goes out to the ledamöter, the archive keeps the whole
underlag. Every file gets a name beslutsgen makes (ASCII, sortable by §, never a path the
user wrote) and the PREMIS event that brought it in: the tjänsteskrivelse's creation, a
bilaga's capture.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path, PurePosixPath

from beslutsgen import __version__
from beslutsgen.archive.contents import (
    CAPTURE,
    CREATION,
    Copied,
    PreservationEvent,
    Underlag,
)
from beslutsgen.build.templates import Templates
from beslutsgen.build.tjanssteskrivelse import build_tjanssteskrivelse
from beslutsgen.load.bilagor import MIMETYPES, Bilagefil
from beslutsgen.load.project import LoadedArende, LoadedSammantrade
from beslutsgen.model.profile import Profile
from beslutsgen.output import slug
from beslutsgen.render.pdf import PdfRenderer

__all__ = ["MIMETYPES", "beslutsunderlag"]


PDF = "application/pdf"

# How a refusal names a bilaga file (the CLI: relative to where the user stands).
Shown = Callable[[Path], str]


def beslutsunderlag(
    loaded: LoadedSammantrade,
    profile: Profile,
    templates: Templates,
    renderer: PdfRenderer,
    moment: datetime,
    shown: Shown,
) -> tuple[tuple[Underlag, ...], tuple[PreservationEvent, ...]]:
    """The underlag of every § with an ärende, in § order, and an event for each file."""
    paragrafer = loaded.meeting.paragrafer
    width = len(str(max((p.nummer for p in paragrafer), default=1)))
    underlag: list[Underlag] = []
    events: list[PreservationEvent] = []
    for paragraf, arende in zip(paragrafer, loaded.arenden, strict=True):
        if arende is None:
            continue
        prefix = f"{paragraf.nummer:0{width}d}"
        item = _tjanssteskrivelse(arende, paragraf.nummer, prefix, profile, templates, renderer)
        underlag.append(item)
        events.append(
            PreservationEvent(
                CREATION,
                moment,
                f"Tjänsteskrivelsen i ärende {arende.arende.diarienummer} (§ {paragraf.nummer}) "
                f"återgiven som PDF/A-2 av beslutsgen {__version__}, byte för byte som "
                "beslutsgen render skriver den.",
                "success",
                files=(item.name,),
            )
        )
        for fil in arende.bilagefiler:
            copy = _bilaga(arende, fil, paragraf.nummer, prefix, shown)
            underlag.append(copy)
            events.append(_captured(arende, fil, paragraf.nummer, copy.name, moment))
    return tuple(underlag), tuple(events)


def _tjanssteskrivelse(
    arende: LoadedArende,
    nummer: int,
    prefix: str,
    profile: Profile,
    templates: Templates,
    renderer: PdfRenderer,
) -> Underlag:
    built = build_tjanssteskrivelse(arende, profile, templates)
    dnr = arende.arende.diarienummer
    return Underlag(
        name=f"{prefix}-tjanssteskrivelse-{slug(dnr, 'arende')}.pdf",
        content=renderer.render(built.document, built.style),
        mimetype=PDF,
        original=f"{built.stem}.pdf",
        description=f"§ {nummer}, tjänsteskrivelse i ärende {dnr}: {arende.arende.rubrik}",
    )


def _bilaga(
    arende: LoadedArende, fil: Bilagefil, nummer: int, prefix: str, shown: Shown
) -> Underlag:
    """A bilaga file, to be copied (and checked again) when the package is written."""
    suffix = fil.path.suffix.lower()
    where = f"bilaga {fil.nummer} till {arende.arende.diarienummer}, § {nummer}"
    return Underlag(
        name=f"{prefix}-bilaga-{fil.nummer}-{slug(fil.titel, 'bilaga')}{suffix}",
        content=Copied(fil.path, fil.sha256, fil.storlek, f"{shown(fil.path)} ({where})"),
        mimetype=MIMETYPES[suffix],
        original=PurePosixPath(fil.fil.replace("\\", "/")).name,
        description=f"§ {nummer}, bilaga {fil.nummer} till ärende "
        f"{arende.arende.diarienummer}: {fil.titel}",
    )


def _captured(
    arende: LoadedArende, fil: Bilagefil, nummer: int, name: str, moment: datetime
) -> PreservationEvent:
    return PreservationEvent(
        CAPTURE,
        moment,
        f"Bilaga {fil.nummer} till ärende {arende.arende.diarienummer} (§ {nummer}) hämtad "
        f"från projektets {fil.fil} av beslutsgen {__version__}; SHA-256 {fil.sha256} "
        "kontrollerad när ärendet lästes in och igen när filen kopierades.",
        "success",
        files=(name,),
    )
