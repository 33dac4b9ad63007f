"""The page furniture of a DOCX and its properties: the header (logo, organisation,
document kind, organ and date, diarienummer), the footer (the boxes for initials, the
sender and "Sida n (m)") and the core properties, clipped to what python-docx holds.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from docx.opc.coreprops import CoreProperties
from docx.section import Section
from docx.shared import Mm
from lxml import etree

from beslutsgen.build.document import Document, Meta
from beslutsgen.model.profile import Style
from beslutsgen.render import wordml
from beslutsgen.render.geometry import GEOMETRY, twips
from beslutsgen.render.ooxml import element
from beslutsgen.render.wordml import paragraph, sub, text_run

__all__ = [
    "EMU_PER_TWIP",
    "PROPERTY_LIMIT",
    "clip",
    "footer",
    "header",
    "properties",
    "sign_box_footer",
    "stamp",
]

EMU_PER_TWIP = 635
PROPERTY_LIMIT = 255  # characters: python-docx refuses longer core properties
# The boxes for initials, placed as memo.typ places them: 38 × 12 mm, 3 mm apart, from the
# left margin, their tops 30 % of the 42 mm bottom margin below the text area, labels
# 8 pt (0.85 × 0.86 × 11 pt) set in 3 pt, the footer line 3 mm below. Typst puts the top
# of a line at the capitals (0.66 em in Source Sans Pro) and Word at the font's ascent
# (0.984 em), so the spacings below are what makes the baselines meet.
SIGN_BOX = (twips(GEOMETRY["sign_box_width"]), twips(GEOMETRY["sign_box_height"]))
SIGN_BOX_GAP = twips(GEOMETRY["sign_box_gap"])
SIGN_LABEL_INSET = 60  # twips: 3 pt from the box's left edge
SIGN_LABEL_BEFORE = 9  # twips: 3 pt − (0.984 − 0.66) × 8 pt above the label's first line
SIGN_LABEL_SIZE = "16"  # half-points: 8 pt
SIGN_SPACER = 108  # twips: 3 mm + 0.66 × 9.46 pt − 0.984 × 9.5 pt, boxes to footer line
SIGN_FOOTER_DISTANCE = 640  # twips: page edge to the footer's bottom (its line's descent)
SIGN_BOTTOM_MARGIN = Mm(GEOMETRY["margin_bottom_sign"])


def header(section: Section, meta: Meta, style: Style, header_style: str) -> None:
    """The logo (when the profile has one), organisation and document kind, organ and
    date, and the diarienummer; whatever the header held before is removed."""
    head = section.header
    root = head._element
    for child in list(root):
        root.remove(child)
    if style.logo is not None:
        holder = head.add_paragraph(style="Header")
        holder.paragraph_format.space_after = Mm(GEOMETRY["logo_below"])
        logo_height = Mm(GEOMETRY["logo_height"])
        picture = holder.add_run().add_picture(str(style.logo), height=logo_height)
        doc_pr = picture._inline.docPr
        doc_pr.set("descr", f"Logotyp för {meta.organisation}")
        doc_pr.set("name", "Logotyp")
        section.top_margin = Mm(GEOMETRY["margin_top_logo"])
    first = paragraph(root, header_style)
    text_run(first, meta.organisation, bold=True)
    text_run(first, "\t")
    text_run(first, meta.doc_type.upper(), bold=True)
    dated = f"{meta.organ}\t{meta.date_label} {meta.date.isoformat()}"
    text_run(paragraph(root, header_style), dated)
    if meta.dnr:
        text_run(paragraph(root, header_style), f"\tDiarienummer {meta.dnr}")


def footer(section: Section, meta: Meta, footer_style: str) -> None:
    """The boxes for initials (when the document has them) and the line with the sender
    and the page number; whatever the footer held before is removed."""
    root = section.footer._element
    for child in list(root):
        root.remove(child)
    if meta.sign_boxes:
        sign_boxes(root, meta.sign_boxes, footer_style)
        section.bottom_margin = SIGN_BOTTOM_MARGIN
        section.footer_distance = SIGN_FOOTER_DISTANCE * EMU_PER_TWIP
    line = paragraph(root, footer_style)
    text_run(line, ", ".join(meta.sender) + "\tSida ")
    wordml.field(line, "PAGE", "1")
    text_run(line, " (")
    wordml.field(line, "NUMPAGES", "1")
    text_run(line, ")")


def sign_box_footer(section: Section, meta: Meta, footer_style: str) -> None:
    """The boxes for initials above whatever a footer of the reference's own holds."""
    root = section.footer._element
    kept = list(root)
    sign_boxes(root, meta.sign_boxes, footer_style)
    for child in kept:  # after the boxes, in their order
        root.append(child)
    section.bottom_margin = SIGN_BOTTOM_MARGIN
    section.footer_distance = SIGN_FOOTER_DISTANCE * EMU_PER_TWIP


def sign_boxes(footer: etree._Element, labels: tuple[str, ...], footer_style: str) -> None:
    """Boxes for handwritten initials on every page, above the footer line: one bordered
    cell per label with a borderless gap between, no cell margins (so the box edge is
    where Word and LibreOffice, in any compatibility mode, put the table edge)."""
    width, height = SIGN_BOX
    widths = [width]
    for _ in labels[1:]:
        widths += [SIGN_BOX_GAP, width]
    tbl = wordml.table(footer, None, widths, None, header_row=False)
    tbl_pr = tbl.find(wordml.w("tblPr"))
    assert tbl_pr is not None
    layout = tbl_pr.find(wordml.w("tblLayout"))
    assert layout is not None
    layout.addprevious(element("w:tblInd", w="0", type="dxa"))
    margins = element("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        sub(margins, side, w="0", type="dxa")
    layout.addnext(margins)
    cells = wordml.row(tbl, widths, height=height)
    for index, cell in enumerate(cells):
        p = paragraph(cell, footer_style)
        if index % 2:  # the gap between two boxes
            continue
        edges = sub(cell[0], "tcBorders")  # cell[0] is its w:tcPr
        for edge in ("top", "left", "bottom", "right"):
            sub(edges, edge, val="single", sz="4", space="0", color="787878")
        sub(p[0], "spacing", before=str(SIGN_LABEL_BEFORE), after="0")
        sub(p[0], "ind", left=str(SIGN_LABEL_INSET), right=str(SIGN_LABEL_INSET))
        sub(sub(p[0], "rPr"), "sz", val=SIGN_LABEL_SIZE)  # Word sizes the line by its mark too
        text_run(p, labels[index // 2])
        rpr = etree.Element(wordml.w("rPr"))
        p[-1].insert(0, rpr)  # the run's properties come before its text
        sub(rpr, "sz", val=SIGN_LABEL_SIZE)
    spacer = paragraph(footer, footer_style)  # boxes to the footer line
    exact = {"before": "0", "after": "0", "line": str(SIGN_SPACER), "lineRule": "exact"}
    sub(spacer[0], "spacing", **exact)


def properties(core: CoreProperties, document: Document) -> None:
    """Title, author, subject, dnr, kind and language as core properties, dated `stamp`."""
    meta = document.meta
    core.title = clip(meta.title)
    core.author = core.last_modified_by = clip(meta.author)
    core.subject = clip(meta.subject)
    core.keywords = core.identifier = clip(meta.dnr)
    core.category = clip(meta.doc_type)
    core.language = clip(meta.lang)
    core.comments = ""
    core.revision = 1
    core.created = core.modified = stamp(document)


def clip(text: str, limit: int = PROPERTY_LIMIT) -> str:
    """`text` as a document property holds it: whole if it fits in `limit` characters,
    else cut at the last word boundary (or, for one very long word, inside it) with "…"."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if not text[limit - 1].isspace():  # the cut falls inside a word: drop that word
        boundary = max(head.rfind(" "), head.rfind("\t"), head.rfind("\n"))
        if boundary >= limit // 2:
            head = head[:boundary]
    return head.rstrip() + "…"


def stamp(document: Document) -> datetime:
    """The package's and the properties' date: noon of the document's day, never the clock."""
    return datetime.combine(document.meta.date, time(12, 0), tzinfo=UTC)
