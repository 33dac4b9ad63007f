"""The archive: signed protocols checked, packaged for e-arkiv, sealed, kept, re-verifiable.

`archive` accepts a signed protocol only when every check in signing.py passes, then
writes one FGS/E-ARK package per meeting into a write-once folder, seals its METS.xml
with the organisation's archive seal (archive_seal.py), and adds it to the register, a
hash chain (archive_register.py). The register keeps what a later `verify` needs
without any network; `verify` (archive_verify.py) trusts nothing on disk and names
whatever no longer matches. Neither reads the clock or the environment: the caller
passes the time and the seal's password.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import x509 as asn1_x509

from beslutsgen import __version__
from beslutsgen.archive.audit import PackageReport, Verification, verify
from beslutsgen.archive.package import (
    CREATION,
    INGESTION,
    MASTER,
    PUBLICERING,
    SEAL,
    SIGNATURE_VALIDATION,
    Certificate,
    DataFile,
    PackageContents,
    PreservationEvent,
    SignatureValidation,
    build_package,
    descriptive_for,
)
from beslutsgen.archive.register import ARCHIVE_REGISTER, Register
from beslutsgen.archive.seal import load_sealer, make_seal
from beslutsgen.archive.signing import Examination, SignerReport, examine, load_roots
from beslutsgen.archive.underlag import beslutsunderlag
from beslutsgen.build.sammantrade import PROTOKOLL, build_sammantrade, folder_name
from beslutsgen.build.templates import Templates
from beslutsgen.errors import Refused, UsageError, relative
from beslutsgen.load.project import LoadedSammantrade, load_project
from beslutsgen.model.profile import Profile
from beslutsgen.render.pdf import PdfRenderer
from beslutsgen.render.register import REGISTER_NAME, RenderRegister

__all__ = ["ARCHIVE_REGISTER", "Archived", "PackageReport", "Verification", "archive", "verify"]


@dataclass(frozen=True)
class Archived:
    """The outcome of one `archive`: the package, and whether this run wrote it."""

    folder: Path
    object_id: str
    new: bool
    examination: Examination | None


def archive(
    signed_path: Path,
    meeting_path: Path,
    root: Path,
    archive_dir: Path,
    when: datetime,
    seal_password: bytes | None,
    cwd: Path | None = None,
) -> Archived:
    """Check `signed_path` against the meeting, then package, seal and register it at
    `when`; the same file archived again is a no-op, another file for the same meeting is
    refused. `seal_password` unlocks the profile's arkiv.sigill. Problems name the files
    relative to `cwd`, the project root when None."""
    project = load_project([meeting_path], root, cwd)
    if len(project.meetings) != 1:
        raise UsageError(f"{meeting_path}: ange en sammanträdesfil (typ: sammanträde)")
    (loaded,) = project.meetings
    roots, seal_p12 = _settings(project.profile, root)
    meeting = folder_name(loaded.meeting)
    try:
        signed = signed_path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{signed_path}: kan inte läsas: {exc.strerror or exc}") from exc
    signed_sha = hashlib.sha256(signed).hexdigest()
    examination = examine(signed, roots, _generated(root, meeting))
    sealer = load_sealer(seal_p12, seal_password)
    with Register(archive_dir / ARCHIVE_REGISTER) as register:
        found = register.find(meeting)
        if found is not None:
            if found.signed_sha256 == signed_sha:
                return Archived(archive_dir / found.folder, found.object_id, False, examination)
            raise Refused(
                "redan arkiverat",
                f"sammanträdet {meeting} är redan arkiverat i {found.folder}/ med en annan "
                "signerad fil; ett arkiverat paket skrivs aldrig över",
            )
        object_id = f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'beslutsgen:{meeting}:{signed_sha}')}"
        moment = when.astimezone(UTC).replace(microsecond=0)
        shown = cwd or root
        contents = _contents(
            loaded, project.profile, root, signed, examination, object_id, moment, shown
        )
        folder = archive_dir / meeting
        written = build_package(folder, contents, lambda mets: make_seal(sealer, mets, moment))
        _register(register, folder, written, object_id, signed_sha, examination, moment, roots)
    return Archived(folder, object_id, True, examination)


def _register(
    register: Register,
    folder: Path,
    written: list[Path],
    object_id: str,
    signed_sha: str,
    examination: Examination,
    moment: datetime,
    roots: list[asn1_x509.Certificate],
) -> None:
    """The package made write-once and entered in the register with its METS and seal
    digests."""
    digests = {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in written
        if path.name in ("METS.xml", SEAL)
    }
    for path in written:
        path.chmod(0o444)  # write-once: nothing in a package is ever rewritten
    register.add(
        folder.name,
        object_id,
        folder.name,
        signed_sha,
        (examination.sha256, len(examination.signed_revision)),
        moment.isoformat(),
        {path: sha for path, sha in digests.items() if path != SEAL},
        digests[SEAL],
        roots,
    )


def _settings(profile: Profile, root: Path) -> tuple[list[asn1_x509.Certificate], Path]:
    """The trust roots and the seal's PKCS#12 file the profile names."""
    if profile.arkiv is None:
        raise UsageError("profilen saknar arkiv.betrodda_rotcertifikat; inget att lita på")
    if profile.arkiv.sigill is None:
        raise UsageError(
            "profilen saknar arkiv.sigill; varje arkivpaket förseglas med organisationens "
            "arkivsigill (arkiv: {sigill: {p12: sökväg}})"
        )
    if profile.organisationsnummer is None:
        raise UsageError(
            "profilen saknar organisationsnummer; ett arkivpaket (SIP) anger arkivbildaren med det"
        )
    roots = load_roots([root / path for path in profile.arkiv.betrodda_rotcertifikat])
    p12 = root / profile.arkiv.sigill.p12
    if not p12.is_file():
        raise UsageError(f"{p12}: arkivsigillet (arkiv.sigill.p12 i profilen) finns inte")
    return roots, p12


def _generated(root: Path, meeting: str) -> dict[str, int]:
    """SHA-256 → size of every protocol `beslutsgen meeting` rendered for the meeting."""
    path = root / REGISTER_NAME
    if not path.exists():
        return {}
    with RenderRegister(path) as register:
        return register.versions(meeting, f"{PROTOKOLL}.pdf")


def _rendered_at(root: Path, meeting: str, sha256: str) -> datetime | None:
    with RenderRegister(root / REGISTER_NAME) as register:
        return register.rendered_at(meeting, sha256)


def _contents(
    loaded: LoadedSammantrade,
    profile: Profile,
    root: Path,
    signed: bytes,
    examination: Examination,
    object_id: str,
    moment: datetime,
    shown: Path,
) -> PackageContents:
    """The package of `signed`: the master, its publication rendition and the meeting's
    beslutsunderlag, with the events of each; `shown` is where refusals name files from."""
    meeting = loaded.meeting
    templates, renderer = Templates(root / "templates"), PdfRenderer()
    published = build_sammantrade(loaded, profile, templates, (PROTOKOLL,), publicering=True)
    (protokoll,) = published.documents
    publication = renderer.render(protokoll.document, protokoll.style)
    underlag, underlag_events = beslutsunderlag(
        loaded, profile, templates, renderer, moment, lambda path: relative(path, shown)
    )
    rendered = _rendered_at(root, folder_name(meeting), examination.sha256)
    events = [
        PreservationEvent(
            CREATION,
            rendered or datetime.combine(meeting.datum, datetime.min.time(), UTC),
            f"Protokollet skapat med beslutsgen {__version__} (SHA-256 {examination.sha256}).",
            "success",
            files=(MASTER,),
        )
    ]
    events += [_signature_event(report, moment) for report in examination.signatures]
    events += underlag_events
    events.append(
        PreservationEvent(
            INGESTION,
            moment,
            f"Paketet skapat och registrerat av beslutsgen {__version__}.",
            "success",
            files=(MASTER, PUBLICERING, *(item.name for item in underlag)),
        )
    )
    return PackageContents(
        object_id=object_id,
        label=f"Protokoll {meeting.organ} {meeting.datum.isoformat()}",
        created=moment,
        software="beslutsgen",
        version=__version__,
        files=(
            DataFile(MASTER, signed, "application/pdf"),
            DataFile(PUBLICERING, publication, "application/pdf"),
        ),
        descriptive=descriptive_for(loaded, profile.organisation, profile.organisationsnummer),
        events=tuple(events),
        underlag=underlag,
    )


def _signature_event(report: SignerReport, moment: datetime) -> PreservationEvent:
    """The PREMIS event of one signature examined at `moment`: who, the chain, the time
    and algorithms, and that it held."""
    validation = SignatureValidation(
        signer=report.signer,
        chain=tuple(Certificate(subject, sha) for subject, sha in report.chain),
        signing_time=report.signing_time,
        digest_algorithm=report.digest_algorithm,
        signature_algorithm=report.signature_mechanism,
        result=report.summary,
    )
    return PreservationEvent(
        SIGNATURE_VALIDATION,
        moment,
        f"Signaturen {report.field!r} prövad: intakt, täcker {report.coverage}, "
        "undertecknaren leder till en betrodd rot och certifikatet gällde vid "
        "signeringen; det signerade dokumentet är protokollet som beslutsgen skapade.",
        "success",
        files=(MASTER,),
        signature=validation,
    )
