"""Run from anywhere: a file's project is the folder above it that holds beslutsgen.yaml.

A meeting names its cases by diarienummer; they are looked up in that project's
decisions/, with its profile and templates, whatever the working folder is.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from beslutsgen.cli import main
from beslutsgen.load.project import project_root
from tests.conftest import DECISIONS, ROOT

MEETING = "rs-2025-11-25-sammantrade.yaml"
FOLDER = "regionstyrelsen-2025-11-25"


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample project in tmp/projekt; the working folder is tmp/annan (empty)."""
    project = tmp_path / "projekt"
    shutil.copytree(DECISIONS, project / "decisions")
    shutil.copy(ROOT / "beslutsgen.yaml", project / "beslutsgen.yaml")
    (tmp_path / "annan").mkdir()
    monkeypatch.chdir(tmp_path / "annan")
    return project


def test_project_root_is_found_above_the_file(elsewhere: Path, tmp_path: Path) -> None:
    meeting = elsewhere / "decisions" / MEETING
    assert project_root([meeting], tmp_path) == elsewhere
    assert project_root([elsewhere / "decisions"], tmp_path) == elsewhere
    assert project_root([tmp_path / "annan"], tmp_path / "annan") == tmp_path / "annan"


def test_meeting_finds_its_cases_from_another_folder(elsewhere: Path) -> None:
    meeting = elsewhere / "decisions" / MEETING
    result = CliRunner().invoke(main, ["meeting", str(meeting), "-o", "ut", "--format", "pdf"])
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    utdrag = [f"protokollsutdrag-{n}" for n in (196, 197, 198)]
    assert result.stdout.splitlines() == [
        f"ut/{FOLDER}/{name}.pdf" for name in ("kallelse", "protokoll", *utdrag, "anslagsbevis")
    ]
    assert sorted(p.name for p in (Path("ut") / FOLDER).iterdir()) == [
        "anslagsbevis.pdf",
        "kallelse.pdf",
        "protokoll.pdf",
        "protokollsutdrag-196.pdf",
        "protokollsutdrag-197.pdf",
        "protokollsutdrag-198.pdf",
    ]
    # The render register belongs to the project, where archive looks for it.
    assert (elsewhere / "renderingar.sqlite").is_file()
    assert not Path("renderingar.sqlite").exists()


def test_validate_of_a_meeting_from_another_folder(elsewhere: Path) -> None:
    meeting = elsewhere / "decisions" / MEETING
    result = CliRunner().invoke(main, ["validate", str(meeting)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "0 ärende(n) och 1 sammanträde(n) utan problem.\n"


def test_distribute_keeps_the_project_s_send_log_wherever_it_is_run(
    elsewhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from another folder, then from the project: the second run sends nothing, since
    both use the project's expediering.sqlite (a log in the working folder would send
    everything twice)."""
    from tests.smtp_server import SmtpServer

    server = SmtpServer()
    server.start()
    try:
        meeting = str(elsewhere / "decisions" / MEETING)
        smtp = f"smtp://127.0.0.1:{server.port}"
        first = CliRunner().invoke(main, ["distribute", meeting, "-o", "ut", "--smtp", smtp])
        assert (first.exit_code, first.stderr) == (0, ""), first.output
        sent = len(server.received)
        assert sent > 0
        assert (elsewhere / "expediering.sqlite").is_file()
        assert not Path("expediering.sqlite").exists()
        monkeypatch.chdir(elsewhere)
        again = CliRunner().invoke(main, ["distribute", meeting, "-o", "ut", "--smtp", smtp])
        assert (again.exit_code, again.stderr) == (0, ""), again.output
        assert len(server.received) == sent
        # The same rows, times included, and no second print bundle: nothing happened again.
        bundle = f"ut/{FOLDER}/expediering/post-"
        once = [line for line in first.stdout.splitlines() if not line.startswith(bundle)]
        assert len(once) == len(first.stdout.splitlines()) - 1
        assert again.stdout.splitlines() == once
    finally:
        server.stop()
