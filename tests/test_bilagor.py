"""Bilagor that are files: each bad one refused at its `fil:` with file:line:col and an
exact message; a good one recorded with its SHA-256 and page count."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from beslutsgen.cli import main
from beslutsgen.load.project import load_project
from tests.conftest import MINIMAL_CASE

CASE = MINIMAL_CASE + "bilagor:\n  - Protokoll från samrådet\n  - titel: Ansökan\n    fil: {fil}\n"
WHERE = "decisions/rs-100-2026.yaml:20:10: bilagor[2].fil: "  # the value of `fil:`


def pdf_bytes(pages: int = 2) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def project(root: Path, fil: str, profile: str = "") -> Path:
    (root / "beslutsgen.yaml").write_text(
        "organisation: Region Provland\n" + profile, "utf-8"
    )
    (root / "decisions").mkdir()
    (root / "bilagor").mkdir()
    case = root / "decisions" / "rs-100-2026.yaml"
    case.write_text(CASE.replace("{fil}", fil), "utf-8")
    return case


def validate(root: Path) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(root)
    try:
        done = CliRunner().invoke(main, ["validate", "decisions"])
    finally:
        os.chdir(old)
    return done.exit_code, done.output


def test_the_line_of_fil_is_where_the_problem_is_shown(tmp_path: Path) -> None:
    case = project(tmp_path, "bilagor/ansokan.pdf")
    assert case.read_text("utf-8").splitlines()[19] == "    fil: bilagor/ansokan.pdf"


def test_a_good_pdf_is_recorded_with_its_hash_and_pages(tmp_path: Path) -> None:
    project(tmp_path, "bilagor/ansokan.pdf")
    data = pdf_bytes(3)
    (tmp_path / "bilagor" / "ansokan.pdf").write_bytes(data)
    (loaded,) = load_project([tmp_path / "decisions"], tmp_path).arenden
    (fil,) = loaded.bilagefiler
    assert (fil.nummer, fil.titel, fil.fil, fil.sidor, fil.storlek) == (
        2,
        "Ansökan",
        "bilagor/ansokan.pdf",
        3,
        len(data),
    )
    assert fil.sha256 == hashlib.sha256(data).hexdigest()
    assert fil.path == (tmp_path / "bilagor" / "ansokan.pdf").resolve()
    assert validate(tmp_path) == (0, "1 ärende(n) utan problem.\n")


def test_an_office_document_is_accepted_without_pages(tmp_path: Path) -> None:
    project(tmp_path, "bilagor/ansokan.odt")
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        package.writestr("content.xml", "<office:document-content/>")
    (tmp_path / "bilagor" / "ansokan.odt").write_bytes(raw.getvalue())
    (loaded,) = load_project([tmp_path / "decisions"], tmp_path).arenden
    assert [(f.sidor, f.is_pdf) for f in loaded.bilagefiler] == [(None, False)]


def _encrypted() -> bytes:
    pdf = pikepdf.open(io.BytesIO(pdf_bytes()))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="ägare", user="hemligt"))
    return out.getvalue()


def _owner_only() -> bytes:
    pdf = pikepdf.open(io.BytesIO(pdf_bytes()))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="ägare", user=""))
    return out.getvalue()


def _docx_of(types: str) -> bytes:
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as package:
        package.writestr("[Content_Types].xml", types)
    return raw.getvalue()


BAD_FILES = {
    "damaged": (
        "bilagor/ansokan.pdf",
        lambda: pdf_bytes()[:200],
        "PDF:en är skadad och kan inte läsas",
    ),
    "encrypted": (
        "bilagor/ansokan.pdf",
        _encrypted,
        "PDF:en är krypterad med lösenord; spara den utan lösenord",
    ),
    "owner-password": (
        "bilagor/ansokan.pdf",
        _owner_only,
        "PDF:en är krypterad; spara den utan lösenord och behörigheter",
    ),
    "not-a-pdf": (
        "bilagor/ansokan.pdf",
        lambda: b"Hej! Det har ar ingen PDF.\n",
        "filen är ingen PDF (den börjar inte med %PDF-)",
    ),
    "unknown-kind": (
        "bilagor/ansokan.exe",
        lambda: b"MZ",
        "filer av typen .exe kan inte bifogas; välj pdf, docx, xlsx, pptx, odt, ods, odp",
    ),
    "docx-not-zip": (
        "bilagor/ansokan.docx",
        lambda: b"\xd0\xcf\x11\xe0 an encrypted or old Word file",
        "filen är ingen hel docx-fil (skadad, krypterad eller av ett annat slag)",
    ),
    "xlsx-as-docx": (
        "bilagor/ansokan.docx",
        lambda: _docx_of("<Types>spreadsheetml</Types>"),
        "filen är ingen docx-fil (paketets innehåll är ett annat)",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_is_refused_at_its_line(name: str, tmp_path: Path) -> None:
    fil, make, message = BAD_FILES[name]
    project(tmp_path, fil)
    (tmp_path / fil).write_bytes(make())
    code, output = validate(tmp_path)
    assert code == 1
    assert output.splitlines()[0].startswith(f"{WHERE}bilagan {fil!r}: {message}"), output


def test_a_damaged_pdf_says_what_qpdf_found_without_the_path(tmp_path: Path) -> None:
    project(tmp_path, "bilagor/ansokan.pdf")
    (tmp_path / "bilagor" / "ansokan.pdf").write_bytes(pdf_bytes()[:200])
    code, output = validate(tmp_path)
    assert code == 1 and str(tmp_path) not in output
    assert output.splitlines()[0].endswith(")")


ABSOLUTE = "skriv sökvägen relativt projektets rot, inte som absolut sökväg"
PATH_PROBLEMS = {
    "missing": ("bilagor/saknas.pdf", "filen finns inte (sökt som {root}/bilagor/saknas.pdf)"),
    "parent": ("../ute.pdf", "sökvägen får inte gå uppåt med ..; lägg filen i projektet"),
    "parent-inside": (
        "decisions/../bilagor/a.pdf",
        "sökvägen får inte gå uppåt med ..; lägg filen i projektet",
    ),
    "absolute": ("/etc/passwd", ABSOLUTE),
    "drive": ("C:/bilagor/a.pdf", ABSOLUTE),
    "folder": ("bilagor", "filen är en mapp"),
}


@pytest.mark.parametrize("name", sorted(PATH_PROBLEMS))
def test_a_path_outside_or_wrong_is_refused(name: str, tmp_path: Path) -> None:
    fil, message = PATH_PROBLEMS[name]
    project(tmp_path, fil)
    code, output = validate(tmp_path)
    expected = message.format(root=tmp_path.resolve())
    assert (code, output.splitlines()[0]) == (1, f"{WHERE}bilagan {fil!r}: {expected}")


def test_a_symlink_leaving_the_project_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "projekt"
    root.mkdir()
    outside = tmp_path / "hemlig.pdf"
    outside.write_bytes(pdf_bytes())
    project(root, "bilagor/ansokan.pdf")
    (root / "bilagor" / "ansokan.pdf").symlink_to(outside)
    code, output = validate(root)
    expected = f"filen ligger utanför projektet (länken leder till {outside.resolve()})"
    assert (code, output.splitlines()[0]) == (
        1,
        f"{WHERE}bilagan 'bilagor/ansokan.pdf': {expected}",
    )


def test_a_fifo_is_refused_without_being_read(tmp_path: Path) -> None:
    project(tmp_path, "bilagor/ansokan.pdf")
    os.mkfifo(tmp_path / "bilagor" / "ansokan.pdf")
    code, output = validate(tmp_path)
    assert (code, output.splitlines()[0]) == (
        1,
        f"{WHERE}bilagan 'bilagor/ansokan.pdf': filen är ingen vanlig fil (en enhet, en "
        "rörledning eller liknande)",
    )


def test_a_file_over_the_profiles_limit_is_refused_with_its_size(tmp_path: Path) -> None:
    project(tmp_path, "bilagor/ansokan.pdf", "gränser:\n  bilaga_mb: 0.1\n")
    data = pdf_bytes()
    (tmp_path / "bilagor" / "ansokan.pdf").write_bytes(data + b"\n%" + b"x" * 200_000)
    code, output = validate(tmp_path)
    assert (code, output.splitlines()[0]) == (
        1,
        f"{WHERE}bilagan 'bilagor/ansokan.pdf': filen är 196 kB, större än gränsen 102 kB; "
        "dela upp den, eller höj gränser.bilaga_mb i beslutsgen.yaml",
    )


def test_a_bilaga_without_titel_is_a_schema_error(tmp_path: Path) -> None:
    case = project(tmp_path, "x")
    case.write_text(MINIMAL_CASE + "bilagor:\n  - fil: bilagor/a.pdf\n", "utf-8")
    code, output = validate(tmp_path)
    assert (code, output.splitlines()[0]) == (
        1,
        "decisions/rs-100-2026.yaml:18:5: bilagor[1].titel: obligatorisk nyckel saknas",
    )
