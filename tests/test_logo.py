"""The profile's logo reaches both headers, with alt text; a bad logo is a clear problem."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from beslutsgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "decisions" / "rs-595-2023.yaml"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "decisions").mkdir()
    shutil.copy(CASE, tmp_path / "decisions" / CASE.name)
    shutil.copy(ROOT / "logo.png", tmp_path / "logo.png")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _profile(project: Path, logo: str) -> None:
    (project / "beslutsgen.yaml").write_text(
        "organisation: Region Jämtland Härjedalen\n"
        "i_tjänsten: [{namn: Sara Lewerentz, titel: Regiondirektör}]\n"
        f"stil:\n  logotyp: {logo}\n",
        encoding="utf-8",
    )


def test_logo_in_both_headers(project: Path) -> None:
    _profile(project, "logo.png")
    result = CliRunner().invoke(main, ["render", "-o", "out"])
    assert result.exit_code == 0, result.output
    docx = (project / "out" / "RS-595-2023_tjanssteskrivelse.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        header = archive.read("word/header1.xml").decode()
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
    assert 'descr="Logotyp för Region Jämtland Härjedalen"' in header
    assert len(media) == 1
    pdf = pikepdf.open(project / "out" / "RS-595-2023_tjanssteskrivelse.pdf")
    images = [
        obj for obj in pdf.pages[0].Resources.XObject.values() if obj.get("/Subtype") == "/Image"
    ]
    assert len(images) == 1
    assert int(images[0].Width) == 360


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        ("saknas.png", "logotypen 'saknas.png' finns inte"),
        ("beslutsgen.yaml", "logotypen 'beslutsgen.yaml' är varken PNG eller JPEG"),
    ],
)
def test_bad_logo_is_a_problem(project: Path, logo: str, message: str) -> None:
    _profile(project, logo)
    result = CliRunner().invoke(main, ["render", "-o", "out"])
    assert result.exit_code == 1
    line = result.stderr.splitlines()[0]
    assert line.startswith("beslutsgen.yaml:4:12: stil.logotyp: " + message), line
    assert not (project / "out").exists()
