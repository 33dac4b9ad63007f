"""Block tree → DOCX with python-docx, styled by a reference.docx staff can restyle in Word.

Opening a .docx costs ~30 ms; we open the reference once per process and, for each
document, restore the few parts we change from pristine copies (~1 ms). The zip is
re-packed with fixed dates so the same input gives the same bytes.
"""

from __future__ import annotations

import copy
import io
from datetime import UTC, datetime, time
from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shape import InlineShape
from docx.shared import Mm
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from beslutsgen.config import Style
from beslutsgen.document import (
    Block,
    Document,
    Heading,
    ListBlock,
    PageBreak,
    Paragraph,
    Runs,
    Signatures,
    Table,
)
from beslutsgen.errors import RenderError
from beslutsgen.render.ooxml import deterministic_zip, element

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
)


class DocxRenderer:
    """Renders many documents from one loaded reference.docx."""

    def __init__(self, reference: Path = BUNDLED_REFERENCE) -> None:
        try:
            self._doc = docx.Document(str(reference))
        except Exception as exc:  # python-docx raises many kinds for a broken file
            raise RenderError(f"{reference}: kan inte läsas som DOCX: {exc}") from exc
        names = {s.name for s in self._doc.styles}
        missing = [name for name in REQUIRED_STYLES if name not in names]
        if missing:
            raise RenderError(f"{reference}: formatmallar saknas: {', '.join(missing)}")
        section = self._doc.sections[0]
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
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

    def render(self, document: Document, style: Style) -> bytes:
        """One document as DOCX bytes."""
        for part, pristine in zip(self._parts, self._pristine, strict=True):
            part._element = copy.deepcopy(pristine)
        doc = self._doc.part.document
        self._next_num = 1000
        if style.docx_font:
            self._set_font(style.docx_font)
        body = doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        for block in document.blocks:
            self._block(doc, block, depth=0)
        self._furniture(document, style)
        self._properties(document)
        buffer = io.BytesIO()
        doc.save(buffer)
        return deterministic_zip(buffer.getvalue(), _stamp(document))

    # --- blocks -----------------------------------------------------------------------
    def _block(self, doc: docx.document.Document, block: Block, depth: int) -> None:
        if isinstance(block, Heading):
            _runs(doc.add_paragraph(style=f"Heading {min(block.level, 3)}"), block.runs)
        elif isinstance(block, Paragraph):
            _runs(doc.add_paragraph(style=PARAGRAPH_STYLES[block.style]), block.runs)
        elif isinstance(block, ListBlock):
            self._list(doc, block, depth)
        elif isinstance(block, Table):
            self._table(doc, block)
        elif isinstance(block, Signatures):
            self._signatures(doc, block)
        elif isinstance(block, PageBreak):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:  # pragma: no cover - the block union is closed
            raise RenderError(f"okänt block {block!r}")

    def _list(self, doc: docx.document.Document, block: ListBlock, depth: int) -> None:
        num_id = self._new_num(block.ordered, block.start)
        indent = str(426 * (depth + 1))
        for item in block.items:
            first = True
            for inner in item:
                if isinstance(inner, ListBlock):
                    self._list(doc, inner, depth + 1)
                    continue
                if not isinstance(inner, Paragraph):
                    self._block(doc, inner, depth + 1)
                    continue
                paragraph = doc.add_paragraph(style=LIST_STYLES[block.ordered])
                ppr = paragraph._p.get_or_add_pPr()
                if first:
                    num_pr = element("w:numPr")
                    num_pr.append(element("w:ilvl", val=str(depth)))
                    num_pr.append(element("w:numId", val=num_id))
                    ppr.insert(1, num_pr)
                else:
                    num_pr = element("w:numPr")
                    num_pr.append(element("w:numId", val="0"))
                    ppr.insert(1, num_pr)
                    ppr.append(element("w:ind", left=indent, hanging="0"))
                _runs(paragraph, inner.runs)
                first = False

    def _new_num(self, ordered: bool, start: int) -> str:
        """A fresh list instance, so each proposal list restarts at its own number."""
        numbering = self._doc.part.numbering_part.element
        self._next_num += 1
        num_id = str(self._next_num)
        num = element("w:num", numId=num_id)
        num.append(element("w:abstractNumId", val=self._abstract[ordered]))
        override = element("w:lvlOverride", ilvl="0")
        override.append(element("w:startOverride", val=str(start)))
        num.append(override)
        numbering.append(num)
        return num_id

    def _table(self, doc: docx.document.Document, block: Table) -> None:
        table = doc.add_table(rows=1 + len(block.rows), cols=len(block.header))
        table.style = doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        header_row = table.rows[0]
        header_row._tr.get_or_add_trPr().append(element("w:tblHeader"))
        for column, runs in enumerate(block.header):
            _cell(header_row.cells[column], runs, "Table Heading", block.align[column])
        for index, row in enumerate(block.rows, start=1):
            cells = table.rows[index].cells
            for column, runs in enumerate(row):
                _cell(cells[column], runs, "Table Text", block.align[column])

    def _signatures(self, doc: docx.document.Document, block: Signatures) -> None:
        columns = 2
        rows = (len(block.people) + columns - 1) // columns
        table = doc.add_table(rows=rows, cols=columns)
        for index, person in enumerate(block.people):
            cell = table.rows[index // columns].cells[index % columns]
            name = cell.paragraphs[0]
            name.style = doc.styles["Signature Name"]
            name.add_run(person.name)
            cell.add_paragraph(person.title, style="Signature Title")
        for row in table.rows:
            for cell in row.cells:
                if not cell.text:
                    cell.paragraphs[0].style = doc.styles["Signature Title"]

    # --- page furniture and properties -------------------------------------------------
    def _furniture(self, document: Document, style: Style) -> None:
        meta = document.meta
        section = self._doc.sections[0]
        header = section.header
        _clear(header)
        if style.logo is not None:
            logo = header.add_paragraph(style="Header")
            logo.paragraph_format.space_after = Mm(2)
            picture = logo.add_run().add_picture(str(style.logo), height=Mm(9))
            _describe(picture, f"Logotyp för {meta.organisation}")
            section.top_margin = Mm(45)
        first = header.add_paragraph(style="Header")
        first.add_run(meta.organisation).bold = True
        first.add_run("\t")
        first.add_run(meta.doc_type.upper()).bold = True
        second = header.add_paragraph(style="Header")
        second.add_run(f"{meta.organ}\tDatum {meta.date.isoformat()}")
        third = header.add_paragraph(style="Header")
        third.add_run(f"\tDiarienummer {meta.dnr}")
        footer = section.footer
        _clear(footer)
        line = footer.add_paragraph(style="Footer")
        line.add_run(", ".join(meta.sender) + "\tSida ")
        _field(line, "PAGE", "1")
        line.add_run(" (")
        _field(line, "NUMPAGES", "1")
        line.add_run(")")

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
        core.created = core.modified = core.last_printed = stamp

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
        for style in self._doc.styles:
            rpr = style.element.rPr
            fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
            if fonts is not None:
                for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
                    fonts.set(qn(f"w:{attr}"), font)


def _describe(picture: InlineShape, text: str) -> None:
    """Alt text for screen readers, and a stable name (python-docx uses the file name)."""
    doc_pr = picture._inline.docPr
    doc_pr.set("descr", text)
    doc_pr.set("name", "Logotyp")


def _stamp(document: Document) -> datetime:
    return datetime.combine(document.meta.date, time(12, 0), tzinfo=UTC)


def _runs(paragraph: DocxParagraph, runs: Runs) -> None:
    for run in runs:
        added = paragraph.add_run(run.text)
        if run.bold:
            added.bold = True
        if run.italic:
            added.italic = True


def _cell(cell: _Cell, runs: Runs, style: str, align: str) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    if align == "right":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif align == "center":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _runs(paragraph, runs)


def _clear(container: docx.section._Header | docx.section._Footer) -> None:
    for child in list(container._element):
        container._element.remove(child)


def _field(paragraph: DocxParagraph, instruction: str, placeholder: str) -> None:
    """A live Word field (PAGE, NUMPAGES): Word and LibreOffice recompute it on open."""

    def fld(kind: str) -> etree._Element:
        run = element("w:r")
        run.append(element("w:fldChar", fldCharType=kind))
        return run

    p = paragraph._p
    p.append(fld("begin"))
    instr = element("w:r")
    text = element("w:instrText")
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text.text = f" {instruction} "
    instr.append(text)
    p.append(instr)
    p.append(fld("separate"))
    result = element("w:r")
    value = element("w:t")
    value.text = placeholder
    result.append(value)
    p.append(result)
    p.append(fld("end"))
