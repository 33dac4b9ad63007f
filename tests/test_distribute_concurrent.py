"""Two `beslutsgen distribute` of one meeting at once: nothing goes twice.

One run holds the meeting (an flock on expediering.sqlite-locks/<meeting>.lock) from
reading the send log to writing the expedieringslista; another run of the same meeting
meanwhile exits 3 at once and sends nothing. The kernel drops the lock when its process
dies, so a run killed with SIGKILL does not block the next one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from beslutsgen.distribute.mail import PASSWORD_VARIABLE, USER_VARIABLE
from beslutsgen.distribute.sendlog import claim, lock_path
from tests.conftest import DECISIONS
from tests.smtp_server import SmtpServer
from tests.test_distribute import (
    FOLDER,
    LOG,
    PLAN,
    POST,
    SAMPLE,
    distribute,
    log_entries,
    row,
    table,
    untimed,
    write_profile,
)

BUSY = re.compile(
    rf"fel: en annan expediering pågår för {FOLDER}"
    r"(?: \(process (?P<pid>\d+) på värden (?P<host>.+), sedan "
    r"(?P<since>\d{4}-\d\d-\d\d \d\d:\d\d)\))?"
    r"; inget skickades, kör igen när den är klar\n"
)
LOCK = f"{LOG}-locks/{FOLDER}.lock"


def clock() -> datetime:
    return datetime.now(UTC)


def busy_message(pid: int, since: str) -> str:
    return (
        f"fel: en annan expediering pågår för {FOLDER} (process {pid} på värden "
        f"{socket.gethostname()}, sedan {since}); inget skickades, kör igen när den är klar\n"
    )


def holder_since(project: Path) -> str:
    """When the lock's holder took it, as the message shows it (Swedish time)."""
    since = datetime.fromisoformat(json.loads((project / LOCK).read_bytes())["since"])
    return since.astimezone(ZoneInfo("Europe/Stockholm")).strftime("%Y-%m-%d %H:%M")


def make_project(root: Path, port: int) -> Path:
    """The sample project with its smtp the test server (plain SMTP)."""
    root.mkdir()
    shutil.copytree(DECISIONS, root / "decisions")
    write_profile(root, f"  smtp: {{värd: 127.0.0.1, port: {port}, tls: ingen}}\n")
    return root


def start(project: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k not in (USER_VARIABLE, PASSWORD_VARIABLE)}
    return subprocess.Popen(
        [sys.executable, "-m", "beslutsgen", "distribute", SAMPLE, "-o", "out"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, smtp: SmtpServer) -> Path:
    monkeypatch.delenv(USER_VARIABLE, raising=False)
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    root = make_project(tmp_path / "project", smtp.port)
    monkeypatch.chdir(root)
    return root


def assert_everyone_once(smtp: SmtpServer, project: Path) -> None:
    """Each recipient got exactly one message, and the log says every one went."""
    assert Counter(got.rcpt_tos for got in smtp.received) == Counter(
        (who.address,) for who in PLAN
    )
    entries = log_entries(project)
    assert [(e.address, e.state) for e in entries] == [
        *((who.address, "sent") for who in PLAN),
        (POST.address, "sent"),
    ]


def test_two_runs_at_once_send_every_message_once(tmp_path: Path, smtp: SmtpServer) -> None:
    """Two real processes started together, ten times, each time on a fresh copy of the
    project: whoever loses exits 3 with the message and sends nothing."""
    smtp.delay = 0.02  # a run takes a while to send, as against a real server
    losers = 0
    for attempt in range(10):
        smtp.received.clear()
        project = make_project(tmp_path / f"project-{attempt}", smtp.port)
        runs = [start(project), start(project)]
        done = [(run.pid, *run.communicate(timeout=120), run.returncode) for run in runs]
        assert sorted(code for *_, code in done) in ([0, 0], [0, 3]), done
        for pid, stdout, stderr, code in done:
            if code == 3:
                losers += 1
                found = BUSY.fullmatch(stderr)
                assert found is not None, stderr
                assert stdout == ""
                if found["pid"] is not None:  # the winner had written its name
                    (winner,) = [other for other, *_ in done if other != pid]
                    assert (int(found["pid"]), found["host"]) == (winner, socket.gethostname())
            else:
                assert stderr == "", stderr
        assert_everyone_once(smtp, project)
    assert losers > 0  # the runs did overlap at least once: the test tested something


def test_a_run_in_progress_refuses_a_second_exactly(project: Path, smtp: SmtpServer) -> None:
    with claim(project / LOG, FOLDER, clock):
        result = distribute()
        assert result.exit_code == 3
        assert result.stderr == busy_message(os.getpid(), holder_since(project))
        assert result.stdout == ""
        assert smtp.received == []
        assert not (project / LOG).exists()  # the log is not even opened
        assert not (project / "out").exists()
        # A dry run sends nothing, so it needs no lock and goes on.
        dry = distribute("--dry-run")
        assert (dry.exit_code, dry.stderr) == (0, ""), dry.output
        # Another meeting (or the same meeting with another log) is not held.
        with claim(project / LOG, "kommunfullmaktige-2025-12-01", clock):
            pass
        with claim(project / "annan-logg.sqlite", FOLDER, clock):
            pass
    result = distribute()
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert_everyone_once(smtp, project)
    assert (project / LOCK).read_bytes() == b""  # held by nobody now
    assert lock_path(project / LOG, FOLDER) == project / LOCK


def test_kill_9_of_the_lock_holder_does_not_block_the_next_run(
    project: Path, smtp: SmtpServer
) -> None:
    """A run killed with SIGKILL while it holds the meeting: the next run is not told that
    another is in progress, and sends what is left (the one message the server held
    unanswered may go twice, as in test_kill_9_mid_run_loses_no_recipient)."""
    smtp.delay = 0.5
    holder = start(project)
    try:
        deadline = time.monotonic() + 30
        while len(smtp.received) < 2:
            assert holder.poll() is None, holder.communicate()
            assert time.monotonic() < deadline, "the run never reached message 2"
            time.sleep(0.01)
        meanwhile = distribute()
        assert meanwhile.exit_code == 3
        assert meanwhile.stderr == busy_message(holder.pid, holder_since(project))
        os.kill(holder.pid, signal.SIGKILL)
    finally:
        holder.kill()
        holder.communicate()
    assert holder.returncode == -signal.SIGKILL
    assert (project / LOCK).read_bytes() != b""  # it had no time to say it was done

    smtp.delay = 0.0
    again = distribute()
    assert (again.exit_code, again.stderr) == (0, ""), again.output
    assert {got.rcpt_tos for got in smtp.received} == {(who.address,) for who in PLAN}
    assert len(smtp.received) <= len(PLAN) + 1
    assert {e.state for e in log_entries(project)} == {"sent"}
    assert untimed(table(again)[0]) == [
        *(row(who, "skickat") for who in PLAN),
        row(POST, "utskrivet för post"),
    ]
