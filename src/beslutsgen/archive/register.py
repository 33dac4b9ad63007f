"""The archive's register `arkiv.sqlite`: one row per package, a hash chain, only added to.

Each row holds what a later `verify` needs without any network (the SHA-256 of the
package's METS files and of its seal, the trust roots the signatures were checked
against, the SHA-256 and size of the protocol as beslutsgen generated it), the SHA-256 of
the previous row (`prev_sha256`, 64 zeros for the first) and its own (`row_sha256`, over
`canonical(row)`). `verify` walks the chain: editing a row, deleting one or reordering
them breaks it. Whoever rewrites the whole chain changes its head, the last row's
SHA-256, which `verify` prints so that it can be recorded outside the archive (the diary).
"""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from asn1crypto import x509 as asn1_x509

from beslutsgen.errors import OutputError
from beslutsgen.output import Closing

ARCHIVE_REGISTER = "arkiv.sqlite"
GENESIS = "0" * 64
SCHEMA = """
CREATE TABLE IF NOT EXISTS entry (
    seq INTEGER PRIMARY KEY,
    meeting TEXT NOT NULL UNIQUE,
    object_id TEXT NOT NULL UNIQUE,
    folder TEXT NOT NULL UNIQUE,
    signed_sha256 TEXT NOT NULL,
    generated_sha256 TEXT NOT NULL,
    generated_size INTEGER NOT NULL,
    archived TEXT NOT NULL,
    mets TEXT NOT NULL,
    seal_sha256 TEXT NOT NULL,
    trust_roots TEXT NOT NULL,
    prev_sha256 TEXT NOT NULL,
    row_sha256 TEXT NOT NULL
);
"""
_COLUMNS = (
    "seq, meeting, object_id, folder, signed_sha256, generated_sha256, generated_size, "
    "archived, mets, seal_sha256, trust_roots, prev_sha256, row_sha256"
)


@dataclass(frozen=True)
class RegisteredPackage:
    """One row of the register."""

    seq: int
    meeting: str
    object_id: str
    folder: str
    signed_sha256: str
    generated: tuple[str, int]  # SHA-256 and size of the protocol beslutsgen generated
    archived: str  # when, ISO 8601 UTC
    mets: dict[str, str]  # METS path in the package → SHA-256
    seal_sha256: str
    roots: tuple[bytes, ...]  # the trust roots, DER
    prev_sha256: str
    row_sha256: str

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        return [asn1_x509.Certificate.load(der) for der in self.roots]


def canonical(row: RegisteredPackage) -> bytes:
    """The bytes `row_sha256` is computed over: every column but row_sha256, as JSON with
    sorted keys and no spaces (UTF-8), the trust roots in base64."""
    fields = {
        "seq": row.seq,
        "meeting": row.meeting,
        "object_id": row.object_id,
        "folder": row.folder,
        "signed_sha256": row.signed_sha256,
        "generated_sha256": row.generated[0],
        "generated_size": row.generated[1],
        "archived": row.archived,
        "mets": row.mets,
        "seal_sha256": row.seal_sha256,
        "trust_roots": [base64.b64encode(der).decode("ascii") for der in row.roots],
        "prev_sha256": row.prev_sha256,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def row_hash(row: RegisteredPackage) -> str:
    return hashlib.sha256(canonical(row)).hexdigest()


class Register(Closing):
    """The register of one archive folder; `with Register(path) as register:`."""

    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.execute("PRAGMA synchronous=FULL")
            old = self._db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'package'"
            ).fetchone()
            if old:
                raise OutputError(
                    f"{path}: arkivregistret har det äldre formatet utan hashkedja; "
                    "arkivera på nytt i ett nytt arkiv"
                )
            self._db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(f"{path}: arkivregistret kan inte öppnas: {exc}") from exc

    def close(self) -> None:
        self._db.close()

    def find(self, meeting: str) -> RegisteredPackage | None:
        rows = self._db.execute(f"SELECT {_COLUMNS} FROM entry WHERE meeting = ?", (meeting,))
        found = [_row(r) for r in rows]
        return found[0] if found else None

    def add(
        self,
        meeting: str,
        object_id: str,
        folder: str,
        signed_sha256: str,
        generated: tuple[str, int],
        archived: str,
        mets: dict[str, str],
        seal_sha256: str,
        roots: list[asn1_x509.Certificate],
    ) -> RegisteredPackage:
        """Append a row to the chain, in one transaction."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            last = self._db.execute(
                "SELECT seq, row_sha256 FROM entry ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            seq, prev = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS)
            row = RegisteredPackage(
                seq, meeting, object_id, folder, signed_sha256, generated, archived,
                dict(sorted(mets.items())), seal_sha256, tuple(r.dump() for r in roots),
                prev, "",
            )  # fmt: skip
            row = replace(row, row_sha256=row_hash(row))
            self._db.execute(
                f"INSERT INTO entry ({_COLUMNS}) VALUES ({', '.join('?' * 13)})",
                (
                    row.seq, row.meeting, row.object_id, row.folder, row.signed_sha256,
                    *row.generated, row.archived, json.dumps(row.mets, sort_keys=True),
                    row.seal_sha256, json.dumps([base64.b64encode(d).decode() for d in row.roots]),
                    row.prev_sha256, row.row_sha256,
                ),
            )  # fmt: skip
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
        return row

    def packages(self) -> Iterator[RegisteredPackage]:
        """Every row in chain order; a row that cannot be read raises ChainError."""
        for raw in self._db.execute(f"SELECT {_COLUMNS} FROM entry ORDER BY seq").fetchall():
            yield _row(raw)


class ChainError(Exception):
    """A row of the register cannot be read at all."""


def _row(raw: tuple[object, ...]) -> RegisteredPackage:
    try:
        mets = json.loads(str(raw[8]))
        roots = tuple(base64.b64decode(str(r)) for r in json.loads(str(raw[10])))
        return RegisteredPackage(
            int(str(raw[0])), str(raw[1]), str(raw[2]), str(raw[3]), str(raw[4]),
            (str(raw[5]), int(str(raw[6]))), str(raw[7]),
            {str(k): str(v) for k, v in dict(mets).items()}, str(raw[9]), roots,
            str(raw[11]), str(raw[12]),
        )  # fmt: skip
    except (ValueError, TypeError) as exc:
        raise ChainError(f"rad {raw[0]} kan inte läsas ({exc})") from exc


def chain_findings(rows: list[RegisteredPackage]) -> tuple[list[str], str]:
    """What is wrong with the chain, and its head (the last row's SHA-256, as recomputed)."""
    findings = []
    prev, expected_seq = GENESIS, 1
    for row in rows:
        label = f"rad {row.seq} ({row.folder})"
        if row.seq != expected_seq:
            missing = (
                f"rad {expected_seq}" if row.seq == expected_seq + 1
                else f"rad {expected_seq}–{row.seq - 1}"
            )  # fmt: skip
            findings.append(
                f"{label}: {missing} saknas; kedjan är bruten"
                if row.seq > expected_seq
                else f"{label}: fel ordningsnummer, väntat {expected_seq}"
            )
        if row.prev_sha256 != prev:
            findings.append(f"{label}: föregående rads SHA-256 stämmer inte; kedjan är bruten")
        actual = row_hash(row)
        if actual != row.row_sha256:
            findings.append(f"{label}: raden är ändrad (dess SHA-256 stämmer inte)")
        prev, expected_seq = actual, row.seq + 1
    return findings, prev
