"""Any length, no traceback: a document property holds at most 255 characters (python-docx
refuses more), so a longer value is cut at a word boundary with "…" there, while the page
shows the whole text. The PDF takes the same values whole.

Documents are built directly (Meta and blocks as build.py makes them), so the lengths are
not limited by what validation lets through.
"""

from __future__ import annotations

import io
import itertools
from datetime import date
from typing import Any

import docx
import pytest

from beslutsgen.build.document import Document, Heading, Meta, Paragraph, Run
from beslutsgen.model.arende import HouseStyle
from beslutsgen.model.profile import resolve_style
from beslutsgen.render.docx import DocxRenderer
from beslutsgen.render.docx_furniture import PROPERTY_LIMIT, clip
from beslutsgen.render.pdf import PdfRenderer
from tests.textutil import docx_furniture_part, docx_paragraphs, docx_part_paragraphs

WORDS = ("beslut", "om", "budget", "för", "år", "2026", "och", "regionens", "verksamhet")
STYLE = resolve_style(HouseStyle(), None)  # the defaults: the bundled family, embedded
# Meta field → the core properties it fills.
PROPERTIES = {
    "title": ("title",),
    "author": ("author", "last_modified_by"),
    "subject": ("subject",),
    "dnr": ("keywords", "identifier"),
    "doc_type": ("category",),
    "lang": ("language",),
}


def words(length: int) -> str:
    """Exactly `length` characters of Swedish words separated by single spaces."""
    text = " ".join(itertools.islice(itertools.cycle(WORDS), length))[:length]
    return text[:-1] + "x" if text.endswith(" ") else text


TEXTS = {
    "1": words(1),
    "255": words(255),
    "256": words(256),
    "10000": words(10_000),
    "one-word-300": "ö" * 300,
}


def document(field: str, text: str) -> Document:
    values: dict[str, Any] = {
        "doc_type": "Tjänsteskrivelse",
        "title": "Inköp av kontorsmaterial",
        "organisation": "Region Provland",
        "organ": "Regionstyrelsen",
        "date": date(2026, 1, 15),
        "dnr": "RS/100/2026",
        "author": "Sandra Hedman",
        "subject": "Regionstyrelsen, RS/100/2026",
    }
    values[field] = text
    meta = Meta(**values, sender=("Sekretariatet", values["author"]))
    blocks = (Heading(1, (Run(meta.title),)), Paragraph((Run("Kontorsmaterial behövs."),)))
    return Document(meta, blocks)


@pytest.fixture(scope="module")
def renderers() -> tuple[DocxRenderer, PdfRenderer]:
    return DocxRenderer(), PdfRenderer()


@pytest.mark.parametrize("length", TEXTS)
@pytest.mark.parametrize("field", PROPERTIES)
def test_any_length_renders_with_properties_cut_and_the_page_whole(
    renderers: tuple[DocxRenderer, PdfRenderer], field: str, length: str
) -> None:
    text = TEXTS[length]
    built = document(field, text)
    data = renderers[0].render(built, STYLE)
    core = docx.Document(io.BytesIO(data)).core_properties
    for name in PROPERTIES[field]:
        value = getattr(core, name)
        assert len(value) <= PROPERTY_LIMIT, name
        if len(text) <= PROPERTY_LIMIT:
            assert value == text, name
            continue
        assert value.endswith("…"), name
        kept = value[:-1]
        assert text.startswith(kept), name
        if " " in text:  # cut after a whole word, with all of the room used that fits
            assert text[len(kept)] == " ", name
            assert len(kept) + 1 + len(text[len(kept) :].split()[0]) > PROPERTY_LIMIT - 1
        else:
            assert value == text[: PROPERTY_LIMIT - 1] + "…", name
    header = " ".join(docx_part_paragraphs(data, docx_furniture_part(data, "header")))
    footer = " ".join(docx_part_paragraphs(data, docx_furniture_part(data, "footer")))
    shown = {
        "title": docx_paragraphs(data)[0] == text,
        "author": f"Sekretariatet, {text}\tSida" in footer,
        "dnr": f"Diarienummer {text}" in header,
        "doc_type": text.upper() in header,
    }
    assert shown.get(field, True), f"the page does not show the whole {field}"
    assert renderers[1].render(built, STYLE).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kort", "kort"),
        ("a" * 255, "a" * 255),
        ("a" * 256, "a" * 254 + "…"),
        ("ord " * 63 + "sista", "ord " * 62 + "ord…"),  # 257 characters: "sista" goes
        ("x" * 250 + " y z", "x" * 250 + " y z"),  # 254 characters: whole
        ("x" * 250 + " yyyyyy", "x" * 250 + "…"),
        ("x" * 100 + " " + "y" * 200, "x" * 100 + " " + "y" * 153 + "…"),  # one early space
    ],
)
def test_clip(text: str, expected: str) -> None:
    assert clip(text) == expected
    assert len(clip(text)) <= PROPERTY_LIMIT
