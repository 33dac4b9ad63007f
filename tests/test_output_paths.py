"""Output file names come from sanitized values and stay in the output folder; files are
written whole or not at all."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beslutsgen import output
from beslutsgen.errors import InputError, OutputError
from beslutsgen.output import safe_child, stem_for, write_atomic
from tests.conftest import render_project, skeleton_case, write_project

KIND = "tjanssteskrivelse"



def tree(root: Path) -> set[str]:
    """Every path under root, relative, directories included."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


# --- names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dnr", "stem"),
    [
        ("RS/595/2023", "RS-595-2023"),
        ("RS 552-2025", "RS-552-2025"),
        ("HSN 2025/14:3", "HSN-2025-14-3"),
        ("KS 2026/1:a.b_c-ÅÄÖ", "KS-2026-1-a-b_c-ÅÄÖ"),
        ("../../x", "x"),
        ("..\\..\\x", "x"),
        ("a\0b", "a-b"),
        ("/etc/passwd", "etc-passwd"),
        ("..", "arende"),
        ("/", "arende"),
        ("", "arende"),
    ],
)
def test_stem_for(dnr: str, stem: str) -> None:
    assert stem_for(dnr, KIND) == f"{stem}_{KIND}"


@given(st.text(max_size=60))
def test_any_stem_is_a_plain_name_inside_the_folder(dnr: str) -> None:
    stem = stem_for(dnr, KIND)
    assert re.fullmatch(r"[\w-]+", stem), stem
    assert not stem.startswith("-") and ".." not in stem
    folder = Path("/srv/out")
    for suffix in (".docx", ".pdf"):
        assert safe_child(folder, stem + suffix) == folder / (stem + suffix)


@pytest.mark.parametrize(
    "name",
    ["", ".", "..", "a/b", "../x", "/etc/passwd", "a\\b", "..\\x", "x\0y", "\0"],
)
def test_safe_child_refuses_names_that_leave_or_break_the_folder(tmp_path: Path, name: str) -> None:
    with pytest.raises(OutputError):
        safe_child(tmp_path, name)


def test_safe_child_accepts_a_plain_name(tmp_path: Path) -> None:
    assert safe_child(tmp_path, "RS-595-2023_x.pdf") == tmp_path.resolve() / "RS-595-2023_x.pdf"
    assert safe_child(tmp_path, "...pdf") == tmp_path.resolve() / "...pdf"


def test_safe_child_refuses_a_symlink_pointing_outside(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "RS-1_x.pdf").symlink_to(elsewhere / "victim.pdf")
    with pytest.raises(OutputError):
        safe_child(out, "RS-1_x.pdf")


# --- atomic writing -------------------------------------------------------------------


def test_write_atomic_writes_and_replaces_leaving_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "a.pdf"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert tree(tmp_path) == {"sub", "sub/a.pdf"}
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)


def test_failed_rename_raises_output_error_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")

    def disk_full(*_: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(output.os, "replace", disk_full)
    with pytest.raises(OutputError, match=r"a\.pdf"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert tree(tmp_path) == {"a.pdf"}


def test_target_that_is_a_directory_raises_output_error(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").mkdir()
    with pytest.raises(OutputError):
        write_atomic(tmp_path / "a.pdf", b"data")
    assert tree(tmp_path) == {"a.pdf"}


def test_output_folder_that_is_a_file_raises_output_error(tmp_path: Path) -> None:
    (tmp_path / "output").write_bytes(b"not a folder")
    with pytest.raises(OutputError):
        write_atomic(tmp_path / "output" / "a.pdf", b"data")
    assert tree(tmp_path) == {"output"}
    assert (tmp_path / "output").read_bytes() == b"not a folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders anyway")
def test_read_only_folder_raises_output_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(OutputError):
            write_atomic(folder / "a.pdf", b"data")
        assert tree(folder) == set()
    finally:
        folder.chmod(0o755)


# --- whole renders --------------------------------------------------------------------


def test_odd_but_legal_dnr_writes_exactly_two_files_in_the_output_folder(tmp_path: Path) -> None:
    decisions = write_project(tmp_path, {"odd": skeleton_case(diarienummer="KS 2026/1:a.b_c-ÅÄÖ")})
    before = tree(tmp_path)
    written = render_project(tmp_path, decisions)
    stem = f"KS-2026-1-a-b_c-ÅÄÖ_{KIND}"
    out = (tmp_path / "output").resolve()
    assert written == [out / f"{stem}.docx", out / f"{stem}.pdf"]
    assert tree(tmp_path) - before == {"output", f"output/{stem}.docx", f"output/{stem}.pdf"}


def test_output_folder_that_is_a_file_fails_cleanly(tmp_path: Path) -> None:
    decisions = write_project(tmp_path, {"a": skeleton_case()})
    (tmp_path / "output").write_bytes(b"")
    before = tree(tmp_path)
    with pytest.raises(OutputError):
        render_project(tmp_path, decisions)
    assert tree(tmp_path) == before


def test_a_folder_where_an_output_file_goes_stops_the_batch_before_any_move(
    tmp_path: Path,
) -> None:
    """The PDF's name is taken by a folder: refused before the DOCX is moved into place."""
    decisions = write_project(tmp_path, {"a": skeleton_case()})
    stem = f"RS-1-2026_{KIND}"
    (tmp_path / "output" / f"{stem}.pdf").mkdir(parents=True)
    before = tree(tmp_path)
    with pytest.raises(OutputError, match=r"\.pdf är en mapp och står i vägen"):
        render_project(tmp_path, decisions)
    assert tree(tmp_path) == before


@pytest.mark.parametrize(
    "other", ["RS 1-2026", "RS-1-2026", "RS/1-2026", "rs/1/2026"], ids=lambda d: d
)
def test_two_cases_never_share_an_output_file(tmp_path: Path, other: str) -> None:
    """Two different diarienummer whose file names would coincide (on a case-insensitive
    disk too) must not overwrite each other: refused at validation, or kept apart."""
    decisions = write_project(
        tmp_path,
        {
            "a": skeleton_case(diarienummer="RS/1/2026"),
            "b": skeleton_case(diarienummer=other, rubrik="Ett annat ärende"),
        },
    )
    try:
        written = render_project(tmp_path, decisions)
    except InputError as exc:
        assert other in str(exc) and "RS/1/2026" in str(exc)
        assert not (tmp_path / "output").exists()
        return
    assert len(written) == 4
    assert len({p.name.casefold() for p in written}) == 4, [p.name for p in written]
