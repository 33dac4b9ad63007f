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
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert result.stdout == (
        "out/RS-595-2023_tjanssteskrivelse.docx\nout/RS-595-2023_tjanssteskrivelse.pdf\n"
    )
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


def _png(width: int, height: int, mode: str = "RGB") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, (width, height), "white").save(out, format="PNG")
    return out.getvalue()


def _write_bad_logo(project: Path, kind: str) -> str:
    """A logo file of the given kind of wrong; its name as the profile writes it."""
    good = (ROOT / "logo.png").read_bytes()
    target = project / f"{kind}.png"
    if kind == "truncated":
        target.write_bytes(good[: len(good) // 2])
    elif kind == "header-only":
        target.write_bytes(good[:8])
    elif kind == "bomb":
        target.write_bytes(_png(6000, 5000, "1"))  # tiny file, 30 million pixels
    elif kind == "huge":
        with target.open("wb") as handle:  # sparse: 11 MB that are never read
            handle.truncate(11 * 1024 * 1024)
    elif kind == "fifo":
        import os

        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    return target.name


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (
            "truncated",
            "logotypen 'truncated.png' är en skadad eller ofullständig bild; "
            "spara om den som PNG eller JPEG",
        ),
        (
            "header-only",
            "logotypen 'header-only.png' är en skadad eller ofullständig bild; "
            "spara om den som PNG eller JPEG",
        ),
        (
            "bomb",
            "logotypen 'bomb.png' är 6000 × 5000 bildpunkter, fler än 25 miljoner; "
            "spara en mindre version",
        ),
        ("huge", "logotypen 'huge.png' är 11,0 MB, större än gränsen 10,0 MB; spara en mindre"),
        (
            "fifo",
            "logotypen 'fifo.png' är ingen vanlig fil (en enhet, en rörledning eller liknande)",
        ),
        ("folder", "logotypen 'folder.png' är en mapp"),
    ],
)
def test_logo_that_is_not_a_good_image_is_refused(project: Path, kind: str, message: str) -> None:
    """Refused at validate with file:line, without reading a special file or a huge one;
    render then writes nothing (before, a truncated PNG crashed the DOCX writer)."""
    _profile(project, _write_bad_logo(project, kind))
    for command in (["validate"], ["render", "-o", "out"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1, result.output
        lines = result.stderr.splitlines()
        assert lines[0] == "beslutsgen.yaml:4:12: stil.logotyp: " + message
        assert lines[1:] == ["1 problem i 1 fil(er); inget skrevs."]
    assert not (project / "out").exists()


def test_dev_zero_as_logo_is_not_read(project: Path) -> None:
    _profile(project, "/dev/zero")
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "beslutsgen.yaml:4:12: stil.logotyp: logotypen '/dev/zero' är ingen vanlig fil "
        "(en enhet, en rörledning eller liknande)"
    )


@pytest.mark.parametrize("mode", ["L", "P", "RGBA", "I;16"])
def test_every_kind_of_png_renders(project: Path, mode: str) -> None:
    """What validation lets through, both renderers place."""
    (project / "mode.png").write_bytes(_png(360, 120, mode))
    _profile(project, "mode.png")
    result = CliRunner().invoke(main, ["render", "-o", "out"])
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert result.stdout == (
        "out/RS-595-2023_tjanssteskrivelse.docx\nout/RS-595-2023_tjanssteskrivelse.pdf\n"
    )
    assert sorted(p.name for p in (project / "out").iterdir()) == [
        "RS-595-2023_tjanssteskrivelse.docx",
        "RS-595-2023_tjanssteskrivelse.pdf",
    ]


@pytest.mark.parametrize("mode", ["RGB", "L", "CMYK"])
def test_every_kind_of_jpeg_renders_or_is_refused(project: Path, mode: str) -> None:
    """A JPEG without a JFIF or Exif header (Adobe CMYK) is one python-docx cannot size:
    refused at validation, not at render time."""
    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, (360, 120)).save(out, format="JPEG")
    (project / "mode.jpg").write_bytes(out.getvalue())
    _profile(project, "mode.jpg")
    result = CliRunner().invoke(main, ["render", "-o", "out"])
    if mode == "CMYK":
        assert result.exit_code == 1
        assert result.stderr.splitlines()[0] == (
            "beslutsgen.yaml:4:12: stil.logotyp: logotypen 'mode.jpg' har ett bildhuvud som "
            "Word-filen inte kan läsa; spara om den som PNG eller JPEG"
        )
    else:
        assert result.exit_code == 0, result.output
