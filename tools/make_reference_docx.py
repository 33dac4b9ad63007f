"""Build the bundled reference.docx: the styles staff restyle in Word.

Run after changing it: `.venv/bin/python tools/make_reference_docx.py`. The result is
committed; the renderer reads its styles (fonts, sizes, spacing, list numbering) and
only fills in content. An organisation replaces it with templates/reference.docx.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from beslutsgen.render.ooxml import element, save_package

TARGET = Path(__file__).resolve().parent.parent / "src/beslutsgen/build/templates/reference.docx"
FONT = "Source Sans Pro"
TEXT_WIDTH_MM = 160
NUMBERING = """<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
{abstracts}
<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>
</w:numbering>"""
LEVEL = (
    '<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
    '<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
    '<w:pPr><w:ind w:left="{left}" w:hanging="360"/></w:pPr>{rpr}</w:lvl>'
)


APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>beslutsgen</Application><DocSecurity>0</DocSecurity>"
    b"<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    b"<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)


def numbering_xml() -> bytes:
    decimal_formats = ["decimal"] * 9
    bullets = ["•", "–", "•"] * 3
    decimal = "".join(
        LEVEL.format(i=i, fmt=decimal_formats[i], text=f"%{i + 1}.", left=426 * (i + 1), rpr="")
        for i in range(9)
    )
    bullet = "".join(
        LEVEL.format(
            i=i,
            fmt="bullet",
            text=bullets[i],
            left=426 * (i + 1),
            rpr=f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}"/></w:rPr>',
        )
        for i in range(9)
    )
    head = '<w:abstractNum w:abstractNumId="{}"><w:multiLevelType w:val="multilevel"/>'
    abstracts = f"{head.format(1)}{decimal}</w:abstractNum>{head.format(2)}{bullet}</w:abstractNum>"
    return NUMBERING.format(abstracts=abstracts).encode()


def main() -> None:
    document = docx.Document()
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package.rels.pop(rel_id)
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/customXml") or rel.reltype.endswith("/stylesWithEffects"):
            document.part.rels.pop(rel_id)

    styles = document.styles
    keep = {
        "Normal",
        "Header",
        "Header Char",
        "Footer",
        "Footer Char",
        "Heading 1",
        "Heading 2",
        "Heading 3",
        "Heading 1 Char",
        "Heading 2 Char",
        "Heading 3 Char",
        "Default Paragraph Font",
        "Normal Table",
        "No List",
        "Title",
        "Title Char",
        "List Paragraph",
        "List Bullet",
        "List Number",
        "Table Grid",
        "Strong",
        "Emphasis",
        "Caption",
    }
    for style in list(styles):
        if style.name not in keep:
            style.element.getparent().remove(style.element)
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    rpr.append(element("w:lang", val="sv-SE", eastAsia="sv-SE", bidi="ar-SA"))

    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    normal_rpr = normal.element.get_or_add_rPr()
    fonts = normal_rpr.find(qn("w:rFonts"))
    for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{attr}"), FONT)
    for attr in ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)

    for name, size, before, after in (
        ("Heading 1", 16, 0, 12),
        ("Heading 2", 12, 12, 4),
        ("Heading 3", 11, 10, 2),
    ):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style_fonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
        for attr in ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme"):
            style_fonts.attrib.pop(qn(f"w:{attr}"), None)
        for attr in ("ascii", "hAnsi", "cs"):
            style_fonts.set(qn(f"w:{attr}"), FONT)

    small = styles.add_style("Small", WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = normal
    small.font.size = Pt(9.5)
    small.quick_style = True

    for name in ("Signature Name", "Signature Title"):
        sig = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        sig.base_style = normal
        sig.paragraph_format.space_after = Pt(0)
        sig.quick_style = True
    styles["Signature Name"].paragraph_format.space_before = Pt(24)

    table_header = styles.add_style("Table Heading", WD_STYLE_TYPE.PARAGRAPH)
    table_header.base_style = normal
    table_header.font.bold = True
    table_header.paragraph_format.space_after = Pt(0)
    table_text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.paragraph_format.space_after = Pt(0)

    for name in ("Header", "Footer"):
        style = styles[name]
        style.font.size = Pt(9.5)
        tabs = style.paragraph_format.tab_stops
        for stop in list(tabs):
            tabs._pPr.tabs.remove(stop._tab)
        tabs.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)

    for name, num_id in (("List Number", "1"), ("List Bullet", "2")):
        ppr = styles[name].element.get_or_add_pPr()
        num_pr = ppr.find(qn("w:numPr"))
        num_pr.find(qn("w:numId")).set(qn("w:val"), num_id)
        styles[name].paragraph_format.space_after = Pt(3)

    numbering_part = document.part.numbering_part
    numbering_part._element = numbering_part.load(
        numbering_part.partname, numbering_part.content_type, numbering_xml(), package
    )._element

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(35), Mm(25)
    section.header_distance, section.footer_distance = Mm(12), Mm(12)
    section.header.is_linked_to_previous = False
    section.footer.is_linked_to_previous = False

    settings = document.settings.element
    for old in settings.findall(qn("w:themeFontLang")):
        settings.remove(old)
    settings.append(element("w:themeFontLang", val="sv-SE"))
    for tag, value in (("w:decimalSymbol", ","), ("w:listSeparator", ";")):  # Swedish Word
        settings.find(qn(tag)).set(qn("w:val"), value)

    # Extended properties: name the producer honestly, claim no page or word counts.
    for part in package.parts:
        if part.partname == "/docProps/app.xml":
            part._blob = APP_XML  # a plain Part keeps its bytes in _blob

    core = document.core_properties
    core.author = core.last_modified_by = core.title = core.subject = core.comments = ""
    core.keywords = core.category = ""
    core.revision = 1

    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)

    TARGET.write_bytes(save_package(document.part.package))
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
