"""The print bundle for a recipient by post is one PDF/A-2a + PDF/UA-1 file, compiled in
one Typst pass: the cover letter, then every utdrag in full, each part numbering its own
pages and bookmarked, the same bytes every time.

The sample meeting sends § 198 by post to "Samverkansgruppen för kommunerna i Jämtlands
län"; a dry run of `beslutsgen distribute` in a copy of the sample project writes that
bundle, and the library builds it again from the same block trees.
"""

from __future__ import annotations

import io
import shutil
from datetime import date

import pikepdf
import pytest
from click.testing import CliRunner

from beslutsgen.build.sammantrade import build_sammantrade
from beslutsgen.build.templates import Templates
from beslutsgen.build.tjanssteskrivelse import Built
from beslutsgen.cli import main
from beslutsgen.distribute.printbundle import print_bundle
from beslutsgen.errors import RenderError
from beslutsgen.load.project import load_project
from beslutsgen.model.profile import Profile
from beslutsgen.render.pdf import PdfRenderer
from tests.conftest import DECISIONS, ROOT
from tests.pdfcheck import assert_archival, outline_titles
from tests.textutil import PageText, normalise, pdf_pages

SAMPLE = "decisions/rs-2025-11-25-sammantrade.yaml"
FOLDER = "out/regionstyrelsen-2025-11-25/expediering/provkorning"
ROLE = "Samverkansgruppen för kommunerna i Jämtlands län"
SUBJECT = "Protokollsutdrag Regionstyrelsen 2025-11-25, § 198"
UTDRAG_198 = "§ 198 Revidering av Regionstyrelsens plan och budget 2024"
BODY = (
    "Hej Samverkansgruppens ordförande,\n\n"
    "Här är protokollsutdrag från Regionstyrelsens sammanträde den 25 november 2025:\n\n"
    "- § 198 Revidering av Regionstyrelsens plan och budget 2024 (RS/595/2023)\n\n"
    f"Utdragen är bifogade. Ni får dem som {ROLE}.\n\n"
    "Med vänlig hälsning\nSekretariatet Regionstyrelsen\nsekretariatet@regionjh.example\n"
)
LETTER_TEXT = [
    "Samverkansgruppens ordförande",
    "Box 100",
    "831 20 Östersund",
    SUBJECT,
    *(line for line in BODY.splitlines() if line),
]
UTDRAG_HEADER = (
    "Region Jämtland Härjedalen PROTOKOLLSUTDRAG\n"
    "Regionstyrelsen Sammanträdesdatum 2025-11-25\n"
    "Diarienummer RS/595/2023"
)
JUSTERING = date(2025, 12, 1)

Sample = tuple[Profile, dict[int, Built]]  # the profile, and the utdrag by § number


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bundle a dry run of `beslutsgen distribute` writes for the sample project."""
    project = tmp_path_factory.mktemp("project")
    shutil.copytree(DECISIONS, project / "decisions")
    shutil.copy(ROOT / "beslutsgen.yaml", project / "beslutsgen.yaml")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        result = CliRunner().invoke(main, ["distribute", SAMPLE, "-o", "out", "--dry-run"])
    assert result.exit_code == 0, result.output
    (bundle,) = sorted((project / FOLDER).glob("post-*.pdf"))
    return bundle.read_bytes()


@pytest.fixture(scope="module")
def sample() -> Sample:
    """The sample's profile, and its utdrag as block trees by § number."""
    project = load_project([ROOT / SAMPLE], ROOT)
    docs = build_sammantrade(project.meetings[0], project.profile, Templates(ROOT / "templates"))
    utdrag = {
        int(one.stem.rsplit("-", 1)[1]): one
        for one in docs.documents
        if one.stem.startswith("protokollsutdrag-")
    }
    return project.profile, utdrag


def bundle_of(sample: Sample, dated: date = JUSTERING) -> bytes:
    profile, utdrag = sample
    (recipient,) = profile.adressbok[ROLE]
    return print_bundle(recipient, SUBJECT, BODY, [utdrag[198]], profile, dated, PdfRenderer())


@pytest.fixture(scope="module")
def utdrag_pages(sample: Sample) -> list[PageText]:
    """§ 198's utdrag rendered on its own, as it is attached to e-mail."""
    one = sample[1][198]
    return pdf_pages(PdfRenderer().render(one.document, one.style))


def structure_types(node: object) -> list[str]:
    """The structure tree's element types, depth first."""
    if not isinstance(node, pikepdf.Dictionary):
        return []
    found = [str(node.S)] if "/S" in node else []
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        found += structure_types(kid)
    return found


def test_bundle_is_archival(written: bytes) -> None:
    """PDF/A-2a + PDF/UA-1 claimed, the letter's subject as title, sv-SE, tagged, fonts
    ours and embedded; one XMP packet and one structure tree for the whole file."""
    pdf = pikepdf.open(io.BytesIO(written))
    assert_archival(pdf, SUBJECT)
    streams = [o for o in pdf.objects if isinstance(o, pikepdf.Stream)]
    assert sum(1 for o in streams if o.get("/Type") == "/Metadata") == 1
    types = structure_types(pdf.Root.StructTreeRoot)
    assert types[0] == "/Document" and types.count("/Document") == 1
    assert types.count("/H1") == 2  # the letter's subject and the utdrag's § heading


def test_the_letter_then_the_utdrag_in_full(
    written: bytes, utdrag_pages: list[PageText]
) -> None:
    pages = pdf_pages(written)
    assert len(pages) == 1 + len(utdrag_pages) == 4
    letter = pages[0]
    assert normalise(letter.body) == normalise(" ".join(LETTER_TEXT))
    assert letter.header == "Region Jämtland Härjedalen FÖLJEBREV\nDatum 2025-12-01"
    # Header, body and footer of every utdrag page as in the utdrag on its own.
    assert pages[1:] == utdrag_pages
    assert normalise(pages[1].body).startswith(
        f"{UTDRAG_198} RS/595/2023 Beslutande vid paragrafen: Tomas Andreasson (C), "
    )


def test_pages_are_numbered_within_each_part(written: bytes) -> None:
    pages = pdf_pages(written)
    assert [(p.header, p.footer) for p in pages] == [
        ("Region Jämtland Härjedalen FÖLJEBREV\nDatum 2025-12-01", "\nSida 1 (1)"),
        (UTDRAG_HEADER, "\nUtdragsbestyrkande\nSida 1 (3)"),
        (UTDRAG_HEADER, "\nUtdragsbestyrkande\nSida 2 (3)"),
        (UTDRAG_HEADER, "\nUtdragsbestyrkande\nSida 3 (3)"),
    ]


def test_one_bookmark_per_part(written: bytes) -> None:
    """The letter's subject, then the utdrag with its own headings under it."""
    pdf = pikepdf.open(io.BytesIO(written))
    with pdf.open_outline() as outline:
        top = [(item.title, [child.title for child in item.children]) for item in outline.root]
    assert top == [
        (SUBJECT, []),
        (
            UTDRAG_198,
            [
                "Sammanfattning",
                "Förslag till beslut",
                "Beslut",
                "Jäv",
                "Expedieras till",
                "Justering och utdragsbestyrkande",
                "Hur man överklagar – laglighetsprövning",
            ],
        ),
    ]
    assert len(outline_titles(pdf)) == 9


def test_same_bytes_every_time(written: bytes, sample: Sample) -> None:
    """The library, twice with fresh compilers, gives the bytes the dry run wrote."""
    assert bundle_of(sample) == written
    assert bundle_of(sample) == written


def test_the_letter_is_dated_by_the_caller(sample: Sample) -> None:
    data = bundle_of(sample, date(2026, 1, 15))
    assert pdf_pages(data)[0].header == "Region Jämtland Härjedalen FÖLJEBREV\nDatum 2026-01-15"
    pdf = pikepdf.open(io.BytesIO(data))
    assert str(pdf.docinfo["/CreationDate"]) == "D:20260115120000Z"


def test_one_part_renders_as_one_document(sample: Sample) -> None:
    one = sample[1][198]
    renderer = PdfRenderer()
    single = renderer.render(one.document, one.style)
    assert renderer.render_parts([(one.document, one.style)]) == single


def test_nothing_to_render_is_an_error() -> None:
    with pytest.raises(RenderError, match="no parts"):
        PdfRenderer().render_parts([])
