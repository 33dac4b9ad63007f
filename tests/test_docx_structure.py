"""The DOCX is a real Word document, not text that looks like one: Word headings, Word
numbering and bullets, table header rows, live page fields, Swedish language, properties,
and a zip whose bytes do not depend on the clock."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

from tests.conftest import (
    Sample,
    markdown_tokens,
    render_project,
    section_headings,
    skeleton_case,
    write_project,
)
from tests.textutil import (
    docx_field_instructions,
    docx_furniture_part,
    docx_paragraphs,
    docx_part_paragraphs,
    normalise,
)


@pytest.fixture
def document(sample: Sample) -> Document:
    return docx.Document(io.BytesIO(sample.docx))


class Numbering:
    """numId → (abstractNumId, {ilvl: numFmt}, {ilvl: startOverride}) from numbering.xml."""

    def __init__(self, document: Document) -> None:
        root = document.part.numbering_part.element
        formats = {
            a.get(qn("w:abstractNumId")): {
                lvl.get(qn("w:ilvl")): lvl.find(qn("w:numFmt")).get(qn("w:val"))
                for lvl in a.findall(qn("w:lvl"))
            }
            for a in root.findall(qn("w:abstractNum"))
        }
        self.nums: dict[str, tuple[str, dict[str, str], dict[str, int]]] = {}
        for num in root.findall(qn("w:num")):
            abstract = num.find(qn("w:abstractNumId")).get(qn("w:val"))
            starts = {
                o.get(qn("w:ilvl")): int(o.find(qn("w:startOverride")).get(qn("w:val")))
                for o in num.findall(qn("w:lvlOverride"))
                if o.find(qn("w:startOverride")) is not None
            }
            self.nums[num.get(qn("w:numId"))] = (abstract, formats[abstract], starts)

    def of(self, paragraph: Paragraph) -> tuple[str, str] | None:
        """(numId, ilvl) of a numbered paragraph, None for an unnumbered one."""
        num_pr = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num_pr is None:
            return None
        ilvl = num_pr.find(qn("w:ilvl"))
        return num_pr.find(qn("w:numId")).get(qn("w:val")), (
            ilvl.get(qn("w:val")) if ilvl is not None else "0"
        )

    def fmt(self, num_id: str, ilvl: str) -> str:
        return self.nums[num_id][1][ilvl]


def body_paragraphs(document: Document) -> list[Paragraph]:
    """Top-level body paragraphs (tables left out), in order."""
    return list(document.paragraphs)


def test_rubrik_is_the_only_heading_1(document: Document, sample: Sample) -> None:
    first = body_paragraphs(document)[0]
    assert (first.style.name, first.text) == ("Heading 1", sample.case.rubrik)
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [
        sample.case.rubrik
    ]


def test_sections_are_heading_2(document: Document, sample: Sample) -> None:
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == section_headings(sample)
    styles = {p.style.name for p in document.paragraphs}
    assert "Heading 3" not in styles


def proposal_paragraphs(document: Document, sample: Sample) -> list[Paragraph]:
    paragraphs = body_paragraphs(document)
    start = [p.text for p in paragraphs].index(sample.case.forslag.rubrik) + 1
    points = paragraphs[start : start + len(sample.case.forslag.punkter)]
    assert [p.text for p in points] == list(sample.case.forslag.punkter)
    return points


def test_proposal_points_are_word_numbering_from_1(document: Document, sample: Sample) -> None:
    numbering = Numbering(document)
    points = proposal_paragraphs(document, sample)
    ids = {numbering.of(p) for p in points}
    assert len(ids) == 1 and None not in ids, f"points are not one numbered list: {ids}"
    ((num_id, ilvl),) = ids
    assert numbering.fmt(num_id, ilvl) == "decimal"
    assert numbering.nums[num_id][2].get(ilvl) == 1, "the proposal list must restart at 1"
    # The list instance is the proposal's own: nothing else continues its count.
    users = [p.text for p in document.paragraphs if (numbering.of(p) or ("",))[0] == num_id]
    assert users == list(sample.case.forslag.punkter)
    # And a reader (LibreOffice, Word) sees "1.", "2." … in front of them.
    shown = docx_paragraphs(sample.docx)
    for number, point in enumerate(sample.case.forslag.punkter, start=1):
        assert f"{number}. {point}" in shown


def test_every_list_restarts(document: Document) -> None:
    """Each list has its own w:num with a startOverride: no list continues an earlier one."""
    numbering = Numbering(document)
    groups: list[set[str]] = []  # numIds used by each run of consecutive list paragraphs
    current: set[str] | None = None
    for p in document.paragraphs:
        found = numbering.of(p)
        if found is None:
            current = None
            continue
        if current is None:
            current = set()
            groups.append(current)
        if found[0] != "0":  # numId 0: a list item's second paragraph, no label
            current.add(found[0])
            if numbering.fmt(*found) == "bullet":
                continue
            assert numbering.nums[found[0]][2].get(found[1]) is not None, (
                f"numId {found[0]} level {found[1]} has no startOverride: {p.text!r}"
            )
    used = [num_id for group in groups for num_id in group]
    assert len(used) == len(set(used)), f"a list continues an earlier one: {groups}"


def test_bullets_and_numbers_map_to_the_right_formats(document: Document) -> None:
    numbering = Numbering(document)
    seen = {"List Bullet": 0, "List Number": 0}
    for p in document.paragraphs:
        found = numbering.of(p)
        if p.style.name not in seen or found is None or found[0] == "0":
            continue
        seen[p.style.name] += 1
        expected = "bullet" if p.style.name == "List Bullet" else "decimal"
        assert numbering.fmt(*found) == expected, p.text


def test_beslutsunderlag_is_a_bulleted_list(document: Document, sample: Sample) -> None:
    if not sample.case.beslutsunderlag:
        pytest.skip("this case has no beslutsunderlag")
    numbering = Numbering(document)
    paragraphs = body_paragraphs(document)
    start = [p.text for p in paragraphs].index("Beslutsunderlag") + 1
    items = paragraphs[start : start + len(sample.case.beslutsunderlag)]
    assert [p.text for p in items] == list(sample.case.beslutsunderlag)
    for p in items:
        found = numbering.of(p)
        assert found is not None and numbering.fmt(*found) == "bullet", p.text


def test_data_tables_have_a_repeating_header_row(document: Document, sample: Sample) -> None:
    names = {s.namn for s in sample.signatories}
    data_tables = [
        t for t in document.tables if not names & {c.text.split("\n")[0] for c in t._cells}
    ]
    tokens = [t.type for t in markdown_tokens(sample.case.arendebeskrivning)]
    assert len(data_tables) == tokens.count("table_open")
    assert len(document.tables) == len(data_tables) + 1, "one signature table"
    for table in data_tables:
        rows = table._tbl.tr_lst
        assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert all(r.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None for r in rows[1:])


def test_signatures_name_over_title(document: Document, sample: Sample) -> None:
    signature_table = document.tables[-1]
    people = [
        tuple(p.text for p in cell.paragraphs)
        for cell in signature_table._cells
        if any(p.text for p in cell.paragraphs)
    ]
    assert people == [(s.namn, s.titel) for s in sample.signatories]


def test_core_properties(document: Document, sample: Sample) -> None:
    core = document.core_properties
    case = sample.case
    assert core.title == case.rubrik
    assert core.author == case.handlaggare
    assert case.diarienummer in core.subject
    assert core.language == "sv-SE"
    assert core.created is not None and core.created.date() == case.datum
    assert core.modified == core.created


def test_language_is_swedish_everywhere(sample: Sample) -> None:
    with zipfile.ZipFile(io.BytesIO(sample.docx)) as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
        settings = etree.fromstring(archive.read("word/settings.xml"))
        langs = {
            name: {
                e.get(qn("w:val")) for e in etree.fromstring(archive.read(name)).iter(qn("w:lang"))
            }
            for name in archive.namelist()
            if name.startswith("word/") and name.endswith(".xml")
        }
    path = ("w:docDefaults", "w:rPrDefault", "w:rPr", "w:lang")
    default = styles.find("/".join(qn(tag) for tag in path))
    assert default is not None and default.get(qn("w:val")) == "sv-SE"
    theme_lang = settings.find(qn("w:themeFontLang"))
    assert theme_lang is not None and theme_lang.get(qn("w:val")) == "sv-SE"
    others = {name: found - {"sv-SE"} for name, found in langs.items() if found - {"sv-SE"}}
    assert not others, f"w:lang other than sv-SE: {others}"


def test_header_holds_the_memo_furniture(sample: Sample) -> None:
    case = sample.case
    header = normalise(
        "\n".join(docx_part_paragraphs(sample.docx, docx_furniture_part(sample.docx, "header")))
    )
    assert header == normalise(
        f"{sample.organisation} TJÄNSTESKRIVELSE {case.organ} Datum {case.datum.isoformat()} "
        f"Diarienummer {case.diarienummer}"
    )


def test_footer_has_page_fields(sample: Sample) -> None:
    part = docx_furniture_part(sample.docx, "footer")
    assert docx_field_instructions(sample.docx, part) == ["PAGE", "NUMPAGES"]
    footer = normalise("\n".join(docx_part_paragraphs(sample.docx, part)))
    sender = f"{sample.case.avdelning}, {sample.case.handlaggare}"
    assert footer == normalise(f"{sender} Sida {{PAGE}} ({{NUMPAGES}})")


def test_zip_entries_have_one_fixed_date(sample: Sample) -> None:
    with zipfile.ZipFile(io.BytesIO(sample.docx)) as archive:
        infos = archive.infolist()
    stamps = {info.date_time for info in infos}
    assert len(stamps) == 1, stamps
    (stamp,) = stamps
    assert datetime(*stamp, tzinfo=UTC).date() == sample.case.datum
    names = [info.filename for info in infos]
    assert names[0] == "[Content_Types].xml"
    assert len(names) == len(set(names)), "duplicate zip entries"


NESTED = """Inledning.

1. Ett
   1. ett-a
   2. ett-b
2. Två
   1. två-a

Mellan.

1. Tre
   1. tre-a
"""


def test_nested_numbered_lists_restart_at_their_own_level(tmp_path: Path) -> None:
    """A numbered list inside a numbered item restarts at 1 in Word too: its w:num carries a
    startOverride for the level its paragraphs use, or Word may continue the count."""
    decisions = write_project(tmp_path, {"n": skeleton_case(ärendebeskrivning=NESTED)})
    (written,) = [p for p in render_project(tmp_path, decisions) if p.suffix == ".docx"]
    document = docx.Document(str(written))
    numbering = Numbering(document)
    shown = docx_paragraphs(written.read_bytes())
    assert shown[3:11] == [
        "1. Ett",
        "1. ett-a",
        "2. ett-b",
        "2. Två",
        "1. två-a",
        "Mellan.",
        "1. Tre",
        "1. tre-a",
    ]
    nested = [p for p in document.paragraphs if "-a" in p.text or "-b" in p.text]
    for p in nested:
        num_id, ilvl = numbering.of(p) or ("", "")
        assert ilvl == "1", p.text
        assert numbering.nums[num_id][2].get(ilvl) == 1, (
            f"{p.text!r}: numId {num_id} overrides the start of levels "
            f"{sorted(numbering.nums[num_id][2])}, not of level {ilvl}"
        )
