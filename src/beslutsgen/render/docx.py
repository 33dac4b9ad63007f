"""Block tree → DOCX, styled by a reference.docx staff can restyle in Word.

Opening a .docx costs ~30 ms; we open the reference once per process and, for each
document, restore the few parts we change from pristine copies. Body, header and
footer are built as WordprocessingML with lxml (render/wordml.py). The zip is
re-packed with fixed dates so the same input gives the same bytes. Where the document
names the bundled family, its four faces are embedded (render/fontembed.py), so the
DOCX looks the same on a machine that does not have the font.
"""

from __future__ import annotations

import copy
from pathlib import Path

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from beslutsgen.build.document import (
    Block,
    Contents,
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
from beslutsgen.build.templates import BUNDLED
from beslutsgen.errors import RenderError
from beslutsgen.model.profile import Style
from beslutsgen.render import docx_furniture, fontembed, letterhead, wordml
from beslutsgen.render.docx_furniture import EMU_PER_TWIP
from beslutsgen.render.geometry import GEOMETRY, twips
from beslutsgen.render.ooxml import DeflatedPart, element, save_package
from beslutsgen.render.wordml import paragraph, sub

BUNDLED_REFERENCE = BUNDLED / "reference.docx"
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
# The label column of a protocol head, with its gutter (the PDF's grid has the gutter apart).
FIELD_LABEL_WIDTH = twips(GEOMETRY["label_column"] + GEOMETRY["label_gutter"])
FONT_ATTRIBUTES = ("ascii", "hAnsi", "cs", "eastAsia")
# w:settings children that come before w:embedTrueTypeFonts (ECMA-376 Part 1, §17.15.1.78).
BEFORE_EMBED_SETTING = (
    "writeProtection",
    "view",
    "zoom",
    "removePersonalInformation",
    "removeDateAndTime",
    "doNotDisplayPageBoundaries",
    "displayBackgroundShape",
    "printPostScriptOverText",
    "printFractionalCharacterWidth",
    "printFormsData",
)
EMPTY_FONT_TABLE = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    f'<w:fonts xmlns:w="{wordml.W}" xmlns:r="{wordml.R}"/>'
).encode()


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
        _ = self._doc.settings  # python-docx adds a settings part to a reference without one
        settings_part = part.part_related_by(RT.SETTINGS)
        assert isinstance(settings_part, XmlPart)  # python-docx loads it as a SettingsPart
        self._settings_part = settings_part
        self._parts = [
            part,
            part.part_related_by(RT.STYLES),  # the part: `part.styles` is a proxy of its own
            part.numbering_part,
            section.header.part,
            section.footer.part,
            part.package._core_properties_part,
            self._settings_part,
        ]
        # A letterhead of the reference's own: every header and footer of the section is
        # kept and its tagged content controls filled, none replaced (render/letterhead.py).
        furniture: list[XmlPart] = [section.header.part, section.footer.part]
        for ref in section._sectPr.xpath("w:headerReference | w:footerReference"):
            related = part.related_parts[ref.get(qn("r:id"))]
            if isinstance(related, XmlPart) and all(related is not p for p in furniture):
                furniture.append(related)
        used = letterhead.tags((p._element for p in furniture), str(reference))
        self._letterhead: list[XmlPart] = furniture if used else []
        self._parts += [p for p in self._letterhead if all(p is not q for q in self._parts)]
        self._pristine = [copy.deepcopy(p._element) for p in self._parts]
        self._next_num = 0
        self._font_table = self._font_table_part()
        self._font_table_pristine = self._font_table.blob
        self._font_table_embedded = b""
        self._font_rels: list[tuple[str, DeflatedPart]] = []  # made when first embedded
        self._reference_fonts = self._named_fonts()

    def render(self, document: Document, style: Style) -> bytes:
        """One document as DOCX bytes."""
        for part, pristine in zip(self._parts, self._pristine, strict=True):
            part._element = copy.deepcopy(pristine)
        doc = self._doc.part.document
        self._next_num = 1000
        if style.docx_font:
            self._set_font(style.docx_font)
        named = {style.docx_font.casefold()} if style.docx_font else self._reference_fonts
        self._embed_fonts(fontembed.FAMILY.casefold() in named)
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
        docx_furniture.properties(self._doc.core_properties, document)
        return save_package(self._doc.part.package, docx_furniture.stamp(document))

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
        elif isinstance(block, Contents):  # Word has no parts to point to: the lines only
            for entry in block.entries:
                paragraph(body, ids["Normal"], entry.runs, before=end)
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
        # The section of the body restored for this document (self._doc's own element is
        # the pristine one it was opened with, no longer in the package).
        section = self._doc.part.document.sections[0]
        if self._letterhead:
            for furniture in self._letterhead:
                letterhead.fill(furniture._element, document.meta)
            if document.meta.sign_boxes:
                docx_furniture.sign_box_footer(section, document.meta, self._style_id["Footer"])
            return
        ids = self._style_id
        docx_furniture.header(section, document.meta, style, ids["Header"])
        docx_furniture.footer(section, document.meta, ids["Footer"])

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
        """The profile's font everywhere the reference names one: styles and list labels."""
        for root in (self._doc.styles.element, self._doc.part.numbering_part.element):
            for fonts in root.iter(qn("w:rFonts")):
                for attr in FONT_ATTRIBUTES:
                    fonts.set(qn(f"w:{attr}"), font)

    def _named_fonts(self) -> set[str]:
        """The fonts (case-folded) the reference's styles and list labels name."""
        return {
            value.casefold()
            for root in (self._doc.styles.element, self._doc.part.numbering_part.element)
            for fonts in root.iter(qn("w:rFonts"))
            for attr in FONT_ATTRIBUTES
            if (value := fonts.get(qn(f"w:{attr}")))
        }

    # --- embedded fonts ----------------------------------------------------------------
    def _font_table_part(self) -> Part:
        part = self._doc.part
        try:
            return part.part_related_by(RT.FONT_TABLE)
        except KeyError:  # a reference without a font table: Word always writes one
            table = Part(
                PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE, EMPTY_FONT_TABLE, part.package
            )
            part.relate_to(table, RT.FONT_TABLE)
            return table

    def _embed_fonts(self, embed: bool) -> None:
        """The bundled family's faces in the package, or (`embed` False) the reference's
        font table as it was."""
        table = self._font_table
        if not embed:
            for rel_id, _ in self._font_rels:
                table.rels.pop(rel_id, None)
            table._blob = self._font_table_pristine
            return
        if not self._font_rels:
            self._prepare_font_parts()
        for rel_id, font_part in self._font_rels:
            table.load_rel(fontembed.RELATIONSHIP, font_part, rel_id)
        table._blob = self._font_table_embedded
        settings = self._settings_part._element  # its Settings proxy keeps the pristine one
        if settings.find(qn("w:embedTrueTypeFonts")) is None:
            known = [settings.find(qn(f"w:{tag}")) for tag in BEFORE_EMBED_SETTING]
            last = max((settings.index(el) for el in known if el is not None), default=-1)
            settings.insert(last + 1, element("w:embedTrueTypeFonts"))

    def _prepare_font_parts(self) -> None:
        """This renderer's font parts (the bytes are the process's, made once) and the font
        table naming them."""
        family = fontembed.bundled_family()
        used = {str(p.partname) for p in self._doc.part.package.parts}
        number = 0
        for face in family.faces:
            number += 1
            while f"/word/fonts/font{number}.odttf" in used:  # a reference that embeds fonts
                number += 1
            name = f"/word/fonts/font{number}.odttf"
            font_part = DeflatedPart(name, fontembed.CONTENT_TYPE, face.obfuscated, face.member)
            rel_id = self._font_table.relate_to(font_part, fontembed.RELATIONSHIP)
            self._font_rels.append((rel_id, font_part))
        root = etree.fromstring(self._font_table_pristine)
        fontembed.add_font_entry(root, family, tuple(rel_id for rel_id, _ in self._font_rels))
        self._font_table_embedded = etree.tostring(
            root, xml_declaration=True, encoding="UTF-8", standalone=True
        )
