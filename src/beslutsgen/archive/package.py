"""An archival information package for a signed protocol: FGS Paketstruktur 2.0.

FGS Paketstruktur 2.0 is E-ARK CSIP 2.1.0 with E-ARK SIP 2.1.0. `build_package` writes

    METS.xml                                 the package: who made it, every file's checksum
    METS.xml.p7s                             the archive seal over METS.xml (detached CMS)
    metadata/descriptive/arende.xml          the meeting and its ärenden (beslutsgen arkiv 1.0)
    metadata/preservation/premis.xml         PREMIS 3: the files, what happened to them, by whom
    representations/rep1/METS.xml            the representation: its data files
    representations/rep1/data/...            the signed master PDF and the publication PDF
    representations/rep1/documentation/...   the beslutsunderlag: each ärende's tjänsteskrivelse
                                             and bilaga files (in the representation's METS)
    schemas/...                              the XML schemas the metadata uses
    documentation/om-paketet.txt             what is where, in words, for a future reader

Every XML file is made with lxml. Nothing reads the clock: the same `PackageContents` give
the same bytes, so a package can be rebuilt and compared. The package appears whole or not
at all: it is written into a hidden sibling folder that is renamed at the end. A bilaga is
copied from the project only then, in chunks, and refused (Refused, nothing written) when
its bytes no longer have the SHA-256 METS already states for it.
contents.py holds what goes in, mets.py and premis.py the XML.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from beslutsgen.archive.contents import (
    ARKIV_MDTYPE,
    ARKIV_NS,
    ARKIV_VERSION,
    CAPTURE,
    CONTENT_CATEGORY,
    CREATION,
    CSIP_NS,
    DESCRIPTIVE,
    DOCUMENTATION,
    INGESTION,
    MASTER,
    METS_NS,
    PREMIS_NS,
    PRESERVATION,
    PUBLICERING,
    REPRESENTATION,
    SCHEMA_FILES,
    SEAL,
    SIGNATURE_VALIDATION,
    SIP_NS,
    SIP_PROFILE,
    UNDERLAG_FOLDER,
    XLINK_NS,
    XML_MIMETYPE,
    XSI_NS,
    ArkivParagraf,
    Certificate,
    Copied,
    DataFile,
    Descriptive,
    Entry,
    PackageContents,
    PreservationEvent,
    SignatureValidation,
    Underlag,
    check_contents,
    descriptive_for,
    timestamp,
)
from beslutsgen.archive.mets import representation_mets, root_mets
from beslutsgen.archive.premis import arende, documentation, premis
from beslutsgen.archive.sip_profile import SCHEMAS
from beslutsgen.errors import OutputError, Refused

__all__ = [
    "ARKIV_MDTYPE",
    "ARKIV_NS",
    "ARKIV_VERSION",
    "CAPTURE",
    "CONTENT_CATEGORY",
    "CREATION",
    "CSIP_NS",
    "DESCRIPTIVE",
    "DOCUMENTATION",
    "INGESTION",
    "MASTER",
    "METS_NS",
    "PREMIS_NS",
    "PRESERVATION",
    "PUBLICERING",
    "REPRESENTATION",
    "SCHEMA_FILES",
    "SEAL",
    "SIGNATURE_VALIDATION",
    "SIP_NS",
    "SIP_PROFILE",
    "UNDERLAG_FOLDER",
    "XLINK_NS",
    "XML_MIMETYPE",
    "XSI_NS",
    "ArkivParagraf",
    "Certificate",
    "Copied",
    "DataFile",
    "Descriptive",
    "PackageContents",
    "PreservationEvent",
    "SignatureValidation",
    "Underlag",
    "build_package",
    "descriptive_for",
]

# A seal: given METS.xml's bytes, a detached signature over them (archive_seal.py makes it).
Sealer = Callable[[bytes], bytes]


def build_package(
    folder: Path, contents: PackageContents, seal: Sealer | None = None
) -> list[Path]:
    """Write the package for `contents` into `folder`, which must not exist yet; with
    `seal`, METS.xml's seal (SEAL) is written beside it before the package appears.

    Returns the files written, sorted. Raises OutputError when `folder` exists or cannot be
    written, Refused when a bilaga changed since it was checked (nothing is left behind),
    ValueError when `contents` is inconsistent (a bug in the caller: a naive datetime, a
    file name twice, an event naming a file not there).
    """
    mets, entries = _entries(contents)
    if seal is not None:
        entries.append(Entry(SEAL, seal(mets), "application/pkcs7-signature"))
    if folder.exists() or folder.is_symlink():
        raise OutputError(f"{folder} finns redan; ett arkivpaket skrivs aldrig över")
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    except OSError as exc:
        raise OutputError(f"{folder.parent}: kan inte skrivas: {exc.strerror or exc}") from exc
    try:
        _write(staging, entries)
        # Made by someone else meanwhile? (os.rename would replace an empty folder.)
        if folder.exists() or folder.is_symlink():
            raise OutputError(f"{folder} finns redan; ett arkivpaket skrivs aldrig över")
        os.rename(staging, folder)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"{folder}: kunde inte skrivas: {exc.strerror or exc}") from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(folder.joinpath(*entry.path.split("/")) for entry in entries)


def _write(staging: Path, entries: list[Entry]) -> None:
    for entry in entries:
        target = staging.joinpath(*entry.path.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(entry.data, Copied):
            _copy(entry.data, target)
        else:
            target.write_bytes(entry.data)
        target.chmod(0o644)
    for directory, _, _ in os.walk(staging):
        Path(directory).chmod(0o755)


COPY_CHUNK = 1024 * 1024


def _copy(source: Copied, target: Path) -> None:
    """`source` into `target` in chunks, never whole in memory, and only if it still is the
    regular file of the SHA-256 and size it had when it was checked (a file that grew is
    read no further than one chunk past its size)."""
    try:
        fd = os.open(source.path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise Refused(
            "ändrad bilaga",
            f"{source.shown} kan inte läsas längre ({exc.strerror or exc}); inget arkiverades",
        ) from None
    digest, copied = hashlib.sha256(), 0
    with os.fdopen(fd, "rb") as handle, target.open("xb") as out:
        if stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            while copied <= source.size and (chunk := handle.read(COPY_CHUNK)):
                digest.update(chunk)
                out.write(chunk)
                copied += len(chunk)
        else:
            copied = -1
    if copied != source.size or digest.hexdigest() != source.sha256:
        raise Refused(
            "ändrad bilaga",
            f"{source.shown} har ändrats sedan den kontrollerades; inget arkiverades, kör "
            "kommandot igen",
        )


def _entries(contents: PackageContents) -> tuple[bytes, list[Entry]]:
    """METS.xml's bytes, and every file of the package in the order they are written (METS.xml
    first); all in memory but the bilagor, which are copied as they are written."""
    check_contents(contents)
    created = timestamp(contents.created)
    data = [
        Entry(f"representations/{REPRESENTATION}/data/{f.name}", f.data, f.mimetype)
        for f in contents.files
    ]
    underlag = [_underlag_entry(u) for u in contents.underlag]
    rep_mets = Entry(
        f"representations/{REPRESENTATION}/METS.xml",
        serialize(representation_mets(contents, data, underlag, created)),
        XML_MIMETYPE,
    )
    descriptive = Entry(DESCRIPTIVE, serialize(arende(contents.descriptive)), XML_MIMETYPE)
    preservation = Entry(PRESERVATION, serialize(premis(contents, data + underlag)), XML_MIMETYPE)
    schemas = [
        Entry(
            f"schemas/{name}",
            (SCHEMAS / name).read_bytes(),
            XML_MIMETYPE,
        )
        for name in SCHEMA_FILES
    ]
    guide_text = documentation(contents, data, underlag)
    guide = Entry(DOCUMENTATION, guide_text.encode("utf-8"), "text/plain")
    root = root_mets(contents, created, descriptive, preservation, [guide], schemas, rep_mets)
    mets = serialize(root)
    entries = [Entry("METS.xml", mets, XML_MIMETYPE), descriptive, preservation, rep_mets]
    return mets, [*entries, *data, *underlag, *schemas, guide]


def _underlag_entry(underlag: Underlag) -> Entry:
    path = f"{UNDERLAG_FOLDER}/{underlag.name}"
    return Entry(path, underlag.content, underlag.mimetype, underlag.original)


def serialize(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8"))
