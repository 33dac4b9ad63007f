"""Checks every PDF beslutsgen makes must pass (PDF/A-2a, PDF/UA-1, fonts), shared by the
tests of the tjänsteskrivelse and of the meeting documents."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pikepdf
from lxml import etree

DC = "{http://purl.org/dc/elements/1.1/}"
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
PDFUAID = "{http://www.aiim.org/pdfua/ns/id/}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# The families that ship with beslutsgen (fonts.py): text, then symbol and emoji fallbacks.
BUNDLED_FONT = re.compile(r"^(SourceSansPro-[A-Za-z]+|Noto[A-Za-z]*(-[A-Za-z]+)?)$")
SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")


def assert_claims_pdfa_2a_and_pdfua_1(pdf: pikepdf.Pdf) -> None:
    xmp = pdf.open_metadata()
    assert (xmp.get(f"{PDFAID}part"), xmp.get(f"{PDFAID}conformance")) == ("2", "A")
    assert xmp.get(f"{PDFUAID}part") == "1"


def assert_title_and_language(pdf: pikepdf.Pdf, title: str) -> None:
    xmp = pdf.open_metadata()
    assert xmp.get(f"{DC}title") == title
    assert str(pdf.docinfo.get("/Title")) == title
    assert xmp.get(f"{DC}language") == {"sv-SE"}
    assert str(pdf.Root.get("/Lang")) == "sv-SE"
    # PDF/UA: viewers show the title, not the file name.
    assert pdf.Root.ViewerPreferences.get("/DisplayDocTitle") is True


def assert_tagged(pdf: pikepdf.Pdf) -> None:
    assert pdf.Root.MarkInfo.get("/Marked") is True
    tree = pdf.Root.get("/StructTreeRoot")
    assert tree is not None and tree.get("/Type") == "/StructTreeRoot"
    assert "/ParentTree" in tree and "/K" in tree


def embedded_font_names(pdf: pikepdf.Pdf) -> list[str]:
    """Every font's name, asserting on the way that each is embedded and ships with us."""
    checked = []
    for font in pdf.objects:
        if not (isinstance(font, pikepdf.Dictionary) and font.get("/Type") == "/Font"):
            continue
        subtype = font.get("/Subtype")
        assert subtype != "/Type3", f"Type3 font {font.get('/Name')}: glyphs not from a font file"
        descendants = list(font.DescendantFonts) if subtype == "/Type0" else [font]
        assert descendants, f"{font.BaseFont}: Type0 without descendant fonts"
        for one in descendants:
            descriptor = one.get("/FontDescriptor")
            assert descriptor is not None, f"{one.BaseFont}: no font descriptor"
            files = [k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor]
            assert len(files) == 1, f"{one.BaseFont}: font program not embedded"
            name = SUBSET_TAG.sub("", str(one.BaseFont).removeprefix("/"))
            assert BUNDLED_FONT.match(name), f"font {name!r} does not ship with beslutsgen"
            checked.append(name)
    assert any(name.startswith("SourceSansPro-") for name in checked), checked
    return checked


def docx_headings(docx: bytes, styles: tuple[str, ...]) -> list[str]:
    """The text of the body paragraphs in the given heading styles, in order."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    headings = []
    for p in body.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val") in styles:
            headings.append("".join(t.text or "" for t in p.iter(f"{W}t")))
    return headings


def outline_titles(pdf: pikepdf.Pdf) -> list[str]:
    """The PDF's bookmarks depth first, as a reader's navigation pane lists them."""

    def walk(items: list[Any]) -> list[str]:
        found: list[str] = []
        for item in items:
            found.append(item.title)
            found += walk(list(item.children))
        return found

    with pdf.open_outline() as outline:
        return walk(list(outline.root))


def assert_archival(pdf: pikepdf.Pdf, title: str) -> None:
    """PDF/A-2a and PDF/UA-1 claimed, title and sv-SE set, tagged, every font ours and
    embedded: what any PDF beslutsgen writes must be."""
    assert_claims_pdfa_2a_and_pdfua_1(pdf)
    assert_title_and_language(pdf, title)
    assert_tagged(pdf)
    assert embedded_font_names(pdf)
