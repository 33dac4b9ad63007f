"""`verify`: every package of the archive re-checked, offline, trusting nothing on disk.

Per package: no symbolic link and no hidden file or folder anywhere in it (nothing is
read through a link); every METS against the register, the schemas and the SIP profile;
the seal over METS.xml against the trust roots the register recorded; every file against
METS (the beslutsunderlag in the representation's documentation/ as well, read in chunks);
no file that METS does not list (unless that METS itself changed); the signature of the
master against the recorded roots; and the descriptive metadata against what the signed
protocol says itself. The register's hash chain is walked, and its head returned for
recording outside the archive.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree

from beslutsgen.archive.contents import (
    DESCRIPTIVE,
    MASTER,
    METS_NS,
    REPRESENTATION,
    SEAL,
    XLINK_NS,
    q,
)
from beslutsgen.archive.protocol import disagreements
from beslutsgen.archive.register import (
    ARCHIVE_REGISTER,
    ChainError,
    Register,
    RegisteredPackage,
    chain_findings,
)
from beslutsgen.archive.seal import SealError, check_seal
from beslutsgen.archive.signing import examine
from beslutsgen.archive.sip_profile import parse, profile_findings, schema_findings
from beslutsgen.errors import Refused, UsageError
from beslutsgen.load.bilagor import file_sha256

METS = q(METS_NS, "")
XLINK_HREF = q(XLINK_NS, "href")
MASTER_PATH = f"representations/{REPRESENTATION}/data/{MASTER}"


@dataclass
class PackageReport:
    """What `verify` found in one package (or the register); no findings means intact."""

    folder: str
    object_id: str
    findings: list[str] = field(default_factory=list)
    checked_files: int = 0


@dataclass(frozen=True)
class Verification:
    reports: list[PackageReport]  # every package, and every folder the register lacks
    chain: list[str]  # what is wrong with the register's hash chain
    head: str  # the register's head: the SHA-256 of its last row


def verify(archive_dir: Path) -> Verification:
    """Every package of the archive, the register's chain, and whatever else is there."""
    path = archive_dir / ARCHIVE_REGISTER
    if path.is_symlink() or not path.is_file():
        raise UsageError(f"{archive_dir}: inget arkiv ({ARCHIVE_REGISTER} saknas)")
    with Register(path) as register:
        try:
            rows = list(register.packages())
        except ChainError as exc:
            raise UsageError(f"{path}: {exc}") from exc
    chain, head = chain_findings(rows)
    reports = [_verify_package(archive_dir, row) for row in rows]
    known = {row.folder for row in rows} | {ARCHIVE_REGISTER}
    for entry in sorted(archive_dir.iterdir()):
        if entry.name in known:
            continue
        report = PackageReport(entry.name, "")
        if entry.name.startswith("."):
            report.findings.append("dold fil eller mapp i arkivet")
        elif entry.is_symlink():
            report.findings.append(f"symbolisk länk i arkivet (till {os.readlink(entry)})")
        else:
            report.findings.append("finns i arkivet men inte i registret")
        reports.append(report)
    return Verification(reports, chain, head)


@dataclass
class _Inventory:
    """What a package folder holds, found without following any link."""

    files: set[str] = field(default_factory=set)
    odd: list[str] = field(default_factory=list)  # links, hidden and special entries
    blocked: list[str] = field(default_factory=list)  # links and hidden folders: not entered


def _inventory(folder: Path) -> _Inventory:
    found = _Inventory()
    for directory, subdirs, filenames in os.walk(folder, followlinks=False):
        base = Path(directory)
        for name in sorted(subdirs + filenames):
            path = base / name
            relative = path.relative_to(folder).as_posix()
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                found.odd.append(f"{relative}: är en symbolisk länk (till {os.readlink(path)})")
                found.blocked.append(relative)
            elif name.startswith("."):
                noun = "mapp" if stat.S_ISDIR(mode) else "fil"
                found.odd.append(f"{relative}: dold {noun} i paketet")
                found.blocked.append(relative)
            elif stat.S_ISREG(mode):
                found.files.add(relative)
            elif not stat.S_ISDIR(mode):
                found.odd.append(f"{relative}: är inte en vanlig fil")
        subdirs[:] = [d for d in subdirs if (base / d).relative_to(folder).as_posix()
                      not in found.blocked]  # fmt: skip
    return found


def _verify_package(archive_dir: Path, row: RegisteredPackage) -> PackageReport:
    report = PackageReport(row.folder, row.object_id)
    folder = archive_dir / row.folder
    if folder.is_symlink():
        report.findings.append(f"paketmappen är en symbolisk länk (till {os.readlink(folder)})")
        return report
    if not folder.is_dir():
        report.findings.append("paketet saknas")
        return report
    inventory = _inventory(folder)
    report.findings += inventory.odd
    checker = _Checker(folder, row, inventory, report)
    checker.run()
    return report


@dataclass
class _Checker:
    folder: Path
    row: RegisteredPackage
    inventory: _Inventory
    report: PackageReport
    listed: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)  # METS files unlike the registered ones

    def read(self, relative: str) -> bytes | None:
        """The bytes of a regular file of the package; None (and a finding unless behind a
        link already named) when it is not one."""
        if relative in self.inventory.files:
            return (self.folder / relative).read_bytes()
        if not any(PurePosixPath(relative).is_relative_to(b) for b in self.inventory.blocked):
            self.report.findings.append(f"{relative}: saknas")
        return None

    def run(self) -> None:
        references: dict[str, tuple[int, str]] = {}
        unreadable: list[str] = []
        for mets_path, sha in sorted(self.row.mets.items()):
            self.listed.add(mets_path)
            found = self.mets(mets_path, sha)
            if found is None or mets_path in self.changed:
                # What a METS no longer archived lists cannot tell strays from its files.
                unreadable.append(str(PurePosixPath(mets_path).parent))
            if found is None:
                continue
            for relative, expected in found:
                references.setdefault(relative, expected)
        self.seal()
        for relative, (size, checksum) in sorted(references.items()):
            if relative not in self.row.mets:
                self.listed.add(relative)
                self.file(relative, size, checksum)
        self.report.checked_files = len(self.listed)
        for relative in sorted(self.inventory.files - self.listed):
            if not any(PurePosixPath(relative).is_relative_to(b) for b in unreadable):
                self.report.findings.append(f"{relative}: finns i paketet men inte i METS")
        self.signature_and_description()

    def mets(self, mets_path: str, sha: str) -> list[tuple[str, tuple[int, str]]] | None:
        """Check one METS; the files it names (relative to the package), None if unreadable."""
        data = self.read(mets_path)
        if data is None:
            return []
        if hashlib.sha256(data).hexdigest() != sha:
            self.report.findings.append(f"{mets_path}: ändrad sedan arkiveringen (SHA-256)")
            self.changed.add(mets_path)
        self.report.findings += schema_findings(mets_path, data)
        self.report.findings += profile_findings(mets_path, data)
        try:
            found = list(_references(data))
        except etree.XMLSyntaxError:
            return None  # schema_findings said so; its files cannot be told from strays
        base = PurePosixPath(mets_path).parent
        named = []
        for href, size, checksum in found:
            target = PurePosixPath(os.path.normpath(base / href)).as_posix()
            if href.startswith("/") or target.startswith("../") or target == "..":
                self.report.findings.append(f"{mets_path}: {href} pekar utanför paketet")
                continue
            named.append((target, (size, checksum)))
        return named

    def seal(self) -> None:
        self.listed.add(SEAL)
        seal = self.read(SEAL) if SEAL in self.inventory.files else None
        if seal is None:
            if SEAL not in self.inventory.blocked:
                self.report.findings.append(f"{SEAL}: saknas; paketets METS är inte förseglat")
            return
        mets = self.read("METS.xml") if "METS.xml" in self.inventory.files else None
        if hashlib.sha256(seal).hexdigest() != self.row.seal_sha256:
            self.report.findings.append(f"{SEAL}: ändrat sedan arkiveringen (SHA-256)")
        if mets is None:
            return
        try:
            check_seal(mets, seal, self.row.trust_roots())
        except SealError as exc:
            self.report.findings.append(f"{SEAL}: {exc}")

    def file(self, relative: str, size: int, checksum: str) -> None:
        """One file against its METS size and SHA-256, read in chunks (a bilaga may be large)."""
        if relative not in self.inventory.files:
            self.read(relative)  # names it missing, unless a link already was
            return
        path = self.folder / relative
        actual = path.stat().st_size
        if actual != size:
            said = f"{relative}: storleken är {actual} byte, METS säger {size}"
            self.report.findings.append(said)
        elif file_sha256(path) != checksum.lower():
            self.report.findings.append(
                f"{relative}: kontrollsumman stämmer inte (SHA-256): innehållet har ändrats"
            )

    def signature_and_description(self) -> None:
        if MASTER_PATH not in self.inventory.files:
            return
        master = (self.folder / MASTER_PATH).read_bytes()
        if DESCRIPTIVE in self.inventory.files:
            descriptive = (self.folder / DESCRIPTIVE).read_bytes()
            self.report.findings += disagreements(descriptive, master, MASTER_PATH)
        if self.report.findings:
            return  # the signature is worth checking only on a package otherwise intact
        sha, size = self.row.generated
        try:
            examine(master, self.row.trust_roots(), {sha: size})
        except Refused as exc:
            self.report.findings.append(f"{MASTER_PATH}: {exc}")


def _references(mets: bytes) -> Iterator[tuple[str, int, str]]:
    """(href, SIZE, CHECKSUM) of every file and metadata reference in a METS document."""
    root = parse(mets)
    for node in root.iter(f"{METS}file", f"{METS}mdRef"):
        location = node if node.tag == f"{METS}mdRef" else node.find(f"{METS}FLocat")
        if location is None:
            continue
        href = location.get(XLINK_HREF)
        if href:
            try:
                size = int(node.get("SIZE", "-1"))
            except ValueError:
                size = -1
            yield href.removeprefix("./"), size, node.get("CHECKSUM", "")
