"""The DOCX opens cleanly: the package is whole (what Word's repair prompt is about), and
where LibreOffice is installed, it converts the file and shows what we wrote — in the
fonts the DOCX embeds, on a machine that does not have them, with the protocol's sign
boxes where the PDF has them.

The structural checks always run. The LibreOffice checks need `soffice` and poppler's
`pdffonts`, which .ci/run installs on a new Debian machine; where they are missing (and
cannot be installed) the checks skip with a visible reason.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import shutil
import subprocess
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pypdf
import pytest
from lxml import etree

from beslutsgen.build.sammantrade import build_sammantrade
from beslutsgen.build.templates import Templates
from beslutsgen.load.project import load_project
from beslutsgen.render.docx import DocxRenderer
from beslutsgen.render.pdf import PdfRenderer
from tests.conftest import DECISIONS, ROOT, SAMPLE_NAMES, Sample
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
PDFFONTS = shutil.which("pdffonts")
INSTALL_HINT = "(.ci/run installs libreoffice-writer-nogui and poppler-utils with apt-get)"
EMBEDDED = {"SourceSansPro-Regular", "SourceSansPro-Bold", "SourceSansPro-It"}
EMBEDDED |= {"SourceSansPro-BoldIt"}
MEETING = DECISIONS / "rs-2025-11-25-sammantrade.yaml"
SIGN_LABELS = ("Justerandes sign", "Utdragsbestyrkande", "Sida")
SIGN_TOLERANCE_MM = 1.0
MM_PER_PT = 25.4 / 72


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


def _convert(
    docx: Path, out: Path, profile: Path, env: Mapping[str, str] | None = None
) -> bytes:
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
        env=env,
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


# --- the embedded fonts, on a machine without them -----------------------------------------


def _require(*tools: tuple[str, str | None]) -> None:
    missing = [name for name, path in tools if path is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not installed {INSTALL_HINT}")


def _without_source_sans(folder: Path) -> dict[str, str]:
    """An environment in which fontconfig sees DejaVu only (all of /usr/share/fonts where
    there is no DejaVu): not Source Sans Pro, wherever the machine has it installed."""
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    fonts = dejavu if dejavu.is_dir() else Path("/usr/share/fonts")
    folder.mkdir(parents=True, exist_ok=True)
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><dir>{fonts}</dir><cachedir>{folder / 'cache'}</cachedir></fontconfig>\n",
        "utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    fc_list = shutil.which("fc-list")
    if fc_list is not None:
        listed = subprocess.run([fc_list], env=env, capture_output=True, text=True, check=True)
        assert "source sans" not in listed.stdout.lower(), "fontconfig still sees Source Sans"
    return env


def _pdf_fonts(pdf: bytes, folder: Path) -> set[str]:
    """The fonts `pdffonts` lists, without the subset prefix (ABCDEF+)."""
    assert PDFFONTS is not None
    path = folder / "fonts-of.pdf"
    path.write_bytes(pdf)
    listed = subprocess.run([PDFFONTS, str(path)], capture_output=True, text=True, check=True)
    rows = listed.stdout.splitlines()[2:]  # a header line and a rule first
    return {row.split()[0].split("+", 1)[-1] for row in rows if row.strip()}


def _without_embedded_fonts(data: bytes) -> bytes:
    """The same DOCX without its embedded faces: no font parts, relationships to them,
    content types, w:embed* elements or w:embedTrueTypeFonts."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            blob = source.read(info)
            if info.filename.endswith(".odttf") or info.filename.endswith("fontTable.xml.rels"):
                continue
            if info.filename in ("word/fontTable.xml", "word/settings.xml", "[Content_Types].xml"):
                root = etree.fromstring(blob)
                for el in list(root.iter()):
                    name = etree.QName(el).localname
                    embed = name.startswith("embed") or el.get("PartName", "").endswith(".odttf")
                    if embed and el.getparent() is not None:
                        el.getparent().remove(el)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            target.writestr(info, blob)
    return out.getvalue()


@pytest.mark.skipif(not SAMPLE_NAMES, reason="decisions/ has no case files")
def test_libreoffice_draws_the_embedded_fonts(samples: dict[str, Sample], tmp_path: Path) -> None:
    """Converted where fontconfig has no Source Sans Pro, the PDF's fonts are the embedded
    faces; the same DOCX without them gets a substitute (the control: the check can fail)."""
    _require(("soffice", SOFFICE), ("pdffonts", PDFFONTS))
    env = _without_source_sans(tmp_path / "fontconfig")
    sample = max(samples.values(), key=lambda s: len(s.docx))
    found = {}
    stripped = _without_embedded_fonts(sample.docx)
    for kind, data in (("embedded", sample.docx), ("stripped", stripped)):
        source = tmp_path / kind / f"{sample.stem}.docx"
        source.parent.mkdir()
        source.write_bytes(data)
        # A profile each: LibreOffice keeps the fonts it took from a document in its profile.
        pdf = _convert(source, tmp_path / kind / "pdf", tmp_path / kind / "profile", env)
        found[kind] = _pdf_fonts(pdf, tmp_path / kind)
    assert found["embedded"] <= EMBEDDED, found["embedded"]
    assert {"SourceSansPro-Regular", "SourceSansPro-Bold"} <= found["embedded"]
    assert found["stripped"], "LibreOffice drew no text"
    assert not {f for f in found["stripped"] if f.startswith("SourceSans")}, found["stripped"]


def _positions(pdf: bytes, labels: tuple[str, ...]) -> dict[str, tuple[float, float]]:
    """Where each label's first text starts on page 1: (x from the left edge, baseline from
    the top edge) in mm."""
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    height = float(page.mediabox.height)
    found: dict[str, tuple[float, float]] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        for label in labels:
            if text.strip().startswith(label) and label not in found:
                found[label] = (x * MM_PER_PT, (height - y) * MM_PER_PT)

    page.extract_text(visitor_text=visit)
    assert sorted(found) == sorted(labels), f"page 1 lacks {set(labels) - set(found)}"
    return found


def test_sign_boxes_sit_where_the_pdf_has_them(tmp_path: Path) -> None:
    """The protocol's "Justerandes sign" and "Utdragsbestyrkande" labels (and the footer
    line under them), as LibreOffice lays out the DOCX, start within 1 mm of where Typst
    puts them in the PDF."""
    _require(("soffice", SOFFICE))
    project = load_project([MEETING], ROOT)
    (loaded,) = project.meetings
    built = build_sammantrade(loaded, project.profile, Templates(ROOT / "templates")).documents
    (protocol,) = [one for one in built if one.stem == "protokoll"]
    assert protocol.document.meta.sign_boxes == SIGN_LABELS[:2]
    source = tmp_path / "protokoll.docx"
    source.write_bytes(DocxRenderer().render(protocol.document, protocol.style))
    env = _without_source_sans(tmp_path / "fontconfig")
    drawn = _positions(_convert(source, tmp_path / "pdf", tmp_path / "profile", env), SIGN_LABELS)
    wanted = _positions(PdfRenderer().render(protocol.document, protocol.style), SIGN_LABELS)
    for label in SIGN_LABELS:
        (x, y), (want_x, want_y) = drawn[label], wanted[label]
        off = (round(x - want_x, 2), round(y - want_y, 2))
        assert max(map(abs, off)) <= SIGN_TOLERANCE_MM, f"{label}: {off} mm off the PDF's place"
