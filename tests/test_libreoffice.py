"""The DOCX opens cleanly: the package is whole (what Word's repair prompt is about), and
where LibreOffice is installed, it converts the file and shows what we wrote.

The structural checks always run. The LibreOffice check needs `soffice`, which the CI
machine does not have; it skips there with a visible reason.
"""

from __future__ import annotations

import io
import posixpath
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest
from lxml import etree

from tests.conftest import SAMPLE_NAMES, Sample
from tests.textutil import (
    docx_furniture_part,
    docx_paragraphs,
    docx_part_paragraphs,
    normalise,
)

CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def test_every_xml_part_parses(sample: Sample) -> None:
    with zipfile.ZipFile(io.BytesIO(sample.docx)) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(archive.read(name))  # raises on malformed XML


def test_content_types_cover_every_part(sample: Sample) -> None:
    with zipfile.ZipFile(io.BytesIO(sample.docx)) as archive:
        names = archive.namelist()
        types = etree.fromstring(archive.read("[Content_Types].xml"))
    defaults = {d.get("Extension").lower() for d in types.iter(f"{CT}Default")}
    overrides = {o.get("PartName") for o in types.iter(f"{CT}Override")}
    uncovered = [
        n
        for n in names
        if n != "[Content_Types].xml"
        and f"/{n}" not in overrides
        and n.rsplit(".", 1)[-1].lower() not in defaults
    ]
    assert uncovered == []
    dangling = sorted(o for o in overrides if o.lstrip("/") not in names)
    assert dangling == [], "content types for parts that do not exist"


def test_every_relationship_resolves(sample: Sample) -> None:
    with zipfile.ZipFile(io.BytesIO(sample.docx)) as archive:
        names = set(archive.namelist())
        for rels_name in sorted(n for n in names if n.endswith(".rels")):
            folder = posixpath.dirname(posixpath.dirname(rels_name))  # the source part's folder
            rels = list(etree.fromstring(archive.read(rels_name)).iter(f"{REL}Relationship"))
            ids = [r.get("Id") for r in rels]
            assert len(ids) == len(set(ids)), f"{rels_name}: duplicate relationship ids"
            for rel in rels:
                if rel.get("TargetMode") == "External":
                    continue
                target = rel.get("Target")
                resolved = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join(folder, target))
                )
                assert resolved in names, f"{rels_name}: {rel.get('Id')} → missing {resolved}"
        # Every r:id / r:embed used in a part is declared in that part's relationships.
        for part in sorted(n for n in names if n.startswith("word/") and n.endswith(".xml")):
            used = {
                value
                for el in etree.fromstring(archive.read(part)).iter()
                for key, value in el.attrib.items()
                if key.startswith(f"{{{R_NS}}}")
            }
            if not used:
                continue
            rels_name = _rels_name(part)
            assert rels_name in names, f"{part} uses {used} but has no relationships part"
            declared = {
                r.get("Id")
                for r in etree.fromstring(archive.read(rels_name)).iter(f"{REL}Relationship")
            }
            assert used <= declared, f"{part}: undeclared relationship ids {used - declared}"


def test_styles_and_numbering_references_resolve(sample: Sample) -> None:
    """A paragraph style or list that does not exist makes Word fall back or complain."""
    with zipfile.ZipFile(io.BytesIO(sample.docx)) as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
        numbering = etree.fromstring(archive.read("word/numbering.xml"))
        parts = [
            etree.fromstring(archive.read(n))
            for n in archive.namelist()
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)
        ]
    style_ids = {s.get(f"{W}styleId") for s in styles.iter(f"{W}style")}
    num_ids = {n.get(f"{W}numId") for n in numbering.iter(f"{W}num")} | {"0"}
    abstract_ids = {a.get(f"{W}abstractNumId") for a in numbering.iter(f"{W}abstractNum")}
    for num in numbering.iter(f"{W}num"):
        assert num.find(f"{W}abstractNumId").get(f"{W}val") in abstract_ids
    for root in parts:
        for tag in ("pStyle", "rStyle", "tblStyle"):
            for ref in root.iter(f"{W}{tag}"):
                assert ref.get(f"{W}val") in style_ids, f"{tag} {ref.get(f'{W}val')} undefined"
        for ref in root.iter(f"{W}numId"):
            assert ref.get(f"{W}val") in num_ids, f"numId {ref.get(f'{W}val')} undefined"


def _convert(docx: Path, out: Path, profile: Path) -> bytes:
    assert SOFFICE is not None
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(docx),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    pdf = out / f"{docx.stem}.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    return pdf.read_bytes()


@pytest.mark.skipif(not SAMPLE_NAMES, reason="decisions/ has no case files")
def test_libreoffice_opens_and_shows_the_text(samples: dict[str, Sample], tmp_path: Path) -> None:
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed; the DOCX open-cleanly check needs it")
    # The longest case (most lists, tables, pages) and the first one, by name.
    chosen = {max(samples.values(), key=lambda s: len(s.docx)).name, SAMPLE_NAMES[0]}
    for name in sorted(chosen):
        sample = samples[name]
        source = tmp_path / f"{sample.stem}.docx"
        source.write_bytes(sample.docx)
        pdf = _convert(source, tmp_path / "pdf", tmp_path / "lo-profile")
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        pages = len(reader.pages)
        text = normalise("\n".join(page.extract_text() for page in reader.pages))
        # The live page fields are computed on every page: "Sida k (N)", N = page count.
        header = normalise(
            "\n".join(docx_part_paragraphs(sample.docx, docx_furniture_part(sample.docx, "header")))
        )
        sender = normalise(f"{sample.case.avdelning}, {sample.case.handlaggare}")
        footers = [f"{sender} Sida {k} ({pages})" for k in range(1, pages + 1)]
        for furniture in [header, *footers]:
            assert furniture in text, f"{name}: LibreOffice shows no {furniture!r}"
            text = text.replace(furniture, " ")
        body = normalise(text)
        assert body.startswith(normalise(sample.case.rubrik) + " ")
        # Word numbering as LibreOffice draws it: every proposal point with its number.
        for number, point in enumerate(sample.case.forslag.punkter, start=1):
            assert normalise(f"{number}. {point}") in body, f"{name}: point {number}"
        # Every paragraph, with the list label textutil computes, in order.
        position = 0
        for paragraph in map(normalise, docx_paragraphs(sample.docx)):
            found = body.find(paragraph, position)
            assert found >= 0, f"{name}: LibreOffice does not show {paragraph[:80]!r} here"
            position = found + len(paragraph)
