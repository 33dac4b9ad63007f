"""A letterhead of the organisation's own in reference.docx: its header and footer are kept
as staff drew them in Word, and only the text of the content controls tagged
`beslutsgen:…` is filled in (TAGS). A reference without such controls gets the furniture
of render/docx_furniture.py instead.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable

from lxml import etree

from beslutsgen.build.document import Meta
from beslutsgen.errors import RenderError
from beslutsgen.render.wordml import run_text, w

__all__ = ["PREFIX", "TAGS", "fill", "tags"]

PREFIX = "beslutsgen:"
# The fields beslutsgen owns, by content-control tag; page numbers stay Word fields.
TAGS: dict[str, Callable[[Meta], str]] = {
    f"{PREFIX}dokumenttyp": lambda meta: meta.doc_type.upper(),
    f"{PREFIX}organisation": lambda meta: meta.organisation,
    f"{PREFIX}organ": lambda meta: meta.organ,
    f"{PREFIX}datumrubrik": lambda meta: meta.date_label,
    f"{PREFIX}datum": lambda meta: meta.date.isoformat(),
    f"{PREFIX}diarienummer": lambda meta: meta.dnr,
    f"{PREFIX}avsändare": lambda meta: ", ".join(meta.sender),
}
# sdtPr children that would make Word show or fetch something other than the text written:
# the placeholder flag and a binding to a custom XML part.
STALE = ("showingPlcHdr", "dataBinding")


def _controls(root: etree._Element) -> list[tuple[str, etree._Element]]:
    """The content controls tagged `beslutsgen:…` in a header or footer, outermost only,
    in document order, with their tags."""
    found: list[tuple[str, etree._Element]] = []
    for sdt in root.iter(w("sdt")):
        tag = sdt.find(f"{w('sdtPr')}/{w('tag')}")
        value = tag.get(w("val")) if tag is not None else None
        if value is None or not value.startswith(PREFIX):
            continue
        if any(inner is sdt for _, outer in found for inner in outer.iter(w("sdt"))):
            continue  # inside a control already found: its text is replaced with it
        found.append((value, sdt))
    return found


def tags(roots: Iterable[etree._Element], where: str) -> set[str]:
    """The `beslutsgen:` tags the header and footer parts use; an unknown one (a typo
    would leave its placeholder in every document) is an error naming the known ones."""
    used = {tag for root in roots for tag, _ in _controls(root)}
    unknown = sorted(used - TAGS.keys())
    if unknown:
        known = ", ".join(TAGS)
        raise RenderError(f"{where}: okända innehållskontroller {', '.join(unknown)} ({known})")
    return used


def fill(root: etree._Element, meta: Meta) -> None:
    """Each tagged control in `root` holds its field's text (empty when the field is),
    set in the formatting of the control's first run."""
    for tag, sdt in _controls(root):
        _set_text(sdt, TAGS[tag](meta), meta)


def _set_text(sdt: etree._Element, text: str, meta: Meta) -> None:
    sdt_pr = sdt.find(w("sdtPr"))
    assert sdt_pr is not None  # _controls found the tag in it
    placeholder = sdt_pr.find(w("showingPlcHdr")) is not None
    for name in STALE:
        for stale in sdt_pr.findall(w(name)):
            sdt_pr.remove(stale)
    date = sdt_pr.find(w("date"))
    if date is not None:  # a date picker: the date it opens on is the document's
        date.set(w("fullDate"), f"{meta.date.isoformat()}T00:00:00Z")
    content = sdt.find(w("sdtContent"))
    if content is None:
        content = etree.SubElement(sdt, w("sdtContent"))
    first_run = content.find(f".//{w('r')}")
    rpr = first_run.find(w("rPr")) if first_run is not None else None
    run = etree.Element(w("r"))
    if rpr is not None:
        kept = copy.deepcopy(rpr)
        style = kept.find(w("rStyle"))
        if placeholder and style is not None:  # the grey placeholder style, not the text's
            kept.remove(style)
        if len(kept) or kept.attrib:
            run.append(kept)
    run_text(run, text)
    holder = content.find(f".//{w('p')}")
    if holder is None:  # a control inside a paragraph: its content is runs
        for child in list(content):
            content.remove(child)
        content.append(run)
        return
    parent = holder.getparent()
    assert parent is not None
    for other in list(parent):  # a control around paragraphs keeps the first one
        if other is not holder and other.tag == w("p"):
            parent.remove(other)
    for child in list(holder):
        if child.tag != w("pPr"):
            holder.remove(child)
    holder.append(run)
