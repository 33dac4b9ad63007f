"""A killed run's staging folder is removed by the next run; a live run's is left alone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from beslutsgen import output
from tests.conftest import ROOT

# A run that stages a file, says where, and waits inside `staged` until it is killed.
HOLDER = """
import sys, time
from pathlib import Path
from beslutsgen.output import staged
with staged(Path(sys.argv[1])) as folder:
    (folder / "halvfärdig.pdf").write_bytes(b"%PDF-")
    print(folder, flush=True)
    time.sleep(120)
"""


def _holder(out_dir: Path) -> tuple[subprocess.Popen[str], Path]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(out_dir)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    folder = Path(process.stdout.readline().strip())
    assert folder.parent == out_dir and folder.name.startswith(".beslutsgen-")
    return process, folder


def _dead_pid() -> int:
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(finished.stdout)


def test_killed_runs_folder_is_removed_and_a_live_one_kept(tmp_path: Path) -> None:
    out_dir = tmp_path / "output"
    killed, killed_folder = _holder(out_dir)
    live, live_folder = _holder(out_dir)
    try:
        os.kill(killed.pid, signal.SIGKILL)
        killed.wait(timeout=10)
        assert killed_folder.exists()  # kill -9 runs no clean-up
        unlocked_old = out_dir / ".beslutsgen-x7k2q9"  # an earlier version's, no lock
        unlocked_old.mkdir()
        unlocked_dead = out_dir / f".beslutsgen-{_dead_pid()}-abc"
        unlocked_dead.mkdir()
        unlocked_live = out_dir / f".beslutsgen-{os.getpid()}-abc"  # just made, lock to come
        unlocked_live.mkdir()
        with output.staged(out_dir) as folder:
            (folder / "klar.pdf").write_bytes(b"%PDF-1.7")
        assert sorted(p.name for p in out_dir.iterdir()) == sorted(
            ["klar.pdf", live_folder.name, unlocked_live.name]
        )
        assert (live_folder / "halvfärdig.pdf").exists()
    finally:
        live.kill()
        live.wait(timeout=10)


def test_a_run_that_ends_leaves_no_staging_folder(tmp_path: Path) -> None:
    with output.staged(tmp_path) as folder:
        (folder / "a.pdf").write_bytes(b"x")
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]
    try:
        with output.staged(tmp_path) as folder:
            raise RuntimeError("mitt i")
    except RuntimeError:
        pass
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]
