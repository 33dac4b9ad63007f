"""An archival information package for a signed protocol: FGS Paketstruktur 2.0.

FGS Paketstruktur 2.0 is E-ARK CSIP 2.1.0 with E-ARK SIP 2.1.0. `build_package` writes

    METS.xml                                 the package: who made it, every file's checksum
    metadata/descriptive/arende.xml          the meeting and its ärenden (beslutsgen arkiv 1.0)
    metadata/preservation/premis.xml         PREMIS 3: the files, what happened to them, by whom
    representations/rep1/METS.xml            the representation: its data files
    representations/rep1/data/...            the signed master PDF and the publication PDF
    schemas/...                              the XML schemas the metadata uses
    documentation/om-paketet.txt             what is where, in words, for a future reader

Every XML file is made with lxml. Nothing reads the clock: the same `PackageContents` give
the same bytes, so a package can be rebuilt and compared. The package appears whole or not
at all: it is written into a hidden sibling folder that is renamed at the end.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib.resources import files
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from beslutsgen.errors import OutputError
from beslutsgen.load import LoadedMeeting

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
XML_MIMETYPE = "text/xml"
SCHEMA_FILES = ("beslutsgen-arkiv.xsd", "mets.xsd", "xlink.xsd")  # package data, schemas/

# PREMIS event types, from the Library of Congress vocabulary
# (https://id.loc.gov/vocabulary/preservation/eventType).
CREATION = "creation"
SIGNATURE_VALIDATION = "digital signature validation"
INGESTION = "ingestion"


class DataFile(NamedTuple):
    """One file of the representation's data/ folder."""

    name: str
    data: bytes
    mimetype: str


@dataclass(frozen=True)
class Paragraf:
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
    paragrafer: tuple[Paragraf, ...]
    organisation_id: str | None = None  # identifikationskod, e.g. the organisationsnummer


def descriptive_for(
    loaded: LoadedMeeting, organisation: str, organisation_id: str | None = None
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
            Paragraf(p.nummer, case.arende.rubrik, case.arende.diarienummer)
            for p, case in zip(meeting.paragrafer, loaded.arenden, strict=True)
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


@dataclass(frozen=True)
class _Entry:
    """A file of the package, rendered: where it goes and its bytes."""

    path: str  # relative to the package root, "/"-separated
    data: bytes
    mimetype: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def build_package(folder: Path, contents: PackageContents) -> list[Path]:
    """Write the package for `contents` into `folder`, which must not exist yet.

    Returns the files written, sorted. Raises OutputError when `folder` exists or cannot be
    written (nothing is left behind), ValueError when `contents` is inconsistent (a bug in
    the caller: a naive datetime, a file name twice, an event naming a file not there).
    """
    entries = _entries(contents)
    if folder.exists() or folder.is_symlink():
        raise OutputError(f"{folder} finns redan; ett arkivpaket skrivs aldrig över")
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    except OSError as exc:
        raise OutputError(f"{folder.parent}: kan inte skrivas: {exc.strerror or exc}") from exc
    try:
        for entry in entries:
            target = staging.joinpath(*entry.path.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(entry.data)
            target.chmod(0o644)
        for directory, _, _ in os.walk(staging):
            Path(directory).chmod(0o755)
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


def _entries(contents: PackageContents) -> list[_Entry]:
    """Every file of the package in memory, in the order they are written."""
    _check(contents)
    created = _timestamp(contents.created)
    data = [
        _Entry(f"representations/{REPRESENTATION}/data/{f.name}", f.data, f.mimetype)
        for f in contents.files
    ]
    rep_mets = _Entry(
        f"representations/{REPRESENTATION}/METS.xml",
        _serialize(_representation_mets(contents, data, created)),
        XML_MIMETYPE,
    )
    descriptive = _Entry(DESCRIPTIVE, _serialize(_arende(contents.descriptive)), XML_MIMETYPE)
    preservation = _Entry(PRESERVATION, _serialize(_premis(contents, data)), XML_MIMETYPE)
    schemas = [
        _Entry(
            f"schemas/{name}",
            (files("beslutsgen") / "schemas" / name).read_bytes(),
            XML_MIMETYPE,
        )
        for name in SCHEMA_FILES
    ]
    documentation = _Entry(
        DOCUMENTATION, _documentation(contents, data).encode("utf-8"), "text/plain"
    )
    root = _root_mets(
        contents, created, descriptive, preservation, [documentation], schemas, rep_mets
    )
    root_mets = _Entry("METS.xml", _serialize(root), XML_MIMETYPE)
    return [root_mets, descriptive, preservation, rep_mets, *data, *schemas, documentation]


# ---------------------------------------------------------------------------- checks


_FORBIDDEN_IN_NAME = re.compile(r"[/\\\0]")


def _check(contents: PackageContents) -> None:
    """Refuse contents that would make a wrong or ambiguous package."""
    names = [f.name for f in contents.files]
    if not names:
        raise ValueError("ett arkivpaket behöver minst en datafil")
    for name in names:
        if name in ("", ".", "..") or name.startswith(".") or _FORBIDDEN_IN_NAME.search(name):
            raise ValueError(f"ogiltigt filnamn {name!r}")
    ids = [_xml_id("file", n) for n in names]
    if len(set(ids)) != len(ids):
        raise ValueError(f"filnamnen {names} är för lika (samma ID i METS)")
    for field, value in (
        ("object_id", contents.object_id),
        ("label", contents.label),
        ("software", contents.software),
        ("version", contents.version),
    ):
        _one_line(field, value)
    d = contents.descriptive
    for field, value in (
        ("organisation", d.organisation),
        ("organ", d.organ),
        ("plats", d.plats),
        *((f"§ {p.nummer} rubrik", p.rubrik) for p in d.paragrafer),
        *((f"§ {p.nummer} diarienummer", p.diarienummer) for p in d.paragrafer if p.diarienummer),
        *((("organisation_id", d.organisation_id),) if d.organisation_id else ()),
    ):
        _one_line(field, value)
    for paragraf in d.paragrafer:
        if paragraf.nummer < 1:
            raise ValueError(f"ogiltigt paragrafnummer {paragraf.nummer}")
    for event in contents.events:
        unknown = [n for n in event.files if n not in names]
        if unknown:
            raise ValueError(f"händelsen {event.event_type!r} nämner okända filer {unknown}")
        _timestamp(event.date_time)
        if event.signature:
            signature = event.signature
            _timestamp(signature.signing_time)
            if not signature.chain:
                raise ValueError("signaturvalideringen saknar certifikatkedja")
            for field, value in (
                ("undertecknare", signature.signer),
                ("hashalgoritm", signature.digest_algorithm),
                ("signaturalgoritm", signature.signature_algorithm),
                *(("certifikatets subjekt", cert.subject) for cert in signature.chain),
            ):
                _one_line(field, value)
            for cert in signature.chain:
                _fingerprint(cert.sha256)
    _timestamp(contents.created)


def _one_line(field: str, value: str) -> None:
    """Names, dates and titles are one line of text (the schema says so too)."""
    if not value.strip() or "\n" in value or "\r" in value:
        raise ValueError(f"{field} ska vara en rad text, inte {value!r}")


def _timestamp(moment: datetime) -> str:
    """xsd:dateTime in UTC with a Z; a naive datetime is refused (its zone is a guess)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"tidpunkten {moment.isoformat()} saknar tidszon")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _fingerprint(value: str) -> str:
    """A SHA-256 fingerprint as 64 lowercase hex digits ("AB:CD:…" is accepted too)."""
    hexdigits = value.replace(":", "").replace(" ", "").lower()
    if not re.fullmatch(r"[0-9a-f]{64}", hexdigits):
        raise ValueError(f"ogiltigt SHA-256-fingeravtryck {value!r}")
    return hexdigits


def _xml_id(prefix: str, path: str) -> str:
    """An xml:id from a path: the same name gives the same id, in every build."""
    return f"{prefix}-" + re.sub(r"[^A-Za-z0-9._-]", "_", path.replace("/", "-"))


# ---------------------------------------------------------------------------- METS


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def _m(name: str) -> str:
    return _q(METS_NS, name)


_METS_NSMAP = {"mets": METS_NS, "xlink": XLINK_NS, "csip": CSIP_NS, "sip": SIP_NS, "xsi": XSI_NS}
_METS_SCHEMA_LOCATION = " ".join(
    (
        METS_NS,
        "http://www.loc.gov/standards/mets/mets.xsd",
        XLINK_NS,
        "http://www.loc.gov/standards/mets/xlink.xsd",
        CSIP_NS,
        "https://earkcsip.dilcis.eu/schema/DILCISExtensionMETS.xsd",
        SIP_NS,
        "https://earksip.dilcis.eu/schema/DILCISExtensionSIPMETS.xsd",
    )
)


def _mets_root(object_id: str, label: str | None) -> etree._Element:
    root = etree.Element(_m("mets"), nsmap=_METS_NSMAP)
    root.set(_q(XSI_NS, "schemaLocation"), _METS_SCHEMA_LOCATION)
    root.set("OBJID", object_id)
    if label:
        root.set("LABEL", label)
    root.set("TYPE", CONTENT_CATEGORY)
    root.set(_q(CSIP_NS, "CONTENTINFORMATIONTYPE"), CONTENT_INFORMATION_TYPE)
    root.set(_q(CSIP_NS, "OTHERCONTENTINFORMATIONTYPE"), OTHER_CONTENT_INFORMATION_TYPE)
    root.set("PROFILE", SIP_PROFILE)
    return root


def _mets_header(root: etree._Element, contents: PackageContents, created: str) -> None:
    header = etree.SubElement(root, _m("metsHdr"))
    header.set("CREATEDATE", created)
    header.set("LASTMODDATE", created)
    header.set("RECORDSTATUS", "NEW")
    header.set(_q(CSIP_NS, "OAISPACKAGETYPE"), "SIP")
    software = etree.SubElement(
        header, _m("agent"), ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE"
    )
    etree.SubElement(software, _m("name")).text = contents.software
    note = etree.SubElement(software, _m("note"))
    note.set(_q(CSIP_NS, "NOTETYPE"), "SOFTWARE VERSION")
    note.text = contents.version


def _organisation_agents(header: etree._Element, descriptive: Descriptive) -> None:
    """SIP 2.1.0: the archival creator (ARCHIVIST) and the submitting agent (CREATOR)."""
    for role in ("ARCHIVIST", "CREATOR"):
        agent = etree.SubElement(header, _m("agent"), ROLE=role, TYPE="ORGANIZATION")
        etree.SubElement(agent, _m("name")).text = descriptive.organisation
        if descriptive.organisation_id:
            note = etree.SubElement(agent, _m("note"))
            note.set(_q(CSIP_NS, "NOTETYPE"), "IDENTIFICATIONCODE")
            note.text = descriptive.organisation_id


def _file_attributes(element: etree._Element, entry: _Entry, created: str) -> None:
    element.set("MIMETYPE", entry.mimetype)
    element.set("SIZE", str(len(entry.data)))
    element.set("CREATED", created)
    element.set("CHECKSUM", entry.sha256)
    element.set("CHECKSUMTYPE", "SHA-256")


def _locate(element: etree._Element, href: str) -> None:
    element.set("LOCTYPE", "URL")
    element.set(_q(XLINK_NS, "type"), "simple")
    element.set(_q(XLINK_NS, "href"), href)


def _file_group(
    parent: etree._Element,
    use: str,
    group_id: str,
    entries: Iterable[_Entry],
    created: str,
    relative_to: str = "",
    id_prefix: str = "file",
) -> None:
    group = etree.SubElement(parent, _m("fileGrp"), ID=group_id, USE=use)
    # CSIP62 asks this of representation groups; eark-validator 1.1.3 (CSIP63) of every group.
    group.set(_q(CSIP_NS, "CONTENTINFORMATIONTYPE"), CONTENT_INFORMATION_TYPE)
    group.set(_q(CSIP_NS, "OTHERCONTENTINFORMATIONTYPE"), OTHER_CONTENT_INFORMATION_TYPE)
    for entry in entries:
        href = entry.path.removeprefix(relative_to)
        element = etree.SubElement(group, _m("file"), ID=_xml_id(id_prefix, href))
        _file_attributes(element, entry, created)
        _locate(etree.SubElement(element, _m("FLocat")), href)


def _root_mets(
    contents: PackageContents,
    created: str,
    descriptive: _Entry,
    preservation: _Entry,
    documentation: list[_Entry],
    schemas: list[_Entry],
    rep_mets: _Entry,
) -> etree._Element:
    root = _mets_root(contents.object_id, contents.label)
    _mets_header(root, contents, created)
    _organisation_agents(root[0], contents.descriptive)

    dmd = etree.SubElement(root, _m("dmdSec"), ID="dmd-arende", CREATED=created, STATUS="CURRENT")
    ref = etree.SubElement(dmd, _m("mdRef"))
    _locate(ref, descriptive.path)
    ref.set("MDTYPE", "OTHER")
    ref.set("OTHERMDTYPE", ARKIV_MDTYPE)
    ref.set("MDTYPEVERSION", ARKIV_VERSION)
    _file_attributes(ref, descriptive, created)

    amd = etree.SubElement(root, _m("amdSec"))
    digiprov = etree.SubElement(
        amd, _m("digiprovMD"), ID="digiprov-premis", CREATED=created, STATUS="CURRENT"
    )
    ref = etree.SubElement(digiprov, _m("mdRef"))
    _locate(ref, preservation.path)
    ref.set("MDTYPE", "PREMIS")
    ref.set("MDTYPEVERSION", "3.0")
    _file_attributes(ref, preservation, created)

    file_sec = etree.SubElement(root, _m("fileSec"), ID="filesec")
    rep_use = f"Representations/{REPRESENTATION}"
    rep_group = _xml_id("filegrp", rep_use.lower())
    _file_group(file_sec, "Documentation", "filegrp-documentation", documentation, created)
    _file_group(file_sec, "Schemas", "filegrp-schemas", schemas, created)
    _file_group(file_sec, rep_use, rep_group, [rep_mets], created)

    struct_map = etree.SubElement(
        root, _m("structMap"), ID="structmap-csip", TYPE="PHYSICAL", LABEL="CSIP"
    )
    top = etree.SubElement(struct_map, _m("div"), ID="div-package", LABEL=contents.object_id)
    etree.SubElement(
        top,
        _m("div"),
        ID="div-metadata",
        LABEL="Metadata",
        ADMID="digiprov-premis",
        DMDID="dmd-arende",
    )
    for label, group in (
        ("Documentation", "filegrp-documentation"),
        ("Schemas", "filegrp-schemas"),
    ):
        div = etree.SubElement(top, _m("div"), ID=f"div-{label.lower()}", LABEL=label)
        etree.SubElement(div, _m("fptr"), FILEID=group)
    representations = etree.SubElement(
        top, _m("div"), ID="div-representations", LABEL="Representations"
    )
    etree.SubElement(representations, _m("fptr"), FILEID=rep_group)
    rep_div = etree.SubElement(
        representations, _m("div"), ID=_xml_id("div", REPRESENTATION), LABEL=rep_use
    )
    pointer = etree.SubElement(rep_div, _m("mptr"))
    _locate(pointer, rep_mets.path)
    pointer.set(_q(XLINK_NS, "title"), rep_group)
    return root


def _representation_mets(
    contents: PackageContents, data: list[_Entry], created: str
) -> etree._Element:
    root = _mets_root(REPRESENTATION, None)
    _mets_header(root, contents, created)
    file_sec = etree.SubElement(root, _m("fileSec"), ID=f"{REPRESENTATION}-filesec")
    group_id = f"{REPRESENTATION}-filegrp-data"
    prefix = f"representations/{REPRESENTATION}/"
    _file_group(file_sec, "Data", group_id, data, created, prefix, f"{REPRESENTATION}-file")
    struct_map = etree.SubElement(
        root, _m("structMap"), ID=f"{REPRESENTATION}-structmap", TYPE="PHYSICAL", LABEL="CSIP"
    )
    top = etree.SubElement(struct_map, _m("div"), ID=f"{REPRESENTATION}-div", LABEL=REPRESENTATION)
    div = etree.SubElement(top, _m("div"), ID=f"{REPRESENTATION}-div-data", LABEL="Data")
    etree.SubElement(div, _m("fptr"), FILEID=group_id)
    return root


# ---------------------------------------------------------------------------- arende.xml


def _a(name: str) -> str:
    return _q(ARKIV_NS, name)


def _text(parent: etree._Element, name: str, value: str) -> etree._Element:
    return _leaf(parent, _a(name), value)


def _leaf(parent: etree._Element, tag: str, value: str) -> etree._Element:
    """A child element holding only text."""
    element = etree.SubElement(parent, tag)
    element.text = value
    return element


def _arende(descriptive: Descriptive) -> etree._Element:
    root = etree.Element(_a("protokoll"), nsmap={"arkiv": ARKIV_NS, "xsi": XSI_NS})
    root.set(_q(XSI_NS, "schemaLocation"), f"{ARKIV_NS} ../../schemas/beslutsgen-arkiv.xsd")
    root.set("version", ARKIV_VERSION)
    organisation = _text(root, "organisation", descriptive.organisation)
    if descriptive.organisation_id:
        organisation.set("identifikationskod", descriptive.organisation_id)
    _text(root, "organ", descriptive.organ)
    meeting = etree.SubElement(root, _a("sammantrade"))
    _text(meeting, "datum", descriptive.datum.isoformat())
    _text(meeting, "plats", descriptive.plats)
    justering = etree.SubElement(root, _a("justering"))
    _text(justering, "datum", descriptive.justeringsdatum.isoformat())
    for paragraf in descriptive.paragrafer:
        element = etree.SubElement(root, _a("paragraf"), nummer=str(paragraf.nummer))
        arende = etree.SubElement(element, _a("arende"))
        if paragraf.diarienummer:
            _text(arende, "diarienummer", paragraf.diarienummer)
        _text(arende, "rubrik", paragraf.rubrik)
    return root


# ---------------------------------------------------------------------------- premis.xml


def _p(name: str) -> str:
    return _q(PREMIS_NS, name)


def _premis_text(parent: etree._Element, name: str, value: str) -> etree._Element:
    return _leaf(parent, _p(name), value)


def _identifier(parent: etree._Element, kind: str, value: str) -> None:
    """<kindIdentifier> with its Type "local" and Value (PREMIS names them all alike)."""
    identifier = etree.SubElement(parent, _p(f"{kind}Identifier"))
    _premis_text(identifier, f"{kind}IdentifierType", "local")
    _premis_text(identifier, f"{kind}IdentifierValue", value)


def _premis(contents: PackageContents, data: list[_Entry]) -> etree._Element:
    root = etree.Element(_p("premis"), nsmap={"premis": PREMIS_NS, "xsi": XSI_NS})
    root.set(
        _q(XSI_NS, "schemaLocation"),
        f"{PREMIS_NS} https://www.loc.gov/standards/premis/v3/premis.xsd",
    )
    root.set("version", "3.0")
    for entry in data:
        obj = etree.SubElement(root, _p("object"))
        obj.set(_q(XSI_NS, "type"), "premis:file")
        _identifier(obj, "object", entry.path)
        characteristics = etree.SubElement(obj, _p("objectCharacteristics"))
        _premis_text(characteristics, "compositionLevel", "0")
        fixity = etree.SubElement(characteristics, _p("fixity"))
        _premis_text(fixity, "messageDigestAlgorithm", "SHA-256")
        _premis_text(fixity, "messageDigest", entry.sha256)
        _premis_text(fixity, "messageDigestOriginator", contents.software)
        _premis_text(characteristics, "size", str(len(entry.data)))
        designation = etree.SubElement(
            etree.SubElement(characteristics, _p("format")), _p("formatDesignation")
        )
        _premis_text(designation, "formatName", entry.mimetype)
        _premis_text(obj, "originalName", entry.path.rsplit("/", 1)[1])

    agent_id = f"{contents.software} {contents.version}"
    for number, event in enumerate(contents.events, start=1):
        element = etree.SubElement(root, _p("event"))
        _identifier(element, "event", f"{contents.object_id}/event-{number}")
        _premis_text(element, "eventType", event.event_type)
        _premis_text(element, "eventDateTime", _timestamp(event.date_time))
        detail = etree.SubElement(element, _p("eventDetailInformation"))
        _premis_text(detail, "eventDetail", event.detail)
        outcome = etree.SubElement(element, _p("eventOutcomeInformation"))
        _premis_text(outcome, "eventOutcome", event.outcome)
        if event.outcome_note or event.signature:
            outcome_detail = etree.SubElement(outcome, _p("eventOutcomeDetail"))
            if event.outcome_note:
                _premis_text(outcome_detail, "eventOutcomeDetailNote", event.outcome_note)
            if event.signature:
                extension = etree.SubElement(outcome_detail, _p("eventOutcomeDetailExtension"))
                extension.append(_signature(event.signature))
        agent = etree.SubElement(element, _p("linkingAgentIdentifier"))
        _premis_text(agent, "linkingAgentIdentifierType", "local")
        _premis_text(agent, "linkingAgentIdentifierValue", agent_id)
        _premis_text(agent, "linkingAgentRole", "executing program")
        for name in event.files:
            linked = etree.SubElement(element, _p("linkingObjectIdentifier"))
            _premis_text(linked, "linkingObjectIdentifierType", "local")
            _premis_text(
                linked,
                "linkingObjectIdentifierValue",
                f"representations/{REPRESENTATION}/data/{name}",
            )

    agent = etree.SubElement(root, _p("agent"))
    _identifier(agent, "agent", agent_id)
    _premis_text(agent, "agentName", contents.software)
    _premis_text(agent, "agentType", "software")
    _premis_text(agent, "agentVersion", contents.version)
    return root


def _signature(validation: SignatureValidation) -> etree._Element:
    root = etree.Element(_a("signaturvalidering"), nsmap={"arkiv": ARKIV_NS})
    _text(root, "undertecknare", validation.signer)
    _text(root, "signeringstid", _timestamp(validation.signing_time))
    _text(root, "hashalgoritm", validation.digest_algorithm)
    _text(root, "signaturalgoritm", validation.signature_algorithm)
    chain = etree.SubElement(root, _a("certifikatkedja"))
    for cert in validation.chain:
        element = etree.SubElement(chain, _a("certifikat"))
        _text(element, "subjekt", cert.subject)
        _text(element, "sha256", _fingerprint(cert.sha256))
    _text(root, "resultat", validation.result)
    return root


# ---------------------------------------------------------------------------- documentation


def _documentation(contents: PackageContents, data: list[_Entry]) -> str:
    """A plain-text guide to the package, in Swedish, for whoever opens it in fifty years."""
    d = contents.descriptive
    lines = [
        f"{contents.label}",
        "",
        f"Arkivpaket {contents.object_id}, skapat {_timestamp(contents.created)} av "
        f"{contents.software} {contents.version}.",
        f"{d.organisation}, {d.organ}: sammanträde {d.datum.isoformat()} ({d.plats}), "
        f"justerat {d.justeringsdatum.isoformat()}.",
        "",
        "Paketet följer FGS Paketstruktur 2.0 (E-ARK CSIP 2.1.0 och E-ARK SIP 2.1.0).",
        "",
        "METS.xml",
        "    Paketets METS: vem som skapat det och varje fils storlek och SHA-256-summa.",
        f"representations/{REPRESENTATION}/METS.xml",
        "    Representationens METS: datafilerna, med storlek och SHA-256-summa.",
    ]
    for entry in data:
        lines.append(entry.path)
        if entry.path.endswith("/" + MASTER):
            lines.append("    Det justerade och signerade protokollet: originalet.")
        elif entry.path.endswith("/" + PUBLICERING):
            lines.append("    Osignerad, tillgänglighetsanpassad återgivning för publicering.")
        else:
            lines.append(f"    Datafil ({entry.mimetype}).")
    lines += [
        DESCRIPTIVE,
        "    Sammanträdet och dess ärenden i vokabulären beslutsgen arkiv 1.0",
        f"    (namnrymd {ARKIV_NS}, schema schemas/beslutsgen-arkiv.xsd):",
        "    protokoll > organisation, organ, sammantrade (datum, plats),",
        "    justering (datum), paragraf[@nummer] > arende (diarienummer, rubrik).",
        PRESERVATION,
        "    PREMIS 3.0: filerna med kontrollsummor, händelserna (skapande,",
        "    signaturvalidering, inleverans) och programmet som utförde dem.",
        "    Signaturvalideringens fullständiga resultat (undertecknare,",
        "    certifikatkedja med SHA-256-fingeravtryck, signeringstid, algoritmer)",
        "    står i eventOutcomeDetailExtension som arkiv:signaturvalidering.",
        "schemas/",
        "    XML-scheman: " + ", ".join(SCHEMA_FILES) + ".",
        DOCUMENTATION,
        "    Den här filen.",
        "",
    ]
    return "\n".join(lines)


def _serialize(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8"))
