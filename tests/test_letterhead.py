"""A letterhead of the organisation's own in templates/reference.docx: the DOCX keeps its
header and footer as drawn in Word and fills only the content controls tagged
`beslutsgen:…` (render/letterhead.py)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import docx
import pytest
import yaml
from click.testing import CliRunner
from lxml import etree

from beslutsgen.build.document import Document, Meta
from beslutsgen.cli import main
from beslutsgen.errors import RenderError
from beslutsgen.model.arende import HouseStyle
from beslutsgen.model.profile import resolve_style
from beslutsgen.render import letterhead
from beslutsgen.render.docx import BUNDLED_REFERENCE, DocxRenderer
from tests import test_libreoffice as structural  # a module, so pytest collects none twice
from tests.conftest import Sample

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
LETTERHEAD = "Sjöviks kommun · Storgatan 1 · 123 45 Sjövik"
INJECTION = 'Kansliet</w:t></w:r><w:r><w:t>&amp; "inskjutet"'


def control(tag: str, placeholder: str, *, extra: str = "") -> str:
    """A run-level content control as Word writes one, showing its placeholder."""
    return (
        f'<w:sdt xmlns:w="{W}"><w:sdtPr><w:rPr><w:b/></w:rPr><w:tag w:val="{tag}"/>'
        f'<w:showingPlcHdr/>{extra}</w:sdtPr><w:sdtContent><w:r><w:rPr>'
        f'<w:rStyle w:val="Header"/><w:b/><w:color w:val="1F4E79"/></w:rPr>'
        f"<w:t>{placeholder}</w:t></w:r><w:r><w:t>mer</w:t></w:r></w:sdtContent></w:sdt>"
    )


def letterhead_reference(path: Path, *, tag: str = "beslutsgen:diarienummer") -> None:
    """The bundled reference with a header and footer of its own."""
    document = docx.Document(str(BUNDLED_REFERENCE))
    section = document.sections[0]
    for part in (section.header, section.footer):
        for child in list(part._element):
            part._element.remove(child)
    section.header.add_paragraph(LETTERHEAD, style="Header")
    fields = section.header.add_paragraph(style="Header")._p
    for xml in (
        control("beslutsgen:dokumenttyp", "Dokumenttyp"),
        control("beslutsgen:datum", "Datum", extra='<w:date><w:dateFormat w:val="yyyy-MM-dd"/>'
                '</w:date>'),
        control(tag, "Dnr"),
        control("beslutsgen:organ", "Organ"),
    ):
        fields.append(etree.fromstring(xml))
    block = (
        f'<w:sdt xmlns:w="{W}"><w:sdtPr><w:tag w:val="beslutsgen:avsändare"/></w:sdtPr>'
        f'<w:sdtContent><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr><w:r><w:rPr><w:i/>'
        f"</w:rPr><w:t>Avsändare</w:t></w:r></w:p><w:p><w:r><w:t>rad två</w:t></w:r></w:p>"
        f"</w:sdtContent></w:sdt>"
    )
    section.footer._element.append(etree.fromstring(block))
    page = section.footer.add_paragraph(style="Footer")._p
    page.append(
        etree.fromstring(
            f'<w:fldSimple xmlns:w="{W}" w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
        )
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    made = CliRunner().invoke(main, ["init", "projekt", "--organisation", "Sjöviks kommun"])
    assert made.exit_code == 0, made.output
    root = tmp_path / "projekt"
    letterhead_reference(root / "templates" / "reference.docx")
    return root


def case_file(project: Path) -> Path:
    (path,) = (project / "decisions").glob("*-15-2026.yaml")
    return path


def render(project: Path, monkeypatch: pytest.MonkeyPatch, *, dnr: str | None = None) -> bytes:
    case_path = case_file(project)
    case = yaml.safe_load(case_path.read_text("utf-8"))
    case["avdelning"] = INJECTION
    if dnr is not None:
        case["diarienummer"] = dnr
    case_path.write_text(yaml.safe_dump(case, allow_unicode=True), "utf-8")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["render", "--format", "docx", "-o", "ut"])
    assert result.exit_code == 0, result.output
    (out,) = (project / "ut").glob("*.docx")
    return out.read_bytes()


def part(data: bytes, kind: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        (name,) = [n for n in archive.namelist() if n.startswith(f"word/{kind}")]
        return etree.fromstring(archive.read(name))


def controls(root: etree._Element) -> dict[str, etree._Element]:
    return {
        str(sdt.find("w:sdtPr/w:tag", NS).get(f"{{{W}}}val")): sdt
        for sdt in root.iterfind(".//w:sdt", NS)
    }


def text(el: etree._Element) -> str:
    return "".join(el.xpath(".//w:t/text()", namespaces=NS))


def test_the_letterhead_is_kept_and_its_controls_filled(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = yaml.safe_load(case_file(project).read_text("utf-8"))
    data = render(project, monkeypatch)
    header, footer = part(data, "header"), part(data, "footer")
    assert text(header).startswith(LETTERHEAD)
    filled = {tag: text(sdt) for tag, sdt in controls(header).items()}
    assert filled == {
        "beslutsgen:dokumenttyp": "TJÄNSTESKRIVELSE",
        "beslutsgen:datum": str(case["datum"]),
        "beslutsgen:diarienummer": case["diarienummer"],
        "beslutsgen:organ": case["organ"],
    }
    for sdt in controls(header).values():
        pr = sdt.find("w:sdtPr", NS)
        assert pr.find("w:showingPlcHdr", NS) is None  # Word shows the text, not a placeholder
        (run,) = sdt.findall("w:sdtContent/w:r", NS)
        rpr = etree.tostring(run.find("w:rPr", NS)).decode()
        assert "<w:b/>" in rpr and "1F4E79" in rpr and "rStyle" not in rpr
    date = controls(header)["beslutsgen:datum"].find("w:sdtPr/w:date", NS)
    assert date.get(f"{{{W}}}fullDate") == f"{case['datum']}T00:00:00Z"
    sender = controls(footer)["beslutsgen:avsändare"]
    (para,) = sender.findall("w:sdtContent/w:p", NS)
    assert para.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") == "Footer"
    assert text(sender) == f"{INJECTION}, {case['handläggare']}"  # literal text, not markup
    assert para.find("w:r/w:rPr/w:i", NS) is not None
    assert footer.find(".//w:fldSimple", NS).get(f"{{{W}}}instr") == " PAGE "
    assert "Sida" not in text(footer)  # nothing of the bundled furniture

    stand_in = cast(Sample, SimpleNamespace(docx=data))
    structural.test_every_xml_part_parses(stand_in)
    structural.test_content_types_cover_every_part(stand_in)
    structural.test_every_relationship_resolves(stand_in)
    structural.test_styles_and_numbering_references_resolve(stand_in)

    again = CliRunner().invoke(main, ["render", "--format", "docx", "-o", "ut2"])
    assert again.exit_code == 0, again.output
    (second,) = (project / "ut2").glob("*.docx")
    assert second.read_bytes() == data


def test_an_empty_field_empties_its_control(tmp_path: Path) -> None:
    reference = tmp_path / "reference.docx"
    letterhead_reference(reference)
    meta = Meta("kallelse", "Kallelse", "Sjöviks kommun", "Kommunstyrelsen", date(2026, 1, 27),
                dnr="", author="Sekreteraren", sign_boxes=("Justerandes sign",))
    style = resolve_style(HouseStyle(), None)
    data = DocxRenderer(reference).render(Document(meta, ()), style)
    sdt = controls(part(data, "header"))["beslutsgen:diarienummer"]
    (run,) = sdt.findall("w:sdtContent/w:r", NS)
    assert text(run) == "" and run.find("w:rPr/w:b", NS) is not None
    footer = part(data, "footer")
    assert footer[0].tag == f"{{{W}}}tbl"  # the boxes for initials, above the footer's own
    assert "Justerandes sign" in text(footer[0])
    assert text(controls(footer)["beslutsgen:avsändare"]) == ""


def test_an_unknown_tag_is_named(tmp_path: Path) -> None:
    reference = tmp_path / "reference.docx"
    letterhead_reference(reference, tag="beslutsgen:dnr")
    with pytest.raises(RenderError, match="beslutsgen:dnr"):
        DocxRenderer(reference)


def test_the_readme_names_every_tag() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text("utf-8")
    assert all(f"`{tag}`" in readme for tag in letterhead.TAGS)
