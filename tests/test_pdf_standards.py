"""Every sample PDF is what it claims: PDF/A-2a and PDF/UA-1, tagged, titled, Swedish,
with every font embedded and none taken from the machine it was made on."""

from __future__ import annotations

import io

import pikepdf
import pytest

from tests.conftest import Sample, markdown_tokens, section_headings
from tests.pdfcheck import (
    assert_archival,
    docx_headings,
    outline_titles,
)
from tests.textutil import docx_paragraphs


@pytest.fixture
def pdf(sample: Sample) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(sample.pdf))


def test_archival_pdf(pdf: pikepdf.Pdf, sample: Sample) -> None:
    """PDF/A-2a + PDF/UA-1 claimed, rubrik as title, sv-SE, tagged, fonts embedded."""
    assert_archival(pdf, sample.case.rubrik)


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
    headings = docx_headings(sample.docx, ("Heading1", "Heading2"))
    assert outline_titles(pdf) == headings
    assert headings[0] == docx_paragraphs(sample.docx)[0]




def test_no_javascript_or_encryption(pdf: pikepdf.Pdf) -> None:
    """Forbidden in PDF/A: a quick check that nothing added them after Typst."""
    assert not pdf.is_encrypted
    assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.Root
    assert "/Names" not in pdf.Root or "/JavaScript" not in pdf.Root.Names
