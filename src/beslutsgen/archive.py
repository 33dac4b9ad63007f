"""The archive: signed protocols checked, packaged for e-arkiv, kept and re-verifiable.

`archive` accepts a signed protocol only when every check in signing.py passes, then
writes one FGS/E-ARK package per meeting into a write-once folder with a SQLite register.
The register keeps what a later `verify` needs without any network: the SHA-256 of each
package's METS files, the trust roots the signature was checked against, and the bytes
of the protocol as beslutsgen generated it. `verify` re-computes every checksum and
re-validates every signature, and names whatever no longer matches.
"""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from lxml import etree

from beslutsgen import __version__
from beslutsgen.config import Profile
from beslutsgen.errors import OutputError, Refused, UsageError
from beslutsgen.load import LoadedMeeting, load_project
from beslutsgen.meeting_docs import build_meeting, folder_name
from beslutsgen.package import (
    CREATION,
    INGESTION,
    MASTER,
    PUBLICERING,
    REPRESENTATION,
    SIGNATURE_VALIDATION,
    Certificate,
    DataFile,
    PackageContents,
    PreservationEvent,
    SignatureValidation,
    build_package,
    descriptive_for,
)
from beslutsgen.publication import masked
from beslutsgen.render.pdf import PdfRenderer
from beslutsgen.renders import REGISTER_NAME, RenderRegister
from beslutsgen.signing import Examination, examine, load_roots
from beslutsgen.templates import Templates

ARCHIVE_REGISTER = "arkiv.sqlite"
PROTOKOLL = "protokoll.pdf"
METS = "{http://www.loc.gov/METS/}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
SCHEMA = """
CREATE TABLE IF NOT EXISTS package (
    meeting TEXT PRIMARY KEY,
    object_id TEXT NOT NULL UNIQUE,
    folder TEXT NOT NULL UNIQUE,
    signed_sha256 TEXT NOT NULL,
    generated_sha256 TEXT NOT NULL,
    generated_size INTEGER NOT NULL,
    archived TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS mets (
    meeting TEXT NOT NULL REFERENCES package(meeting),
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (meeting, path)
);
CREATE TABLE IF NOT EXISTS trust_root (
    meeting TEXT NOT NULL REFERENCES package(meeting),
    der BLOB NOT NULL
);
"""


@dataclass(frozen=True)
class Archived:
    """The outcome of one `archive`: the package, and whether this run wrote it."""

    folder: Path
    object_id: str
    new: bool
    examination: Examination | None


class Register:
    """The archive's register: one row per package, never updated, only added to."""

    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(f"{path}: arkivregistret kan inte öppnas: {exc}") from exc

    def close(self) -> None:
        self._db.close()

    def find(self, meeting: str) -> tuple[str, str, str] | None:
        """(object id, folder, SHA-256 of the signed file) of the meeting's package."""
        row = self._db.execute(
            "SELECT object_id, folder, signed_sha256 FROM package WHERE meeting = ?", (meeting,)
        ).fetchone()
        return None if row is None else (str(row[0]), str(row[1]), str(row[2]))

    def add(
        self,
        meeting: str,
        object_id: str,
        folder: str,
        signed_sha256: str,
        generated: tuple[str, int],
        mets: dict[str, str],
        roots: list[asn1_x509.Certificate],
    ) -> None:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.execute(
                "INSERT INTO package VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    meeting,
                    object_id,
                    folder,
                    signed_sha256,
                    *generated,
                    datetime.now(UTC).isoformat(timespec="seconds"),
                ),
            )
            self._db.executemany(
                "INSERT INTO mets VALUES (?, ?, ?)",
                [(meeting, path, sha) for path, sha in sorted(mets.items())],
            )
            self._db.executemany(
                "INSERT INTO trust_root VALUES (?, ?)", [(meeting, r.dump()) for r in roots]
            )
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def packages(self) -> Iterator[RegisteredPackage]:
        rows = self._db.execute(
            "SELECT meeting, object_id, folder, signed_sha256, generated_sha256, generated_size "
            "FROM package ORDER BY meeting"
        ).fetchall()
        for meeting, object_id, folder, signed, generated, size in rows:
            mets = dict(
                self._db.execute("SELECT path, sha256 FROM mets WHERE meeting = ?", (meeting,))
            )
            roots = [
                asn1_x509.Certificate.load(bytes(der))
                for (der,) in self._db.execute(
                    "SELECT der FROM trust_root WHERE meeting = ?", (meeting,)
                )
            ]
            yield RegisteredPackage(
                meeting, object_id, folder, signed, (generated, size), mets, roots
            )


@dataclass(frozen=True)
class RegisteredPackage:
    meeting: str
    object_id: str
    folder: str
    signed_sha256: str
    generated: tuple[str, int]
    mets: dict[str, str]
    roots: list[asn1_x509.Certificate]


def archive(
    signed_path: Path,
    meeting_path: Path,
    root: Path,
    archive_dir: Path,
    when: datetime | None = None,
) -> Archived:
    """Check `signed_path` against the meeting, then package and register it; the same
    file archived again is a no-op, another file for the same meeting is refused."""
    project = load_project([meeting_path], root)
    if len(project.meetings) != 1:
        raise UsageError(f"{meeting_path}: ange en sammanträdesfil (typ: sammanträde)")
    (loaded,) = project.meetings
    profile = project.profile
    if profile.arkiv is None:
        raise UsageError("profilen saknar arkiv.betrodda_rotcertifikat; inget att lita på")
    if profile.organisationsnummer is None:
        raise UsageError(
            "profilen saknar organisationsnummer; ett arkivpaket (SIP) anger arkivbildaren med det"
        )
    roots = load_roots([root / path for path in profile.arkiv.betrodda_rotcertifikat])
    meeting = folder_name(loaded.meeting)
    try:
        signed = signed_path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{signed_path}: kan inte läsas: {exc.strerror or exc}") from exc
    signed_sha = hashlib.sha256(signed).hexdigest()
    generated = _generated(root, meeting)
    examination = examine(signed, roots, generated)
    register = Register(archive_dir / ARCHIVE_REGISTER)
    try:
        found = register.find(meeting)
        if found is not None:
            object_id, existing, sha = found
            if sha == signed_sha:
                return Archived(archive_dir / existing, object_id, False, examination)
            raise Refused(
                "redan arkiverat",
                f"sammanträdet {meeting} är redan arkiverat i {existing}/ med en annan "
                "signerad fil; ett arkiverat paket skrivs aldrig över",
            )
        object_id = f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'beslutsgen:{meeting}:{signed_sha}')}"
        moment = when or datetime.now(UTC).replace(microsecond=0)
        contents = _contents(loaded, profile, root, signed, examination, object_id, moment)
        folder = archive_dir / meeting
        written = build_package(folder, contents)
        mets = {
            path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in written
            if path.name == "METS.xml"
        }
        for path in written:
            path.chmod(0o444)  # write-once: nothing in a package is ever rewritten
        register.add(
            meeting,
            object_id,
            folder.name,
            signed_sha,
            (examination.sha256, len(examination.signed_revision)),
            mets,
            roots,
        )
    finally:
        register.close()
    return Archived(folder, object_id, True, examination)


def _generated(root: Path, meeting: str) -> dict[str, int]:
    """SHA-256 → size of every protocol `beslutsgen meeting` rendered for the meeting."""
    path = root / REGISTER_NAME
    if not path.exists():
        return {}
    register = RenderRegister(path)
    try:
        return register.versions(meeting, PROTOKOLL)
    finally:
        register.close()


def _rendered_at(root: Path, meeting: str, sha256: str) -> datetime | None:
    register = RenderRegister(root / REGISTER_NAME)
    try:
        return register.rendered_at(meeting, sha256)
    finally:
        register.close()


def _contents(
    loaded: LoadedMeeting,
    profile: Profile,
    root: Path,
    signed: bytes,
    examination: Examination,
    object_id: str,
    moment: datetime,
) -> PackageContents:
    meeting = loaded.meeting
    docs = build_meeting(loaded, profile, Templates(root / "templates"), "protokoll".__eq__)
    (protokoll,) = docs.documents
    publication = PdfRenderer().render(masked(protokoll.document), protokoll.style)
    rendered = _rendered_at(root, folder_name(meeting), examination.sha256)
    events = [
        PreservationEvent(
            CREATION,
            rendered or datetime.combine(meeting.datum, datetime.min.time(), UTC),
            f"Protokollet skapat med beslutsgen {__version__} (SHA-256 {examination.sha256}).",
            "success",
            files=(MASTER,),
        )
    ]
    for report in examination.signatures:
        validation = SignatureValidation(
            signer=report.signer,
            chain=tuple(Certificate(subject, sha) for subject, sha in report.chain),
            signing_time=report.signing_time,
            digest_algorithm=report.digest_algorithm,
            signature_algorithm=report.signature_mechanism,
            result=report.summary,
        )
        events.append(
            PreservationEvent(
                SIGNATURE_VALIDATION,
                moment,
                f"Signaturen {report.field!r} prövad: intakt, täcker {report.coverage}, "
                "undertecknaren leder till en betrodd rot och certifikatet gällde vid "
                "signeringen; det signerade dokumentet är protokollet som beslutsgen skapade.",
                "success",
                files=(MASTER,),
                signature=validation,
            )
        )
    events.append(
        PreservationEvent(
            INGESTION,
            moment,
            f"Paketet skapat och registrerat av beslutsgen {__version__}.",
            "success",
            files=(MASTER, PUBLICERING),
        )
    )
    return PackageContents(
        object_id=object_id,
        label=f"Protokoll {meeting.organ} {meeting.datum.isoformat()}",
        created=moment,
        software="beslutsgen",
        version=__version__,
        files=(
            DataFile(MASTER, signed, "application/pdf"),
            DataFile(PUBLICERING, publication, "application/pdf"),
        ),
        descriptive=descriptive_for(loaded, profile.organisation, profile.organisationsnummer),
        events=tuple(events),
    )


@dataclass
class PackageReport:
    """What `verify` found in one package; no findings means intact."""

    folder: str
    object_id: str
    findings: list[str] = field(default_factory=list)
    checked_files: int = 0


def verify(archive_dir: Path) -> list[PackageReport]:
    """Every package of the archive: files against METS, METS against the register, the
    signature against the recorded trust roots; offline."""
    path = archive_dir / ARCHIVE_REGISTER
    if not path.exists():
        raise UsageError(f"{archive_dir}: inget arkiv ({ARCHIVE_REGISTER} saknas)")
    register = Register(path)
    try:
        registered = list(register.packages())
    finally:
        register.close()
    reports = [_verify_package(archive_dir, package) for package in registered]
    known = {p.folder for p in registered} | {ARCHIVE_REGISTER}
    for entry in sorted(archive_dir.iterdir()):
        if entry.name not in known and not entry.name.startswith("."):
            report = PackageReport(entry.name, "")
            report.findings.append("finns i arkivet men inte i registret")
            reports.append(report)
    return reports


def _verify_package(archive_dir: Path, package: RegisteredPackage) -> PackageReport:
    report = PackageReport(package.folder, package.object_id)
    folder = archive_dir / package.folder
    if not folder.is_dir():
        report.findings.append("paketet saknas")
        return report
    listed: set[str] = set(package.mets)
    referenced: dict[str, tuple[int, str]] = {}
    unreadable: list[Path] = []  # folders of METS files that cannot be parsed
    for mets_path, sha in sorted(package.mets.items()):
        mets_file = folder / mets_path
        if not mets_file.is_file():
            report.findings.append(f"{mets_path}: saknas")
            continue
        data = mets_file.read_bytes()
        if hashlib.sha256(data).hexdigest() != sha:
            report.findings.append(f"{mets_path}: ändrad sedan arkiveringen (SHA-256)")
        try:  # a changed METS may still name its files: check them rather than call them strays
            references = list(_references(data))
        except etree.XMLSyntaxError:
            base = Path(mets_path).parent
            report.findings.append(
                f"{mets_path}: går inte att läsa som XML; filerna den listar kan inte prövas"
            )
            unreadable.append(base)
            continue
        base = Path(mets_path).parent
        for href, size, checksum in references:
            referenced.setdefault((base / href).as_posix(), (size, checksum))
    for relative, (size, checksum) in sorted(referenced.items()):
        if relative in package.mets:
            continue  # a METS: checked against the register above
        listed.add(relative)
        report.findings += _check_file(folder, relative, size, checksum)
    report.checked_files = len(listed)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        if relative in listed or any(Path(relative).is_relative_to(b) for b in unreadable):
            continue
        report.findings.append(f"{relative}: finns i paketet men inte i METS")
    master = folder / "representations" / REPRESENTATION / "data" / MASTER
    if master.is_file() and not report.findings:
        sha, size = package.generated
        try:
            examine(master.read_bytes(), package.roots, {sha: size})
        except Refused as exc:
            report.findings.append(f"representations/{REPRESENTATION}/data/{MASTER}: {exc}")
    return report


def _references(mets: bytes) -> Iterator[tuple[str, int, str]]:
    """(href, SIZE, CHECKSUM) of every file and metadata reference in a METS document."""
    root = etree.fromstring(mets)
    for node in root.iter(f"{METS}file", f"{METS}mdRef"):
        location = node if node.tag == f"{METS}mdRef" else node.find(f"{METS}FLocat")
        if location is None:
            continue
        href = location.get(XLINK_HREF)
        if href:
            yield href.removeprefix("./"), int(node.get("SIZE", "-1")), node.get("CHECKSUM", "")


def _check_file(folder: Path, relative: str, size: int, checksum: str) -> list[str]:
    path = folder / relative
    if not path.is_file():
        return [f"{relative}: saknas"]
    data = path.read_bytes()
    if len(data) != size:
        return [f"{relative}: storleken är {len(data)} byte, METS säger {size}"]
    if hashlib.sha256(data).hexdigest() != checksum.lower():
        return [f"{relative}: kontrollsumman stämmer inte (SHA-256): innehållet har ändrats"]
    return []
