"""The METS documents of a package: the root METS.xml and each representation's METS.xml."""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from beslutsgen.archive.contents import (
    ARKIV_MDTYPE,
    ARKIV_VERSION,
    CONTENT_CATEGORY,
    CONTENT_INFORMATION_TYPE,
    CSIP_NS,
    METS_NS,
    OTHER_CONTENT_INFORMATION_TYPE,
    REPRESENTATION,
    SIP_NS,
    SIP_PROFILE,
    XLINK_NS,
    XSI_NS,
    Descriptive,
    Entry,
    PackageContents,
    q,
    xml_id,
)


def _m(name: str) -> str:
    return q(METS_NS, name)


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
    root.set(q(XSI_NS, "schemaLocation"), _METS_SCHEMA_LOCATION)
    root.set("OBJID", object_id)
    if label:
        root.set("LABEL", label)
    root.set("TYPE", CONTENT_CATEGORY)
    root.set(q(CSIP_NS, "CONTENTINFORMATIONTYPE"), CONTENT_INFORMATION_TYPE)
    root.set(q(CSIP_NS, "OTHERCONTENTINFORMATIONTYPE"), OTHER_CONTENT_INFORMATION_TYPE)
    root.set("PROFILE", SIP_PROFILE)
    return root


def _mets_header(root: etree._Element, contents: PackageContents, created: str) -> None:
    header = etree.SubElement(root, _m("metsHdr"))
    header.set("CREATEDATE", created)
    header.set("LASTMODDATE", created)
    header.set("RECORDSTATUS", "NEW")
    header.set(q(CSIP_NS, "OAISPACKAGETYPE"), "SIP")
    software = etree.SubElement(
        header, _m("agent"), ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE"
    )
    etree.SubElement(software, _m("name")).text = contents.software
    note = etree.SubElement(software, _m("note"))
    note.set(q(CSIP_NS, "NOTETYPE"), "SOFTWARE VERSION")
    note.text = contents.version


def _organisation_agents(header: etree._Element, descriptive: Descriptive) -> None:
    """SIP 2.1.0: the archival creator (ARCHIVIST) and the submitting agent (CREATOR)."""
    for role in ("ARCHIVIST", "CREATOR"):
        agent = etree.SubElement(header, _m("agent"), ROLE=role, TYPE="ORGANIZATION")
        etree.SubElement(agent, _m("name")).text = descriptive.organisation
        if descriptive.organisation_id:
            note = etree.SubElement(agent, _m("note"))
            note.set(q(CSIP_NS, "NOTETYPE"), "IDENTIFICATIONCODE")
            note.text = descriptive.organisation_id


def _file_attributes(element: etree._Element, entry: Entry, created: str) -> None:
    element.set("MIMETYPE", entry.mimetype)
    element.set("SIZE", str(entry.size))
    element.set("CREATED", created)
    element.set("CHECKSUM", entry.sha256)
    element.set("CHECKSUMTYPE", "SHA-256")


def _locate(element: etree._Element, href: str) -> None:
    element.set("LOCTYPE", "URL")
    element.set(q(XLINK_NS, "type"), "simple")
    element.set(q(XLINK_NS, "href"), href)


def _file_group(
    parent: etree._Element,
    use: str,
    group_id: str,
    entries: Iterable[Entry],
    created: str,
    relative_to: str = "",
    id_prefix: str = "file",
) -> None:
    group = etree.SubElement(parent, _m("fileGrp"), ID=group_id, USE=use)
    # CSIP62 asks this of representation groups; eark-validator 1.1.3 (CSIP63) of every group.
    group.set(q(CSIP_NS, "CONTENTINFORMATIONTYPE"), CONTENT_INFORMATION_TYPE)
    group.set(q(CSIP_NS, "OTHERCONTENTINFORMATIONTYPE"), OTHER_CONTENT_INFORMATION_TYPE)
    for entry in entries:
        href = entry.path.removeprefix(relative_to)
        element = etree.SubElement(group, _m("file"), ID=xml_id(id_prefix, href))
        _file_attributes(element, entry, created)
        _locate(etree.SubElement(element, _m("FLocat")), href)


def root_mets(
    contents: PackageContents,
    created: str,
    descriptive: Entry,
    preservation: Entry,
    documentation: list[Entry],
    schemas: list[Entry],
    rep_mets: Entry,
) -> etree._Element:
    root = _mets_root(contents.object_id, contents.label)
    _mets_header(root, contents, created)
    _organisation_agents(root[0], contents.descriptive)

    _metadata_sections(root, created, descriptive, preservation)

    file_sec = etree.SubElement(root, _m("fileSec"), ID="filesec")
    rep_use = f"Representations/{REPRESENTATION}"
    rep_group = xml_id("filegrp", rep_use.lower())
    _file_group(file_sec, "Documentation", "filegrp-documentation", documentation, created)
    _file_group(file_sec, "Schemas", "filegrp-schemas", schemas, created)
    _file_group(file_sec, rep_use, rep_group, [rep_mets], created)

    _struct_map(root, contents.object_id, rep_use, rep_group, rep_mets)
    return root


def _metadata_sections(
    root: etree._Element, created: str, descriptive: Entry, preservation: Entry
) -> None:
    """The dmdSec pointing to the descriptive metadata and the amdSec to PREMIS."""
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


def _struct_map(
    root: etree._Element, object_id: str, rep_use: str, rep_group: str, rep_mets: Entry
) -> None:
    """The CSIP structMap: metadata, documentation, schemas and the representation's METS."""
    struct_map = etree.SubElement(
        root, _m("structMap"), ID="structmap-csip", TYPE="PHYSICAL", LABEL="CSIP"
    )
    top = etree.SubElement(struct_map, _m("div"), ID="div-package", LABEL=object_id)
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
        representations, _m("div"), ID=xml_id("div", REPRESENTATION), LABEL=rep_use
    )
    pointer = etree.SubElement(rep_div, _m("mptr"))
    _locate(pointer, rep_mets.path)
    pointer.set(q(XLINK_NS, "title"), rep_group)


def representation_mets(
    contents: PackageContents, data: list[Entry], underlag: list[Entry], created: str
) -> etree._Element:
    """The representation's METS: its data files and, when there is any, its documentation
    (the beslutsunderlag), each a file group and a division of the structMap."""
    root = _mets_root(REPRESENTATION, None)
    _mets_header(root, contents, created)
    _organisation_agents(root[0], contents.descriptive)  # SIP15: every METS names its submitter
    file_sec = etree.SubElement(root, _m("fileSec"), ID=f"{REPRESENTATION}-filesec")
    prefix = f"representations/{REPRESENTATION}/"
    groups = [("Documentation", underlag)] if underlag else []
    groups.append(("Data", data))
    for use, entries in groups:
        group_id = f"{REPRESENTATION}-filegrp-{use.lower()}"
        _file_group(file_sec, use, group_id, entries, created, prefix, f"{REPRESENTATION}-file")
    struct_map = etree.SubElement(
        root, _m("structMap"), ID=f"{REPRESENTATION}-structmap", TYPE="PHYSICAL", LABEL="CSIP"
    )
    top = etree.SubElement(struct_map, _m("div"), ID=f"{REPRESENTATION}-div", LABEL=REPRESENTATION)
    for use, _ in groups:
        div = etree.SubElement(
            top, _m("div"), ID=f"{REPRESENTATION}-div-{use.lower()}", LABEL=use
        )
        etree.SubElement(div, _m("fptr"), FILEID=f"{REPRESENTATION}-filegrp-{use.lower()}")
    return root
