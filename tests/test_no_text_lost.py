"""No text is ever dropped: whatever rich text validation accepts, every word of it reaches
the DOCX and the PDF, in order; what a renderer cannot show is refused with its line.

The property test builds rich text from the pieces that change its structure — list
markers at any indentation, table rows of any width, emphasis, markers the schema leaves
literal — and words. A text validation refuses is fine; a text it accepts must come out
whole.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from beslutsgen.cli import main
from beslutsgen.model.arende import Arende
from beslutsgen.model.richtext import MAX_LIST_DEPTH
from beslutsgen.render.docx import DocxRenderer
from beslutsgen.render.pdf import PdfRenderer
from tests.test_escaping import base_case, build
from tests.textutil import docx_body_text, pdf_body_text

WORD = re.compile(r"\w+")
# List markers are structure, not text (Word numbers the items itself).
MARKERS = re.compile(r"^(?:[ \t]*(?:-|\d{1,9}\.)(?=[ \t]|$))+", re.MULTILINE)
WORDS = st.text("abcdefghijklmnopqrstuvwxyzåäöÅÄÖ0123456789", min_size=1, max_size=9)
PREFIXES = st.sampled_from(
    ["", "- ", "1. ", "2. ", "+ ", "* ", "1) ", "# ", "> ", "| ", "|---|---|", "    ", "   - "]
)
INLINE = st.sampled_from(["", "*", "**", "_", " | ", "\\", "`", "<b>", "[", "]("])


@st.composite
def rich_lines(draw: st.DrawFn) -> str:
    indent = " " * draw(st.integers(0, 24))
    prefix = draw(PREFIXES)
    parts = [draw(WORDS) + draw(INLINE) for _ in range(draw(st.integers(0, 4)))]
    return (indent + prefix + " ".join(parts)).rstrip()


rich_texts = st.lists(rich_lines(), min_size=1, max_size=14).map("\n".join)


@pytest.fixture(scope="module")
def renderers() -> tuple[DocxRenderer, PdfRenderer]:
    return DocxRenderer(), PdfRenderer()


def missing_in_order(words: list[str], text: str) -> list[str]:
    """The words not found in `text` in this order (emphasis may join words: searched in
    the text without separators)."""
    squeezed = "".join(WORD.findall(text))
    position, missing = 0, []
    for word in words:
        found = squeezed.find(word, position)
        if found < 0:
            missing.append(word)
        else:
            position = found + len(word)
    return missing


def deep_list(levels: int) -> str:
    return "\n".join("  " * level + f"- nivå{level}" for level in range(levels))


WIDE_TABLE = "| a | b |\n|---|---|\n| c | d | bortglömd |"
HEADER_ONLY_TABLE = "| rubrik | kolumn |\n|---|---|"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=rich_texts)
@example(text=deep_list(MAX_LIST_DEPTH))
@example(text=HEADER_ONLY_TABLE)
@example(text="1. a\n   1. b\n      1. c\n         1. d\n            1. e")
def test_every_word_accepted_reaches_both_formats(
    renderers: tuple[DocxRenderer, PdfRenderer], text: str
) -> None:
    try:
        arende = Arende.model_validate(base_case(ärendebeskrivning=text))
    except ValidationError as exc:
        event(f"refused: {exc.errors()[0]['msg'][:40]}")
        return  # refused at validation: nothing is rendered, nothing is lost
    event("rendered")
    built = build(arende)
    words = WORD.findall(MARKERS.sub("", arende.arendebeskrivning))
    docx_renderer, pdf_renderer = renderers
    docx_text = docx_body_text(docx_renderer.render(built.document, built.style))
    pdf_text = pdf_body_text(pdf_renderer.render(built.document, built.style))
    assert missing_in_order(words, docx_text) == []
    assert missing_in_order(words, pdf_text) == []


CASE = """\
typ: tjänsteskrivelse
organ: Regionstyrelsen
diarienummer: RS/122/2026
datum: 2026-01-15
avdelning: Sekretariatet Regionstyrelsen
handläggare: Sandra Hedman
rubrik: Inköp av kontorsmaterial
ärendebeskrivning: |
{text}
förslag:
  rubrik: Regiondirektörens förslag
  punkter: [Inköpet godkänns.]
i_tjänsten: [{{namn: Sara Lewerentz, titel: Regiondirektör}}]
"""


def _validate(tmp_path: Path, text: str) -> list[str]:
    indented = "\n".join("  " + line if line else "" for line in text.split("\n"))
    path = tmp_path / "arende.yaml"
    path.write_text(CASE.format(text=indented), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    return [line.removeprefix(f"{path}:") for line in result.stderr.splitlines()]


def test_list_deeper_than_word_can_show_is_refused_at_its_line(tmp_path: Path) -> None:
    """Twelve levels: the tenth is the first Word has no level for; the text starts on
    line 9, the tenth level is its line 11 (from 0), so line 20 of the file."""
    assert _validate(tmp_path, "Inledning.\n\n" + deep_list(12)) == [
        "20:21: ärendebeskrivning: listan är nästlad i 12 nivåer; högst 9 (Word har nio "
        "listnivåer): flytta ut de djupaste punkterna",
        "1 problem i 1 fil(er); inget skrevs.",
    ]


def test_table_row_wider_than_its_header_is_refused_at_its_line(tmp_path: Path) -> None:
    assert _validate(tmp_path, "\nInledning.\n\n" + WIDE_TABLE) == [
        "14:3: ärendebeskrivning: tabellraden har 3 celler men rubrikraden 2; lägg till "
        "kolumner i rubrikraden eller ta bort celler (annars försvinner text)",
        "1 problem i 1 fil(er); inget skrevs.",
    ]


def test_quoted_text_is_refused_where_it_starts() -> None:
    """In a quoted or folded value the text's lines are not the file's: the value's own
    position is reported."""
    with pytest.raises(ValidationError, match="listan är nästlad i 10 nivåer; högst 9"):
        Arende.model_validate(base_case(ärendebeskrivning=deep_list(10)))
