"""The send log: what went to whom, so that distributing again sends only what is missing.

One SQLite file per project. A message is written down as *pending* — with its
Message-ID, recipient, §§ and the SHA-256 of every attachment — and committed before
the mail server sees it; it becomes *sent* (or *failed*, with the server's reason) once
the server has answered. A run that dies in between leaves it pending, and the next run
sends it again with the same Message-ID: a recipient is never lost, and the one case
that can repeat a message (the server accepted it in the instant before the process
died) repeats it under the same Message-ID, which mail clients show once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from beslutsgen.errors import OutputError

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


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SendLog:
    """The log of one project; every change is its own committed transaction."""

    def __init__(self, path: Path | None) -> None:
        """The log in `path`, created if need be; None: an empty log in memory."""
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
                (message_id, meeting, recipient, name, address, channel, subject, now()),
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
                ("sent" if ok else "failed", detail, now(), message_id),
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
