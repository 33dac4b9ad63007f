"""The handlingar with their PDF bilagor merged in, after the item each belongs to: a
reading copy for a tablet, with a bookmark per bilaga.

The bilagor are other people's PDFs, so the copy is plain PDF: it never claims PDF/A or
PDF/UA (the archive and the register keep handlingar.pdf and the bilagor as they are).
Each bilaga is opened from its file and its pages are copied in; nothing is read into
memory as a whole.
"""

from __future__ import annotations

from contextlib import ExitStack
from io import BytesIO
from pathlib import Path

import pikepdf

from beslutsgen.build.document import Heading, plain_text
from beslutsgen.build.handlingar import Handlingar
from beslutsgen.errors import RenderError

__all__ = ["merge_bilagor"]

# The XMP properties that say which standard a file keeps; the reading copy keeps none.
CLAIMS = ("pdfaid:part", "pdfaid:conformance", "pdfaid:amd", "pdfuaid:part")


def merge_bilagor(pack: bytes, handlingar: Handlingar, target: Path) -> None:
    """Write `target`: the pages of `pack` with each item's PDF bilagor after its part."""
    with ExitStack() as stack:
        pdf = stack.enter_context(pikepdf.open(BytesIO(pack)))
        found = _part_starts(pdf, handlingar)
        starts = [page for page, _ in found]
        ends = [*starts[1:], len(pdf.pages)]
        # Inserting from the back keeps the earlier parts' page indices as they were.
        marks: list[tuple[int, str, pikepdf.Page]] = []
        for punkt in reversed(handlingar.punkter):
            at = ends[punkt.part]
            for fil, _ in reversed([one for one in punkt.bilagor if one[0].is_pdf]):
                source = stack.enter_context(pikepdf.open(fil.path))
                pages = list(source.pages)
                for offset, page in enumerate(pages):
                    pdf.pages.insert(at + offset, page)
                title = f"Bilaga {fil.nummer}: {fil.titel}"
                marks.append((found[punkt.part][1], title, pdf.pages[at]))
        _bookmark(pdf, list(reversed(marks)))
        _drop_claims(pdf)
        pdf.save(target, deterministic_id=True, compress_streams=True)


def _part_starts(pdf: pikepdf.Pdf, handlingar: Handlingar) -> list[tuple[int, int]]:
    """The page index each part starts on and its top-level bookmark, read from the pack's
    own bookmarks: each part's first heading is a top-level one."""
    with pdf.open_outline() as outline:
        top = [(item.title, _page_of(pdf, item)) for item in outline.root]
    starts: list[tuple[int, int]] = []
    position = 0
    for part in handlingar.parts:
        heading = next((b for b in part.document.blocks if isinstance(b, Heading)), None)
        title = plain_text(heading.runs).strip() if heading is not None else None
        while position < len(top) and top[position][0].strip() != title:
            position += 1
        if title is None or position == len(top):
            raise RenderError(
                f"handlingar: delen {part.stem!r} saknar ett bokmärke (en rubrik på nivå 1 "
                "först i dokumentet), så bilagorna kan inte läggas in efter den"
            )
        starts.append((top[position][1], position))
        position += 1
    return starts


def _page_of(pdf: pikepdf.Pdf, item: pikepdf.OutlineItem) -> int:
    destination: object = item.destination
    if destination is None and item.action is not None:
        destination = item.action.get("/D")
    if not isinstance(destination, pikepdf.Array) or not len(destination):
        raise RenderError(f"handlingar: bokmärket {item.title!r} pekar inte på en sida")
    return int(pdf.pages.index(pikepdf.Page(destination[0])))


def _bookmark(pdf: pikepdf.Pdf, marks: list[tuple[int, str, pikepdf.Page]]) -> None:
    """A bookmark per bilaga, under its item's top-level bookmark (by position)."""
    with pdf.open_outline() as outline:
        top = list(outline.root)
        for part, title, page in marks:
            index = pdf.pages.index(page)
            top[part].children.append(pikepdf.OutlineItem(title, index))


def _drop_claims(pdf: pikepdf.Pdf) -> None:
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        for claim in CLAIMS:
            if claim in meta:
                del meta[claim]
