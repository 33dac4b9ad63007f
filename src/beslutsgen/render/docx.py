"""Block tree → DOCX, styled by a reference.docx staff can restyle in Word.

Opening a .docx costs ~30 ms; we open the reference once per process and, for each
document, restore the few parts we change from pristine copies. Body, header and
footer are built as WordprocessingML with lxml (render/wordml.py). The zip is
re-packed with fixed dates so the same input gives the same bytes.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, time
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from beslutsgen.config import Style
from beslutsgen.document import (
    Block,
    Document,
    Fields,
    Heading,
    ListBlock,
    PageBreak,
    Paragraph,
    Run,
    Signatures,
    Table,
)
from beslutsgen.errors import RenderError
from beslutsgen.render import wordml
from beslutsgen.render.ooxml import element, save_package
from beslutsgen.render.wordml import paragraph, sub, text_run

BUNDLED_REFERENCE = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"
PARAGRAPH_STYLES = {"body": "Normal", "small": "Small"}
LIST_STYLES = {True: "List Number", False: "List Bullet"}
REQUIRED_STYLES = (
    "Normal",
    "Small",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "List Number",
    "List Bullet",
    "Signature Name",
    "Signature Title",
    "Table Heading",
    "Table Text",
    "Table Grid",
    "Header",
    "Footer",
)
INDENT_STEP = 426  # twips per list level, as in reference.docx's numbering
FIELD_LABEL_WIDTH = 2608  # twips: 42 mm for the labels of a protocol head, as in the PDF
SIGN_BOX = (2155, 680)  # twips: 38 × 12 mm boxes for initials, as in the PDF
EMU_PER_TWIP = 635


class DocxRenderer:
    """Renders many documents from one loaded reference.docx."""

    def __init__(self, reference: Path = BUNDLED_REFERENCE) -> None:
        try:
            self._doc = docx.Document(str(reference))
        except Exception as exc:  # python-docx raises many kinds for a broken file
            raise RenderError(f"{reference}: kan inte läsas som DOCX: {exc}") from exc
        by_name = {s.name: s for s in self._doc.styles}
        missing = [name for name in REQUIRED_STYLES if name not in by_name]
        if missing:
            raise RenderError(f"{reference}: formatmallar saknas: {', '.join(missing)}")
        self._style_id = {name: str(by_name[name].style_id) for name in REQUIRED_STYLES}
        section = self._doc.sections[0]
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        width = (
            (section.page_width or Mm(210))
            - (section.left_margin or 0)
            - (section.right_margin or 0)
        )
        self._text_width = int(width) // EMU_PER_TWIP
        self._enforce_language()
        self._abstract = {
            ordered: self._abstract_num_for(LIST_STYLES[ordered]) for ordered in (True, False)
        }
        part = self._doc.part
        self._parts = [
            part,
            part.styles,
            part.numbering_part,
            section.header.part,
            section.footer.part,
            part.package._core_properties_part,
        ]
        self._pristine = [copy.deepcopy(p._element) for p in self._parts]
        self._next_num = 0

    def render(self, document: Document, style: Style) -> bytes:
        """One document as DOCX bytes."""
        for part, pristine in zip(self._parts, self._pristine, strict=True):
            part._element = copy.deepcopy(pristine)
        doc = self._doc.part.document
        self._next_num = 1000
        if style.docx_font:
            self._set_font(style.docx_font)
        body = doc.element.body
        end = body.find(qn("w:sectPr"))
        for child in list(body):
            if child is not end:
                body.remove(child)
        if end is None:
            end = sub(body, "sectPr")
        for index, block in enumerate(document.blocks):
            self._block(body, end, block, depth=0)
            follows = document.blocks[index + 1] if index + 1 < len(document.blocks) else None
            if isinstance(block, Table) and isinstance(follows, Table):
                paragraph(body, self._style_id["Normal"], before=end)  # Word merges touching tables
        self._furniture(document, style)
        self._properties(document)
        return save_package(self._doc.part.package, _stamp(document))

    # --- blocks -----------------------------------------------------------------------
    def _block(self, body: etree._Element, end: etree._Element, block: Block, depth: int) -> None:
        ids = self._style_id
        if isinstance(block, Heading):
            paragraph(body, ids[f"Heading {min(block.level, 3)}"], block.runs, before=end)
        elif isinstance(block, Paragraph):
            paragraph(body, ids[PARAGRAPH_STYLES[block.style]], block.runs, before=end)
        elif isinstance(block, ListBlock):
            self._list(body, end, block, depth)
        elif isinstance(block, Table):
            self._table(body, end, block)
        elif isinstance(block, Signatures):
            self._signatures(body, end, block)
        elif isinstance(block, Fields):
            self._fields(body, end, block)
        elif isinstance(block, PageBreak):
            p = paragraph(body, ids["Normal"], before=end)
            sub(sub(p, "r"), "br", type="page")
        else:  # pragma: no cover - the block union is closed
            raise RenderError(f"okänt block {block!r}")

    def _list(
        self, body: etree._Element, end: etree._Element, block: ListBlock, depth: int
    ) -> None:
        num_id = self._new_num(block.ordered, block.start, depth)
        style_id = self._style_id[LIST_STYLES[block.ordered]]
        for item in block.items:
            first = True
            for inner in item:
                if isinstance(inner, ListBlock):
                    self._list(body, end, inner, depth + 1)
                elif isinstance(inner, Paragraph):
                    if first:
                        paragraph(body, style_id, inner.runs, num=(depth, num_id), before=end)
                    else:  # a second paragraph of the same item: indented, no number
                        paragraph(
                            body,
                            style_id,
                            inner.runs,
                            num=(0, "0"),
                            indent=INDENT_STEP * (depth + 1),
                            before=end,
                        )
                    first = False
                else:
                    self._block(body, end, inner, depth + 1)

    def _new_num(self, ordered: bool, start: int, level: int) -> str:
        """A fresh list instance, so each proposal list restarts at its own number."""
        numbering = self._doc.part.numbering_part.element
        self._next_num += 1
        num_id = str(self._next_num)
        num = element("w:num", numId=num_id)
        num.append(element("w:abstractNumId", val=self._abstract[ordered]))
        override = element("w:lvlOverride", ilvl=str(level))
        override.append(element("w:startOverride", val=str(start)))
        num.append(override)
        numbering.append(num)
        return num_id

    def _table(self, body: etree._Element, end: etree._Element, block: Table) -> None:
        widths = [int(self._text_width * share) for share in block.widths]
        tbl = wordml.table(body, end, widths, self._style_id["Table Grid"], header_row=True)
        aligns = [
            None if a == "left" else ("right" if a == "right" else "center") for a in block.align
        ]
        for cells, runs_row, style in (
            (wordml.row(tbl, widths, header=True), block.header, "Table Heading"),
            *((wordml.row(tbl, widths), r, "Table Text") for r in block.rows),
        ):
            for cell, runs, align in zip(cells, runs_row, aligns, strict=True):
                paragraph(cell, self._style_id[style], runs, align=align)

    def _signatures(self, body: etree._Element, end: etree._Element, block: Signatures) -> None:
        columns = 2
        widths = [self._text_width // columns] * columns
        tbl = wordml.table(body, end, widths, None, header_row=False)
        people = list(block.people)
        for start in range(0, len(people), columns):
            cells = wordml.row(tbl, widths)
            for offset, cell in enumerate(cells):
                if start + offset < len(people):
                    person = people[start + offset]
                    paragraph(cell, self._style_id["Signature Name"], (Run(person.name),))
                    paragraph(cell, self._style_id["Signature Title"], (Run(person.title),))
                else:
                    paragraph(cell, self._style_id["Signature Title"])

    def _fields(self, body: etree._Element, end: etree._Element, block: Fields) -> None:
        widths = [FIELD_LABEL_WIDTH, self._text_width - FIELD_LABEL_WIDTH]
        tbl = wordml.table(body, end, widths, None, header_row=False)
        for label, value in block.rows:
            label_cell, value_cell = wordml.row(tbl, widths)
            bold_label = tuple(Run(r.text, True, r.italic) for r in label)
            paragraph(label_cell, self._style_id["Normal"], bold_label)
            paragraph(value_cell, self._style_id["Normal"], value)

    # --- page furniture and properties -------------------------------------------------
    def _furniture(self, document: Document, style: Style) -> None:
        meta = document.meta
        section = self._doc.sections[0]
        header = section.header
        header_style = self._style_id["Header"]
        root = header._element
        for child in list(root):
            root.remove(child)
        if style.logo is not None:
            holder = header.add_paragraph(style="Header")
            holder.paragraph_format.space_after = Mm(2)
            picture = holder.add_run().add_picture(str(style.logo), height=Mm(9))
            doc_pr = picture._inline.docPr
            doc_pr.set("descr", f"Logotyp för {meta.organisation}")
            doc_pr.set("name", "Logotyp")
            section.top_margin = Mm(45)
        first = paragraph(root, header_style)
        text_run(first, meta.organisation, bold=True)
        text_run(first, "\t")
        text_run(first, meta.doc_type.upper(), bold=True)
        dated = f"{meta.organ}\t{meta.date_label} {meta.date.isoformat()}"
        text_run(paragraph(root, header_style), dated)
        if meta.dnr:
            text_run(paragraph(root, header_style), f"\tDiarienummer {meta.dnr}")

        footer = section.footer._element
        for child in list(footer):
            footer.remove(child)
        if meta.sign_boxes:
            self._sign_boxes(footer, meta.sign_boxes)
            section.bottom_margin = Mm(42)
        line = paragraph(footer, self._style_id["Footer"])
        text_run(line, ", ".join(meta.sender) + "\tSida ")
        wordml.field(line, "PAGE", "1")
        text_run(line, " (")
        wordml.field(line, "NUMPAGES", "1")
        text_run(line, ")")

    def _sign_boxes(self, footer: etree._Element, labels: tuple[str, ...]) -> None:
        """Boxes for handwritten initials on every page, right-aligned above the footer line."""
        width, height = SIGN_BOX
        widths = [width] * len(labels)
        tbl = wordml.table(
            footer, None, widths, None, header_row=False, align="right", borders=True
        )
        inside = tbl.find(wordml.w("tblPr") + "/" + wordml.w("tblBorders"))
        assert inside is not None
        sub(inside, "insideV", val="single", sz="4", space="0", color="787878")
        for cell, label in zip(wordml.row(tbl, widths, height=height), labels, strict=True):
            text_run(paragraph(cell, self._style_id["Footer"]), label)
        paragraph(footer, self._style_id["Footer"])  # space between the boxes and the line

    def _properties(self, document: Document) -> None:
        meta = document.meta
        core = self._doc.core_properties
        core.title = meta.title
        core.author = meta.author
        core.last_modified_by = meta.author
        core.subject = meta.subject
        core.keywords = meta.dnr
        core.category = meta.doc_type
        core.language = meta.lang
        core.identifier = meta.dnr
        core.comments = ""
        core.revision = 1
        stamp = _stamp(document)
        core.created = core.modified = stamp

    # --- set-up helpers ----------------------------------------------------------------
    def _enforce_language(self) -> None:
        """sv-SE whatever language the reference.docx was saved in (screen readers need it)."""
        defaults = self._doc.styles.element.find(qn("w:docDefaults"))
        if defaults is None:
            return
        rpr_default = defaults.find(qn("w:rPrDefault"))
        rpr = rpr_default.find(qn("w:rPr")) if rpr_default is not None else None
        if rpr is None:
            return
        for old in rpr.findall(qn("w:lang")):
            rpr.remove(old)
        rpr.append(element("w:lang", val="sv-SE", eastAsia="sv-SE", bidi="ar-SA"))

    def _abstract_num_for(self, style_name: str) -> str:
        """The list definition a style uses, so restyling lists in Word carries over."""
        ppr = self._doc.styles[style_name].element.pPr
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id = num_pr.find(qn("w:numId")) if num_pr is not None else None
        if num_id is None:
            raise RenderError(f"formatmallen {style_name!r} i reference.docx saknar numrering")
        numbering = self._doc.part.numbering_part.element
        for num in numbering.findall(qn("w:num")):
            if num.get(qn("w:numId")) == num_id.get(qn("w:val")):
                return str(num.find(qn("w:abstractNumId")).get(qn("w:val")))
        raise RenderError(f"numreringen för {style_name!r} saknas i reference.docx")

    def _set_font(self, font: str) -> None:
        for fonts in self._doc.styles.element.iter(qn("w:rFonts")):
            for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
                fonts.set(qn(f"w:{attr}"), font)


def _stamp(document: Document) -> datetime:
    return datetime.combine(document.meta.date, time(12, 0), tzinfo=UTC)
