"""The package's other metadata: arende.xml (descriptive), premis.xml (preservation) and
the plain-text guide documentation/om-paketet.txt."""

from __future__ import annotations

from lxml import etree

from beslutsgen.archive.contents import (
    ARKIV_NS,
    ARKIV_VERSION,
    DESCRIPTIVE,
    DOCUMENTATION,
    MASTER,
    PREMIS_NS,
    PRESERVATION,
    PUBLICERING,
    REPRESENTATION,
    SCHEMA_FILES,
    UNDERLAG_FOLDER,
    XSI_NS,
    Descriptive,
    Entry,
    PackageContents,
    PreservationEvent,
    SignatureValidation,
    fingerprint,
    q,
    timestamp,
)


def _a(name: str) -> str:
    return q(ARKIV_NS, name)


def _text(parent: etree._Element, name: str, value: str) -> etree._Element:
    return _leaf(parent, _a(name), value)


def _leaf(parent: etree._Element, tag: str, value: str) -> etree._Element:
    """A child element holding only text."""
    element = etree.SubElement(parent, tag)
    element.text = value
    return element


def arende(descriptive: Descriptive) -> etree._Element:
    root = etree.Element(_a("protokoll"), nsmap={"arkiv": ARKIV_NS, "xsi": XSI_NS})
    root.set(q(XSI_NS, "schemaLocation"), f"{ARKIV_NS} ../../schemas/beslutsgen-arkiv.xsd")
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
    return q(PREMIS_NS, name)


def _premis_text(parent: etree._Element, name: str, value: str) -> etree._Element:
    return _leaf(parent, _p(name), value)


def _identifier(parent: etree._Element, kind: str, value: str) -> None:
    """<kindIdentifier> with its Type "local" and Value (PREMIS names them all alike)."""
    identifier = etree.SubElement(parent, _p(f"{kind}Identifier"))
    _premis_text(identifier, f"{kind}IdentifierType", "local")
    _premis_text(identifier, f"{kind}IdentifierValue", value)


def premis(contents: PackageContents, files: list[Entry]) -> etree._Element:
    """The PREMIS of the representation's `files` (data and documentation): an object for
    each, the events, the program that did them."""
    root = etree.Element(_p("premis"), nsmap={"premis": PREMIS_NS, "xsi": XSI_NS})
    root.set(
        q(XSI_NS, "schemaLocation"),
        f"{PREMIS_NS} https://www.loc.gov/standards/premis/v3/premis.xsd",
    )
    root.set("version", "3.0")
    for entry in files:
        _object(root, entry, contents.software)

    agent_id = f"{contents.software} {contents.version}"
    paths = {entry.path.rsplit("/", 1)[1]: entry.path for entry in files}
    for number, event in enumerate(contents.events, start=1):
        _event(root, event, f"{contents.object_id}/event-{number}", agent_id, paths)

    agent = etree.SubElement(root, _p("agent"))
    _identifier(agent, "agent", agent_id)
    _premis_text(agent, "agentName", contents.software)
    _premis_text(agent, "agentType", "software")
    _premis_text(agent, "agentVersion", contents.version)
    return root


def _object(root: etree._Element, entry: Entry, software: str) -> None:
    """One file as a PREMIS object: its path, SHA-256, size, format and original name."""
    obj = etree.SubElement(root, _p("object"))
    obj.set(q(XSI_NS, "type"), "premis:file")
    _identifier(obj, "object", entry.path)
    characteristics = etree.SubElement(obj, _p("objectCharacteristics"))
    _premis_text(characteristics, "compositionLevel", "0")
    fixity = etree.SubElement(characteristics, _p("fixity"))
    _premis_text(fixity, "messageDigestAlgorithm", "SHA-256")
    _premis_text(fixity, "messageDigest", entry.sha256)
    _premis_text(fixity, "messageDigestOriginator", software)
    _premis_text(characteristics, "size", str(entry.size))
    designation = etree.SubElement(
        etree.SubElement(characteristics, _p("format")), _p("formatDesignation")
    )
    _premis_text(designation, "formatName", entry.mimetype)
    _premis_text(obj, "originalName", entry.original or entry.path.rsplit("/", 1)[1])


def _event(
    root: etree._Element,
    event: PreservationEvent,
    event_id: str,
    agent_id: str,
    paths: dict[str, str],
) -> None:
    """One preservation event: what, when, the outcome (a signature's validation with it),
    the program that did it and the files it concerns (`paths`: name → path in the package)."""
    element = etree.SubElement(root, _p("event"))
    _identifier(element, "event", event_id)
    _premis_text(element, "eventType", event.event_type)
    _premis_text(element, "eventDateTime", timestamp(event.date_time))
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
        _premis_text(linked, "linkingObjectIdentifierValue", paths[name])


def _signature(validation: SignatureValidation) -> etree._Element:
    root = etree.Element(_a("signaturvalidering"), nsmap={"arkiv": ARKIV_NS})
    _text(root, "undertecknare", validation.signer)
    _text(root, "signeringstid", timestamp(validation.signing_time))
    _text(root, "hashalgoritm", validation.digest_algorithm)
    _text(root, "signaturalgoritm", validation.signature_algorithm)
    chain = etree.SubElement(root, _a("certifikatkedja"))
    for cert in validation.chain:
        element = etree.SubElement(chain, _a("certifikat"))
        _text(element, "subjekt", cert.subject)
        _text(element, "sha256", fingerprint(cert.sha256))
    _text(root, "resultat", validation.result)
    return root


# ---------------------------------------------------------------------------- documentation


def documentation(contents: PackageContents, data: list[Entry], underlag: list[Entry]) -> str:
    """A plain-text guide to the package, in Swedish, for whoever opens it in fifty years."""
    d = contents.descriptive
    lines = [
        f"{contents.label}",
        "",
        f"Arkivpaket {contents.object_id}, skapat {timestamp(contents.created)} av "
        f"{contents.software} {contents.version}.",
        f"{d.organisation}, {d.organ}: sammanträde {d.datum.isoformat()} ({d.plats}), "
        f"justerat {d.justeringsdatum.isoformat()}.",
        "",
        "Paketet följer FGS Paketstruktur 2.0 (E-ARK CSIP 2.1.0 och E-ARK SIP 2.1.0).",
        "",
        "METS.xml",
        "    Paketets METS: vem som skapat det och varje fils storlek och SHA-256-summa.",
        f"representations/{REPRESENTATION}/METS.xml",
        "    Representationens METS: datafilerna"
        + (" och beslutsunderlaget" if underlag else "")
        + ", med storlek och SHA-256-summa.",
    ]
    for entry in data:
        lines.append(entry.path)
        if entry.path.endswith("/" + MASTER):
            lines.append("    Det justerade och signerade protokollet: originalet.")
        elif entry.path.endswith("/" + PUBLICERING):
            lines.append("    Osignerad, tillgänglighetsanpassad återgivning för publicering.")
        else:
            lines.append(f"    Datafil ({entry.mimetype}).")
    lines += _underlag_lines(contents, underlag)
    lines += [
        DESCRIPTIVE,
        "    Sammanträdet och dess ärenden i vokabulären beslutsgen arkiv 1.0",
        f"    (namnrymd {ARKIV_NS}, schema schemas/beslutsgen-arkiv.xsd):",
        "    protokoll > organisation, organ, sammantrade (datum, plats),",
        "    justering (datum), paragraf[@nummer] > arende (diarienummer, rubrik).",
        PRESERVATION,
        "    PREMIS 3.0: filerna med kontrollsummor, händelserna (skapande,",
        "    signaturvalidering, hämtning, inleverans) och programmet som utförde dem.",
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


def _underlag_lines(contents: PackageContents, underlag: list[Entry]) -> list[str]:
    """The beslutsunderlag in the guide: the folder, then each file and what it is."""
    if not underlag:
        return []
    lines = [
        f"{UNDERLAG_FOLDER}/",
        "    Beslutsunderlaget: för varje paragraf som behandlar ett ärende dess",
        "    tjänsteskrivelse (PDF/A, som beslutsgen återger den) och ärendets bilagor",
        "    som filer, byte för byte som de kontrollerades. Listas i representationens",
        "    METS (filgruppen Documentation) och i PREMIS.",
    ]
    for item, entry in zip(contents.underlag, underlag, strict=True):
        lines += [entry.path, f"    {item.description}"]
    return lines
