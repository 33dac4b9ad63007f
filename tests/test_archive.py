"""Signing, archiving and verifying a justerat protocol (`sign`, `archive`, `verify`).

One project per module: the sample decisions/ and profile copied into a temporary
folder, the profile trusting a CA made here (beslutsgen.archive.demopki), and
`beslutsgen meeting` run once, which records the protocol it rendered in
renderingar.sqlite. The protocol signed by a valid justerare is archived once into
arkiv/; each scenario then signs (or breaks) its own file, and each verify test tampers
with its own copy of arkiv/. Every refusal and every finding is asserted as the exact
line the command prints.

A personnummer and a samordningsnummer are written into the ärendebeskrivning of § 196's
case before the meeting is rendered: the signed master keeps them, the package's
publication PDF must show them masked.
"""

from __future__ import annotations

import io
import re
import shutil
import socket
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner, Result
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from beslutsgen.archive.demopki import Authority, Identity, human_friendly
from beslutsgen.archive.signing import sign
from beslutsgen.cli import main
from tests.conftest import DECISIONS, ROOT
from tests.test_package import assert_accepted, eark_validate
from tests.textutil import normalise, pdf_body_text

MEETING = "decisions/rs-2025-11-25-sammantrade.yaml"
FOLDER = "regionstyrelsen-2025-11-25"
PROTOKOLL = f"output/{FOLDER}/protokoll.pdf"
KALLELSE = f"output/{FOLDER}/kallelse.pdf"
CA_PEM = "pki/test-ca.pem"
SEAL_P12 = "pki/arkivsigill.p12"
PASSWORD = "hemligt lösen"
SEAL_PASSWORD = "sigillets lösen"
SEAL_ENV = {"BESLUTSGEN_SIGILL_PASSWORD": SEAL_PASSWORD}
JUSTERARE = "Marie Svensson"
SIGNED = "signerat.pdf"
ARCHIVE = "arkiv"
DATA = "representations/rep1/data"
MASTER = f"{DATA}/protokoll-signerat.pdf"
PUBLICATION = f"{DATA}/protokoll-publicering.pdf"
# In § 196's ärendebeskrivning: a personnummer and a samordningsnummer (day 23 + 60).
PERSONNUMMER = "19640823-3234"
SAMORDNINGSNUMMER = "640883-3231"
PNR_PARAGRAPH = f"  Synpunkter har lämnats av {PERSONNUMMER} och {SAMORDNINGSNUMMER}.\n\n"


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    if args and args[0] == "archive" and env is None:
        env = SEAL_ENV  # the archive seal's password, as the CLI reads it
    return CliRunner().invoke(main, list(args), env=env)


@dataclass(frozen=True)
class Project:
    root: Path
    ca: Authority
    justerare: Identity
    sigill: Identity  # the archive seal, under the same CA
    archived: Result  # `beslutsgen archive signerat.pdf` into arkiv/

    def read(self, relative: str) -> bytes:
        return (self.root / relative).read_bytes()

    def p12(self, identity: Identity, name: str) -> Path:
        return identity.write_p12(self.root / "pki" / f"{name}.p12", PASSWORD.encode())

    def signed_by(self, identity: Identity, pdf: bytes) -> bytes:
        return sign(pdf, self.p12(identity, "scenario"), PASSWORD.encode())

    def write(self, name: str, data: bytes) -> str:
        """`data` as a file in the project; its path relative to the project."""
        path = self.root / "scenarier" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        return path.relative_to(self.root).as_posix()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return make_project(tmp_path_factory.mktemp("projekt"))


def make_project(root: Path) -> Project:
    """The sample project in `root`, its protocol signed and archived into arkiv/."""
    case = root / "decisions" / "rs-552-2025.yaml"
    return signed_and_archived(root, MEETING, PROTOKOLL, lambda: _with_personnummer(case))


def _with_personnummer(case: Path) -> None:
    text = case.read_text("utf-8")
    assert text.count("ärendebeskrivning: |\n") == 1
    case.write_text(
        text.replace("ärendebeskrivning: |\n", "ärendebeskrivning: |\n" + PNR_PARAGRAPH),
        "utf-8",
    )


def signed_and_archived(
    root: Path, meeting: str, protokoll: str, edit: Callable[[], None] = lambda: None
) -> Project:
    """The sample project (decisions/, bilagor/, the profile) in `root`, changed by `edit`;
    `meeting` rendered, its `protokoll` signed by a justerare and archived into arkiv/."""
    shutil.copytree(DECISIONS, root / "decisions")
    shutil.copytree(ROOT / "bilagor", root / "bilagor")
    profile = (ROOT / "beslutsgen.yaml").read_text("utf-8")
    trusted = "betrodda_rotcertifikat: [output/demo-pki/demo-ca.pem]"
    seal = "sigill: {p12: output/demo-pki/arkivsigill.p12}"
    assert trusted in profile and seal in profile
    profile = profile.replace(trusted, f"betrodda_rotcertifikat: [{CA_PEM}]")
    (root / "beslutsgen.yaml").write_text(
        profile.replace(seal, f"sigill: {{p12: {SEAL_P12}}}"), "utf-8"
    )
    edit()
    (root / "pki").mkdir()
    ca = Authority.make()
    ca.write_pem(root / CA_PEM)
    justerare = ca.valid(JUSTERARE)
    sigill = ca.valid("Region Jämtland Härjedalen arkivsigill")
    sigill.write_p12(root / SEAL_P12, SEAL_PASSWORD.encode())
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        rendered = run("meeting", meeting, "-o", "output", "--format", "pdf")
        assert rendered.exit_code == 0, rendered.output
        signed = sign(
            (root / protokoll).read_bytes(),
            justerare.write_p12(root / "pki" / "justerare.p12", PASSWORD.encode()),
            PASSWORD.encode(),
        )
        (root / SIGNED).write_bytes(signed)
        archived = run("archive", SIGNED, "--meeting", meeting, "-o", ARCHIVE)
    return Project(root, ca, justerare, sigill, archived)


@pytest.fixture
def inside(project: Project, monkeypatch: pytest.MonkeyPatch) -> Project:
    """The project, with the working directory inside it."""
    monkeypatch.chdir(project.root)
    return project


def signing_time(signed: bytes) -> datetime:
    moment = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0].self_reported_timestamp
    assert moment is not None
    return moment


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int] | None]:
    """Every file (bytes, mode, mtime) and folder under `folder`."""
    return {
        p.relative_to(folder).as_posix(): (
            (p.read_bytes(), p.stat().st_mode, p.stat().st_mtime_ns) if p.is_file() else None
        )
        for p in folder.rglob("*")
    }


def object_id(archived: Result) -> str:
    """The package's id from what `archive` printed: "… (uuid:…)"."""
    found = re.search(r"\((uuid:[0-9a-f-]{36})\)$", archived.stdout.splitlines()[0])
    assert found is not None, archived.stdout
    return found.group(1)


def package_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# --- sign --------------------------------------------------------------------------------


def test_sign_appends_a_revision_and_keeps_the_protocol_byte_for_byte(inside: Project) -> None:
    p12 = inside.p12(inside.justerare, "sign-cli")
    result = run("sign", PROTOKOLL, "--p12", str(p12), env={"BESLUTSGEN_P12_PASSWORD": PASSWORD})
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    target = f"output/{FOLDER}/protokoll-signerad.pdf"  # the default name
    assert result.stdout == f"{target}\n"
    unsigned, signed = inside.read(PROTOKOLL), inside.read(target)
    assert len(signed) > len(unsigned)
    assert signed[: len(unsigned)] == unsigned
    (embedded,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    assert embedded.field_name == "Justering"


@pytest.mark.parametrize("password", ["fel lösen", None], ids=["wrong", "missing"])
def test_sign_with_the_wrong_password_says_so(
    inside: Project, monkeypatch: pytest.MonkeyPatch, password: str | None
) -> None:
    inside.p12(inside.justerare, "sign-password")
    monkeypatch.delenv("BESLUTSGEN_P12_PASSWORD", raising=False)
    if password:
        monkeypatch.setenv("BESLUTSGEN_P12_PASSWORD", password)
    result = run("sign", PROTOKOLL, "--p12", "pki/sign-password.p12", "-o", "x.pdf")
    assert result.exit_code == 2
    assert result.stderr == (
        "fel: pki/sign-password.p12: fel lösenord (BESLUTSGEN_P12_PASSWORD) eller ingen "
        "nyckel i filen\n"
    )
    assert not (inside.root / "x.pdf").exists()


# --- archive: a good signature ------------------------------------------------------------


def test_a_good_signature_is_archived(project: Project) -> None:
    result = project.archived
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    signed = project.read(SIGNED)
    when = signing_time(signed)
    first, second = result.stdout.splitlines()
    assert re.fullmatch(rf"{ARCHIVE}/{FOLDER}: arkiverat \(uuid:[0-9a-f-]{{36}}\)", first)
    assert second == (
        f"  signatur 'Justering': {human_friendly(JUSTERARE)}, "
        f"{when:%Y-%m-%d %H:%M} UTC, sha256_ecdsa"
    )
    package = project.root / ARCHIVE / FOLDER
    assert (package / MASTER).read_bytes() == signed
    assert f'OBJID="{object_id(result)}"'.encode() in (package / "METS.xml").read_bytes()


def test_the_package_holds_the_tjanssteskrivelse_of_every_case(project: Project) -> None:
    """The demo meeting's cases have no bilaga files: the beslutsunderlag is their
    tjänsteskrivelser (the full text, personnummer and all: the archive is not public)."""
    documentation = project.root / ARCHIVE / FOLDER / "representations/rep1/documentation"
    assert sorted(p.name for p in documentation.iterdir()) == [
        "196-tjanssteskrivelse-rs-552-2025.pdf",
        "197-tjanssteskrivelse-rs-1204-2025.pdf",
        "198-tjanssteskrivelse-rs-595-2023.pdf",
    ]
    first = documentation / "196-tjanssteskrivelse-rs-552-2025.pdf"
    assert PERSONNUMMER in normalise(pdf_body_text(first.read_bytes()))


def test_archived_files_are_read_only(project: Project) -> None:
    package = project.root / ARCHIVE / FOLDER
    files = package_files(package)
    assert MASTER in files and PUBLICATION in files and "METS.xml" in files
    writable = [f for f in files if (package / f).stat().st_mode & 0o222]
    assert writable == []


def test_archiving_the_same_file_again_changes_nothing(inside: Project) -> None:
    before = snapshot(inside.root / ARCHIVE)
    result = run("archive", SIGNED, "--meeting", MEETING, "-o", ARCHIVE)
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert result.stdout.splitlines()[0] == (
        f"{ARCHIVE}/{FOLDER}: redan arkiverat (samma fil); inget ändrat "
        f"({object_id(inside.archived)})"
    )
    assert snapshot(inside.root / ARCHIVE) == before


def test_another_signed_file_for_the_same_meeting_is_refused(inside: Project) -> None:
    before = snapshot(inside.root / ARCHIVE)
    again = inside.signed_by(inside.ca.valid("Maria Söderberg"), inside.read(PROTOKOLL))
    other = inside.write("annan.pdf", again)
    result = run("archive", other, "--meeting", MEETING, "-o", ARCHIVE)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"fel: redan arkiverat: sammanträdet {FOLDER} är redan arkiverat i {FOLDER}/ med en "
        "annan signerad fil; ett arkiverat paket skrivs aldrig över\n"
    )
    assert snapshot(inside.root / ARCHIVE) == before


def test_a_second_justerares_signature_is_a_permitted_later_revision(
    inside: Project, tmp_path: Path
) -> None:
    first = inside.read(SIGNED)
    both = inside.signed_by(inside.ca.valid("Maria Söderberg"), first)
    path = inside.write("två-justerare.pdf", both)
    result = run("archive", path, "--meeting", MEETING, "-o", str(tmp_path / "arkiv"))
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    lines = result.stdout.splitlines()
    assert lines[1].startswith(f"  signatur 'Justering': {human_friendly(JUSTERARE)}, ")
    assert lines[2].startswith(f"  signatur 'Justering2': {human_friendly('Maria Söderberg')}, ")


# --- archive: refusals -------------------------------------------------------------------


def _flip(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x01
    return bytes(changed)


def _with_page_content(pdf: bytes) -> bytes:
    """`pdf` with one more revision that draws "Avslag" on page 1."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 72 Td (Avslag) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _not_pdfa() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _untrusted_because(subject: str, identity: Identity, signed: bytes) -> str:
    return (
        f"ej betrodd undertecknare: certifikatet för {subject} gällde "
        f"{identity.not_before:%Y-%m-%d}–{identity.not_after:%Y-%m-%d}, inte när det "
        f"signerade {signing_time(signed):%Y-%m-%d %H:%M}"
    )


BROKEN = (
    "bruten signatur: signaturen 'Justering' stämmer inte med innehållet: filen har ändrats "
    "i den del som signerades, eller signaturen är skadad"
)


def scenario_byte_changed_after_signing(p: Project) -> tuple[bytes, str]:
    signed = p.read(SIGNED)
    return _flip(signed, len(p.read(PROTOKOLL)) // 2), BROKEN


def scenario_last_byte_changed_after_signing(p: Project) -> tuple[bytes, str]:
    return _flip(p.read(SIGNED), -1), BROKEN  # after the signature, inside its byte range


def scenario_extra_revision_changes_page_content(p: Project) -> tuple[bytes, str]:
    return _with_page_content(p.read(SIGNED)), (
        "ändrad efter signering: filen har ändrats efter signaturen 'Justering' på ett sätt "
        "som inte är tillåtet (OTHER)"
    )


def scenario_expired_signer(p: Project) -> tuple[bytes, str]:
    expired = p.ca.expired("Utgången Justerare")
    signed = p.signed_by(expired, p.read(PROTOKOLL))
    return signed, _untrusted_because(human_friendly("Utgången Justerare"), expired, signed)


def scenario_not_yet_valid_signer(p: Project) -> tuple[bytes, str]:
    early = p.ca.not_yet_valid("Tidig Justerare")
    signed = p.signed_by(early, p.read(PROTOKOLL))
    return signed, _untrusted_because(human_friendly("Tidig Justerare"), early, signed)


def scenario_untrusted_root(p: Project) -> tuple[bytes, str]:
    stranger = Authority.make("Annan rot-CA").valid("Okänd Justerare")
    return p.signed_by(stranger, p.read(PROTOKOLL)), (
        f"ej betrodd undertecknare: certifikatet för {human_friendly('Okänd Justerare')} "
        "leder inte till någon betrodd rot i profilen"
    )


def scenario_valid_signature_on_the_wrong_document(p: Project) -> tuple[bytes, str]:
    return p.signed_by(p.justerare, p.read(KALLELSE)), (
        "annat dokument: det signerade dokumentet är inte protokollet som beslutsgen skapade "
        "för sammanträdet (det renderade protokollet är början av filen)"
    )


def scenario_unsigned_pdf(p: Project) -> tuple[bytes, str]:
    return p.read(PROTOKOLL), "inte signerad: filen har ingen signatur"


def scenario_signed_pdf_that_is_not_pdfa(p: Project) -> tuple[bytes, str]:
    return p.signed_by(p.justerare, _not_pdfa()), (
        "inte PDF/A: PDF/A-2-identifikationen (pdfaid:part 2) saknas"
    )


def scenario_not_a_pdf(p: Project) -> tuple[bytes, str]:
    return b"Protokoll\n", "pdf: filen kan inte läsas som PDF (Illegal PDF header)"


SCENARIOS: dict[str, Callable[[Project], tuple[bytes, str]]] = {
    name.removeprefix("scenario_"): function
    for name, function in globals().items()
    if name.startswith("scenario_")
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_archive_refuses(inside: Project, tmp_path: Path, scenario: str) -> None:
    data, refusal = SCENARIOS[scenario](inside)
    path = inside.write(f"{scenario}.pdf", data)
    result = run("archive", path, "--meeting", MEETING, "-o", str(tmp_path / "arkiv"))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"fel: {refusal}\n"
    assert not (tmp_path / "arkiv").exists()  # a refused file leaves no trace


def test_archive_refuses_a_protocol_changed_before_it_was_signed(
    inside: Project, tmp_path: Path
) -> None:
    changed = _with_page_content(inside.read(PROTOKOLL))
    path = inside.write("ändrat-före-signering.pdf", inside.signed_by(inside.justerare, changed))
    result = run("archive", path, "--meeting", MEETING, "-o", str(tmp_path / "arkiv"))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "fel: annat dokument: det signerade dokumentet är inte protokollet som beslutsgen skapade "
        "för sammanträdet (det renderade protokollet är början av filen)\n"
    )


# --- verify --------------------------------------------------------------------------------


@pytest.fixture
def copy(project: Project, tmp_path: Path) -> Path:
    """A copy of the archive to break; its package folder."""
    target = tmp_path / "arkiv"
    shutil.copytree(project.root / ARCHIVE, target)
    return target / FOLDER


def _writable(path: Path) -> Path:
    path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return path


def flip_bit(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x04
    _writable(path).write_bytes(bytes(data))


def verified(package: Path) -> Result:
    return run("verify", str(package.parent))


HEAD = re.compile(r"registrets huvud: [0-9a-f]{64}\n")
INTACT = "sigillet och signaturen giltiga"


def head_of(result: Result) -> str:
    """The register's head `verify` printed."""
    found = re.search(r"^registrets huvud: ([0-9a-f]{64})$", result.stdout, re.MULTILINE)
    assert found is not None, result.stdout
    return found.group(1)


def assert_broken(result: Result, *findings: str) -> None:
    assert result.exit_code == 1
    lines = "".join([f"{FOLDER}: FEL\n", *(f"  {f}\n" for f in findings)])
    assert result.stdout == lines + f"registrets huvud: {head_of(result)}\n", result.stdout
    assert result.stderr == "1 av 1 paket är inte intakta.\n"


def test_verify_an_intact_archive(copy: Path) -> None:
    result = verified(copy)
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    first, head, last = result.stdout.splitlines()
    assert re.fullmatch(rf"{FOLDER}: intakt \(\d+ filer, {INTACT}\)", first)
    assert HEAD.fullmatch(head + "\n")
    assert last == "1 paket intakta."


def test_verify_counts_each_file_of_the_package_once(copy: Path) -> None:
    count = len(package_files(copy))
    # METS.xml.p7s and the two DILCIS schemas since issue 12; the three tjänsteskrivelser
    # of the beslutsunderlag since issue 16 (the meeting's cases have no bilaga files)
    assert count == 16
    assert verified(copy).stdout.splitlines()[0] == f"{FOLDER}: intakt ({count} filer, {INTACT})"


def test_verify_needs_no_network(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"verify used the network: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    result = verified(copy)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("1 paket intakta.\n")


def tamper_master(package: Path) -> list[str]:
    flip_bit(package / MASTER)
    return [f"{MASTER}: kontrollsumman stämmer inte (SHA-256): innehållet har ändrats"]


def tamper_publication(package: Path) -> list[str]:
    flip_bit(package / PUBLICATION)
    return [f"{PUBLICATION}: kontrollsumman stämmer inte (SHA-256): innehållet har ändrats"]


def tamper_premis(package: Path) -> list[str]:
    flip_bit(package / "metadata/preservation/premis.xml")
    return [
        "metadata/preservation/premis.xml: kontrollsumman stämmer inte (SHA-256): "
        "innehållet har ändrats"
    ]


def tamper_truncated_publication(package: Path) -> list[str]:
    path = package / PUBLICATION
    data = path.read_bytes()
    _writable(path).write_bytes(data[:-1])
    return [f"{PUBLICATION}: storleken är {len(data) - 1} byte, METS säger {len(data)}"]


def tamper_extra_file(package: Path) -> list[str]:
    (package / DATA / "bilaga.pdf").write_bytes(b"%PDF-1.7\n")
    return [f"{DATA}/bilaga.pdf: finns i paketet men inte i METS"]


def tamper_deleted_master(package: Path) -> list[str]:
    (package / MASTER).unlink()
    return [f"{MASTER}: saknas"]


def tamper_deleted_documentation(package: Path) -> list[str]:
    (package / "documentation/om-paketet.txt").unlink()
    return ["documentation/om-paketet.txt: saknas"]


TAMPERING: dict[str, Callable[[Path], list[str]]] = {
    name.removeprefix("tamper_"): function
    for name, function in globals().items()
    if name.startswith("tamper_")
}


@pytest.mark.parametrize("tampering", sorted(TAMPERING))
def test_verify_names_what_changed(copy: Path, tampering: str) -> None:
    findings = TAMPERING[tampering](copy)
    assert_broken(verified(copy), *findings)


@pytest.mark.parametrize("mets", ["METS.xml", "representations/rep1/METS.xml"])
def test_verify_names_a_changed_mets(copy: Path, mets: str) -> None:
    flip_bit(copy / mets)
    result = verified(copy)
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{FOLDER}: FEL\n")
    assert f"  {mets}: ändrad sedan arkiveringen (SHA-256)\n" in result.stdout
    assert result.stderr == "1 av 1 paket är inte intakta.\n"


@pytest.mark.parametrize("mets", ["METS.xml", "representations/rep1/METS.xml"])
def test_verify_does_not_call_the_files_of_a_changed_mets_strays(copy: Path, mets: str) -> None:
    flip_bit(copy / mets)
    result = verified(copy)
    assert f"  {mets}: ändrad sedan arkiveringen (SHA-256)\n" in result.stdout
    assert "inte i METS" not in result.stdout


def test_verify_names_a_folder_the_register_does_not_know(copy: Path) -> None:
    (copy.parent / "okänt-paket").mkdir()
    result = verified(copy)
    assert result.exit_code == 1
    intact, *rest, head = result.stdout.splitlines()
    assert re.fullmatch(rf"{FOLDER}: intakt \(\d+ filer, {INTACT}\)", intact)
    assert rest == ["okänt-paket: FEL", "  finns i arkivet men inte i registret"]
    assert HEAD.fullmatch(head + "\n")
    assert result.stderr == "1 av 2 paket är inte intakta.\n"


def test_verify_of_a_folder_without_register(tmp_path: Path) -> None:
    result = run("verify", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == f"fel: {tmp_path}: inget arkiv (arkiv.sqlite saknas)\n"


def test_the_archived_package_passes_the_official_validator(
    project: Project, eark_python: Path
) -> None:
    """The package `archive` wrote, not only one built by hand: accepted with exactly the
    pinned exemptions (tests/eark_validate.py, EXEMPTIONS)."""
    report = eark_validate(eark_python, project.root / ARCHIVE / FOLDER)
    assert_accepted(report)


# --- the publication rendition -------------------------------------------------------------


def test_personnummer_are_masked_in_the_publication_but_not_in_the_master(
    project: Project,
) -> None:
    package = project.root / ARCHIVE / FOLDER
    master = normalise(pdf_body_text((package / MASTER).read_bytes()))
    publication = normalise(pdf_body_text((package / PUBLICATION).read_bytes()))
    assert PERSONNUMMER in master and SAMORDNINGSNUMMER in master
    for number in (PERSONNUMMER, SAMORDNINGSNUMMER):
        assert number not in publication
        assert number[:-4] + "XXXX" in publication
    # Otherwise the same text: only the masked digits differ.
    unmasked = publication.replace("19640823-XXXX", PERSONNUMMER).replace(
        "640883-XXXX", SAMORDNINGSNUMMER
    )
    assert unmasked == master


def test_the_demo_package_passes_the_official_validator(eark_python: Path) -> None:
    """The package `make demo` wrote (output/arkiv), when there is one."""
    demo = ROOT / "output" / "arkiv" / FOLDER
    if not (demo / "METS.xml").is_file():
        pytest.skip("no demo archive; run make demo first")
    assert_accepted(eark_validate(eark_python, demo))


def test_archive_without_the_seal_password_is_refused(inside: Project, tmp_path: Path) -> None:
    result = run("archive", SIGNED, "--meeting", MEETING, "-o", str(tmp_path / "arkiv"), env={})
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"fel: {inside.root / SEAL_P12}: fel lösenord för arkivsigillet "
        "(BESLUTSGEN_SIGILL_PASSWORD) eller ingen nyckel i filen\n"
    )
    assert not (tmp_path / "arkiv").exists()
