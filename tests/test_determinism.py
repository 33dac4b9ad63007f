"""Same input, same bytes: across processes, time zones, locales, hash seeds and -j.

The session's samples were rendered in this process (library, -j 1). The CLI renders
all of decisions/ again in fresh processes, one of them with another time zone, locale
and hash seed, one with two worker processes; every file must match byte for byte.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from beslutsgen import pipeline
from beslutsgen.build.tjanssteskrivelse import Built
from beslutsgen.load.project import load_project
from tests.conftest import (
    DECISIONS,
    ROOT,
    SAMPLE_NAMES,
    render_project,
    skeleton_case,
    write_project,
)


def cli_render(out: Path, *args: str, env: dict[str, str] | None = None) -> dict[str, bytes]:
    """`python -m beslutsgen render decisions -o out ARGS` in a fresh process; name → bytes."""
    result = subprocess.run(
        [sys.executable, "-m", "beslutsgen", "render", "decisions", "-o", str(out), *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def differing(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


@pytest.fixture(scope="module")
def in_process(samples_dir: Path) -> dict[str, bytes]:
    if not SAMPLE_NAMES:
        pytest.skip("decisions/ has no case files")
    return {p.name: p.read_bytes() for p in sorted(samples_dir.iterdir())}


@pytest.fixture(scope="module")
def fresh_process(
    in_process: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, bytes]:
    env = {
        "TZ": "Pacific/Kiritimati",  # UTC+14: a local date differs from UTC's
        "LC_ALL": "C.UTF-8",
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "4242",
    }
    return cli_render(tmp_path_factory.mktemp("cli-j1"), "-j", "1", env=env)


def test_fresh_process_matches_in_process(
    in_process: dict[str, bytes], fresh_process: dict[str, bytes]
) -> None:
    assert len(in_process) == 2 * len(SAMPLE_NAMES)
    assert sorted(fresh_process) == sorted(in_process)
    assert differing(in_process, fresh_process) == []


def test_two_jobs_match_one(
    fresh_process: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory
) -> None:
    if len(SAMPLE_NAMES) < 2:
        pytest.skip("-j 2 only uses a process pool with at least two cases")
    two = cli_render(tmp_path_factory.mktemp("cli-j2"), "-j", "2", env={"PYTHONHASHSEED": "7"})
    assert sorted(two) == sorted(fresh_process)
    assert differing(fresh_process, two) == []


def test_one_renderer_gives_the_same_bytes_in_any_order() -> None:
    """A renderer reused across documents carries nothing over: rendering A, then B, then
    A again (and B first in a new renderer) gives the same bytes for each."""
    if len(SAMPLE_NAMES) < 2:
        pytest.skip("needs two cases")
    project = load_project([DECISIONS], ROOT)
    built: list[Built] = pipeline.build_all(project)
    settings = pipeline.Settings(ROOT, ROOT / "unused-output")

    def rendered(order: list[Built]) -> list[dict[str, bytes]]:
        worker = pipeline.Worker(settings, project.profile)
        return [{fmt: worker.render(one, fmt) for fmt in ("docx", "pdf")} for one in order]

    forward = rendered(built)
    backward = rendered(list(reversed(built)))[::-1]
    again = rendered(built + built)[len(built) :]
    for index, one in enumerate(built):
        for fmt in ("docx", "pdf"):
            assert forward[index][fmt] == backward[index][fmt], f"{one.stem}.{fmt} (order)"
            assert forward[index][fmt] == again[index][fmt], f"{one.stem}.{fmt} (second time)"


def test_rendering_the_same_file_twice_in_fresh_processes(tmp_path: Path) -> None:
    """Independent of decisions/: one small case, two fresh processes, identical bytes."""
    decisions = write_project(tmp_path, {"a": skeleton_case()})
    outputs = []
    for run in ("one", "two"):
        out = tmp_path / run
        subprocess.run(
            [sys.executable, "-m", "beslutsgen", "render", str(decisions), "-o", str(out)],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            timeout=120,
        )
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert sorted(outputs[0]) == [
        "RS-1-2026_tjanssteskrivelse.docx",
        "RS-1-2026_tjanssteskrivelse.pdf",
    ]
    assert differing(*outputs) == []
    # And the library in this process agrees with both.
    written = render_project(tmp_path, decisions)
    assert {p.name: p.read_bytes() for p in written} == outputs[0]
