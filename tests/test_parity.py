"""The DOCX and the PDF of a case say the same thing: same body text, same page furniture.

Both come from one block tree (DESIGN principle 1); these tests catch a renderer that
drops, adds or rewrites anything. In the DOCX the page numbers are live Word fields, so
the comparison puts page 1's values into PAGE and NUMPAGES.
"""

from __future__ import annotations

import difflib
import io
import zipfile

import pypdf
import pytest
from lxml import etree

from tests.conftest import Sample
from tests.textutil import (
    docx_body_text,
    docx_field_instructions,
    docx_furniture_part,
    docx_part_paragraphs,
    normalise,
    pdf_body_text,
    pdf_pages,
)


def _first_difference(a: str, b: str) -> str:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            return f"DOCX …{a[max(0, i1 - 60) : i2 + 60]}…\nPDF  …{b[max(0, j1 - 60) : j2 + 60]}…"
    return ""


def page_count(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def expected_furniture(sample: Sample) -> dict[str, list[str]]:
    case = sample.case
    return {
        "header": [
            sample.organisation,
            "TJÄNSTESKRIVELSE",
            case.organ,
            f"Datum {case.datum.isoformat()}",
            f"Diarienummer {case.diarienummer}",
        ],
        "footer": [f"{case.avdelning}, {case.handlaggare}"],
    }


def test_body_text_is_identical(sample: Sample) -> None:
    docx = normalise(docx_body_text(sample.docx))
    pdf = normalise(pdf_body_text(sample.pdf))
    assert docx, "the DOCX body is empty"
    assert docx == pdf, f"{sample.path.name}: body text differs\n{_first_difference(docx, pdf)}"


def test_body_starts_with_rubrik_and_leaves_out_furniture(sample: Sample) -> None:
    """The page furniture is not body text in either format (it would be read twice)."""
    for fmt, text in (
        ("docx", normalise(docx_body_text(sample.docx))),
        ("pdf", normalise(pdf_body_text(sample.pdf))),
    ):
        assert text.startswith(normalise(sample.case.rubrik) + " "), f"{fmt}: {text[:120]!r}"
        assert "TJÄNSTESKRIVELSE" not in text, fmt
        assert normalise(f"Diarienummer {sample.case.diarienummer}") not in text, fmt


@pytest.mark.parametrize("kind", ["header", "footer"])
def test_page_one_furniture_is_identical(sample: Sample, kind: str) -> None:
    pages = page_count(sample.pdf)
    fields = {"PAGE": "1", "NUMPAGES": str(pages)}
    docx = normalise(
        "\n".join(
            docx_part_paragraphs(
                sample.docx, docx_furniture_part(sample.docx, kind, first_page=True), fields
            )
        )
    )
    pdf = normalise(getattr(pdf_pages(sample.pdf)[0], kind))
    for item in expected_furniture(sample)[kind]:
        assert normalise(item) in docx, f"DOCX {kind} lacks {item!r}: {docx!r}"
        assert normalise(item) in pdf, f"PDF {kind} lacks {item!r}: {pdf!r}"
    if kind == "footer":
        assert f"Sida 1 ({pages})" in pdf, pdf
        assert "Sida 1 (" + str(pages) + ")" in docx, docx
    assert docx == pdf, f"{kind} differs:\nDOCX {docx!r}\nPDF  {pdf!r}"


def test_docx_page_numbers_are_live_fields(sample: Sample) -> None:
    for first in (True, False):
        part = docx_furniture_part(sample.docx, "footer", first_page=first)
        assert docx_field_instructions(sample.docx, part) == ["PAGE", "NUMPAGES"], part
        footer = normalise("\n".join(docx_part_paragraphs(sample.docx, part)))
        assert "Sida {PAGE} ({NUMPAGES})" in footer, footer


def test_pdf_furniture_repeats_on_every_page(sample: Sample) -> None:
    """As in Word, where one header and one footer serve every page of the section."""
    pages = pdf_pages(sample.pdf)
    first_header = normalise(pages[0].header)
    for number, page in enumerate(pages, start=1):
        assert normalise(page.header) == first_header, f"page {number}"
        footer = normalise(page.footer)
        assert footer.endswith(f"Sida {number} ({len(pages)})"), f"page {number}: {footer!r}"
        sender = normalise(f"{sample.case.avdelning}, {sample.case.handlaggare}")
        assert footer.startswith(sender), footer


def test_same_paper(sample: Sample) -> None:
    """A4 portrait in both: Word's w:pgSz (twentieths of a point) against the PDF MediaBox."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(io.BytesIO(sample.docx)) as archive:
        size = etree.fromstring(archive.read("word/document.xml")).find(
            f".//{w}body/{w}sectPr/{w}pgSz"
        )
    docx = (int(size.get(f"{w}w")) / 20, int(size.get(f"{w}h")) / 20)
    for page in pypdf.PdfReader(io.BytesIO(sample.pdf)).pages:
        pdf = (float(page.mediabox.width), float(page.mediabox.height))
        assert abs(docx[0] - pdf[0]) < 1 and abs(docx[1] - pdf[1]) < 1, (docx, pdf)
    assert abs(docx[0] - 595.3) < 1 and abs(docx[1] - 841.9) < 1, "not A4"
