"""Every sample PDF is what it claims: PDF/A-2a and PDF/UA-1, tagged, titled, Swedish,
with every font embedded and none taken from the machine it was made on."""

from __future__ import annotations

import io
import re
import zipfile

import pikepdf
import pytest
from lxml import etree

from tests.conftest import Sample, markdown_tokens, section_headings
from tests.textutil import docx_paragraphs

DC = "{http://purl.org/dc/elements/1.1/}"
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
PDFUAID = "{http://www.aiim.org/pdfua/ns/id/}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# The families that ship with beslutsgen (fonts.py): text, then symbol and emoji fallbacks.
BUNDLED_FONT = re.compile(r"^(SourceSansPro-[A-Za-z]+|Noto[A-Za-z]*(-[A-Za-z]+)?)$")
SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")


@pytest.fixture
def pdf(sample: Sample) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(sample.pdf))


def test_xmp_claims_pdfa_2a_and_pdfua_1(pdf: pikepdf.Pdf) -> None:
    xmp = pdf.open_metadata()
    assert (xmp.get(f"{PDFAID}part"), xmp.get(f"{PDFAID}conformance")) == ("2", "A")
    assert xmp.get(f"{PDFUAID}part") == "1"


def test_title_and_language(pdf: pikepdf.Pdf, sample: Sample) -> None:
    xmp = pdf.open_metadata()
    assert xmp.get(f"{DC}title") == sample.case.rubrik
    assert str(pdf.docinfo.get("/Title")) == sample.case.rubrik
    assert xmp.get(f"{DC}language") == {"sv-SE"}
    assert str(pdf.Root.get("/Lang")) == "sv-SE"
    # PDF/UA: viewers show the title, not the file name.
    assert pdf.Root.ViewerPreferences.get("/DisplayDocTitle") is True


def test_tagged(pdf: pikepdf.Pdf) -> None:
    assert pdf.Root.MarkInfo.get("/Marked") is True
    tree = pdf.Root.get("/StructTreeRoot")
    assert tree is not None and tree.get("/Type") == "/StructTreeRoot"
    assert "/ParentTree" in tree and "/K" in tree


def _structure_types(node: object, out: list[str]) -> list[str]:
    if isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            out.append(str(node.S))
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Array):
            for kid in kids:
                _structure_types(kid, out)
        elif kids is not None:
            _structure_types(kids, out)
    return out


def test_structure_matches_the_document(pdf: pikepdf.Pdf, sample: Sample) -> None:
    """One H1 (the rubrik), an H2 per section, a list item per point, tables with headers."""
    types = _structure_types(pdf.Root.StructTreeRoot, [])
    case = sample.case
    rich = [t.type for t in markdown_tokens(case.arendebeskrivning)]
    list_items = (
        rich.count("list_item_open")
        + len(case.forslag.punkter)
        + len(case.beslutsunderlag)
        + len(case.bilagor)
    )
    assert types[0] == "/Document"
    assert types.count("/H1") == 1
    assert types.count("/H2") == len(section_headings(sample))
    assert types.count("/LI") == list_items
    assert types.count("/Table") == rich.count("table_open")
    assert types.count("/TH") == rich.count("th_open")


def test_outline_is_the_heading_tree(pdf: pikepdf.Pdf, sample: Sample) -> None:
    assert "/Outlines" in pdf.Root
    with pdf.open_outline() as outline:
        top = [(item.title, [child.title for child in item.children]) for item in outline.root]
    assert top == [(sample.case.rubrik, section_headings(sample))]


def test_outline_matches_docx_headings(pdf: pikepdf.Pdf, sample: Sample) -> None:
    """Bookmarks in the PDF are the DOCX's Heading 1/2 paragraphs (Word's navigation pane)."""
    with zipfile.ZipFile(io.BytesIO(sample.docx)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    headings = []
    for p in body.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val") in ("Heading1", "Heading2"):
            headings.append("".join(t.text or "" for t in p.iter(f"{W}t")))
    with pdf.open_outline() as outline:
        titles = []
        for item in outline.root:
            titles.append(item.title)
            titles += [child.title for child in item.children]
    assert titles == headings
    assert headings[0] == docx_paragraphs(sample.docx)[0]


def _fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    return [
        obj
        for obj in pdf.objects
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"
    ]


def test_every_font_is_embedded_and_bundled(pdf: pikepdf.Pdf) -> None:
    fonts = _fonts(pdf)
    assert fonts, "no fonts at all"
    checked = []
    for font in fonts:
        subtype = font.get("/Subtype")
        assert subtype != "/Type3", f"Type3 font {font.get('/Name')}: glyphs not from a font file"
        if subtype == "/Type0":
            descendants = list(font.DescendantFonts)
            assert descendants, f"{font.BaseFont}: Type0 without descendant fonts"
        else:
            descendants = [font]
        for descendant in descendants:
            descriptor = descendant.get("/FontDescriptor")
            assert descriptor is not None, f"{descendant.BaseFont}: no font descriptor"
            files = [k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor]
            assert len(files) == 1, f"{descendant.BaseFont}: font program not embedded"
            name = SUBSET_TAG.sub("", str(descendant.BaseFont).removeprefix("/"))
            assert BUNDLED_FONT.match(name), f"font {name!r} does not ship with beslutsgen"
            checked.append(name)
    assert any(name.startswith("SourceSansPro-") for name in checked), checked


def test_no_javascript_or_encryption(pdf: pikepdf.Pdf) -> None:
    """Forbidden in PDF/A: a quick check that nothing added them after Typst."""
    assert not pdf.is_encrypted
    assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.Root
    assert "/Names" not in pdf.Root or "/JavaScript" not in pdf.Root.Names
