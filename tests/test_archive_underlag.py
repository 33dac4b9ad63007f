"""The beslutsunderlag in the archival package (issue 16, point 4).

The sample project's 2026-06-16 meeting is rendered, signed by its justerare and archived
(test_archive.signed_and_archived). Three of its §§ treat an ärende: § 103 RS/88/2026, whose
bilagor include two files (a PDF and a DOCX); § 104 RS/402/2026, whose handlingar are held
back from the kallelse (`utelämnas`) and are archived all the same; § 105 RS/311/2026. The
other §§ have no case and bring no underlag. Every name, list and message is asserted
exactly.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from lxml import etree

from beslutsgen import __version__, output
from beslutsgen.archive import ingest, underlag
from beslutsgen.archive.package import PackageContents, Underlag, build_package
from beslutsgen.archive.sip_profile import profile_findings, schema_findings
from beslutsgen.load.bilagor import OFFICE_KINDS
from tests.test_archive import (
    ARCHIVE,
    SEAL_PASSWORD,
    SIGNED,
    Project,
    flip_bit,
    head_of,
    run,
    signed_and_archived,
)
from tests.test_package import NS, assert_accepted, eark_validate, files_of, sample_contents

MEETING = "decisions/rs-2026-06-16-sammantrade.yaml"
FOLDER = "regionstyrelsen-2026-06-16"
PROTOKOLL = f"output/{FOLDER}/protokoll.pdf"
REP_METS = "representations/rep1/METS.xml"
DOCS = "representations/rep1/documentation"
DATA = "representations/rep1/data"
NULAGE = "103-bilaga-2-nulagesanalys-av-regionens-minoritetspolitiska-arbete-2025.pdf"
MINNES = "103-bilaga-3-minnesanteckningar-fran-samrad-vid-gaaltije-den-14-oktober.docx"
NULAGE_SOURCE = "bilagor/rs-88-2026/nulagesanalys-2025.pdf"
MINNES_SOURCE = "bilagor/rs-88-2026/minnesanteckningar-samrad-2025-10-14.docx"
# Each tjänsteskrivelse in the package, and the name `beslutsgen render` gives it.
TJANSTESKRIVELSER = {
    "103-tjanssteskrivelse-rs-88-2026.pdf": "RS-88-2026_tjanssteskrivelse.pdf",
    "104-tjanssteskrivelse-rs-402-2026.pdf": "RS-402-2026_tjanssteskrivelse.pdf",
    "105-tjanssteskrivelse-rs-311-2026.pdf": "RS-311-2026_tjanssteskrivelse.pdf",
}
BILAGOR = {NULAGE: NULAGE_SOURCE, MINNES: MINNES_SOURCE}
IN_ORDER = [
    "103-tjanssteskrivelse-rs-88-2026.pdf",
    NULAGE,
    MINNES,
    "104-tjanssteskrivelse-rs-402-2026.pdf",
    "105-tjanssteskrivelse-rs-311-2026.pdf",
]
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HREF = "{http://www.w3.org/1999/xlink}href"
INTACT = "sigillet och signaturen giltiga"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return signed_and_archived(tmp_path_factory.mktemp("underlag"), MEETING, PROTOKOLL)


@pytest.fixture(scope="module")
def package(project: Project) -> Path:
    result = project.archived
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    return project.root / ARCHIVE / FOLDER


@pytest.fixture(scope="module")
def rendered(project: Project) -> dict[str, bytes]:
    """What `beslutsgen render` writes for the meeting's three cases, by file name."""
    cases = [f"decisions/rs-{dnr}.yaml" for dnr in ("88-2026", "402-2026", "311-2026")]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project.root)
        result = run("render", *cases, "-o", "renderat", "--format", "pdf")
    assert result.exit_code == 0, result.output
    return {p.name: p.read_bytes() for p in (project.root / "renderat").iterdir()}


def parse(path: Path) -> etree._Element:
    return etree.parse(str(path), etree.XMLParser(no_network=True)).getroot()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def created(package: Path) -> str:
    """The package's time (metsHdr CREATEDATE): the `when` archive was given."""
    header = parse(package / "METS.xml").find("mets:metsHdr", NS)
    assert header is not None
    return str(header.get("CREATEDATE"))


# --- what the package holds ---------------------------------------------------------------


def test_the_documentation_folder_holds_the_underlag_of_every_case(package: Path) -> None:
    assert sorted(p.name for p in (package / DOCS).iterdir()) == sorted(IN_ORDER)
    assert all(name.isascii() for name in IN_ORDER)


def test_each_tjanssteskrivelse_is_what_render_makes(
    package: Path, rendered: dict[str, bytes]
) -> None:
    assert sorted(rendered) == sorted(TJANSTESKRIVELSER.values())
    for name, render_name in TJANSTESKRIVELSER.items():
        assert (package / DOCS / name).read_bytes() == rendered[render_name], name


def test_the_bilaga_files_are_copied_byte_for_byte(project: Project, package: Path) -> None:
    for name, source in BILAGOR.items():
        assert (package / DOCS / name).read_bytes() == project.read(source), name


def test_the_representation_mets_lists_the_underlag(project: Project, package: Path) -> None:
    mets = parse(package / REP_METS)
    groups = mets.findall("mets:fileSec/mets:fileGrp", NS)
    assert [(g.get("ID"), g.get("USE")) for g in groups] == [
        ("rep1-filegrp-documentation", "Documentation"),
        ("rep1-filegrp-data", "Data"),
    ]
    when = created(package)
    listed = [
        (
            f.find("mets:FLocat", NS).get(HREF),
            f.get("MIMETYPE"),
            f.get("SIZE"),
            f.get("CHECKSUM"),
            f.get("CHECKSUMTYPE"),
            f.get("CREATED"),
        )
        for f in groups[0].findall("mets:file", NS)
    ]
    expected = []
    for name in IN_ORDER:
        data = (package / DOCS / name).read_bytes()
        mimetype = DOCX if name.endswith(".docx") else PDF
        expected.append(
            (f"documentation/{name}", mimetype, str(len(data)), sha256(data), "SHA-256", when)
        )
    assert listed == expected
    # The bilagor as they are in the project: the checksums METS states are theirs.
    assert expected[1][3] == sha256(project.read(NULAGE_SOURCE))
    assert expected[2][3] == sha256(project.read(MINNES_SOURCE))
    divs = mets.findall("mets:structMap/mets:div/mets:div", NS)
    assert [(d.get("LABEL"), d.find("mets:fptr", NS).get("FILEID")) for d in divs] == [
        ("Documentation", "rep1-filegrp-documentation"),
        ("Data", "rep1-filegrp-data"),
    ]


def test_the_root_mets_keeps_its_own_documentation(package: Path) -> None:
    """The package's documentation/ is the guide; the underlag is the representation's."""
    mets = parse(package / "METS.xml")
    group = mets.find("mets:fileSec/mets:fileGrp[@USE='Documentation']", NS)
    hrefs = [f.find("mets:FLocat", NS).get(HREF) for f in group.findall("mets:file", NS)]
    assert hrefs == ["documentation/om-paketet.txt"]


def test_premis_has_an_object_for_each_file_of_the_underlag(
    project: Project, package: Path
) -> None:
    premis = parse(package / "metadata/preservation/premis.xml")
    objects = {
        o.findtext("premis:objectIdentifier/premis:objectIdentifierValue", None, NS): (
            o.findtext("premis:objectCharacteristics/premis:fixity/premis:messageDigest", None, NS),
            o.findtext("premis:objectCharacteristics/premis:size", None, NS),
            o.findtext(
                "premis:objectCharacteristics/premis:format/premis:formatDesignation/"
                "premis:formatName",
                None,
                NS,
            ),
            o.findtext("premis:originalName", None, NS),
        )
        for o in premis.findall("premis:object", NS)
    }
    originals = {**TJANSTESKRIVELSER, NULAGE: "nulagesanalys-2025.pdf"}
    originals[MINNES] = "minnesanteckningar-samrad-2025-10-14.docx"
    expected = {}
    for name in IN_ORDER:
        data = (package / DOCS / name).read_bytes()
        mimetype = DOCX if name.endswith(".docx") else PDF
        expected[f"{DOCS}/{name}"] = (sha256(data), str(len(data)), mimetype, originals[name])
    assert {k: v for k, v in objects.items() if k.startswith(DOCS)} == expected
    data = [f"{DATA}/protokoll-signerat.pdf", f"{DATA}/protokoll-publicering.pdf"]
    assert sorted(objects) == sorted([*expected, *data])


def _events(package: Path) -> list[tuple[str, str, str, list[str]]]:
    premis = parse(package / "metadata/preservation/premis.xml")
    return [
        (
            str(e.findtext("premis:eventType", None, NS)),
            str(e.findtext("premis:eventDateTime", None, NS)),
            str(e.findtext("premis:eventDetailInformation/premis:eventDetail", None, NS)),
            [
                str(o.findtext("premis:linkingObjectIdentifierValue", None, NS))
                for o in e.findall("premis:linkingObjectIdentifier", NS)
            ],
        )
        for e in premis.findall("premis:event", NS)
    ]


def test_premis_records_how_each_file_of_the_underlag_came_in(
    project: Project, package: Path
) -> None:
    """The tjänsteskrivelse: created by beslutsgen when archiving; a bilaga: captured from
    the project; all of them: ingested with the package."""
    when = created(package)
    events = _events(package)
    underlag_events = [e for e in events if any(f.startswith(DOCS) for f in e[3])]
    nulage_sha, minnes_sha = (sha256(project.read(s)) for s in (NULAGE_SOURCE, MINNES_SOURCE))
    case = "Tjänsteskrivelsen i ärende {} (§ {}) återgiven som PDF/A-2 av beslutsgen {}, byte för "
    case += "byte som beslutsgen render skriver den."
    captured = (
        "Bilaga {} till ärende RS/88/2026 (§ 103) hämtad från projektets {} av beslutsgen {}; "
        "SHA-256 {} kontrollerad när ärendet lästes in och igen när filen kopierades."
    )
    assert underlag_events[:-1] == [
        ("creation", when, case.format("RS/88/2026", 103, __version__), [f"{DOCS}/{IN_ORDER[0]}"]),
        (
            "capture",
            when,
            captured.format(2, NULAGE_SOURCE, __version__, nulage_sha),
            [f"{DOCS}/{NULAGE}"],
        ),
        (
            "capture",
            when,
            captured.format(3, MINNES_SOURCE, __version__, minnes_sha),
            [f"{DOCS}/{MINNES}"],
        ),
        ("creation", when, case.format("RS/402/2026", 104, __version__), [f"{DOCS}/{IN_ORDER[3]}"]),
        ("creation", when, case.format("RS/311/2026", 105, __version__), [f"{DOCS}/{IN_ORDER[4]}"]),
    ]
    ingestion = underlag_events[-1]
    assert ingestion == (
        "ingestion",
        when,
        f"Paketet skapat och registrerat av beslutsgen {__version__}.",
        [f"{DATA}/protokoll-signerat.pdf", f"{DATA}/protokoll-publicering.pdf"]
        + [f"{DOCS}/{name}" for name in IN_ORDER],
    )
    assert events[-1] == ingestion


def test_the_held_back_case_is_archived_like_the_others(package: Path) -> None:
    """§ 104's handlingar do not go out with the kallelse (sekretess); the archive is not
    public, so its underlag is kept, and nothing in METS or PREMIS says otherwise."""
    assert (package / DOCS / "104-tjanssteskrivelse-rs-402-2026.pdf").is_file()
    for path in (REP_METS, "METS.xml", "metadata/preservation/premis.xml"):
        text = (package / path).read_text("utf-8")
        assert "utelämnas" not in text and "sekretess" not in text.lower(), path


def test_the_guide_names_each_file_of_the_underlag(package: Path) -> None:
    guide = (package / "documentation/om-paketet.txt").read_text("utf-8").splitlines()
    start = guide.index(f"{DOCS}/")
    first = guide.index(f"{DOCS}/{IN_ORDER[0]}")
    listed = guide[first : guide.index("metadata/descriptive/arende.xml")]
    assert start < first
    assert listed[0::2] == [f"{DOCS}/{name}" for name in IN_ORDER]
    assert listed[1::2] == [
        "    § 103, tjänsteskrivelse i ärende RS/88/2026: Mål och riktlinjer för arbetet med "
        "nationella minoriteter och samiska rättigheter 2026–2029",
        "    § 103, bilaga 2 till ärende RS/88/2026: Nulägesanalys av regionens "
        "minoritetspolitiska arbete 2025",
        "    § 103, bilaga 3 till ärende RS/88/2026: Minnesanteckningar från samråd vid "
        "Gaaltije den 14 oktober 2025",
        "    § 104, tjänsteskrivelse i ärende RS/402/2026: Förlängning av avtal om "
        'e-tjänstplattformen "Formulär & e-tjänster"',
        "    § 105, tjänsteskrivelse i ärende RS/311/2026: Ekonomisk uppföljning per april "
        "2026 för regionstyrelsen",
    ]


# --- the validators -----------------------------------------------------------------------


def test_the_official_validator_accepts_a_package_with_bilagor(
    package: Path, eark_python: Path
) -> None:
    assert_accepted(eark_validate(eark_python, package))


def test_beslutsgens_own_profile_checks_hold(package: Path) -> None:
    for mets in ("METS.xml", REP_METS):
        data = (package / mets).read_bytes()
        assert schema_findings(mets, data) == []
        assert profile_findings(mets, data) == []


# --- verify -------------------------------------------------------------------------------


@pytest.fixture
def copy(project: Project, package: Path, tmp_path: Path) -> Path:
    """A writable copy of the archive; its package folder."""
    target = tmp_path / "arkiv"
    shutil.copytree(project.root / ARCHIVE, target)
    return target / FOLDER


def verified(package: Path) -> Result:
    return run("verify", str(package.parent))


def test_verify_checks_the_underlag_too(copy: Path) -> None:
    result = verified(copy)
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    count = len([p for p in copy.rglob("*") if p.is_file()])
    assert count == 18  # 13 as for any package, and the 5 files of the underlag
    assert result.stdout == (
        f"{FOLDER}: intakt ({count} filer, {INTACT})\n"
        f"registrets huvud: {head_of(result)}\n"
        "1 paket intakta.\n"
    )


def _writable(path: Path) -> Path:
    path.chmod(0o644)
    return path


def tamper_bilaga(package: Path) -> list[str]:
    flip_bit(package / DOCS / NULAGE)
    return [f"{DOCS}/{NULAGE}: kontrollsumman stämmer inte (SHA-256): innehållet har ändrats"]


def tamper_docx_bilaga(package: Path) -> list[str]:
    flip_bit(package / DOCS / MINNES)
    return [f"{DOCS}/{MINNES}: kontrollsumman stämmer inte (SHA-256): innehållet har ändrats"]


def tamper_tjanssteskrivelse(package: Path) -> list[str]:
    name = IN_ORDER[3]
    flip_bit(package / DOCS / name)
    return [f"{DOCS}/{name}: kontrollsumman stämmer inte (SHA-256): innehållet har ändrats"]


def tamper_truncated_bilaga(package: Path) -> list[str]:
    path = package / DOCS / NULAGE
    data = path.read_bytes()
    _writable(path).write_bytes(data[:-1])
    return [f"{DOCS}/{NULAGE}: storleken är {len(data) - 1} byte, METS säger {len(data)}"]


def tamper_deleted_bilaga(package: Path) -> list[str]:
    (package / DOCS / MINNES).unlink()
    return [f"{DOCS}/{MINNES}: saknas"]


def tamper_deleted_tjanssteskrivelse(package: Path) -> list[str]:
    (package / DOCS / IN_ORDER[0]).unlink()
    return [f"{DOCS}/{IN_ORDER[0]}: saknas"]


def tamper_extra_underlag(package: Path) -> list[str]:
    (package / DOCS / "103-bilaga-4-barnrattsbedomning.pdf").write_bytes(b"%PDF-1.7\n")
    return [f"{DOCS}/103-bilaga-4-barnrattsbedomning.pdf: finns i paketet men inte i METS"]


TAMPERING: dict[str, Callable[[Path], list[str]]] = {
    name.removeprefix("tamper_"): function
    for name, function in globals().items()
    if name.startswith("tamper_")
}


@pytest.mark.parametrize("tampering", sorted(TAMPERING))
def test_verify_names_a_changed_file_of_the_underlag(copy: Path, tampering: str) -> None:
    findings = TAMPERING[tampering](copy)
    result = verified(copy)
    assert result.exit_code == 1
    said = "".join([f"{FOLDER}: FEL\n", *(f"  {f}\n" for f in findings)])
    assert result.stdout == said + f"registrets huvud: {head_of(result)}\n"
    assert result.stderr == "1 av 1 paket är inte intakta.\n"


# --- a bilaga that changes between loading and copying ---------------------------------------


def _grown(path: Path) -> None:
    path.write_bytes(path.read_bytes() + b"\n")


def _same_size(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[100] ^= 0x01
    path.write_bytes(bytes(data))


def _deleted(path: Path) -> None:
    path.unlink()


CHANGED = f"{NULAGE_SOURCE} (bilaga 2 till RS/88/2026, § 103)"
CHANGES: dict[str, tuple[Callable[[Path], None], str]] = {
    "grown": (
        _grown,
        f"{CHANGED} har ändrats sedan den kontrollerades; inget arkiverades, kör kommandot igen",
    ),
    "same-size": (
        _same_size,
        f"{CHANGED} har ändrats sedan den kontrollerades; inget arkiverades, kör kommandot igen",
    ),
    "deleted": (
        _deleted,
        f"{CHANGED} kan inte läsas längre (No such file or directory); inget arkiverades",
    ),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_bilaga_changed_after_loading_is_refused(
    project: Project, package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """The file is changed after the case was loaded (and its SHA-256 recorded) and before
    the package is written: nothing is archived, and the same run again works once the
    file is back."""
    edit, message = CHANGES[change]
    source = project.root / NULAGE_SOURCE
    original = source.read_bytes()
    gathered = ingest.beslutsunderlag

    def then_changed(*args: Any, **kwargs: Any) -> Any:
        found = gathered(*args, **kwargs)
        edit(source)
        return found

    monkeypatch.chdir(project.root)
    monkeypatch.setattr(ingest, "beslutsunderlag", then_changed)
    archive_dir = tmp_path / "arkiv"
    try:
        result = run("archive", SIGNED, "--meeting", MEETING, "-o", str(archive_dir))
    finally:
        source.write_bytes(original)
    assert (result.exit_code, result.stdout) == (1, ""), result.output
    assert result.stderr == f"fel: ändrad bilaga: {message}\n"
    assert sorted(os.listdir(archive_dir)) == ["arkiv.sqlite"]  # no package, no staging left
    monkeypatch.setattr(ingest, "beslutsunderlag", gathered)
    again = run("archive", SIGNED, "--meeting", MEETING, "-o", str(archive_dir))
    assert (again.exit_code, again.stderr) == (0, ""), again.output
    assert (archive_dir / FOLDER / DOCS / NULAGE).read_bytes() == original


# --- determinism --------------------------------------------------------------------------


def test_the_same_inputs_and_clock_give_the_same_package(project: Project, tmp_path: Path) -> None:
    when = datetime(2026, 6, 23, 9, 30, tzinfo=UTC)
    packages = []
    for name in ("a", "b"):
        done = ingest.archive(
            project.root / SIGNED,
            project.root / MEETING,
            project.root,
            tmp_path / name,
            when,
            SEAL_PASSWORD.encode(),
        )
        packages.append(files_of(done.folder))
    first, second = packages
    assert sorted(first) == sorted(second)
    assert [n for n in first if n.startswith(DOCS)] != []
    # The seal is a fresh ECDSA signature each time; everything it seals is the same.
    assert {n for n in first if first[n] != second[n]} <= {"METS.xml.p7s"}


# --- names and contents -------------------------------------------------------------------


def test_every_kind_of_bilaga_has_its_iana_media_type() -> None:
    assert sorted(underlag.MIMETYPES) == sorted([".pdf", *OFFICE_KINDS])
    assert underlag.MIMETYPES[".xlsx"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert underlag.MIMETYPES[".odp"] == "application/vnd.oasis.opendocument.presentation"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("RS/88/2026", "rs-88-2026"),
        ("RS 552-2025", "rs-552-2025"),
        ("Nulägesanalys 2025", "nulagesanalys-2025"),
        ("Åtgärder för Čáhppes Ŋ-län", "atgarder-for-cahppes-lan"),
        ("../../etc/passwd", "etc-passwd"),
        ("«»", "bilaga"),
        ("a" * 70, "a" * 60),
        ("ord " * 20, "-".join(["ord"] * 15)),
    ],
)
def test_slugs_are_ascii_and_never_a_path(text: str, slug: str) -> None:
    assert output.slug(text, "bilaga") == slug


@pytest.fixture(scope="module")
def contents(tmp_path_factory: pytest.TempPathFactory) -> PackageContents:
    return sample_contents(tmp_path_factory.mktemp("meeting"))


@pytest.mark.parametrize(
    "name", ["../x.pdf", "a/b.pdf", ".dold.pdf", "bilaga ett.pdf", "bilaga-å.pdf", ""]
)
def test_an_unsafe_name_in_the_underlag_is_refused(
    contents: PackageContents, tmp_path: Path, name: str
) -> None:
    item = Underlag(name, b"%PDF-1.7\n", PDF, "x.pdf", "§ 1, bilaga 1 till ärende X: x")
    with pytest.raises(ValueError, match="ogiltigt filnamn för beslutsunderlaget"):
        build_package(tmp_path / "paket", replace(contents, underlag=(item,)))
    assert list(tmp_path.iterdir()) == []
