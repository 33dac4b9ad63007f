"""What eark-validator 1.1.3 cannot see: METS against every schema, and SIP 2.1.0's agents.

The official validator does not load the DILCIS extension schemas, runs no Schematron on
representation METS files, and never reaches SIP9, SIP11-SIP13 (an earlier rule of the
same pattern catches those nodes) or SIP15-SIP31 (it has no rules for them). This module
checks them, for `verify` and for the tests, on the root METS and every representation METS:

- `schema_findings`: METS with XLink and both DILCIS extension schemas, so `csip:` and
  `sip:` attribute values are held to their vocabularies (the METS elements admit other
  namespaces' attributes with lax processing: checked when the schema is known).
- `profile_findings`: one named assertion per SIP requirement, its text and XPath read
  from the bundled profile (schemas/E-ARK-SIP-v2-1-0.xml, byte for byte the published one).

The agents of the header are told apart as the profile's examples show them: the CSIP
software agent is ROLE="CREATOR" TYPE="OTHER"; the archival creator ROLE="ARCHIVIST"
(metsHdrAgentExample1); the preservation agent ROLE="PRESERVATION" (example 4); a contact
person ROLE="CREATOR" TYPE="INDIVIDUAL" with notes that carry no csip:NOTETYPE (example
3); every other CREATOR is the submitting agent (example 2).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from beslutsgen.archive.contents import CSIP_NS, METS_NS, SIP_NS, XLINK_NS

SCHEMAS = Path(__file__).resolve().parent / "schemas"
PROFILE = SCHEMAS / "E-ARK-SIP-v2-1-0.xml"
_PROFILE_NS = "http://www.loc.gov/METS_Profile/v2"
_XHTML = "{http://www.w3.org/1999/xhtml}"
_M = f"{{{METS_NS}}}"
NOTETYPE = f"{{{CSIP_NS}}}NOTETYPE"
IDENTIFICATIONCODE = "IDENTIFICATIONCODE"
PERSON_TYPES = ("ORGANIZATION", "INDIVIDUAL")
# Which of the profile's examples shows which agent (SIP9-SIP31 name them in EXAMPLES).
AGENT_EXAMPLES = {
    "archival creator": "metsHdrAgentExample1",
    "submitting": "metsHdrAgentExample2",
    "contact": "metsHdrAgentExample3",
    "preservation": "metsHdrAgentExample4",
}


class _LocalSchemas(etree.Resolver):  # type: ignore[misc]
    """mets.xsd imports XLink from loc.gov; the bundled copy is used instead, offline."""

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        if system_url and system_url.endswith("/xlink.xsd"):
            return self.resolve_filename(str(SCHEMAS / "xlink.xsd"), context)
        return None


@functools.cache
def mets_schema() -> etree.XMLSchema:
    """METS 1.12 with XLink and the CSIP and SIP extension schemas, all bundled."""
    imports = "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{(SCHEMAS / name).as_uri()}"/>'
        for ns, name in (
            (XLINK_NS, "xlink.xsd"),
            (METS_NS, "mets.xsd"),
            (CSIP_NS, "DILCISExtensionMETS.xsd"),
            (SIP_NS, "DILCISExtensionSIPMETS.xsd"),
        )
    )
    wrapper = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalSchemas())
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), parser, base_url=str(SCHEMAS)))


def parse(data: bytes) -> etree._Element:
    """A METS document, parsed without network or entity expansion; XMLSyntaxError if broken."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False, huge_tree=False)
    return etree.fromstring(data, parser)


def schema_findings(name: str, data: bytes) -> list[str]:
    """What the schemas say about the METS document `name`, one line per error."""
    try:
        root = parse(data)
    except etree.XMLSyntaxError as exc:
        return [f"{name}: går inte att läsa som XML ({exc})"]
    schema = mets_schema()
    if schema.validate(root):
        return []
    return [
        f"{name}:{error.line}: följer inte schemat: {error.message}"
        for error in schema.error_log
    ]


@dataclass(frozen=True)
class Requirement:
    """One requirement of the SIP profile, as the profile states it."""

    id: str
    level: str  # MUST, SHOULD or MAY
    head: str
    text: str
    xpath: str  # the "METS XPath" the profile gives
    cardinality: str
    examples: tuple[str, ...]


@functools.cache
def requirements(path: Path = PROFILE) -> dict[str, Requirement]:
    """Every requirement of a METS profile file, by ID."""
    tree = etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False))
    found = {}
    for node in tree.iter(f"{{{_PROFILE_NS}}}requirement"):
        rid = node.get("ID")
        description = node.find(f"{{{_PROFILE_NS}}}description")
        if not rid or description is None:
            continue
        terms = dict(
            zip(
                (" ".join(dt.itertext()).strip() for dt in description.iter(f"{_XHTML}dt")),
                (" ".join(dd.itertext()).strip() for dd in description.iter(f"{_XHTML}dd")),
                strict=False,
            )
        )
        text = " ".join(
            " ".join(" ".join(p.itertext()).split()) for p in description.iter(f"{_XHTML}p")
        )
        found[rid] = Requirement(
            id=rid,
            level=node.get("REQLEVEL", ""),
            head=description.findtext(f"{{{_PROFILE_NS}}}head", "").strip(),
            text=text,
            xpath=terms.get("METS XPath", ""),
            cardinality=terms.get("Cardinality", ""),
            examples=tuple(node.get("EXAMPLES", "").split()),
        )
    return found


# ---------------------------------------------------------------------------- the agents


@dataclass(frozen=True)
class Agent:
    element: etree._Element
    where: str  # e.g. "metsHdr/agent[3]"

    @property
    def role(self) -> str:
        return str(self.element.get("ROLE", ""))

    @property
    def type(self) -> str:
        return str(self.element.get("TYPE", ""))

    def names(self) -> list[etree._Element]:
        return list(self.element.findall(f"{_M}name"))

    def notes(self) -> list[etree._Element]:
        return list(self.element.findall(f"{_M}note"))


def kind(agent: Agent) -> str:
    """Which agent of the profile this is (see the module's docstring)."""
    if agent.role == "CREATOR" and agent.type == "OTHER":
        return "software"
    if agent.role == "ARCHIVIST":
        return "archival creator"
    if agent.role == "PRESERVATION":
        return "preservation"
    if agent.role == "CREATOR":
        typed = any(note.get(NOTETYPE) is not None for note in agent.notes())
        return "contact" if agent.type == "INDIVIDUAL" and not typed else "submitting"
    return "other"


def agents(root: etree._Element, which: str) -> list[Agent]:
    header = root.find(f"{_M}metsHdr")
    found = [] if header is None else header.findall(f"{_M}agent")
    every = [Agent(a, f"metsHdr/agent[{i}]") for i, a in enumerate(found, start=1)]
    return [a for a in every if kind(a) == which]


Check = Callable[[etree._Element], list[str]]


def _at_most_one(which: str, what: str) -> Check:
    def check(root: etree._Element) -> list[str]:
        found = agents(root, which)
        return [f"{len(found)} {what}, högst 1 är tillåten"] if len(found) > 1 else []

    return check


def _exactly_one(which: str, what: str) -> Check:
    def check(root: etree._Element) -> list[str]:
        found = agents(root, which)
        return [] if len(found) == 1 else [f"{len(found)} {what}, exakt 1 krävs"]

    return check


def _attribute(which: str, name: str, allowed: tuple[str, ...]) -> Check:
    def check(root: etree._Element) -> list[str]:
        return [
            f"{a.where}: @{name} är {a.element.get(name)!r}, ska vara "
            + " eller ".join(f'"{v}"' for v in allowed)
            for a in agents(root, which)
            if a.element.get(name) not in allowed
        ]

    return check


def _names(which: str, exactly_one: bool) -> Check:
    def check(root: etree._Element) -> list[str]:
        problems = []
        for a in agents(root, which):
            names = a.names()
            if exactly_one and len(names) != 1:
                problems.append(f"{a.where}: {len(names)} name, exakt 1 krävs")
            problems += [f"{a.where}/name är tomt" for n in names if not (n.text or "").strip()]
        return problems

    return check


def _at_most_one_note(which: str) -> Check:
    def check(root: etree._Element) -> list[str]:
        return [
            f"{a.where}: {len(a.notes())} note, högst 1 är tillåten"
            for a in agents(root, which)
            if len(a.notes()) > 1
        ]

    return check


def _identification_code(which: str) -> Check:
    def check(root: etree._Element) -> list[str]:
        return [
            f"{a.where}/note: csip:NOTETYPE är {note.get(NOTETYPE)!r}, ska vara "
            f'"{IDENTIFICATIONCODE}"'
            for a in agents(root, which)
            for note in a.notes()
            if note.get(NOTETYPE) != IDENTIFICATIONCODE
        ]

    return check


def _nothing(root: etree._Element) -> list[str]:
    """A MAY with cardinality 0..*: any number, anything, is allowed."""
    return []


ARCHIVAL, SUBMITTING, CONTACT, PRESERVING = (
    "archival creator",
    "submitting",
    "contact",
    "preservation",
)
# SIP9, SIP11-SIP31: the requirements eark-validator 1.1.3 never tests (SIP10 it does).
ASSERTIONS: dict[str, Check] = {
    "SIP9": _at_most_one(ARCHIVAL, 'arkivbildare (ROLE="ARCHIVIST")'),
    "SIP11": _attribute(ARCHIVAL, "TYPE", PERSON_TYPES),
    "SIP12": _names(ARCHIVAL, exactly_one=False),
    "SIP13": _at_most_one_note(ARCHIVAL),
    "SIP14": _identification_code(ARCHIVAL),
    "SIP15": _exactly_one(SUBMITTING, "levererande agenter (ROLE=\"CREATOR\")"),
    "SIP16": _attribute(SUBMITTING, "ROLE", ("CREATOR",)),
    "SIP17": _attribute(SUBMITTING, "TYPE", PERSON_TYPES),
    "SIP18": _names(SUBMITTING, exactly_one=True),
    "SIP19": _at_most_one_note(SUBMITTING),
    "SIP20": _identification_code(SUBMITTING),
    "SIP21": _nothing,
    "SIP22": _attribute(CONTACT, "ROLE", ("CREATOR",)),
    "SIP23": _attribute(CONTACT, "TYPE", ("INDIVIDUAL",)),
    "SIP24": _names(CONTACT, exactly_one=True),
    "SIP25": _nothing,
    "SIP26": _at_most_one(PRESERVING, 'bevarandeagenter (ROLE="PRESERVATION")'),
    "SIP27": _attribute(PRESERVING, "ROLE", ("PRESERVATION",)),
    "SIP28": _attribute(PRESERVING, "TYPE", ("ORGANIZATION",)),
    "SIP29": _names(PRESERVING, exactly_one=True),
    "SIP30": _at_most_one_note(PRESERVING),
    "SIP31": _identification_code(PRESERVING),
}


def profile_findings(name: str, data: bytes) -> list[str]:
    """Every SIP requirement of ASSERTIONS the METS document `name` does not meet."""
    try:
        root = parse(data)
    except etree.XMLSyntaxError:
        return []  # schema_findings says so
    stated = requirements()
    return [
        f"{name}: {rid} ({stated[rid].head}, {stated[rid].xpath}): {problem}"
        for rid, check in ASSERTIONS.items()
        for problem in check(root)
    ]
