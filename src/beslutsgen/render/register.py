"""The render register: the SHA-256 of every PDF `beslutsgen meeting` has written.

Archiving accepts a signed protocol only if what was signed is byte for byte a protocol
beslutsgen generated for that meeting. Renders are deterministic, but fonts and Typst
change over the years; the register remembers every version that was handed out for
signing, so a protocol signed months ago still matches.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from beslutsgen.errors import OutputError
from beslutsgen.output import Closing

REGISTER_NAME = "renderingar.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS render (
    meeting TEXT NOT NULL,
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    first_rendered TEXT NOT NULL,
    PRIMARY KEY (meeting, file, sha256)
);
"""


class RenderRegister(Closing):
    """One SQLite file in the project root; `with RenderRegister(path) as register:`."""

    def __init__(self, path: Path) -> None:
        try:
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise OutputError(f"{path}: renderingsregistret kan inte öppnas: {exc}") from exc

    def record(self, meeting: str, files: list[tuple[str, str, int]], at: datetime) -> None:
        """(file name, SHA-256, size) of each file of one meeting, rendered `at`; known
        versions stay as they were first recorded."""
        when = at.isoformat(timespec="seconds")
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT OR IGNORE INTO render VALUES (?, ?, ?, ?, ?)",
                [(meeting, name, sha, size, when) for name, sha, size in files],
            )

    def versions(self, meeting: str, file: str) -> dict[str, int]:
        """SHA-256 → size of every version of `file` rendered for `meeting`."""
        rows = self._db.execute(
            "SELECT sha256, size FROM render WHERE meeting = ? AND file = ?", (meeting, file)
        )
        return {sha: size for sha, size in rows}

    def rendered_at(self, meeting: str, sha256: str) -> datetime | None:
        """When the version with this SHA-256 was first rendered for `meeting`."""
        row = self._db.execute(
            "SELECT min(first_rendered) FROM render WHERE meeting = ? AND sha256 = ?",
            (meeting, sha256),
        ).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def close(self) -> None:
        self._db.close()
