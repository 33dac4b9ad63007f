"""The send log: what went to whom, so that distributing again sends only what is missing.

One SQLite file per project. A message is written down as *pending* — with its
Message-ID, recipient, §§ and the SHA-256 of every attachment — and committed before
the mail server sees it; it becomes *sent* (or *failed*, with the server's reason) once
the server has answered. A run that dies in between leaves it pending, and the next run
sends it again with the same Message-ID: a recipient is never lost, and the one case
that can repeat a message (the server accepted it in the instant before the process
died) repeats it under the same Message-ID, which mail clients show once.

Only one run at a time distributes a meeting: `claim` holds an exclusive lock (flock) on
a file for the meeting beside the log, which the kernel releases when the process ends
in any way, kill -9 included, so no lock outlives its run.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from beslutsgen.errors import BeslutsgenError, OutputError
from beslutsgen.output import Closing

SCHEMA = """
CREATE TABLE IF NOT EXISTS message (
    message_id TEXT PRIMARY KEY,
    meeting TEXT NOT NULL,
    recipient TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('epost', 'post')),
    subject TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
    detail TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    finished TEXT
);
CREATE TABLE IF NOT EXISTS paragraph (
    message_id TEXT NOT NULL REFERENCES message(message_id),
    nummer INTEGER NOT NULL,
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (message_id, nummer)
);
CREATE INDEX IF NOT EXISTS by_recipient ON message (meeting, recipient);
"""


@dataclass(frozen=True)
class Sent:
    """A § as it last reached one recipient: the attachment's hash and the message."""

    nummer: int
    sha256: str
    message_id: str
    when: str


@dataclass(frozen=True)
class Entry:
    """One row of the expedieringslista: a message and how it went."""

    message_id: str
    name: str
    address: str
    channel: str
    paragraphs: tuple[int, ...]
    state: str
    detail: str
    created: str
    finished: str | None


Clock = Callable[[], datetime]


def stamp(clock: Clock) -> str:
    """The clock's time as the log writes it: UTC, to the second."""
    return clock().astimezone(UTC).isoformat(timespec="seconds")


class SendLog(Closing):
    """The log of one project; every change is its own committed transaction.

    `with SendLog(path, clock) as log:` closes it at the end of the block. `clock` gives
    the time of each change; a log that is only read needs none."""

    def __init__(self, path: Path | None, clock: Clock | None = None) -> None:
        """The log in `path`, created if need be; None: an empty log in memory."""
        self._clock = clock
        try:
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path or ":memory:", isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(f"{path}: sändloggen kan inte öppnas: {exc}") from exc
        self.path = path

    def close(self) -> None:
        self._db.close()

    def _now(self) -> str:
        if self._clock is None:
            raise TypeError("SendLog: a log that is written needs a clock")
        return stamp(self._clock)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def delivered(self, meeting: str, recipient: str) -> dict[int, Sent]:
        """Per §, the last delivery that reached `recipient` (sent, or printed for post)."""
        rows = self._db.execute(
            "SELECT p.nummer, p.sha256, m.message_id, m.finished FROM message m "
            "JOIN paragraph p USING (message_id) "
            "WHERE m.meeting = ? AND m.recipient = ? AND m.state = 'sent' "
            "ORDER BY m.finished, m.rowid",
            (meeting, recipient),
        )
        return {n: Sent(n, sha, mid, when) for n, sha, mid, when in rows}

    def state(self, message_id: str) -> str | None:
        row = self._db.execute(
            "SELECT state FROM message WHERE message_id = ?", (message_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def begin(
        self,
        message_id: str,
        meeting: str,
        recipient: str,
        name: str,
        address: str,
        channel: str,
        subject: str,
        attachments: list[tuple[int, str, str]],
    ) -> None:
        """Write a message down as pending (or again as pending, after a failure or crash)."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO message (message_id, meeting, recipient, name, address, channel, "
                "subject, state, created) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?) "
                "ON CONFLICT (message_id) DO UPDATE SET state = 'pending', detail = '', "
                "finished = NULL",
                (message_id, meeting, recipient, name, address, channel, subject, self._now()),
            )
            db.executemany(
                "INSERT OR IGNORE INTO paragraph (message_id, nummer, file, sha256) "
                "VALUES (?, ?, ?, ?)",
                [(message_id, nummer, file, sha) for nummer, file, sha in attachments],
            )

    def finish(self, message_id: str, ok: bool, detail: str = "") -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE message SET state = ?, detail = ?, finished = ? WHERE message_id = ?",
                ("sent" if ok else "failed", detail, self._now(), message_id),
            )

    def entries(self, meeting: str) -> list[Entry]:
        """Every message of a meeting, oldest first: the expedieringslista."""
        rows = self._db.execute(
            "SELECT m.message_id, m.name, m.address, m.channel, group_concat(p.nummer), "
            "m.state, m.detail, m.created, m.finished FROM message m "
            "JOIN paragraph p USING (message_id) WHERE m.meeting = ? "
            "GROUP BY m.message_id ORDER BY m.created, m.rowid",
            (meeting,),
        )
        return [
            Entry(
                mid,
                name,
                address,
                channel,
                tuple(sorted(int(n) for n in str(numbers).split(","))),
                state,
                detail,
                created,
                finished,
            )
            for mid, name, address, channel, numbers, state, detail, created, finished in rows
        ]


class Busy(BeslutsgenError):
    """Another run is distributing the meeting right now: this one sends nothing (exit 3)."""

    def __init__(self, meeting: str, holder: str) -> None:
        self.meeting = meeting
        self.holder = holder
        super().__init__(
            f"en annan expediering pågår för {meeting}{holder}; inget skickades, "
            "kör igen när den är klar"
        )

    def __reduce__(self) -> tuple[type[Busy], tuple[str, str]]:
        return (type(self), (self.meeting, self.holder))


def lock_path(log_path: Path, meeting: str) -> Path:
    """The lock file of one meeting: expediering.sqlite-locks/<meeting>.lock."""
    return log_path.with_name(f"{log_path.name}-locks") / f"{meeting}.lock"


@contextmanager
def claim(log_path: Path, meeting: str, clock: Clock) -> Iterator[None]:
    """This run alone distributes `meeting` with the log in `log_path` until the block
    ends or the process dies; Busy at once if another run has it. The file says who holds
    it (for Busy's message); it is left in place, as removing it could let two runs in."""
    path = lock_path(log_path, meeting)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(f"{path}: låsfilen kan inte skapas: {exc.strerror}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(meeting, _holder(os.pread(fd, 4096, 0))) from None
        except OSError as exc:
            raise OutputError(f"{path}: kan inte låsas: {exc.strerror}") from exc
        os.ftruncate(fd, 0)
        holder = {"pid": os.getpid(), "host": socket.gethostname(), "since": stamp(clock)}
        os.pwrite(fd, json.dumps(holder).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)  # held by nobody: no stale name for the next one to show
    finally:
        os.close(fd)  # releases the lock


def _holder(data: bytes) -> str:
    """Who holds the lock, for Busy's message: ' (process 4711 på värden kansli-01, sedan
    2025-12-02 10:15)', or '' in the instant before the holder has written its name."""
    try:
        holder = json.loads(data)
        pid, host = int(holder["pid"]), str(holder["host"])
        since = datetime.fromisoformat(holder["since"])
    except (ValueError, KeyError, TypeError):
        return ""
    with suppress(ZoneInfoNotFoundError):  # without time zone data: UTC
        since = since.astimezone(ZoneInfo("Europe/Stockholm"))
    return f" (process {pid} på värden {host}, sedan {since:%Y-%m-%d %H:%M})"
