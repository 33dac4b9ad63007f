"""What eark-validator 1.1.3 cannot see, checked by beslutsgen itself (issue 12, point 2).

On the package test_package.py builds: every SIP 2.1.0 requirement the validator skips
(SIP9, SIP11-SIP31), one named assertion each, its text and XPath read from the profile;
the root and the representation METS against mets.xsd with the DILCIS extension schemas.
Then the negative controls: each breaks one thing and names the exact finding, both
beslutsgen's and the official validator's (which misses several: see VALIDATOR_BLIND).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from beslutsgen.archive import sip_profile as archive_profile
from beslutsgen.archive.package import build_package
from beslutsgen.archive.sip_profile import (
    AGENT_EXAMPLES,
    ASSERTIONS,
    Agent,
    kind,
    profile_findings,
    requirements,
    schema_findings,
)
from tests.test_package import (
    NS,
    copy_package,
    eark_validate,
    files_of,
    pairs,
    parse,
    sample_contents,
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "eark-2.1.0"
SKIPPED = ["SIP9", *(f"SIP{n}" for n in range(11, 32))]
ROOT_METS, REP_METS = "METS.xml", "representations/rep1/METS.xml"
CSIP_NOTETYPE = "{https://DILCIS.eu/XML/METS/CSIPExtensionMETS}NOTETYPE"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package test_package.py builds, built once more for this module."""
    folder = tmp_path_factory.mktemp("sip") / "protokoll-rs-2025-11-25"
    build_package(folder, sample_contents(tmp_path_factory.mktemp("meeting")))
    return folder


@pytest.fixture(scope="module")
def shared() -> Path:
    if not (SHARED / "E-ARK-SIP-v2-1-0.xml").is_file():
        pytest.skip(f"{SHARED} (the published E-ARK 2.1.0 files) is not here")
    return SHARED


@pytest.mark.parametrize(
    "name", ["DILCISExtensionMETS.xsd", "DILCISExtensionSIPMETS.xsd", "E-ARK-SIP-v2-1-0.xml"]
)
def test_bundled_files_are_the_published_ones(shared: Path, name: str) -> None:
    assert (archive_profile.SCHEMAS / name).read_bytes() == (shared / name).read_bytes()


def test_one_assertion_for_each_requirement_the_validator_skips(shared: Path) -> None:
    assert list(ASSERTIONS) == SKIPPED
    published = requirements(shared / "E-ARK-SIP-v2-1-0.xml")
    for rid in SKIPPED:
        stated = published[rid]
        assert stated == requirements()[rid]
        assert stated.xpath.startswith("metsHdr/agent"), stated
        assert stated.text and stated.head and stated.cardinality


def test_the_agents_are_told_apart_as_the_profile_examples_show(shared: Path) -> None:
    profile = etree.parse(str(shared / "E-ARK-SIP-v2-1-0.xml"))
    ns = {"p": "http://www.loc.gov/METS_Profile/v2", **NS}
    for which, example in AGENT_EXAMPLES.items():
        (agent,) = profile.xpath(f"//p:Example[@ID='{example}']/mets:agent", namespaces=ns)
        assert kind(Agent(agent, "example")) == which
    groups = {"archival creator": (9, 14), "submitting": (15, 20), "contact": (21, 25)}
    groups["preservation"] = (26, 31)
    for which, (first, last) in groups.items():
        for n in range(first, last + 1):
            assert AGENT_EXAMPLES[which] in requirements()[f"SIP{n}"].examples, n


@pytest.mark.parametrize("rid", SKIPPED)
@pytest.mark.parametrize("mets", [ROOT_METS, REP_METS])
def test_the_package_meets(built: Path, mets: str, rid: str) -> None:
    root = parse(built / mets).getroot()
    assert ASSERTIONS[rid](root) == []


@pytest.mark.parametrize("mets", [ROOT_METS, REP_METS])
def test_every_mets_is_valid_with_the_extension_schemas(built: Path, mets: str) -> None:
    data = (built / mets).read_bytes()
    assert schema_findings(mets, data) == []
    assert profile_findings(mets, data) == []


# --- negative controls ------------------------------------------------------------------

Mutation = Callable[[etree._ElementTree], None]


def _agent(tree: etree._ElementTree, n: int) -> Any:
    return tree.find(f"mets:metsHdr/mets:agent[{n}]", NS)


def no_software_agent(tree: etree._ElementTree) -> None:
    agent = _agent(tree, 1)
    agent.getparent().remove(agent)


def notetype_outside_the_vocabulary(tree: etree._ElementTree) -> None:
    _agent(tree, 3).find("mets:note", NS).set(CSIP_NOTETYPE, "ORGANISATIONSNUMMER")


def unnamespaced_notetype(tree: etree._ElementTree) -> None:
    _agent(tree, 3).find("mets:note", NS).set("NOTETYPE", "IDENTIFICATIONCODE")


def two_archival_creators(tree: etree._ElementTree) -> None:
    _agent(tree, 2).addnext(etree.fromstring(etree.tostring(_agent(tree, 2))))


def no_submitting_agent(tree: etree._ElementTree) -> None:
    agent = _agent(tree, 3)
    agent.getparent().remove(agent)


def untyped_archival_note(tree: etree._ElementTree) -> None:
    del _agent(tree, 2).find("mets:note", NS).attrib[CSIP_NOTETYPE]


def preservation_agent_as_individual(tree: etree._ElementTree) -> None:
    agent = etree.fromstring(etree.tostring(_agent(tree, 2)))
    agent.set("ROLE", "PRESERVATION")
    agent.set("TYPE", "INDIVIDUAL")
    _agent(tree, 3).addnext(agent)


def _sip(rid: str, detail: str) -> str:
    stated = requirements()[rid]
    return f"{ROOT_METS}: {rid} ({stated.head}, {stated.xpath}): {detail}"


NOTE = "{http://www.loc.gov/METS/}note"
OWN_FINDINGS: dict[Mutation, list[str]] = {
    no_software_agent: [],  # CSIP10-16: the validator's to find (below)
    notetype_outside_the_vocabulary: [
        f"{ROOT_METS}:14: följer inte schemat: Element '{NOTE}', attribute '{CSIP_NOTETYPE}': "
        "[facet 'enumeration'] The value 'ORGANISATIONSNUMMER' is not an element of the set "
        "{'SOFTWARE VERSION', 'IDENTIFICATIONCODE'}.",
        _sip(
            "SIP20",
            "metsHdr/agent[3]/note: csip:NOTETYPE är 'ORGANISATIONSNUMMER', ska vara "
            '"IDENTIFICATIONCODE"',
        ),
    ],
    unnamespaced_notetype: [
        f"{ROOT_METS}:14: följer inte schemat: Element '{NOTE}', attribute 'NOTETYPE': "
        "The attribute 'NOTETYPE' is not allowed."
    ],
    two_archival_creators: [_sip("SIP9", '2 arkivbildare (ROLE="ARCHIVIST"), högst 1 är tillåten')],
    no_submitting_agent: [_sip("SIP15", '0 levererande agenter (ROLE="CREATOR"), exakt 1 krävs')],
    untyped_archival_note: [
        _sip(
            "SIP14",
            "metsHdr/agent[2]/note: csip:NOTETYPE är None, ska vara \"IDENTIFICATIONCODE\"",
        )
    ],
    preservation_agent_as_individual: [
        _sip("SIP28", "metsHdr/agent[4]: @TYPE är 'INDIVIDUAL', ska vara \"ORGANIZATION\"")
    ],
}


def _mutated(built: Path, tmp_path: Path, mets: str, mutation: Mutation) -> Path:
    package = copy_package(built, tmp_path / "paket")
    tree = parse(package / mets)
    mutation(tree)
    tree.write(str(package / mets), xml_declaration=True, encoding="UTF-8")
    return package


@pytest.mark.parametrize("mutation", list(OWN_FINDINGS), ids=lambda m: m.__name__)
def test_own_checks_name_what_is_wrong(built: Path, tmp_path: Path, mutation: Mutation) -> None:
    data = (_mutated(built, tmp_path, ROOT_METS, mutation) / ROOT_METS).read_bytes()
    found = schema_findings(ROOT_METS, data) + profile_findings(ROOT_METS, data)
    assert found == OWN_FINDINGS[mutation]


def test_a_representation_mets_that_does_not_validate(built: Path, tmp_path: Path) -> None:
    def bogus(tree: etree._ElementTree) -> None:
        tree.find("mets:fileSec", NS).set("BOGUS", "x")

    data = (_mutated(built, tmp_path, REP_METS, bogus) / REP_METS).read_bytes()
    assert schema_findings(REP_METS, data) == [
        f"{REP_METS}:17: följer inte schemat: Element '{{http://www.loc.gov/METS/}}fileSec', "
        "attribute 'BOGUS': The attribute 'BOGUS' is not allowed."
    ]


# What the official validator says about the same mutations: (schema status, the findings
# it reports beyond the exemptions). Where it says nothing, beslutsgen's checks are all
# there is (VALIDATOR_BLIND).
AGENT2 = "/mets:mets/mets:metsHdr/mets:agent[2]"
VALIDATOR: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "no_software_agent": (
        "VALID",
        [("CSIP12", AGENT2), ("CSIP13", AGENT2), ("CSIP16", AGENT2)],
    ),
    "unnamespaced_notetype": ("INVALID", [("XML-1", "<string>0-1")]),
    "notetype_outside_the_vocabulary": ("VALID", []),
    "wrong_checksum": ("VALID", []),
    "file_missing": ("VALID", []),
    "representation_mets_invalid": ("VALID", [("XML-1", "<string>0-1")]),
}
VALIDATOR_BLIND = ["file_missing", "notetype_outside_the_vocabulary", "wrong_checksum"]


def _break(built: Path, tmp_path: Path, name: str) -> Path:
    mutations: dict[str, tuple[str, Mutation]] = {
        "no_software_agent": (ROOT_METS, no_software_agent),
        "unnamespaced_notetype": (ROOT_METS, unnamespaced_notetype),
        "notetype_outside_the_vocabulary": (ROOT_METS, notetype_outside_the_vocabulary),
        "wrong_checksum": (
            ROOT_METS,
            lambda t: t.find(".//mets:file[@ID='file-documentation-om-paketet.txt']", NS).set(
                "CHECKSUM", "0" * 64
            ),
        ),
        "representation_mets_invalid": (
            REP_METS,
            lambda t: t.find("mets:fileSec", NS).set("BOGUS", "x"),
        ),
    }
    if name == "file_missing":
        package = copy_package(built, tmp_path / "paket")
        (package / "documentation" / "om-paketet.txt").unlink()
        return package
    mets, mutation = mutations[name]
    return _mutated(built, tmp_path, mets, mutation)


@pytest.mark.parametrize("name", sorted(VALIDATOR))
def test_what_the_validator_says_about_a_broken_package(
    built: Path, eark_python: Path, tmp_path: Path, name: str
) -> None:
    package = _break(built, tmp_path, name)
    report = eark_validate(eark_python, package)
    schema, unexpected = VALIDATOR[name]
    assert (report["structure"], report["schema"]) == ("WellFormed", schema)
    assert pairs(report["unexpected"]) == sorted(unexpected)
    assert report["accepted"] is (name in VALIDATOR_BLIND)
    assert sorted(files_of(package)) != [] and report["unused"] == []
