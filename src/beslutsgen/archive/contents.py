"""What an archival package holds, before it is XML: the contents, their names, the checks.

`PackageContents` is everything one package of a signed protocol holds; `check_contents`
refuses contents that would make a wrong or ambiguous package. package_mets.py and
package_premis.py turn it into XML, package.py writes it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NamedTuple

from beslutsgen.load.project import LoadedSammantrade

METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP_NS = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
PREMIS_NS = "http://www.loc.gov/premis/v3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
ARKIV_NS = "urn:beslutsgen:arkiv:1.0"  # our own vocabulary: schemas/beslutsgen-arkiv.xsd

SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
# The CSIP content category (vocabulary CSIPVocabularyContentCategory) of a PDF protocol.
CONTENT_CATEGORY = "Textual works – Digital"
# The descriptive metadata is beslutsgen's own, not a CITS, so CSIP says OTHER and names it.
CONTENT_INFORMATION_TYPE = "OTHER"
OTHER_CONTENT_INFORMATION_TYPE = "beslutsgen arkiv 1.0"
ARKIV_MDTYPE = "beslutsgen arkiv"
ARKIV_VERSION = "1.0"

REPRESENTATION = "rep1"
MASTER = "protokoll-signerat.pdf"  # the signed protocol, the archive's master
PUBLICERING = "protokoll-publicering.pdf"  # the unsigned, tagged rendition for the web
DESCRIPTIVE = "metadata/descriptive/arende.xml"
PRESERVATION = "metadata/preservation/premis.xml"
DOCUMENTATION = "documentation/om-paketet.txt"
# The beslutsunderlag documents the protocol, so it is the representation's documentation
# (CSIPSTR16), listed in the representation's METS (docs/design.md, "Beslutsunderlag").
UNDERLAG_FOLDER = f"representations/{REPRESENTATION}/documentation"
XML_MIMETYPE = "text/xml"
# Package data, schemas/: the schemas the package's XML uses. The DILCIS extension schemas
# (csip: and sip: attributes) are the published E-ARK 2.1.0 files, byte for byte.
SCHEMA_FILES = (
    "DILCISExtensionMETS.xsd",
    "DILCISExtensionSIPMETS.xsd",
    "beslutsgen-arkiv.xsd",
    "mets.xsd",
    "xlink.xsd",
)
# The archive seal: a detached CMS signature over METS.xml's bytes, beside it. It cannot be
# listed in the METS it signs; verify knows it by this name.
SEAL = "METS.xml.p7s"

# PREMIS event types, from the Library of Congress vocabulary
# (https://id.loc.gov/vocabulary/preservation/eventType).
CREATION = "creation"
SIGNATURE_VALIDATION = "digital signature validation"
INGESTION = "ingestion"
CAPTURE = "capture"  # "actively obtains an object": a bilaga taken from the project


class DataFile(NamedTuple):
    """One file of the representation's data/ folder."""

    name: str
    data: bytes
    mimetype: str


@dataclass(frozen=True)
class Copied:
    """A file left on disk until the package is written, then copied in chunks: its bytes
    must still have the SHA-256 and size recorded when it was checked."""

    path: Path
    sha256: str
    size: int
    shown: str  # how a refusal names it, e.g. "bilagor/x.pdf (bilaga 1 till RS/1/2026, § 3)"


@dataclass(frozen=True)
class Underlag:
    """One document of a §'s beslutsunderlag, for the representation's documentation/:
    rendered by beslutsgen (bytes) or a bilaga file (Copied)."""

    name: str  # in documentation/: ASCII, made by beslutsgen, never the user's own
    content: bytes | Copied
    mimetype: str
    original: str  # PREMIS originalName: the file's name before it came into the package
    description: str  # one line for the guide, e.g. "§ 103, bilaga 1 till RS/88/2026: …"


@dataclass(frozen=True)
class ArkivParagraf:
    """One § of the protocol and the ärende it treated."""

    nummer: int
    rubrik: str
    diarienummer: str | None = None


@dataclass(frozen=True)
class Descriptive:
    """The meeting the protocol records, for metadata/descriptive/arende.xml."""

    organisation: str
    organ: str
    datum: date
    plats: str
    justeringsdatum: date
    paragrafer: tuple[ArkivParagraf, ...]
    organisation_id: str | None = None  # identifikationskod, e.g. the organisationsnummer


def descriptive_for(
    loaded: LoadedSammantrade, organisation: str, organisation_id: str | None = None
) -> Descriptive:
    """The descriptive metadata of a loaded meeting: each § with its ärende's dnr and rubrik."""
    meeting = loaded.meeting
    return Descriptive(
        organisation=organisation,
        organ=meeting.organ,
        datum=meeting.datum,
        plats=meeting.plats,
        justeringsdatum=meeting.justering.datum,
        paragrafer=tuple(
            ArkivParagraf(p.nummer, arende.arende.rubrik, arende.arende.diarienummer)
            if arende is not None
            else ArkivParagraf(p.nummer, p.rubrik or f"§ {p.nummer}")  # a § without a case file
            for p, arende in zip(meeting.paragrafer, loaded.arenden, strict=True)
        ),
        organisation_id=organisation_id,
    )


@dataclass(frozen=True)
class Certificate:
    """One certificate of a signer's chain: its subject and SHA-256 fingerprint (hex)."""

    subject: str
    sha256: str


@dataclass(frozen=True)
class SignatureValidation:
    """What validating the master PDF's signature found, kept for when the certificates
    have long expired."""

    signer: str  # the signing certificate's subject
    chain: tuple[Certificate, ...]  # signer first, trust anchor last
    signing_time: datetime
    digest_algorithm: str  # e.g. "SHA-256"
    signature_algorithm: str  # e.g. "RSASSA-PSS" or "ECDSA with SHA-256"
    result: str  # the validator's verdict in words


@dataclass(frozen=True)
class PreservationEvent:
    """A PREMIS event: what happened to which data files, when, and how it went."""

    event_type: str  # CREATION, SIGNATURE_VALIDATION, INGESTION or another LoC term
    date_time: datetime
    detail: str
    outcome: str  # "success" or "failure"
    outcome_note: str = ""
    files: tuple[str, ...] = ()  # names of the data files the event concerns
    signature: SignatureValidation | None = None


@dataclass(frozen=True)
class PackageContents:
    """Everything an archival package of one protocol holds; the caller makes the ids."""

    object_id: str  # e.g. "uuid:…"; METS OBJID
    label: str  # e.g. "Protokoll Regionstyrelsen 2025-11-25"
    created: datetime  # timezone-aware; metsHdr CREATEDATE and every file's CREATED
    software: str  # the creating agent: "beslutsgen"
    version: str  # its version
    files: tuple[DataFile, ...]  # for representations/rep1/data/, e.g. MASTER and PUBLICERING
    descriptive: Descriptive
    events: tuple[PreservationEvent, ...]
    underlag: tuple[Underlag, ...] = ()  # for UNDERLAG_FOLDER, in § order


@dataclass(frozen=True)
class Entry:
    """A file of the package, rendered: where it goes and its bytes (or where to copy
    them from)."""

    path: str  # relative to the package root, "/"-separated
    data: bytes | Copied
    mimetype: str
    original: str | None = None  # PREMIS originalName, when not the name in the package

    @property
    def sha256(self) -> str:
        if isinstance(self.data, Copied):
            return self.data.sha256
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return self.data.size if isinstance(self.data, Copied) else len(self.data)

# ---------------------------------------------------------------------------- checks


_FORBIDDEN_IN_NAME = re.compile(r"[/\\\0]")
_UNDERLAG_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # ASCII, no path, not hidden


def check_contents(contents: PackageContents) -> None:
    """Refuse contents that would make a wrong or ambiguous package."""
    names = [f.name for f in contents.files]
    if not names:
        raise ValueError("ett arkivpaket behöver minst en datafil")
    for name in names:
        if name in ("", ".", "..") or name.startswith(".") or _FORBIDDEN_IN_NAME.search(name):
            raise ValueError(f"ogiltigt filnamn {name!r}")
    _check_underlag(contents.underlag)
    names += [u.name for u in contents.underlag]
    ids = [xml_id("file", n) for n in names]
    if len(set(ids)) != len(ids):
        raise ValueError(f"filnamnen {names} är för lika (samma ID i METS)")
    for field, value in (
        ("object_id", contents.object_id),
        ("label", contents.label),
        ("software", contents.software),
        ("version", contents.version),
    ):
        one_line(field, value)
    d = contents.descriptive
    for field, value in (
        ("organisation", d.organisation),
        ("organ", d.organ),
        ("plats", d.plats),
        *((f"§ {p.nummer} rubrik", p.rubrik) for p in d.paragrafer),
        *((f"§ {p.nummer} diarienummer", p.diarienummer) for p in d.paragrafer if p.diarienummer),
        *((("organisation_id", d.organisation_id),) if d.organisation_id else ()),
    ):
        one_line(field, value)
    for paragraf in d.paragrafer:
        if paragraf.nummer < 1:
            raise ValueError(f"ogiltigt paragrafnummer {paragraf.nummer}")
    for event in contents.events:
        unknown = [n for n in event.files if n not in names]
        if unknown:
            raise ValueError(f"händelsen {event.event_type!r} nämner okända filer {unknown}")
        timestamp(event.date_time)
        if event.signature:
            signature = event.signature
            timestamp(signature.signing_time)
            if not signature.chain:
                raise ValueError("signaturvalideringen saknar certifikatkedja")
            for field, value in (
                ("undertecknare", signature.signer),
                ("hashalgoritm", signature.digest_algorithm),
                ("signaturalgoritm", signature.signature_algorithm),
                *(("certifikatets subjekt", cert.subject) for cert in signature.chain),
            ):
                one_line(field, value)
            for cert in signature.chain:
                fingerprint(cert.sha256)
    timestamp(contents.created)


def _check_underlag(underlag: tuple[Underlag, ...]) -> None:
    """Names beslutsgen made (ASCII, no path), one-line texts, a digest for each copy."""
    for item in underlag:
        if not _UNDERLAG_NAME.fullmatch(item.name) or ".." in item.name:
            raise ValueError(f"ogiltigt filnamn för beslutsunderlaget {item.name!r}")
        one_line("underlagets beskrivning", item.description)
        one_line("underlagets ursprungliga namn", item.original)
        copied = item.content if isinstance(item.content, Copied) else None
        if copied and (not re.fullmatch(r"[0-9a-f]{64}", copied.sha256) or copied.size < 0):
            raise ValueError(f"{item.name}: ogiltig SHA-256 eller storlek för kopian")


def one_line(field: str, value: str) -> None:
    """Names, dates and titles are one line of text (the schema says so too)."""
    if not value.strip() or "\n" in value or "\r" in value:
        raise ValueError(f"{field} ska vara en rad text, inte {value!r}")


def timestamp(moment: datetime) -> str:
    """xsd:dateTime in UTC with a Z; a naive datetime is refused (its zone is a guess)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"tidpunkten {moment.isoformat()} saknar tidszon")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def fingerprint(value: str) -> str:
    """A SHA-256 fingerprint as 64 lowercase hex digits ("AB:CD:…" is accepted too)."""
    hexdigits = value.replace(":", "").replace(" ", "").lower()
    if not re.fullmatch(r"[0-9a-f]{64}", hexdigits):
        raise ValueError(f"ogiltigt SHA-256-fingeravtryck {value!r}")
    return hexdigits


def xml_id(prefix: str, path: str) -> str:
    """An xml:id from a path: the same name gives the same id, in every build."""
    return f"{prefix}-" + re.sub(r"[^A-Za-z0-9._-]", "_", path.replace("/", "-"))


def q(namespace: str, name: str) -> str:
    """An lxml qualified name."""
    return f"{{{namespace}}}{name}"
