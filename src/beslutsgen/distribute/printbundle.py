"""The print bundle for a recipient by post: a cover letter, then every protokollsutdrag,
compiled in one Typst pass into one PDF/A-2a + PDF/UA-1 file to print and post; or the
letter alone (`print_letter`) when what it encloses is printed from files of their own.

The letter and the utdrag are parts of one document (`PdfRenderer.render_parts`), so the
file has one structure tree, one XMP packet and one outline: a bookmark per part (the
letter's subject, each utdrag's § heading), and each part numbers its own pages. No clock
is read here: the letter is dated by the caller, so the same inputs give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from beslutsgen.build.document import Block, Document, Heading, Meta, Paragraph, Run
from beslutsgen.build.tjanssteskrivelse import Built
from beslutsgen.errors import RenderError
from beslutsgen.model.adressbok import Mottagare
from beslutsgen.model.profile import Profile, resolve_style
from beslutsgen.render.pdf import PdfRenderer

COVER_LETTER = "Följebrev"


def cover_letter(
    recipient: Mottagare,
    subject: str,
    body: str,
    profile: Profile,
    dated: date,
    date_label: str = "Datum",
) -> Document:
    """The letter: the address, the subject as its heading (the letter's bookmark), then
    the covering text, a paragraph per blank-line-separated part with its line breaks
    kept. `date_label` names the date in the header."""
    address = [recipient.namn, *(str(recipient.post or "").split(", "))]
    blocks: list[Block] = [
        Paragraph((Run("\n".join(line for line in address if line)),)),
        Heading(1, (Run(subject),)),
    ]
    blocks += [Paragraph((Run(part.strip()),)) for part in body.split("\n\n") if part.strip()]
    meta = Meta(
        doc_type=COVER_LETTER,
        title=subject,
        organisation=profile.organisation,
        organ="",
        date=dated,
        dnr="",
        author=profile.expediering.avsandare.namn if profile.expediering else "",
        date_label=date_label,
    )
    return Document(meta, tuple(blocks))


def print_bundle(
    recipient: Mottagare,
    subject: str,
    body: str,
    utdrag: Sequence[Built],
    profile: Profile,
    dated: date,
    renderer: PdfRenderer | None = None,
) -> bytes:
    """The cover letter dated `dated` (the caller's choice, e.g. the justering day), then
    every utdrag in the given order, as one PDF. The file's title, author and date are the
    letter's. `renderer` reuses a compiler that is already loaded; without one, a new one
    is made."""
    if not utdrag:
        raise RenderError("a print bundle needs at least one protokollsutdrag")
    letter = cover_letter(recipient, subject, body, profile, dated)
    parts = [(letter, resolve_style(profile.stil, None))]
    parts += [(one.document, one.style) for one in utdrag]
    return (renderer or PdfRenderer()).render_parts(parts)


def print_letter(
    recipient: Mottagare,
    subject: str,
    body: str,
    profile: Profile,
    dated: date,
    renderer: PdfRenderer | None = None,
    date_label: str = "Datum",
) -> bytes:
    """The cover letter alone, as a PDF: for enclosures that are printed from their own
    files (the kallelse's handlingar keep their own page numbers that way)."""
    letter = cover_letter(recipient, subject, body, profile, dated, date_label)
    return (renderer or PdfRenderer()).render(letter, resolve_style(profile.stil, None))
