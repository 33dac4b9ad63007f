"""The documents of a sammanträde: kallelse, protokoll, one protokollsutdrag per § and
the anslagsbevis, in DOCX and PDF/A.

The sample meeting in decisions/ is rendered once per module through the library
(`pipeline.render_sammantraden`) and built once (`meeting_docs.build_sammantrade`), so the many
checks below cost one render. For every document: DOCX and PDF say the same thing
(body text, page furniture), the PDF is PDF/A-2a and PDF/UA-1, the bytes do not change
between renders, and the text is exactly what the meeting file and its cases say. A
second, small project puts markup of every kind into the meeting's text fields and
checks that it comes out literally.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pikepdf
import pypdf
import pytest
import yaml
from hypothesis import assume, given, settings
from lxml import etree

from beslutsgen import pipeline
from beslutsgen.build.document import ListBlock, Paragraph, Run, parse_rich, plain_text
from beslutsgen.build.sammantrade import build_sammantrade
from beslutsgen.build.templates import Templates
from beslutsgen.build.tjanssteskrivelse import Built
from beslutsgen.load.project import LoadedSammantrade, load_project
from beslutsgen.model import fonts
from beslutsgen.model.sammantrade import Sammantrade
from beslutsgen.render.docx import DocxRenderer
from beslutsgen.render.pdf import PdfRenderer
from tests.conftest import DECISIONS, ROOT
from tests.pdfcheck import (
    W,
    assert_archival,
    docx_headings,
    outline_titles,
)
from tests.test_escaping import fold, pdf_pattern, texts
from tests.textutil import (
    docx_body_text,
    docx_field_instructions,
    docx_furniture_part,
    docx_paragraphs,
    docx_part_paragraphs,
    normalise,
    pdf_body_text,
    pdf_pages,
)

SAMPLE = DECISIONS / "rs-2025-11-25-sammantrade.yaml"
FOLDER = "regionstyrelsen-2025-11-25"
UTDRAG = ["protokollsutdrag-196", "protokollsutdrag-197", "protokollsutdrag-198"]
STEMS = ["kallelse", "protokoll", *UTDRAG, "anslagsbevis"]
FORMATS = ("docx", "pdf")

ORGANISATION = "Region Jämtland Härjedalen"
MEETING_DAY = date(2025, 11, 25)
ANSLAG = date(2025, 12, 2)
HEADINGS = {
    196: "§ 196 Fullmäktigeuppdrag för regionstyrelsen",
    197: "§ 197 Regionstyrelsens plan och budget 2026",
    198: "§ 198 Revidering av Regionstyrelsens plan och budget 2024",
}
DNR = {196: "RS 552-2025", 197: "RS/1204/2025", 198: "RS/595/2023"}


@dataclass(frozen=True)
class Expected:
    """What one document's Meta and page furniture must say."""

    doc_type: str
    title: str
    date: date
    date_label: str
    dnr: str = ""
    sign_boxes: tuple[str, ...] = ()

    @property
    def header(self) -> str:
        dnr = f" Diarienummer {self.dnr}" if self.dnr else ""
        return (
            f"{ORGANISATION} {self.doc_type.upper()} Regionstyrelsen "
            f"{self.date_label} {self.date.isoformat()}{dnr}"
        )

    def footer(self, page: int | str, pages: int | str) -> str:
        return " ".join([*self.sign_boxes, f"Sida {page} ({pages})"])


def _utdrag(number: int) -> Expected:
    return Expected(
        "Protokollsutdrag",
        HEADINGS[number],
        MEETING_DAY,
        "Sammanträdesdatum",
        DNR[number],
        ("Utdragsbestyrkande",),
    )


EXPECTED = {
    "kallelse": Expected(
        "Kallelse", "Kallelse till Regionstyrelsen 2025-11-25", MEETING_DAY, "Sammanträdesdatum"
    ),
    "protokoll": Expected(
        "Protokoll",
        "Protokoll Regionstyrelsen 2025-11-25",
        MEETING_DAY,
        "Sammanträdesdatum",
        sign_boxes=("Justerandes sign", "Utdragsbestyrkande"),
    ),
    "protokollsutdrag-196": _utdrag(196),
    "protokollsutdrag-197": _utdrag(197),
    "protokollsutdrag-198": _utdrag(198),
    "anslagsbevis": Expected(
        "Anslagsbevis", "Anslagsbevis Regionstyrelsen 2025-11-25", ANSLAG, "Datum"
    ),
}
# A table that breaks across pages repeats its header row, which the PDF marks as an
# artifact (PDF/UA): page text extraction then finds it with the running header.
VOTE_TABLE_HEAD = "Ledamot Ja Nej Avstår"


@dataclass(frozen=True)
class Rendered:
    """One document of the sample meeting: as built, and its bytes per format."""

    stem: str
    built: Built
    docx: bytes
    pdf: bytes


# --- the sample, rendered and built once --------------------------------------------------


@pytest.fixture(scope="module")
def sample_render(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("meeting")
    written, project = pipeline.render_sammantraden([SAMPLE], pipeline.Settings(ROOT, out))
    assert [m.path for m in project.meetings] == [SAMPLE]
    assert project.warnings == []
    return out, written


@pytest.fixture(scope="module")
def documents(sample_render: tuple[Path, list[Path]]) -> dict[str, Rendered]:
    out, _ = sample_render
    project = load_project([SAMPLE], ROOT)
    (loaded,) = project.meetings
    built = build_sammantrade(loaded, project.profile, Templates(ROOT / "templates"))
    assert built.folder == FOLDER
    folder = out / FOLDER
    return {
        one.stem: Rendered(
            one.stem,
            one,
            (folder / f"{one.stem}.docx").read_bytes(),
            (folder / f"{one.stem}.pdf").read_bytes(),
        )
        for one in built.documents
    }


@pytest.fixture(params=STEMS)
def doc(request: pytest.FixtureRequest, documents: dict[str, Rendered]) -> Rendered:
    return documents[request.param]


def tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def page_count(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def docx_furniture(
    data: bytes, kind: str, fields: dict[str, str] | None = None, first_page: bool = True
) -> str:
    part = docx_furniture_part(data, kind, first_page=first_page)
    return normalise("\n".join(docx_part_paragraphs(data, part, fields)))


def assert_in_order(text: str, items: list[str]) -> None:
    """Every item occurs in `text`, each after the one before it."""
    position = 0
    for item in items:
        found = text.find(item, position)
        assert found >= 0, f"{item!r} not found after …{text[max(0, position - 80) : position]!r}"
        position = found + len(item)


# --- what is written -----------------------------------------------------------------------


def test_the_meeting_writes_its_folder_and_nothing_else(
    sample_render: tuple[Path, list[Path]],
) -> None:
    out, written = sample_render
    names = [f"{stem}.{fmt}" for stem in STEMS for fmt in FORMATS]
    assert written == [out / FOLDER / name for name in names]
    assert tree(out) == {FOLDER, *(f"{FOLDER}/{name}" for name in names)}


def test_documents_in_order_with_their_meta(documents: dict[str, Rendered]) -> None:
    assert list(documents) == STEMS
    for stem, one in documents.items():
        meta = one.built.document.meta
        want = EXPECTED[stem]
        assert (meta.doc_type, meta.title, meta.date, meta.date_label, meta.dnr) == (
            want.doc_type,
            want.title,
            want.date,
            want.date_label,
            want.dnr,
        ), stem
        assert meta.sign_boxes == want.sign_boxes, stem
        assert (meta.organisation, meta.organ, meta.author, meta.lang) == (
            ORGANISATION,
            "Regionstyrelsen",
            "Anna-Karin Edvardsen",
            "sv-SE",
        ), stem


# --- parity: the DOCX and the PDF say the same -------------------------------------------


def test_body_text_is_identical(doc: Rendered) -> None:
    docx_text = normalise(docx_body_text(doc.docx))
    pdf_text = normalise(pdf_body_text(doc.pdf))
    assert docx_text, "the DOCX body is empty"
    assert docx_text == pdf_text


def test_body_leaves_out_the_furniture(doc: Rendered) -> None:
    for text in (normalise(docx_body_text(doc.docx)), normalise(pdf_body_text(doc.pdf))):
        assert EXPECTED[doc.stem].doc_type.upper() not in text
        assert "Sida 1 (" not in text


@pytest.mark.parametrize("kind", ["header", "footer"])
def test_page_one_furniture_is_identical_and_exact(doc: Rendered, kind: str) -> None:
    pages = page_count(doc.pdf)
    fields = {"PAGE": "1", "NUMPAGES": str(pages)}
    want = EXPECTED[doc.stem]
    expected = want.header if kind == "header" else want.footer(1, pages)
    assert docx_furniture(doc.docx, kind, fields) == expected
    assert normalise(getattr(pdf_pages(doc.pdf)[0], kind)) == expected


def test_pdf_furniture_on_every_page(doc: Rendered) -> None:
    pages = pdf_pages(doc.pdf)
    want = EXPECTED[doc.stem]
    for number, page in enumerate(pages, start=1):
        header = normalise(page.header)
        assert header in (want.header, f"{want.header} {VOTE_TABLE_HEAD}"), number
        assert normalise(page.footer) == want.footer(number, len(pages)), number


def test_docx_footer_on_every_page_has_boxes_and_live_page_fields(doc: Rendered) -> None:
    want = EXPECTED[doc.stem]
    for first in (True, False):
        part = docx_furniture_part(doc.docx, "footer", first_page=first)
        assert docx_field_instructions(doc.docx, part) == ["PAGE", "NUMPAGES"]
        assert docx_furniture(doc.docx, "footer", first_page=first) == want.footer(
            "{PAGE}", "{NUMPAGES}"
        )
        assert docx_furniture(doc.docx, "header", first_page=first) == want.header


def test_justerandes_sign_on_every_page_of_the_protocol(documents: dict[str, Rendered]) -> None:
    protokoll = documents["protokoll"]
    pages = pdf_pages(protokoll.pdf)
    assert len(pages) >= 4  # the head, then each § on a page of its own
    for number, page in enumerate(pages, start=1):
        assert normalise(page.footer).startswith("Justerandes sign Utdragsbestyrkande "), number
    for first in (True, False):
        assert "Justerandes sign" in docx_furniture(protokoll.docx, "footer", first_page=first)
    for stem in ("kallelse", *UTDRAG, "anslagsbevis"):
        assert "Justerandes sign" not in normalise(pdf_pages(documents[stem].pdf)[0].footer)


# --- PDF/A-2a and PDF/UA-1 -------------------------------------------------------------------

@pytest.fixture
def pdf(doc: Rendered) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(doc.pdf))


def test_archival_pdf(pdf: pikepdf.Pdf, doc: Rendered) -> None:
    """PDF/A-2a + PDF/UA-1 claimed, title, sv-SE, tagged, fonts embedded; the secretary as
    author."""
    assert_archival(pdf, EXPECTED[doc.stem].title)
    assert str(pdf.docinfo.get("/Author")) == "Anna-Karin Edvardsen"


def test_docx_title_matches_the_pdf(doc: Rendered) -> None:
    core = docx.Document(io.BytesIO(doc.docx)).core_properties
    want = EXPECTED[doc.stem]
    assert (core.title, core.author, core.keywords) == (
        want.title,
        "Anna-Karin Edvardsen",
        want.dnr,
    )


def test_pdf_bookmarks_are_the_docx_headings(pdf: pikepdf.Pdf, doc: Rendered) -> None:
    headings = docx_headings(doc.docx, ("Heading1", "Heading2", "Heading3"))
    assert outline_titles(pdf) == headings
    assert headings[0] == docx_paragraphs(doc.docx)[0]


# --- determinism ---------------------------------------------------------------------------


def test_rendering_again_gives_the_same_bytes(
    sample_render: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    """Also when two worker processes render them (`beslutsgen meeting -j 2`)."""
    first, written = sample_render
    settings = pipeline.Settings(ROOT, tmp_path / "again")
    again, _ = pipeline.render_sammantraden([SAMPLE], settings, jobs=2)
    assert [p.relative_to(tmp_path / "again") for p in again] == [
        p.relative_to(first) for p in written
    ]
    differing = [
        p.name for p, q in zip(written, again, strict=True) if p.read_bytes() != q.read_bytes()
    ]
    assert differing == []


# --- what the documents say ----------------------------------------------------------------

PROTOKOLL_HEAD = [
    "Regionstyrelsen",
    "Plats och tid",
    "Regionens hus, sammanträdesrum Storsjön, Östersund\n2025-11-25 kl. 09.00–12.00, 13.00–15.30",
    "Beslutande",
    "\n".join(
        [
            "Tomas Andreasson (C), ordförande",
            "Marie Svensson (S)",
            "Robert Ullén (V)",
            "Karin Jonsson (C)",
            "Daniel Danielsson (S)",
            "Maria Söderberg (M)",
            "Jonas Lindberg (SD)",
            "Ingrid Hellström (KD), ersätter Lars Wikström",
            "Per Bergqvist (L)",
            "Elin Åberg (S), tjänstgörande ersättare för Per Bergqvist § 198",
        ]
    ),
    "Ersättare",
    "Mats Norberg (M)",
    "Övriga närvarande",
    "\n".join(
        [
            "Sara Lewerentz, Regiondirektör",
            "Mikael Ferm, Regionstabschef",
            "Johanna Öberg, Controller, §§ 196–197",
            "Sandra Hedman, Nämndsekreterare, §§ 197–198",
        ]
    ),
    "Utses att justera",
    "Marie Svensson och Maria Söderberg",
    "Justeringens plats och tid",
    "Regionens hus, Östersund, 2025-12-01",
    "Paragrafer",
    "§§ 196–198",
    "Underskrifter",
    "Anna-Karin Edvardsen",
    "Sekreterare",
    "Tomas Andreasson",
    "Ordförande",
    "Marie Svensson",
    "Justerare",
    "Maria Söderberg",
    "Justerare",
    HEADINGS[196],
]
SIGNATURES = [
    "Tomas Andreasson",
    "Ordförande",
    "Marie Svensson",
    "Justerare",
    "Maria Söderberg",
    "Justerare",
]


def both_bodies(one: Rendered) -> list[str]:
    return [normalise(docx_body_text(one.docx)), normalise(pdf_body_text(one.pdf))]


def test_protocol_head_exactly(documents: dict[str, Rendered]) -> None:
    paragraphs = docx_paragraphs(documents["protokoll"].docx)
    assert paragraphs[: len(PROTOKOLL_HEAD)] == PROTOKOLL_HEAD


def test_protocol_in_order(documents: dict[str, Rendered]) -> None:
    items = [
        "Plats och tid",
        "Beslutande",
        "Tomas Andreasson (C), ordförande",
        "Ingrid Hellström (KD), ersätter Lars Wikström",
        "Ersättare",
        "Övriga närvarande",
        "Johanna Öberg, Controller, §§ 196–197",
        "Utses att justera",
        "Justeringens plats och tid",
        "Paragrafer",
        "§§ 196–198",
        "Underskrifter",
        "Anna-Karin Edvardsen Sekreterare",
        "Tomas Andreasson Ordförande",
        "Marie Svensson Justerare",
        "Maria Söderberg Justerare",
        HEADINGS[196],
        HEADINGS[197],
        HEADINGS[198],
    ]
    for text in both_bodies(documents["protokoll"]):
        assert_in_order(text, [normalise(item) for item in items])


def test_each_paragraf_starts_a_page_of_the_protocol(documents: dict[str, Rendered]) -> None:
    bodies = [normalise(page.body) for page in pdf_pages(documents["protokoll"].pdf)]
    assert bodies[0].startswith("Regionstyrelsen Plats och tid ")
    starts = [i for i, body in enumerate(bodies) for h in HEADINGS.values() if body.startswith(h)]
    assert len(starts) == 3 and starts == sorted(starts) and starts[0] > 0


def _sections(paragraphs: list[str]) -> dict[int, list[str]]:
    """The protocol's paragraphs per §, each from its heading to the next."""
    found: dict[int, list[str]] = {}
    current: list[str] | None = None
    for text in paragraphs:
        number = next((n for n, h in HEADINGS.items() if text == h), None)
        if number is not None:
            current = found[number] = []
        if current is not None:
            current.append(text)
    return found


@pytest.mark.parametrize("number", [196, 197, 198])
def test_utdrag_tells_the_paragraf_in_the_protocol_s_words(
    documents: dict[str, Rendered], number: int
) -> None:
    """The utdrag is its § exactly as the protocol has it, then the certification."""
    sections = _sections(docx_paragraphs(documents["protokoll"].docx))
    utdrag = docx_paragraphs(documents[f"protokollsutdrag-{number}"].docx)
    end = utdrag.index("Justering och utdragsbestyrkande")
    assert utdrag[:2] == [HEADINGS[number], DNR[number]]
    assert utdrag[:end] == sections[number]
    others = [h for n, h in HEADINGS.items() if n != number]
    for text in both_bodies(documents[f"protokollsutdrag-{number}"]):
        assert not any(h in text for h in others)


LAGLIGHETSPROVNING = [
    "Hur man överklagar – laglighetsprövning",
    "Den som är medlem i regionen kan överklaga beslutet genom laglighetsprövning hos "
    "Förvaltningsrätten i Härnösand (13 kap. kommunallagen).",
    "Överklagandet ska ha kommit in till Förvaltningsrätten i Härnösand inom tre veckor från "
    "den dag då justeringen av protokollet tillkännagavs på anslagstavlan, {anslag}. Sista dag "
    "för överklagande är {sista}.",
    "Ange vilket beslut som överklagas (organ, sammanträdesdatum och paragraf) och varför. "
    "Beslutet kan upphävas om det inte har kommit till på lagligt sätt, om det inte hör till "
    "kommunens eller regionens angelägenheter, om organet har överskridit sina befogenheter "
    "eller om beslutet strider mot lag eller annan författning (13 kap. 8 § kommunallagen).",
    "Alla skäl för överklagandet ska ha angetts inom överklagandetiden; skäl som kommer in "
    "senare prövas inte (13 kap. 6 § kommunallagen).",
]
# The appeal information each utdrag ends with: § 196 has none (seed 003 has none), § 197
# counts from the protocol's anslag, § 198 from its own (it was justerad at the meeting).
APPEAL = {
    "protokollsutdrag-196": [],
    "protokollsutdrag-197": [
        line.format(anslag="2 december 2025", sista="23 december 2025")
        for line in LAGLIGHETSPROVNING
    ],
    "protokollsutdrag-198": [
        line.format(anslag="26 november 2025", sista="17 december 2025")
        for line in LAGLIGHETSPROVNING
    ],
}


@pytest.mark.parametrize("stem", UTDRAG)
def test_every_utdrag_ends_certified(documents: dict[str, Rendered], stem: str) -> None:
    justerat = (
        "Omedelbart justerat 2025-11-25 vid sammanträdet. Justeringen tillkännages på "
        "anslagstavlan 2025-11-26; sista dag för överklagande är 2025-12-17."
        if stem == "protokollsutdrag-198"
        else "Justerat 2025-12-01, Regionens hus, Östersund."
    )
    tail = [
        "Justering och utdragsbestyrkande",
        justerat,
        *SIGNATURES,
        "Rätt utdraget intygar",
        "Anna-Karin Edvardsen",
        "Sekreterare",
        *APPEAL[stem],
    ]
    one = documents[stem]
    assert docx_paragraphs(one.docx)[-len(tail) :] == tail
    assert normalise(pdf_body_text(one.pdf)).endswith(" " + normalise(" ".join(tail)))


def _table(data: bytes, first_cell: str) -> list[list[str]]:
    for table in docx.Document(io.BytesIO(data)).tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and rows[0][0] == first_cell:
            return rows
    raise AssertionError(f"no table starting {first_cell!r}")


VOTE_ROWS = [
    ["Ledamot", "Ja", "Nej", "Avstår"],
    ["Tomas Andreasson (C)", "X", "", ""],
    ["Marie Svensson (S)", "X", "", ""],
    ["Robert Ullén (V)", "X", "", ""],
    ["Karin Jonsson (C)", "X", "", ""],
    ["Daniel Danielsson (S)", "X", "", ""],
    ["Maria Söderberg (M)", "", "X", ""],
    ["Jonas Lindberg (SD)", "", "", "X"],
    ["Ingrid Hellström (KD)", "", "X", ""],
    ["Per Bergqvist (L)", "X", "", ""],
    ["Summa", "6", "2", "1"],
]


@pytest.mark.parametrize("stem", ["protokoll", "protokollsutdrag-197"])
def test_the_vote_of_197(documents: dict[str, Rendered], stem: str) -> None:
    one = documents[stem]
    assert _table(one.docx, "Ledamot") == VOTE_ROWS
    paragraphs = docx_paragraphs(one.docx)
    for expected in (
        "Ja för att avgöra ärendet i dag, nej för återremiss.",
        "Omröstningen ger 6 ja, 2 nej och 1 avstår. "
        "Regionstyrelsen har beslutat enligt ja-propositionen.",
        "Maria Söderberg (M) reserverar sig mot beslutet. "
        "Investeringsramen bör prövas på nytt innan budgeten fastställs.",
    ):
        assert expected in paragraphs
    note = paragraphs.index("Jonas Lindberg (SD) antecknar:")
    assert paragraphs[note + 1] == (
        "Sverigedemokraterna avvaktar den slutliga budgeten i regionfullmäktige."
    )
    for text in both_bodies(one):
        assert_in_order(
            text,
            [
                "Yrkanden",
                "• Marie Svensson (S): Bifall till regiondirektörens förslag.",
                "• Maria Söderberg (M): Återremiss av ärendet för en ny analys av "
                "investeringsramen.",
                "Omröstning Ja för att avgöra ärendet i dag, nej för återremiss.",
                "Ledamot Ja Nej Avstår Tomas Andreasson (C) X",
                "Summa 6 2 1",
                "Omröstningen ger 6 ja, 2 nej och 1 avstår.",
                "Beslut Regiondirektörens förslag",
                "Reservationer Maria Söderberg (M) reserverar sig mot beslutet.",
                "Protokollsanteckningar Jonas Lindberg (SD) antecknar: "
                "Sverigedemokraterna avvaktar den slutliga budgeten i regionfullmäktige.",
            ],
        )


def test_jav_and_immediate_justering_of_198(documents: dict[str, Rendered]) -> None:
    one = documents["protokollsutdrag-198"]
    paragraphs = docx_paragraphs(one.docx)
    beslut = paragraphs.index("Beslut")
    assert paragraphs[beslut : beslut + 6] == [
        "Beslut",
        "1. Regiondirektören får i uppdrag att fortsätta arbetet med åtgärder för en "
        "ekonomi i balans.",
        "2. Reviderad plan och budget fastställs enligt förslag.",
        "Paragrafen är omedelbart justerad.",
        "Jäv",
        "Per Bergqvist (L) anmäler jäv och deltar inte i handläggningen.",
    ]
    # Who decided § 198 differs from the upprop: Elin Åberg in Per Bergqvist's seat.
    assert paragraphs[2] == (
        "Beslutande vid paragrafen: Tomas Andreasson (C), Marie Svensson (S), Robert Ullén "
        "(V), Karin Jonsson (C), Daniel Danielsson (S), Maria Söderberg (M), Jonas Lindberg "
        "(SD), Ingrid Hellström (KD) och Elin Åberg (S)."
    )
    for text in both_bodies(one):
        assert_in_order(
            text,
            [
                "Paragrafen är omedelbart justerad.",
                "Per Bergqvist (L) anmäler jäv och deltar inte i handläggningen.",
                "Omedelbart justerat 2025-11-25 vid sammanträdet.",
            ],
        )
        assert "Justerat 2025-12-01" not in text
    # The § without a vote has no vote table, and 196 and 198 have no yrkanden.
    for stem in ("protokollsutdrag-196", "protokollsutdrag-198"):
        for heading in ("Omröstning", "Yrkanden", "Reservationer", "Protokollsanteckningar"):
            assert heading not in docx_paragraphs(documents[stem].docx), (stem, heading)


def test_enligt_forslag_repeats_the_proposal_as_the_decision(
    documents: dict[str, Rendered],
) -> None:
    paragraphs = docx_paragraphs(documents["protokollsutdrag-196"].docx)
    proposal = paragraphs.index("Förslag till beslut")
    beslut = paragraphs.index("Beslut")
    assert paragraphs[proposal + 1 : beslut] == paragraphs[beslut + 1 : beslut + beslut - proposal]
    assert paragraphs[beslut + 1] == "Arbetsutskottet föreslår att regionstyrelsens beslutar"


def test_anslagsbevis_exactly(documents: dict[str, Rendered]) -> None:
    storage = load_project([SAMPLE], ROOT).profile.forvaringsplats
    assert storage == "Regionens hus, Kansliavdelningen, Östersund"
    assert docx_paragraphs(documents["anslagsbevis"].docx) == [
        "Anslagsbevis",
        "Protokollet är justerat. Justeringen har tillkännagivits genom anslag.",
        "Organ",
        "Regionstyrelsen",
        "Sammanträdesdatum",
        "2025-11-25",
        "Paragrafer",
        "§§ 196–198",
        "Förvaringsplats för protokollet",
        storage,
        # § 198 was justerad at the meeting: its own anslag, its own appeal time.
        "Omedelbart justerade paragrafer, § 198",
        "Omedelbart justerade",
        "2025-11-25",
        "Anslaget sätts upp",
        "2025-11-26",
        "Sista dag för överklagande",
        "2025-12-17",
        "Anslaget tas ned",
        "2025-12-18",
        "Övriga paragrafer, §§ 196–197",
        "Protokollet justerades",
        "2025-12-01",
        "Anslaget sätts upp",
        "2025-12-02",
        "Sista dag för överklagande",
        "2025-12-23",
        "Anslaget tas ned",
        "2025-12-24",
        "Om laglighetsprövning",
        "Den som är medlem i regionen kan överklaga besluten i protokollet genom "
        "laglighetsprövning hos Förvaltningsrätten i Härnösand (13 kap. kommunallagen). "
        "Överklagandet ska ha kommit in till förvaltningsrätten inom tre veckor från den dag då "
        "justeringen av protokollet tillkännagavs på anslagstavlan (se sista dag för "
        "överklagande ovan).",
        *LAGLIGHETSPROVNING[3:],
        "Anna-Karin Edvardsen",
        "Sekreterare",
    ]


def test_kallelse_exactly(documents: dict[str, Rendered]) -> None:
    """Föredragande is each case's handläggare: no § of the sample names another."""
    one = documents["kallelse"]
    assert _table(one.docx, "Nr") == [
        ["Nr", "Ärende", "Diarienummer", "Föredragande"],
        ["1", "Fullmäktigeuppdrag för regionstyrelsen", "RS 552-2025", "Johanna Öberg"],
        ["2", "Regionstyrelsens plan och budget 2026", "RS/1204/2025", "Sandra Hedman"],
        [
            "3",
            "Revidering av Regionstyrelsens plan och budget 2024",
            "RS/595/2023",
            "Sandra Hedman",
        ],
    ]
    assert docx_paragraphs(one.docx)[:8] == [
        "Kallelse till sammanträde",
        "Regionstyrelsen kallas till sammanträde.",
        "Tid",
        "25 november 2025 kl. 09.00–12.00, 13.00–15.30",
        "Plats",
        "Regionens hus, sammanträdesrum Storsjön, Östersund",
        "Förhinder anmäls till sekretariatet, 063-14 75 00, så att en ersättare kan kallas.",
        "Föredragningslista",
    ]
    # Each item with its number, dnr, föredragande and förslag till beslut.
    paragraphs = docx_paragraphs(one.docx)
    item = paragraphs.index("2. Regionstyrelsens plan och budget 2026")
    assert paragraphs[item : item + 8] == [
        "2. Regionstyrelsens plan och budget 2026",
        "Diarienummer",
        "RS/1204/2025",
        "Föredragande",
        "Sandra Hedman",
        "Regiondirektörens förslag",
        "1. Regionstyrelsens plan och budget 2026, inklusive åtgärdsplan för ekonomi i balans, "
        "fastställs.",
        "2. Upprättad åtgärdsplan för en ekonomi i balans ska återredovisas till "
        "regionfullmäktige på deras möte i oktober 2025.",
    ]
    assert docx_paragraphs(one.docx)[-4:] == [
        "Tomas Andreasson",
        "Ordförande",
        "Anna-Karin Edvardsen",
        "Sekreterare",
    ]


# --- text is data: markup in a meeting's fields comes out literally ------------------------

PROFILE = """\
organisation: Region Provland
i_tjänsten:
  - {namn: Sara Lewerentz, titel: Regiondirektör}
förvaringsplats: Profilens arkiv, Provstad
"""
ORGAN = "Styrelsen {{ 7*7 }} <w:p>"
CASE = """\
typ: tjänsteskrivelse
organ: 'Styrelsen {{ 7*7 }} <w:p>'
diarienummer: DNR
datum: 2026-01-15
avdelning: Sekretariatet
handläggare: HANDLAGGARE
rubrik: RUBRIK
ärendebeskrivning: Ett ärende.
förslag:
  rubrik: Förslag
  punkter: [Förslaget godkänns.]
utdrag_till: [Regionstabschef]
"""
NASTY_PLAIN = '{{ 7*7 }} #read("/etc/passwd") $x$ <w:p> &amp; *not emphasis* [link](x)'
NASTY_MEETING = """\
typ: sammanträde
organ: 'Styrelsen {{ 7*7 }} <w:p>'
datum: 2026-01-27
tid: "09.00–12.00"
plats: 'Rum {{ 7*7 }} #read("/etc/passwd") $x$ <w:p> &amp; *not emphasis* [link](x)'
ordförande: 'Anna {% raw %} Ordförande'
sekreterare: 'Sven {{ sekreterare }} Sekreterare'
ledamöter:
  - {namn: Ledamot Ett, parti: S}
  - {namn: 'Ledamot *Två* <w:t>', parti: '$M$'}
övriga_närvarande:
  - {namn: Olle Övrig, titel: '#set text(red) ]]>'}
justerare: [Ledamot Ett, 'Ledamot *Två* <w:t>']
justering:
  datum: 2026-02-02
  plats: 'Justeringsrum @ref <ref> `kod`'
anslag: 2026-02-03
förvaringsplats: 'Arkiv ]]> &#65; \\ `kod`'
paragrafer:
  - nummer: 1
    ärende: RS/100/2026
    föredragande: 'Fö {{ föredragande }} #read("x")'
    yrkanden:
      - av: Ledamot Ett (S)
        yrkande: 'Bifall {{ 7*7 }} #read("/etc/passwd") $x$ <w:p> &amp; *not emphasis* [link](x)'
    omröstning:
      fråga: 'Ja för {{ 7*7 }}, nej för $x$'
      ja: ['Anna {% raw %} Ordförande', Ledamot Ett]
      nej: ['Ledamot *Två* <w:t>']
    reservationer:
      - namn: 'Ledamot *Två* <w:t>'
        motivering: 'Motivering {{ 7*7 }} #read("/etc/passwd") $x$ <w:p> &amp;
          *not emphasis* [link](x)'
    protokollsanteckningar:
      - namn: Ledamot Ett
        text: 'Anteckning {{ 7*7 }} #read("/etc/passwd") $x$ <w:p> &amp; *betonat* [link](x)'
    beslut: |
      Beslut {{ 7*7 }} #read("/etc/passwd") $x$ <w:p> &amp; [link](x) a_b_c.

      - punkt *ett*
      - punkt {% raw %}
    expedieras_till: ['Mottagare {{ 7*7 }}', '<w:p>']
  - nummer: 2
    ärende: RS/101/2026
"""
NASTY_FOLDER = "styrelsen-7-7-w-p-2026-01-27"
NASTY_STEMS = ["kallelse", "protokoll", "protokollsutdrag-1", "protokollsutdrag-2", "anslagsbevis"]


def write_nasty_project(root: Path) -> Path:
    """A profile, two cases and the meeting above; returns the meeting file."""
    (root / "beslutsgen.yaml").write_text(PROFILE, "utf-8")
    decisions = root / "decisions"
    decisions.mkdir()
    for dnr, handlaggare, rubrik in (
        ("RS/100/2026", "Sandra Hedman", "'Inköp {{ 7*7 }}'"),
        ("RS/101/2026", "'Hand {{ läggare }} <w:t>'", "'Andra ärendet #read(\"x\")'"),
    ):
        text = CASE.replace("DNR", dnr).replace("HANDLAGGARE", handlaggare)
        text = text.replace("RUBRIK", rubrik)
        (decisions / f"{dnr.replace('/', '-').lower()}.yaml").write_text(text, "utf-8")
    meeting = decisions / "m.yaml"
    meeting.write_text(NASTY_MEETING, "utf-8")
    return meeting


@pytest.fixture(scope="module")
def nasty(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bytes, bytes]]:
    root = tmp_path_factory.mktemp("nasty")
    meeting = write_nasty_project(root)
    settings = pipeline.Settings(root, root / "out")
    written, project = pipeline.render_sammantraden([meeting], settings)
    assert project.warnings == []
    assert {p.parent.name for p in written} == {NASTY_FOLDER}
    folder = root / "out" / NASTY_FOLDER
    return {
        stem: ((folder / f"{stem}.docx").read_bytes(), (folder / f"{stem}.pdf").read_bytes())
        for stem in NASTY_STEMS
    }


NASTY_HEADERS = {
    "kallelse": f"Region Provland KALLELSE {ORGAN} Sammanträdesdatum 2026-01-27",
    "protokoll": f"Region Provland PROTOKOLL {ORGAN} Sammanträdesdatum 2026-01-27",
    "protokollsutdrag-1": f"Region Provland PROTOKOLLSUTDRAG {ORGAN} Sammanträdesdatum "
    "2026-01-27 Diarienummer RS/100/2026",
    "protokollsutdrag-2": f"Region Provland PROTOKOLLSUTDRAG {ORGAN} Sammanträdesdatum "
    "2026-01-27 Diarienummer RS/101/2026",
    "anslagsbevis": f"Region Provland ANSLAGSBEVIS {ORGAN} Datum 2026-02-03",
}


@pytest.mark.parametrize("stem", NASTY_STEMS)
def test_nasty_meeting_parity_and_furniture(
    nasty: dict[str, tuple[bytes, bytes]], stem: str
) -> None:
    docx_bytes, pdf_bytes = nasty[stem]
    assert normalise(docx_body_text(docx_bytes)) == normalise(pdf_body_text(pdf_bytes))
    pages = pdf_pages(pdf_bytes)
    fields = {"PAGE": "1", "NUMPAGES": str(len(pages))}
    header = normalise(NASTY_HEADERS[stem])
    assert docx_furniture(docx_bytes, "header", fields) == header
    assert normalise(pages[0].header) == header
    assert docx_furniture(docx_bytes, "footer", fields) == normalise(pages[0].footer)


def _pdf_contains(expected: str, pdf_bytes: bytes) -> bool:
    return re.search(pdf_pattern(expected), pdf_body_text(pdf_bytes)) is not None


YRKANDE = f"• Ledamot Ett (S): Bifall {NASTY_PLAIN}"
RESERVATION = f"Ledamot *Två* <w:t> ($M$) reserverar sig mot beslutet. Motivering {NASTY_PLAIN}"


def test_plain_fields_come_out_literally(nasty: dict[str, tuple[bytes, bytes]]) -> None:
    protokoll_docx, protokoll_pdf = nasty["protokoll"]
    paragraphs = docx_paragraphs(protokoll_docx)
    expected = [
        ORGAN,
        f"Rum {NASTY_PLAIN}\n2026-01-27 kl. 09.00–12.00",
        "Anna {% raw %} Ordförande, ordförande\nLedamot Ett (S)\nLedamot *Två* <w:t> ($M$)",
        "Olle Övrig, #set text(red) ]]>",
        "Ledamot Ett och Ledamot *Två* <w:t>",
        "Justeringsrum @ref <ref> `kod`, 2026-02-02",
        "Sven {{ sekreterare }} Sekreterare",
        "Anna {% raw %} Ordförande",
        "Ledamot *Två* <w:t>",
        "§ 1 Inköp {{ 7*7 }}",
        YRKANDE,
        "Ja för {{ 7*7 }}, nej för $x$",
        RESERVATION,
        "Mottagare {{ 7*7 }} och <w:p>",
    ]
    for item in expected:
        assert item in paragraphs, item
        assert _pdf_contains(item, protokoll_pdf), item
    utdrag_docx, utdrag_pdf = nasty["protokollsutdrag-1"]
    for item in (YRKANDE, RESERVATION, "Justerat 2026-02-02, Justeringsrum @ref <ref> `kod`."):
        assert item in docx_paragraphs(utdrag_docx), item
        assert _pdf_contains(item, utdrag_pdf), item
    assert 'Andra ärendet #read("x")' in "\n".join(docx_paragraphs(nasty["kallelse"][0]))


def test_kallelse_names_the_foredragande(nasty: dict[str, tuple[bytes, bytes]]) -> None:
    """The § that names a föredragande shows it; the other shows its case's handläggare."""
    docx_bytes, pdf_bytes = nasty["kallelse"]
    assert _table(docx_bytes, "Nr") == [
        ["Nr", "Ärende", "Diarienummer", "Föredragande"],
        ["1", "Inköp {{ 7*7 }}", "RS/100/2026", 'Fö {{ föredragande }} #read("x")'],
        ["2", 'Andra ärendet #read("x")', "RS/101/2026", "Hand {{ läggare }} <w:t>"],
    ]
    assert _pdf_contains(f"Plats Rum {NASTY_PLAIN}", pdf_bytes)
    assert _pdf_contains(f"{ORGAN} kallas till sammanträde.", pdf_bytes)


def test_forvaringsplats_of_the_meeting_wins(nasty: dict[str, tuple[bytes, bytes]]) -> None:
    docx_bytes, pdf_bytes = nasty["anslagsbevis"]
    paragraphs = docx_paragraphs(docx_bytes)
    place = paragraphs.index("Förvaringsplats för protokollet")
    assert paragraphs[place + 1] == "Arkiv ]]> &#65; \\ `kod`"
    assert _pdf_contains("Arkiv ]]> &#65; \\ `kod`", pdf_bytes)
    assert "Profilens arkiv" not in docx_body_text(docx_bytes)


ANTECKNING = 'Anteckning {{ 7*7 }} #read("/etc/passwd") $x$ <w:p> &amp; *betonat* [link](x)'
BESLUT = (
    'Beslut {{ 7*7 }} #read("/etc/passwd") $x$ <w:p> &amp; [link](x) a_b_c.\n\n'
    "- punkt *ett*\n- punkt {% raw %}"
)


def test_rich_fields_follow_the_restricted_markdown() -> None:
    """Only emphasis and lists are markup; template, Typst, XML and link syntax is text."""
    literal = '{{ 7*7 }} #read("/etc/passwd") $x$ <w:p> &amp;'
    assert parse_rich(ANTECKNING) == (
        Paragraph(
            (
                Run(f"Anteckning {literal} "),
                Run("betonat", italic=True),
                Run(" [link](x)"),
            )
        ),
    )
    assert parse_rich(BESLUT) == (
        Paragraph((Run(f"Beslut {literal} [link](x) a_b_c."),)),
        ListBlock(
            False,
            (
                (Paragraph((Run("punkt "), Run("ett", italic=True))),),
                (Paragraph((Run("punkt {% raw %}"),)),),
            ),
        ),
    )


@pytest.mark.parametrize("stem", ["protokoll", "protokollsutdrag-1"])
def test_rich_fields_come_out_as_parsed(nasty: dict[str, tuple[bytes, bytes]], stem: str) -> None:
    docx_bytes, pdf_bytes = nasty[stem]
    paragraphs = docx_paragraphs(docx_bytes)
    literal = '{{ 7*7 }} #read("/etc/passwd") $x$ <w:p> &amp;'
    (parsed,) = parse_rich(ANTECKNING)
    assert isinstance(parsed, Paragraph)
    anteckning = plain_text(parsed.runs)
    assert anteckning == f"Anteckning {literal} betonat [link](x)"
    note = paragraphs.index("Ledamot Ett (S) antecknar:")
    assert paragraphs[note + 1] == anteckning
    beslut = paragraphs.index("Beslut")
    assert paragraphs[beslut + 1 : beslut + 4] == [
        f"Beslut {literal} [link](x) a_b_c.",
        "• punkt ett",
        "• punkt {% raw %}",
    ]
    for item in (anteckning, *paragraphs[beslut + 1 : beslut + 4]):
        assert _pdf_contains(item, pdf_bytes), item
    # *betonat* is italic in Word too.
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    italic = [
        "".join(t.text or "" for t in r.iter(f"{W}t"))
        for r in body.iter(f"{W}r")
        if r.find(f"{W}rPr/{W}i") is not None
    ]
    assert italic == ["ett", "betonat"]  # the beslut comes before the anteckning


# --- any text in a yrkande ---------------------------------------------------------------


@pytest.fixture(scope="module")
def yrkande_setup(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[LoadedSammantrade, Any, Templates, DocxRenderer, PdfRenderer, dict[str, Any]]:
    root = tmp_path_factory.mktemp("yrkande")
    meeting_path = write_nasty_project(root)
    project = load_project([meeting_path], root)
    (loaded,) = project.meetings
    data = yaml.safe_load(meeting_path.read_text("utf-8"))
    templates = Templates(root / "templates")
    return loaded, project.profile, templates, DocxRenderer(), PdfRenderer(), data


@settings(max_examples=15, deadline=None)
@given(text=texts(24, 3))
def test_any_yrkande_comes_out_literally(
    yrkande_setup: tuple[
        LoadedSammantrade, Any, Templates, DocxRenderer, PdfRenderer, dict[str, Any]
    ],
    text: str,
) -> None:
    loaded, profile, templates, docx_renderer, pdf_renderer, data = yrkande_setup
    assume(not fonts.missing_glyphs(text))
    data["paragrafer"][0]["yrkanden"] = [{"av": "Ledamot Ett (S)", "yrkande": text}]
    meeting = Sammantrade.model_validate(data)
    assert meeting.paragrafer[0].yrkanden[0].yrkande == fold(text)
    changed = LoadedSammantrade(loaded.path, meeting, loaded.arenden)
    built = build_sammantrade(changed, profile, templates)
    (utdrag,) = [one for one in built.documents if one.stem == "protokollsutdrag-1"]
    docx_bytes = docx_renderer.render(utdrag.document, utdrag.style)
    pdf_bytes = pdf_renderer.render(utdrag.document, utdrag.style)
    expected = f"• Ledamot Ett (S): {fold(text)}"
    paragraphs = docx_paragraphs(docx_bytes)
    assert paragraphs[paragraphs.index("Yrkanden") + 1] == expected
    assert _pdf_contains(expected, pdf_bytes)
    assert normalise(docx_body_text(docx_bytes)) == normalise(pdf_body_text(pdf_bytes))
