"""`verify` against a hostile user (issue 12, points 3 and 4).

Each test tampers with its own copy of the archive test_archive.py writes, as someone with
write access to the archive folder could: swapping the signed protocol for another validly
signed one and fixing every checksum and the register to match, symbolic links, hidden
folders, edited or deleted register rows, a removed or forged seal. Every finding is
asserted as the exact line `verify` prints.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from click.testing import Result
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from beslutsgen.archive.demopki import Authority, human_friendly
from beslutsgen.archive.register import GENESIS, Register, chain_findings, row_hash
from beslutsgen.archive.seal import load_sealer, make_seal
from tests.test_archive import (
    ARCHIVE,
    DATA,
    FOLDER,
    MASTER,
    PROTOKOLL,
    Project,
    assert_broken,
    head_of,
    make_project,
    verified,
)

SEAL = "METS.xml.p7s"
REP_METS = "representations/rep1/METS.xml"
DESCRIPTIVE = "metadata/descriptive/arende.xml"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
METS = "{http://www.loc.gov/METS/}"
SEAL_CHANGED = f"{SEAL}: sigillet stämmer inte med METS.xml: METS har ändrats efter förseglingen"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return make_project(tmp_path_factory.mktemp("projekt"))


@pytest.fixture
def copy(project: Project, tmp_path: Path) -> Path:
    """A writable copy of the archive; its package folder."""
    target = tmp_path / "arkiv"
    shutil.copytree(project.root / ARCHIVE, target)
    for path in target.rglob("*"):
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return target / FOLDER


# --- what a careful attacker does: fix the checksums and the register -------------------


def fix_checksum(mets: Path, href: str, data: bytes) -> None:
    """Give the file `href` of `mets` the SIZE and CHECKSUM of `data`."""
    tree = etree.parse(str(mets))
    for node in tree.iter(f"{METS}file", f"{METS}mdRef"):
        location = node if node.tag == f"{METS}mdRef" else node.find(f"{METS}FLocat")
        if location is not None and location.get(XLINK_HREF) == href:
            node.set("SIZE", str(len(data)))
            node.set("CHECKSUM", hashlib.sha256(data).hexdigest())
    tree.write(str(mets), xml_declaration=True, encoding="UTF-8")


def rewrite_register(archive_dir: Path, package: Path, **changes: object) -> None:
    """The register's row changed to match the package, its row SHA-256 recomputed: the
    chain stays whole, only its head changes."""
    with Register(archive_dir / "arkiv.sqlite") as register:
        (row,) = register.packages()
    mets = {name: hashlib.sha256((package / name).read_bytes()).hexdigest() for name in row.mets}
    row = replace(row, mets=mets, **changes)  # type: ignore[arg-type]
    new_hash = row_hash(row)
    db = sqlite3.connect(archive_dir / "arkiv.sqlite")
    with db:
        db.execute(
            "UPDATE entry SET signed_sha256 = ?, mets = ?, seal_sha256 = ?, row_sha256 = ?",
            (row.signed_sha256, json.dumps(row.mets, sort_keys=True), row.seal_sha256, new_hash),
        )
    db.close()


def original_head(project: Project) -> str:
    with Register(project.root / ARCHIVE / "arkiv.sqlite") as register:
        (row,) = register.packages()
    return row.row_sha256


# --- the swapped protocol ----------------------------------------------------------------


def test_a_swapped_protocol_with_checksums_and_register_fixed(
    project: Project, copy: Path
) -> None:
    """Another validly signed protocol (the same one, signed by another trusted justerare)
    in place of the master, METS and the register updated to match: only the seal knows."""
    other = project.signed_by(project.ca.valid("Maria Söderberg"), project.read(PROTOKOLL))
    (copy / MASTER).write_bytes(other)
    fix_checksum(copy / REP_METS, "data/protokoll-signerat.pdf", other)
    fix_checksum(copy / "METS.xml", REP_METS, (copy / REP_METS).read_bytes())
    rewrite_register(copy.parent, copy, signed_sha256=hashlib.sha256(other).hexdigest())
    result = verified(copy)
    assert_broken(result, SEAL_CHANGED)
    assert head_of(result) != original_head(project)  # the diary's head no longer matches


def test_descriptive_metadata_that_disagrees_with_the_signed_protocol(copy: Path) -> None:
    arende = copy / DESCRIPTIVE
    arende.write_bytes(arende.read_bytes().replace(b"2025-11-25", b"2025-11-26"))
    fix_checksum(copy / "METS.xml", DESCRIPTIVE, arende.read_bytes())
    rewrite_register(copy.parent, copy)
    assert_broken(
        verified(copy),
        SEAL_CHANGED,
        f"{DESCRIPTIVE}: datum är '2025-11-26', det signerade protokollet säger '2025-11-25'",
    )


# --- links and hidden things -------------------------------------------------------------


def test_a_file_that_is_a_link_to_one_outside(copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "utanför.pdf"
    shutil.copyfile(copy / MASTER, outside)
    (copy / MASTER).unlink()
    (copy / MASTER).symlink_to(outside)
    assert_broken(verified(copy), f"{MASTER}: är en symbolisk länk (till {outside})")


def test_a_folder_that_is_a_link(copy: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "data-kopia"
    shutil.move(copy / DATA, elsewhere)
    (copy / DATA).symlink_to(elsewhere, target_is_directory=True)
    assert_broken(verified(copy), f"{DATA}: är en symbolisk länk (till {elsewhere})")


def test_the_package_folder_a_link(copy: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "paketet"
    shutil.move(copy, elsewhere)
    copy.symlink_to(elsewhere, target_is_directory=True)
    assert_broken(verified(copy), f"paketmappen är en symbolisk länk (till {elsewhere})")


def test_a_hidden_folder_in_the_package(copy: Path) -> None:
    hidden = copy / "representations" / "rep1" / ".gömt"
    hidden.mkdir()
    (hidden / "annat.pdf").write_bytes(b"%PDF-1.7\n")
    assert_broken(verified(copy), "representations/rep1/.gömt: dold mapp i paketet")


def test_a_hidden_folder_in_the_archive(copy: Path) -> None:
    (copy.parent / ".gömt").mkdir()
    result = verified(copy)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[1:3] == [".gömt: FEL", "  dold fil eller mapp i arkivet"]
    assert result.stderr == "1 av 2 paket är inte intakta.\n"


# --- the register ------------------------------------------------------------------------


def _chain_broken(result: Result, *findings: str) -> None:
    assert result.exit_code == 1
    first, *rest, head = result.stdout.splitlines()
    assert first.startswith(f"{FOLDER}: intakt (")
    assert rest == ["arkiv.sqlite: FEL", *(f"  {f}" for f in findings)]
    assert head.startswith("registrets huvud: ")
    assert result.stderr == "Registrets hashkedja är bruten.\n"


def test_a_register_row_edited(copy: Path) -> None:
    db = sqlite3.connect(copy.parent / "arkiv.sqlite")
    with db:
        db.execute("UPDATE entry SET archived = '2020-01-01T00:00:00+00:00'")
    db.close()
    _chain_broken(
        verified(copy), f"rad 1 ({FOLDER}): raden är ändrad (dess SHA-256 stämmer inte)"
    )


def test_a_register_row_deleted(copy: Path) -> None:
    db = sqlite3.connect(copy.parent / "arkiv.sqlite")
    with db:
        db.execute("DELETE FROM entry")
    db.close()
    result = verified(copy)
    assert result.exit_code == 1
    assert result.stdout == (
        f"{FOLDER}: FEL\n  finns i arkivet men inte i registret\nregistrets huvud: {GENESIS}\n"
    )


def _chain_of_three(tmp_path: Path) -> Path:
    root = Authority.make().cert.public_bytes(Encoding.DER)
    with Register(tmp_path / "arkiv.sqlite") as register:
        for name in "abc":
            register.add(
                name, f"uuid:{name}", name, "1" * 64, ("2" * 64, 10), "2025-12-02T08:15:00+00:00",
                {"METS.xml": "3" * 64}, "4" * 64, [asn1_x509.Certificate.load(root)],
            )  # fmt: skip
    return tmp_path / "arkiv.sqlite"


def _findings(path: Path) -> tuple[list[str], str]:
    with Register(path) as register:
        rows = list(register.packages())
    return chain_findings(rows)


def test_a_row_deleted_from_the_middle_of_the_chain(tmp_path: Path) -> None:
    path = _chain_of_three(tmp_path)
    assert _findings(path)[0] == []
    db = sqlite3.connect(path)
    with db:
        db.execute("DELETE FROM entry WHERE seq = 2")
    db.close()
    assert _findings(path)[0] == [
        "rad 3 (c): rad 2 saknas; kedjan är bruten",
        "rad 3 (c): föregående rads SHA-256 stämmer inte; kedjan är bruten",
    ]


def test_a_row_edited_with_its_hash_recomputed_breaks_the_next_link(tmp_path: Path) -> None:
    path = _chain_of_three(tmp_path)
    with Register(path) as register:
        first = next(register.packages())
    edited = replace(first, signed_sha256="9" * 64)
    db = sqlite3.connect(path)
    with db:
        db.execute(
            "UPDATE entry SET signed_sha256 = ?, row_sha256 = ? WHERE seq = 1",
            (edited.signed_sha256, row_hash(edited)),
        )
    db.close()
    assert _findings(path)[0] == [
        "rad 2 (b): föregående rads SHA-256 stämmer inte; kedjan är bruten"
    ]


# --- the seal ----------------------------------------------------------------------------


def test_the_seal_removed(copy: Path) -> None:
    (copy / SEAL).unlink()
    assert_broken(verified(copy), f"{SEAL}: saknas; paketets METS är inte förseglat")


def test_a_seal_by_an_untrusted_key(copy: Path, tmp_path: Path) -> None:
    forger = Authority.make("Annan rot-CA").valid("Falskt sigill")
    p12 = forger.write_p12(tmp_path / "falskt.p12", b"x")
    seal = make_seal(load_sealer(p12, b"x"), (copy / "METS.xml").read_bytes(), datetime.now(UTC))
    (copy / SEAL).write_bytes(seal)
    untrusted = (
        f"{SEAL}: sigillets certifikat för {human_friendly('Falskt sigill')} leder inte till "
        "någon betrodd rot i registret"
    )
    assert_broken(verified(copy), f"{SEAL}: ändrat sedan arkiveringen (SHA-256)", untrusted)
    rewrite_register(copy.parent, copy, seal_sha256=hashlib.sha256(seal).hexdigest())
    assert_broken(verified(copy), untrusted)


# --- the negative controls of point 4, as verify sees them -------------------------------


def test_a_wrong_checksum_in_mets(copy: Path) -> None:
    mets = copy / "METS.xml"
    guide = hashlib.sha256((copy / "documentation/om-paketet.txt").read_bytes()).hexdigest()
    mets.write_bytes(mets.read_bytes().replace(guide.encode(), b"0" * 64))
    assert_broken(
        verified(copy),
        "METS.xml: ändrad sedan arkiveringen (SHA-256)",
        SEAL_CHANGED,
        "documentation/om-paketet.txt: kontrollsumman stämmer inte (SHA-256): innehållet har "
        "ändrats",
    )


def test_a_representation_mets_that_does_not_validate(copy: Path) -> None:
    mets = copy / REP_METS
    mets.write_bytes(mets.read_bytes().replace(b'<mets:fileSec ', b'<mets:fileSec BOGUS="x" '))
    assert_broken(
        verified(copy),
        f"{REP_METS}: ändrad sedan arkiveringen (SHA-256)",
        f"{REP_METS}:17: följer inte schemat: Element '{{http://www.loc.gov/METS/}}fileSec', "
        "attribute 'BOGUS': The attribute 'BOGUS' is not allowed.",
    )


def test_verify_reads_nothing_through_a_link(copy: Path, tmp_path: Path) -> None:
    """A link to a file outside is named, never opened (its target may be anything)."""
    secret = tmp_path / "hemligt"
    secret.write_bytes(b"x")
    secret.chmod(0)
    os.symlink(secret, copy / "documentation" / "länk.txt")
    result = verified(copy)
    assert f"  documentation/länk.txt: är en symbolisk länk (till {secret})\n" in result.stdout
