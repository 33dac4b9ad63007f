"""Issue 15 point 5: a held-out style check. examples/kommun is a second sample
organisation, a municipality (Sjöviks kommun, fictional): förslag first, Sammanfattning,
two proposal blocks, the required consequence headings, and a kommunstyrelse meeting. It
validates without a word, renders, and holds its meeting, beside the region's samples.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner, Result

from beslutsgen.cli import main
from tests.test_docx_structure import Numbering
from tests.textutil import normalise, pdf_body_text

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "kommun"
MEETING = "decisions/ks-2026-03-10-sammantrade.yaml"
FOLDER = "output/kommunstyrelsen-2026-03-10"
FULLMAKTIGE = "Kommunstyrelsen föreslår kommunfullmäktige besluta"
EGEN_DEL = "Kommunstyrelsen beslutar för egen del"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "kommun"
    shutil.copytree(
        EXAMPLE,
        root,
        ignore=shutil.ignore_patterns("output", "renderingar.sqlite*", "expediering.sqlite*"),
    )
    monkeypatch.chdir(root)
    return root


def test_the_example_validates_renders_and_holds_its_meeting(project: Path) -> None:
    checked = run("validate")
    assert (checked.exit_code, checked.stderr) == (0, ""), checked.output
    assert checked.stdout == "2 ärende(n) och 2 sammanträde(n) utan problem.\n"

    rendered = run("render")
    assert (rendered.exit_code, rendered.stderr) == (0, ""), rendered.output
    assert rendered.stdout.split() == [
        f"output/{stem}_tjanssteskrivelse.{suffix}"
        for stem in ("KS-112-2026", "KS-87-2026")
        for suffix in ("docx", "pdf")
    ]

    held = run("meeting", MEETING)
    assert (held.exit_code, held.stderr) == (0, ""), held.output
    stems = ["kallelse", "protokoll", *(f"protokollsutdrag-{n}" for n in range(31, 35))]
    stems.append("anslagsbevis")
    assert held.stdout.split() == [f"{FOLDER}/{s}.{f}" for s in stems for f in ("docx", "pdf")]


def test_the_profile_is_the_municipalitys(project: Path) -> None:
    profile = yaml.safe_load((project / "beslutsgen.yaml").read_text("utf-8"))
    assert profile["tjänsteskrivelse"] == {
        "ordning": ["förslag", "sammanfattning", "ärendebeskrivning", "avsnitt", "beslutsunderlag"],
        "obligatoriska_avsnitt": ["Ekonomiska konsekvenser", "Barnkonsekvensanalys"],
    }
    assert {name: o["ledamöter"] for name, o in profile["organ"].items()} == {
        "Kommunfullmäktige": 41,
        "Kommunstyrelsen": 13,
        "Kommunstyrelsens arbetsutskott": 5,
    }
    assert "organisationsnummer" not in profile
    addresses = [m.get("epost") for r in profile["adressbok"].values() for m in r]
    assert all(a.endswith("@sjovik.example") for a in addresses if a)


def tjanssteskrivelse(project: Path) -> docx.document.Document:
    result = run("render")
    assert result.exit_code == 0, result.output
    data = (project / "output" / "KS-112-2026_tjanssteskrivelse.docx").read_bytes()
    return docx.Document(io.BytesIO(data))


def test_headings_come_in_the_profiles_order(project: Path) -> None:
    document = tjanssteskrivelse(project)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "Taxa för bygglov 2027",
        FULLMAKTIGE,
        EGEN_DEL,
        "Sammanfattning",
        "Ärendebeskrivning",
        "Ekonomiska konsekvenser",
        "Barnkonsekvensanalys",
        "Beslutsunderlag",
        "I tjänsten",
        "Bilagor",
        "Utdrag till",
    ]


def test_both_proposal_blocks_number_from_one(project: Path) -> None:
    document = tjanssteskrivelse(project)
    numbering = Numbering(document)
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    texts = [p.text for p in numbered]
    assert [t.split()[0] for t in texts] == [
        "Taxa",
        "Taxan",
        "Taxan",
        "Samhällsbyggnadsförvaltningen",
        "Förslag",
    ]
    items = [numbering.of(p) for p in numbered[:4]]  # the last one is the bilaga
    first, second = items[0], items[3]
    assert first is not None and second is not None
    assert items[1] == items[2] == first
    assert first[0] != second[0]
    for num, level in (first, second):
        assert numbering.nums[num][2][level] == 1


def test_the_protocol_shows_the_sammanfattning(project: Path) -> None:
    held = run("meeting", MEETING)
    assert held.exit_code == 0, held.output
    text = normalise(pdf_body_text((project / FOLDER / "protokoll.pdf").read_bytes()))
    assert (
        "§ 32 Taxa för bygglov 2027 KS/112/2026 Sammanfattning Samhällsbyggnadsförvaltningen"
        in text
    )
    assert "Enligt 12 kap. 10 § plan- och bygglagen" not in text  # not the ärendebeskrivning
    beslut = text.split("§ 32 Taxa", 1)[1].split(" Beslut ", 1)[1].split(" Beslutsunderlag ", 1)[0]
    assert beslut == (
        f"{EGEN_DEL} 1. Samhällsbyggnadsförvaltningen får i uppdrag att årligen redovisa "
        "bygglovsverksamhetens kostnadstäckningsgrad i samband med årsredovisningen."
    )


def test_every_document_of_the_example_is_archival_and_agrees(project: Path) -> None:
    """The new parts (avsnitt, several proposal blocks, a § adopting one block) with the
    same guarantees as the region's: PDF/A-2a + PDF/UA-1, tagged, fonts embedded, sv-SE,
    and the DOCX saying what the PDF says."""
    import pikepdf

    from tests.pdfcheck import assert_archival
    from tests.textutil import docx_body_text

    assert run("render").exit_code == 0
    assert run("meeting", MEETING).exit_code == 0
    pdfs = sorted(project.glob("output/**/*.pdf"))
    assert len(pdfs) == 2 + 7
    for pdf_path in pdfs:
        data = pdf_path.read_bytes()
        with pikepdf.open(io.BytesIO(data)) as pdf:
            title = str(pdf.open_metadata().get("dc:title", ""))
            assert_archival(pdf, title)
        body_docx = docx_body_text(pdf_path.with_suffix(".docx").read_bytes())
        assert "".join(normalise(body_docx).split()) == "".join(
            normalise(pdf_body_text(data)).split()
        ), pdf_path.name


def test_the_example_renders_the_same_bytes_twice(project: Path) -> None:
    for out in ("first", "second"):
        assert run("render", "-o", out).exit_code == 0
        assert run("meeting", MEETING, "-o", out).exit_code == 0
    first = sorted(p.relative_to(project / "first") for p in (project / "first").rglob("*.*"))
    assert len(first) == 2 * (2 + 7)
    for name in first:
        assert (project / "first" / name).read_bytes() == (project / "second" / name).read_bytes()
