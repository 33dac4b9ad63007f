"""An archival information package for a signed protocol: FGS Paketstruktur 2.0.

FGS Paketstruktur 2.0 is E-ARK CSIP 2.1.0 with E-ARK SIP 2.1.0. `build_package` writes

    METS.xml                                 the package: who made it, every file's checksum
    METS.xml.p7s                             the archive seal over METS.xml (detached CMS)
    metadata/descriptive/arende.xml          the meeting and its ärenden (beslutsgen arkiv 1.0)
    metadata/preservation/premis.xml         PREMIS 3: the files, what happened to them, by whom
    representations/rep1/METS.xml            the representation: its data files
    representations/rep1/data/...            the signed master PDF and the publication PDF
    schemas/...                              the XML schemas the metadata uses
    documentation/om-paketet.txt             what is where, in words, for a future reader

Every XML file is made with lxml. Nothing reads the clock: the same `PackageContents` give
the same bytes, so a package can be rebuilt and compared. The package appears whole or not
at all: it is written into a hidden sibling folder that is renamed at the end.
package_contents.py holds what goes in, package_mets.py and package_premis.py the XML.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from beslutsgen.archive.contents import (
    ARKIV_MDTYPE,
    ARKIV_NS,
    ARKIV_VERSION,
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
    XLINK_NS,
    XML_MIMETYPE,
    XSI_NS,
    ArkivParagraf,
    Certificate,
    DataFile,
    Descriptive,
    Entry,
    PackageContents,
    PreservationEvent,
    SignatureValidation,
    check_contents,
    descriptive_for,
    timestamp,
)
from beslutsgen.archive.mets import representation_mets, root_mets
from beslutsgen.archive.premis import arende, documentation, premis
from beslutsgen.archive.sip_profile import SCHEMAS
from beslutsgen.errors import OutputError

__all__ = [
    "ARKIV_MDTYPE",
    "ARKIV_NS",
    "ARKIV_VERSION",
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
    "XLINK_NS",
    "XML_MIMETYPE",
    "XSI_NS",
    "ArkivParagraf",
    "Certificate",
    "DataFile",
    "Descriptive",
    "PackageContents",
    "PreservationEvent",
    "SignatureValidation",
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
    written (nothing is left behind), ValueError when `contents` is inconsistent (a bug in
    the caller: a naive datetime, a file name twice, an event naming a file not there).
    """
    entries = _entries(contents)
    if seal is not None:
        entries.append(Entry(SEAL, seal(entries[0].data), "application/pkcs7-signature"))
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
        target.write_bytes(entry.data)
        target.chmod(0o644)
    for directory, _, _ in os.walk(staging):
        Path(directory).chmod(0o755)


def _entries(contents: PackageContents) -> list[Entry]:
    """Every file of the package in memory, in the order they are written (METS.xml first)."""
    check_contents(contents)
    created = timestamp(contents.created)
    data = [
        Entry(f"representations/{REPRESENTATION}/data/{f.name}", f.data, f.mimetype)
        for f in contents.files
    ]
    rep_mets = Entry(
        f"representations/{REPRESENTATION}/METS.xml",
        serialize(representation_mets(contents, data, created)),
        XML_MIMETYPE,
    )
    descriptive = Entry(DESCRIPTIVE, serialize(arende(contents.descriptive)), XML_MIMETYPE)
    preservation = Entry(PRESERVATION, serialize(premis(contents, data)), XML_MIMETYPE)
    schemas = [
        Entry(
            f"schemas/{name}",
            (SCHEMAS / name).read_bytes(),
            XML_MIMETYPE,
        )
        for name in SCHEMA_FILES
    ]
    guide = Entry(DOCUMENTATION, documentation(contents, data).encode("utf-8"), "text/plain")
    root = root_mets(contents, created, descriptive, preservation, [guide], schemas, rep_mets)
    mets = Entry("METS.xml", serialize(root), XML_MIMETYPE)
    return [mets, descriptive, preservation, rep_mets, *data, *schemas, guide]


def serialize(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8"))
