"""`beslutsgen handlingar`: the meeting pack of decisions/rs-2026-06-16-sammantrade.yaml.

One pack in one PDF/A-2a + PDF/UA-1: contents, kallelse, then every item (its
tjänsteskrivelse, or a page of its own); the bilaga files beside it, byte for byte; and
with --med-bilagor a reading copy that carries the PDF bilagor and claims no standard.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from beslutsgen import pipeline
from beslutsgen.build.templates import Templates
from beslutsgen.build.tjanssteskrivelse import build_tjanssteskrivelse
from beslutsgen.cli import main
from beslutsgen.load.project import load_project
from beslutsgen.render.pdf import PdfRenderer
from tests.pdfcheck import PDFAID, PDFUAID, assert_archival, outline_titles
from tests.textutil import normalise, pdf_body_text, pdf_pages

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "decisions" / "rs-2026-06-16-sammantrade.yaml"
FOLDER = "regionstyrelsen-2026-06-16"
TITLE = "Handlingar till Regionstyrelsen 2026-06-16"
BILAGA_2 = "punkt-3-bilaga-2-nulagesanalys-av-regionens-minoritetspolitiska-arbete-2025.pdf"
BILAGA_3 = "punkt-3-bilaga-3-minnesanteckningar-fran-samrad-vid-gaaltije-den-14-oktober.docx"
TOP_LEVEL = [
    "Sammanträdeshandlingar",
    "Kallelse till sammanträde",
    "1. Val av justerare",
    "2. Fastställande av dagordning",
    "Mål och riktlinjer för arbetet med nationella minoriteter och samiska rättigheter "
    "2026–2029",
    '4. Förlängning av avtal om e-tjänstplattformen "Formulär & e-tjänster"',
    "Ekonomisk uppföljning per april 2026 för regionstyrelsen",
    "6. Begäran om omprövning av beslut om ersättning för sjukresa",
    "7. Anmälan av delegationsbeslut och meddelanden",
]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("handlingar")
    settings = pipeline.Settings(ROOT, out, ("pdf",))
    paths, _ = pipeline.render_handlingar([SAMPLE], settings, med_bilagor=True)
    assert all(p.parent == out / FOLDER / "handlingar" for p in paths)
    return {p.name: p.read_bytes() for p in paths}


def test_the_pack_the_bilagor_and_the_reading_copy_are_written(written: dict[str, bytes]) -> None:
    assert list(written) == [
        "handlingar.pdf",
        BILAGA_2,
        BILAGA_3,
        "handlingar-med-bilagor.pdf",
    ]
    folder = ROOT / "bilagor" / "rs-88-2026"
    assert written[BILAGA_2] == (folder / "nulagesanalys-2025.pdf").read_bytes()
    assert written[BILAGA_3] == (folder / "minnesanteckningar-samrad-2025-10-14.docx").read_bytes()


def test_the_pack_is_pdfa_and_pdfua(written: dict[str, bytes]) -> None:
    with pikepdf.open(io.BytesIO(written["handlingar.pdf"])) as pdf:
        assert_archival(pdf, TITLE)


def test_the_outline_has_one_top_level_entry_per_item(written: dict[str, bytes]) -> None:
    with pikepdf.open(io.BytesIO(written["handlingar.pdf"])) as pdf, pdf.open_outline() as o:
        assert [item.title for item in o.root] == TOP_LEVEL


def test_the_contents_name_each_item_with_the_page_it_starts_on(
    written: dict[str, bytes],
) -> None:
    pages = pdf_pages(written["handlingar.pdf"])
    with pikepdf.open(io.BytesIO(written["handlingar.pdf"])) as pdf, pdf.open_outline() as o:
        starts = [pdf.pages.index(pikepdf.Page(item.destination[0])) + 1 for item in o.root]
    cover = normalise(pages[0].body)
    assert cover.startswith(
        "Sammanträdeshandlingar Organ Regionstyrelsen Tid 16 juni 2026 kl. 09.00–12.00 Plats "
        "Regionens hus, sammanträdesrum Storsjön, Östersund Innehåll "
        f"Kallelse och föredragningslista {starts[1]} 1. Val av justerare {starts[2]}"
    )
    assert (
        "Bilaga 1: Mål och riktlinjer för arbetet med nationella minoriteter och samiska "
        "rättigheter 2026–2029 (ingen fil)" in cover
    )
    assert (
        "Bilaga 2: Nulägesanalys av regionens minoritetspolitiska arbete 2025 (2 sidor, 25 kB), "
        + BILAGA_2
        in cover
    )
    assert (
        "Bilaga 3: Minnesanteckningar från samråd vid Gaaltije den 14 oktober 2025 (docx, 36 kB), "
        + BILAGA_3
        in cover
    )
    held_back = (
        f'4. Förlängning av avtal om e-tjänstplattformen "Formulär & e-tjänster" {starts[5]} '
        "Handlingarna lämnas inte ut: sekretess enligt OSL 31 kap. 16 § (affärsförhållanden) "
        f"5. Ekonomisk uppföljning per april 2026 för regionstyrelsen {starts[6]}"
    )
    assert held_back in cover


def test_every_page_names_the_pack_and_its_page_in_it(written: dict[str, bytes]) -> None:
    pages = pdf_pages(written["handlingar.pdf"])
    for number, page in enumerate(pages, 1):
        footer = normalise(page.footer)
        assert f"{TITLE} Sida {number} ({len(pages)}) i handlingarna" in footer, footer


def test_the_pack_carries_every_tjanssteskrivelse_whole_and_in_order(
    written: dict[str, bytes],
) -> None:
    """Each ärende's tjänsteskrivelse, rendered on its own, is in the pack word for word,
    in item order; the one whose handlingar are held back is not."""
    (meeting,) = load_project([SAMPLE], ROOT).meetings
    project = load_project([SAMPLE], ROOT)
    templates = Templates(ROOT / "templates")
    renderer = PdfRenderer()
    pack = normalise(pdf_body_text(written["handlingar.pdf"]))
    position = 0
    for item, arende in zip(meeting.meeting.paragrafer, meeting.arenden, strict=True):
        if arende is None:
            continue
        alone = build_tjanssteskrivelse(arende, project.profile, templates)
        text = normalise(pdf_body_text(renderer.render(alone.document, alone.style)))
        if item.handlingar is not None and item.handlingar.status == "utelämnas":
            assert text not in pack
            assert arende.arende.rubrik in pack  # listed, with its note
            continue
        found = pack.find(text, position)
        assert found >= position, arende.arende.diarienummer
        position = found + len(text)


def test_the_reading_copy_has_the_bilagor_and_claims_no_standard(
    written: dict[str, bytes],
) -> None:
    with pikepdf.open(io.BytesIO(written["handlingar.pdf"])) as pack:
        pack_pages = len(pack.pages)
    with pikepdf.open(io.BytesIO(written["handlingar-med-bilagor.pdf"])) as pdf:
        assert len(pdf.pages) == pack_pages + 2  # the two pages of the PDF bilaga
        xmp = pdf.open_metadata()
        assert xmp.get(f"{PDFAID}part") is None and xmp.get(f"{PDFUAID}part") is None
        titles = outline_titles(pdf)
        with pdf.open_outline() as outline:
            item = list(outline.root)[4]
            child = list(item.children)[-1]
            at = pdf.pages.index(pikepdf.Page(child.destination[0]))
            nxt = pdf.pages.index(pikepdf.Page(list(outline.root)[5].destination[0]))
    assert "Bilaga 2: Nulägesanalys av regionens minoritetspolitiska arbete 2025" in titles
    assert child.title == "Bilaga 2: Nulägesanalys av regionens minoritetspolitiska arbete 2025"
    assert nxt - at == 2  # the bilaga's pages come right before the next item


def test_same_input_same_bytes(written: dict[str, bytes], tmp_path: Path) -> None:
    again, _ = pipeline.render_handlingar(
        [SAMPLE], pipeline.Settings(ROOT, tmp_path, ("pdf",)), med_bilagor=True
    )
    assert {p.name: p.read_bytes() for p in again} == written


def _project_copy(root: Path) -> Path:
    for name in ("decisions", "bilagor"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "beslutsgen.yaml", root / "beslutsgen.yaml")
    shutil.copy(ROOT / "logo.png", root / "logo.png")
    return root / "decisions" / SAMPLE.name


def _cli(root: Path, *args: str) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(root)
    try:
        done = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)
    return done.exit_code, done.output


def test_the_cli_writes_the_pack_and_a_bad_bilaga_writes_nothing(tmp_path: Path) -> None:
    meeting = _project_copy(tmp_path)
    code, output = _cli(tmp_path, "handlingar", str(meeting.relative_to(tmp_path)), "-o", "ut")
    assert (code, output.splitlines()) == (
        0,
        [
            f"ut/{FOLDER}/handlingar/handlingar.pdf",
            f"ut/{FOLDER}/handlingar/{BILAGA_2}",
            f"ut/{FOLDER}/handlingar/{BILAGA_3}",
        ],
    )
    before = (tmp_path / "ut" / FOLDER / "handlingar" / "handlingar.pdf").read_bytes()
    (tmp_path / "bilagor" / "rs-88-2026" / "nulagesanalys-2025.pdf").write_bytes(b"%PDF-1.7\n")
    code, output = _cli(tmp_path, "handlingar", str(meeting.relative_to(tmp_path)), "-o", "ut")
    assert (code, output.splitlines()[0]) == (
        1,
        "decisions/rs-2026-06-16-sammantrade.yaml:48:13: paragrafer[3].ärende: ärendet "
        "'RS/88/2026' finns i decisions/rs-88-2026.yaml, men den filen är inte ett felfritt "
        "ärende (kontrollera den med beslutsgen validate decisions/rs-88-2026.yaml)",
    )
    code, output = _cli(tmp_path, "validate", "decisions/rs-88-2026.yaml")
    assert (code, output.splitlines()[0]) == (
        1,
        "decisions/rs-88-2026.yaml:83:10: bilagor[2].fil: bilagan "
        "'bilagor/rs-88-2026/nulagesanalys-2025.pdf': PDF:en är skadad och kan inte läsas "
        "(can't find startxref)",
    )
    assert (tmp_path / "ut" / FOLDER / "handlingar" / "handlingar.pdf").read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "ut" / FOLDER / "handlingar").iterdir()) == [
        "handlingar.pdf",
        BILAGA_2,
        BILAGA_3,
    ]


def test_rendering_the_meeting_again_keeps_the_handlingar(tmp_path: Path) -> None:
    meeting = _project_copy(tmp_path)
    assert _cli(tmp_path, "handlingar", str(meeting), "-o", "ut")[0] == 0
    code, output = _cli(tmp_path, "meeting", str(meeting), "-o", "ut", "--format", "pdf")
    assert code == 0, output
    assert (tmp_path / "ut" / FOLDER / "handlingar" / "handlingar.pdf").is_file()


def test_a_case_is_not_a_meeting(tmp_path: Path) -> None:
    _project_copy(tmp_path)
    code, output = _cli(tmp_path, "handlingar", "decisions/rs-88-2026.yaml")
    assert (code, output) == (
        2,
        "fel: decisions/rs-88-2026.yaml är ett ärende, inte ett sammanträde (typ: sammanträde); "
        "ärenden renderas med beslutsgen render\n",
    )
