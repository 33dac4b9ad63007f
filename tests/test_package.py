"""The archival package of a signed protocol (FGS Paketstruktur 2.0 = E-ARK CSIP + SIP 2.1.0).

Built from the sample meeting's real protocol PDF, then checked by the official E-ARK
validator (eark-validator 1.1.3, in its own virtualenv: `make .venv-eark/.installed`),
against the schemas the package ships, and file by file against the bytes on disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from beslutsgen import __version__, pipeline
from beslutsgen.archive import package
from beslutsgen.archive.package import (
    MASTER,
    PUBLICERING,
    Certificate,
    DataFile,
    PackageContents,
    PreservationEvent,
    SignatureValidation,
    build_package,
)
from beslutsgen.archive.sip_profile import mets_schema
from beslutsgen.errors import OutputError
from beslutsgen.load.project import load_project

ROOT = Path(__file__).resolve().parent.parent
MEETING = ROOT / "decisions" / "rs-2025-11-25-sammantrade.yaml"
VALIDATE = ROOT / "tests" / "eark_validate.py"
SCHEMAS = ROOT / "src" / "beslutsgen" / "archive" / "schemas"

NS = {
    "mets": package.METS_NS,
    "xlink": package.XLINK_NS,
    "csip": package.CSIP_NS,
    "premis": package.PREMIS_NS,
    "arkiv": package.ARKIV_NS,
}
CREATED = datetime(2025, 12, 2, 8, 15, tzinfo=UTC)
SIGNED = datetime(2025, 12, 1, 14, 3, 27, tzinfo=UTC)
CHAIN = (
    Certificate(
        "CN=Marie Svensson,SERIALNUMBER=197001011234,C=SE", hashlib.sha256(b"1").hexdigest()
    ),
    Certificate("CN=BankID Kundcertifikat CA v1,O=Testbank,C=SE", hashlib.sha256(b"2").hexdigest()),
    Certificate(
        "CN=BankID Root CA v1,O=Finansiell ID-Teknik BID AB,C=SE",
        hashlib.sha256(b"3").hexdigest().upper(),
    ),  # any case is accepted
)
SIGNATURE_RESULT = (
    "Signaturen är giltig: utfärdaren är betrodd, certifikatet gällde vid signeringen och "
    "dokumentet är oförändrat sedan det signerades."
)


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def contents(tmp_path_factory: pytest.TempPathFactory) -> PackageContents:
    return sample_contents(tmp_path_factory.mktemp("meeting"))


def sample_contents(out: Path) -> PackageContents:
    """The sample meeting's protocol, rendered by beslutsgen into `out`, as a package's
    contents."""
    written, project = pipeline.render_sammantraden([MEETING], pipeline.Settings(ROOT, out))
    pdf = next(p for p in written if p.name == "protokoll.pdf").read_bytes()
    signed = pdf + b"\n% an incremental update with the PAdES signature would follow here\n"
    loaded = project.meetings[0]
    return PackageContents(
        object_id="uuid:0b6f8a0e-6c1d-4f7e-9a51-3c2f1e8d7a64",
        label=f"Protokoll {loaded.meeting.organ} {loaded.meeting.datum.isoformat()}",
        created=CREATED,
        software="beslutsgen",
        version=__version__,
        files=(
            DataFile(MASTER, signed, "application/pdf"),
            DataFile(PUBLICERING, pdf, "application/pdf"),
        ),
        descriptive=package.descriptive_for(loaded, project.profile.organisation, "232100-0214"),
        events=(
            PreservationEvent(
                package.CREATION,
                CREATED - timedelta(days=7),
                f"Protokollet renderat av beslutsgen {__version__} (PDF/A-2, PDF/UA).",
                "success",
                files=(PUBLICERING,),
            ),
            PreservationEvent(
                package.SIGNATURE_VALIDATION,
                CREATED - timedelta(minutes=5),
                "PAdES-signaturen i det signerade protokollet validerad.",
                "success",
                SIGNATURE_RESULT,
                files=(MASTER,),
                signature=SignatureValidation(
                    signer=CHAIN[0].subject,
                    chain=CHAIN,
                    signing_time=SIGNED,
                    digest_algorithm="SHA-256",
                    signature_algorithm="RSASSA-PKCS1-v1_5 med SHA-256",
                    result=SIGNATURE_RESULT,
                ),
            ),
            PreservationEvent(
                package.INGESTION,
                CREATED,
                "Arkivpaketet skapat för leverans till e-arkivet.",
                "success",
                files=(MASTER, PUBLICERING),
            ),
        ),
    )


@pytest.fixture(scope="module")
def built(contents: PackageContents, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sip") / "protokoll-rs-2025-11-25"
    build_package(folder, contents)
    return folder


def eark_validate(python: Path, folder: Path) -> dict[str, Any]:
    """tests/eark_validate.py's report on `folder` (its exit status only says whether it
    ran: the verdict is judged from the report)."""
    done = subprocess.run(
        [str(python), str(VALIDATE), str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert done.returncode in (0, 1), done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def pairs(findings: list[dict[str, str]]) -> list[tuple[str, str]]:
    return sorted((f["rule_id"], f["location"]) for f in findings)


def assert_accepted(report: dict[str, Any]) -> None:
    """Accepted with exactly the pinned exemptions, on the package layout beslutsgen
    writes: agent[1] the software agent, agent[3] the submitting organisation."""
    assert report["specification"] == "V2.1.0"
    assert (report["structure"], report["schema"]) == ("WellFormed", "VALID")
    assert report["unexpected"] == []
    assert report["unused"] == []
    assert pairs(report["exempted"]) == EXPECTED_EXEMPTED
    warnings = [f for f in report["findings"] if f["severity"] == "WARNING"]
    assert pairs(warnings) == EXPECTED_WARNINGS
    assert report["accepted"] is True


def copy_package(folder: Path, target: Path) -> Path:
    """A writable copy of a package."""
    for name, data in files_of(folder).items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes(data)
    return target


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def parse(path: Path) -> etree._ElementTree:
    return etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False))


class _LocalXlink(etree.Resolver):
    """mets.xsd imports XLink from loc.gov; the package ships that schema beside it."""

    def resolve(self, url: str | None, pubid: str | None, context: Any) -> Any:
        if url and url.endswith("/xlink.xsd"):
            return self.resolve_filename(str(SCHEMAS / "xlink.xsd"), context)
        return None


def schema(name: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalXlink())
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name), parser))


# --- the official validator ---------------------------------------------------------------


# The errors eark-validator 1.1.3 reports for every package that follows CSIP/SIP 2.1.0 as
# written, excused by tests/eark_validate.py's EXEMPTIONS (which say why); anything else,
# or an exemption that no longer occurs, fails the test.
EXPECTED_EXEMPTED = [
    ("CSIP12", "/mets:mets/mets:metsHdr/mets:agent[3]"),
    ("CSIP13", "/mets:mets/mets:metsHdr/mets:agent[3]"),
    ("CSIP16", "/mets:mets/mets:metsHdr/mets:agent[3]"),
    ("SIP14", "/mets:mets/mets:metsHdr/mets:agent[1]/mets:note"),
    ("SIP14", "/mets:mets/mets:metsHdr/mets:agent[3]/mets:note"),
]
# SHOULD: representation-level metadata; all of this package's metadata is package-level.
EXPECTED_WARNINGS = [("CSIPSTR13", "rep1 representation")]


def test_the_official_validator_accepts_the_package(built: Path, eark_python: Path) -> None:
    report = eark_validate(eark_python, built)
    for finding in report["findings"]:
        print(f"{finding['severity']} {finding['rule_id']} ({finding['location']})")
    assert_accepted(report)
    infos = [f for f in report["findings"] if f["severity"] == "INFORMATION"]
    assert sorted(i["rule_id"] for i in infos) == ["CSIPSTR3", "CSIPSTR8", "SIP1", "SIP3"]
    assert (report["schematron"], report["valid"]) == ("INVALID", False)  # the exempted five


def test_the_validator_still_fails_a_broken_package(
    built: Path, eark_python: Path, tmp_path: Path
) -> None:
    """The exemptions are matched by element: a package whose software agent is wrong, or
    that lacks its Schemas group, fails."""
    broken = copy_package(built, tmp_path / "broken")
    tree = parse(broken / "METS.xml")
    agent = tree.find("mets:metsHdr/mets:agent", NS)
    agent.set("OTHERTYPE", "HARDWARE")
    schemas = tree.find("mets:fileSec/mets:fileGrp[@USE='Schemas']", NS)
    schemas.set("USE", "Other")
    tree.write(str(broken / "METS.xml"), xml_declaration=True, encoding="UTF-8")
    report = eark_validate(eark_python, broken)
    assert report["accepted"] is False
    assert pairs(report["unexpected"]) == [
        ("CSIP113", "/mets:mets/mets:fileSec"),
        # With no proper software agent, the organisation's agent is no longer excused.
        ("CSIP12", "/mets:mets/mets:metsHdr/mets:agent[3]"),
        ("CSIP13", "/mets:mets/mets:metsHdr/mets:agent[1]"),
        ("CSIP13", "/mets:mets/mets:metsHdr/mets:agent[3]"),
        ("CSIP16", "/mets:mets/mets:metsHdr/mets:agent[3]"),
    ]
    assert pairs(report["exempted"]) == [
        ("SIP14", "/mets:mets/mets:metsHdr/mets:agent[1]/mets:note"),
        ("SIP14", "/mets:mets/mets:metsHdr/mets:agent[3]/mets:note"),
    ]
    assert report["unused"] == []


# --- METS ---------------------------------------------------------------------------------


def test_layout(built: Path) -> None:
    assert sorted(files_of(built)) == [
        "METS.xml",
        "documentation/om-paketet.txt",
        "metadata/descriptive/arende.xml",
        "metadata/preservation/premis.xml",
        "representations/rep1/METS.xml",
        f"representations/rep1/data/{PUBLICERING}",
        f"representations/rep1/data/{MASTER}",
        "schemas/DILCISExtensionMETS.xsd",
        "schemas/DILCISExtensionSIPMETS.xsd",
        "schemas/beslutsgen-arkiv.xsd",
        "schemas/mets.xsd",
        "schemas/xlink.xsd",
    ]


def test_mets_has_the_mandatory_attributes(built: Path, contents: PackageContents) -> None:
    mets = parse(built / "METS.xml").getroot()
    csip = f"{{{package.CSIP_NS}}}"
    assert mets.get("OBJID") == contents.object_id
    assert mets.get("LABEL") == "Protokoll Regionstyrelsen 2025-11-25"
    assert mets.get("TYPE") == "Textual works – Digital"
    assert mets.get("PROFILE") == "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
    assert mets.get(f"{csip}CONTENTINFORMATIONTYPE") == "OTHER"
    assert mets.get(f"{csip}OTHERCONTENTINFORMATIONTYPE") == "beslutsgen arkiv 1.0"
    header = mets.find("mets:metsHdr", NS)
    assert header.get("CREATEDATE") == "2025-12-02T08:15:00Z"
    assert header.get(f"{csip}OAISPACKAGETYPE") == "SIP"
    agents = [
        (
            a.get("ROLE"),
            a.get("TYPE"),
            a.get("OTHERTYPE"),
            a.findtext("mets:name", None, NS),
            a.findtext("mets:note", None, NS),
            a.find("mets:note", NS).get(f"{csip}NOTETYPE"),
        )
        for a in header.findall("mets:agent", NS)
    ]
    assert agents == [
        ("CREATOR", "OTHER", "SOFTWARE", "beslutsgen", __version__, "SOFTWARE VERSION"),
        (
            "ARCHIVIST",
            "ORGANIZATION",
            None,
            "Region Jämtland Härjedalen",
            "232100-0214",
            "IDENTIFICATIONCODE",
        ),
        (
            "CREATOR",
            "ORGANIZATION",
            None,
            "Region Jämtland Härjedalen",
            "232100-0214",
            "IDENTIFICATIONCODE",
        ),
    ]
    refs = mets.findall("mets:dmdSec/mets:mdRef", NS) + mets.findall(
        "mets:amdSec/mets:digiprovMD/mets:mdRef", NS
    )
    assert [(r.get("MDTYPE"), r.get("OTHERMDTYPE")) for r in refs] == [
        ("OTHER", "beslutsgen arkiv"),
        ("PREMIS", None),
    ]
    for element in refs + mets.findall(".//mets:file", NS):
        for attribute in ("MIMETYPE", "SIZE", "CREATED", "CHECKSUM"):
            assert element.get(attribute), (attribute, etree.tostring(element))
        assert element.get("CHECKSUMTYPE") == "SHA-256"
        assert element.get("CREATED") == "2025-12-02T08:15:00Z"
    for file in mets.findall(".//mets:file", NS):
        assert file.get("ID")
        location = file.find("mets:FLocat", NS)
        assert location.get("LOCTYPE") == "URL"
        assert location.get(f"{{{package.XLINK_NS}}}type") == "simple"
    labels = [d.get("LABEL") for d in mets.findall("mets:structMap/mets:div/mets:div", NS)]
    assert labels == ["Metadata", "Documentation", "Schemas", "Representations"]
    struct_map = mets.find("mets:structMap", NS)
    assert (struct_map.get("TYPE"), struct_map.get("LABEL")) == ("PHYSICAL", "CSIP")


def test_every_file_is_listed_once_with_its_size_and_checksum(built: Path) -> None:
    """Root METS lists the metadata, documentation, schemas and the representation's METS;
    that one lists the data files. Together they name every file but the root METS."""
    listed: list[str] = []
    for mets_path in (built / "METS.xml", built / "representations" / "rep1" / "METS.xml"):
        mets = parse(mets_path).getroot()
        for element in mets.findall(".//mets:mdRef", NS) + mets.findall(".//mets:file", NS):
            location = element if element.tag.endswith("mdRef") else element.find("mets:FLocat", NS)
            href = location.get(f"{{{package.XLINK_NS}}}href")
            target = (mets_path.parent / href).resolve()
            data = target.read_bytes()
            assert int(element.get("SIZE")) == len(data), href
            assert element.get("CHECKSUM") == hashlib.sha256(data).hexdigest(), href
            listed.append(target.relative_to(built.resolve()).as_posix())
    assert sorted(listed) == sorted(set(files_of(built)) - {"METS.xml"})


def test_xml_is_valid_against_the_shipped_schemas(built: Path) -> None:
    mets = schema("mets.xsd")
    for path in (built / "METS.xml", built / "representations" / "rep1" / "METS.xml"):
        mets.assertValid(parse(path))
        mets_schema().assertValid(parse(path))  # with the csip: and sip: vocabularies
    arkiv = schema("beslutsgen-arkiv.xsd")
    arkiv.assertValid(parse(built / package.DESCRIPTIVE))
    validation = parse(built / package.PRESERVATION).find(".//arkiv:signaturvalidering", NS)
    arkiv.assertValid(etree.ElementTree(validation))
    assert files_of(built)["schemas/mets.xsd"] == (SCHEMAS / "mets.xsd").read_bytes()


def test_descriptive_metadata(built: Path) -> None:
    root = parse(built / package.DESCRIPTIVE).getroot()
    assert root.findtext("arkiv:organ", None, NS) == "Regionstyrelsen"
    assert root.findtext("arkiv:sammantrade/arkiv:datum", None, NS) == "2025-11-25"
    assert root.findtext("arkiv:justering/arkiv:datum", None, NS) == "2025-12-01"
    paragrafer = [
        (p.get("nummer"), p.findtext("arkiv:arende/arkiv:diarienummer", None, NS))
        for p in root.findall("arkiv:paragraf", NS)
    ]
    assert paragrafer == [("196", "RS 552-2025"), ("197", "RS/1204/2025"), ("198", "RS/595/2023")]


# --- PREMIS -------------------------------------------------------------------------------


def test_premis_records_the_three_events(built: Path, contents: PackageContents) -> None:
    premis = parse(built / package.PRESERVATION).getroot()
    assert premis.get("version") == "3.0"
    events = [
        (
            e.findtext("premis:eventType", None, NS),
            e.findtext("premis:eventOutcomeInformation/premis:eventOutcome", None, NS),
            [
                o.findtext("premis:linkingObjectIdentifierValue", None, NS)
                for o in e.findall("premis:linkingObjectIdentifier", NS)
            ],
        )
        for e in premis.findall("premis:event", NS)
    ]
    data = "representations/rep1/data/"
    assert events == [
        ("creation", "success", [data + PUBLICERING]),
        ("digital signature validation", "success", [data + MASTER]),
        ("ingestion", "success", [data + MASTER, data + PUBLICERING]),
    ]
    signature = premis.find(".//arkiv:signaturvalidering", NS)
    assert signature.findtext("arkiv:undertecknare", None, NS) == CHAIN[0].subject
    assert signature.findtext("arkiv:signeringstid", None, NS) == "2025-12-01T14:03:27Z"
    assert signature.findtext("arkiv:hashalgoritm", None, NS) == "SHA-256"
    assert signature.findtext("arkiv:signaturalgoritm", None, NS).startswith("RSASSA")
    chain = [
        (c.findtext("arkiv:subjekt", None, NS), c.findtext("arkiv:sha256", None, NS))
        for c in signature.findall("arkiv:certifikatkedja/arkiv:certifikat", NS)
    ]
    assert chain == [(c.subject, c.sha256.lower()) for c in CHAIN]
    assert signature.findtext("arkiv:resultat", None, NS) == SIGNATURE_RESULT
    note = premis.findtext(".//premis:eventOutcomeDetailNote", None, NS)
    assert note == SIGNATURE_RESULT
    on_disk = files_of(built)
    fixity = {
        o.findtext("premis:objectIdentifier/premis:objectIdentifierValue", None, NS): o.findtext(
            "premis:objectCharacteristics/premis:fixity/premis:messageDigest", None, NS
        )
        for o in premis.findall("premis:object", NS)
    }
    assert fixity == {
        data + f.name: hashlib.sha256(on_disk[data + f.name]).hexdigest() for f in contents.files
    }
    agent = premis.find("premis:agent", NS)
    assert agent.findtext("premis:agentType", None, NS) == "software"
    assert agent.findtext("premis:agentVersion", None, NS) == __version__
    for event in premis.findall("premis:event", NS):
        linked = event.findtext(".//premis:linkingAgentIdentifierValue", None, NS)
        assert linked == agent.findtext(".//premis:agentIdentifierValue", None, NS)


# --- determinism and writing ----------------------------------------------------------------


def test_the_same_contents_give_the_same_bytes(
    built: Path, contents: PackageContents, tmp_path: Path
) -> None:
    again = tmp_path / "again"
    build_package(again, contents)
    assert files_of(again) == files_of(built)
    later = tmp_path / "later"
    build_package(later, replace(contents, created=CREATED + timedelta(seconds=1)))
    changed = {n for n, data in files_of(later).items() if files_of(built)[n] != data}
    assert changed == {"METS.xml", "representations/rep1/METS.xml", "documentation/om-paketet.txt"}


def test_an_existing_folder_is_refused_and_left_alone(
    contents: PackageContents, tmp_path: Path
) -> None:
    folder = tmp_path / "paket"
    folder.mkdir()
    (folder / "annat.txt").write_text("redan här\n", "utf-8")
    with pytest.raises(OutputError, match="finns redan"):
        build_package(folder, contents)
    assert files_of(folder) == {"annat.txt": "redan här\n".encode()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["paket"]
    empty = tmp_path / "tom"
    empty.mkdir()
    with pytest.raises(OutputError, match="finns redan"):
        build_package(empty, contents)
    assert list(empty.iterdir()) == []


def test_a_failed_write_leaves_nothing(
    contents: PackageContents, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(package.os, "rename", full_disk)
    with pytest.raises(OutputError, match="No space left on device"):
        build_package(tmp_path / "paket", contents)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"created": datetime(2025, 12, 2, 8, 15)}, "saknar tidszon"),
        ({"files": ()}, "minst en datafil"),
        ({"label": "Protokoll\nRegionstyrelsen"}, "label ska vara en rad text"),
        ({"files": (DataFile("../x.pdf", b"", "application/pdf"),)}, "ogiltigt filnamn"),
        (
            {
                "files": (
                    DataFile("a b.pdf", b"", "application/pdf"),
                    DataFile("a_b.pdf", b"", "application/pdf"),
                )
            },
            "för lika",
        ),
        ({"files": (DataFile(MASTER, b"", "application/pdf"),)}, "okända filer"),
    ],
)
def test_inconsistent_contents_are_refused_before_writing(
    contents: PackageContents, tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        build_package(tmp_path / "paket", replace(contents, **change))
    assert list(tmp_path.iterdir()) == []


def test_descriptive_for_follows_the_meeting() -> None:
    project = load_project([MEETING], ROOT)
    descriptive = package.descriptive_for(project.meetings[0], "Region X")
    assert [p.nummer for p in descriptive.paragrafer] == [196, 197, 198]
    assert descriptive.paragrafer[0].rubrik == "Fullmäktigeuppdrag för regionstyrelsen"
