"""PAdES signing and the checks a signed protocol must pass before it is archived.

Signing (`sign`) is for tests and small organisations; most protocols are signed by an
e-signing service, so the checks (`examine`) accept any PAdES signature. They answer,
each with its own refusal: is it signed at all, is every signature intact, does the
signed revision cover the file except permitted later updates, does the signer chain to
a trust root of the profile and was the certificate valid when it signed, is the
signed revision byte for byte a protocol beslutsgen generated, and is it PDF/A-2.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext

from beslutsgen.errors import Refused, UsageError

FIELD = "Justering"
_PDFA_PART = re.compile(rb"pdfaid:part(?:>|=\s*[\"'])\s*2\b")


def quiet_pyhanko() -> None:
    """pyHanko explains what it finds through logging; beslutsgen's refusals say it in
    Swedish. Called where signing or validation starts (once is enough, again is harmless)."""
    logger = logging.getLogger("pyhanko")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
    logger.propagate = False


def load_signer(
    p12: Path, passphrase: bytes | None, variable: str, what: str = ""
) -> signers.SimpleSigner:
    """Key and certificate from a PKCS#12 file; `what` names it in the messages
    ("arkivsigillet"), `variable` the environment variable its password comes from."""
    quiet_pyhanko()
    subject = f"{what} " if what else ""
    try:
        signer: signers.SimpleSigner | None = signers.SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
            str(p12), passphrase=passphrase
        )
    except (OSError, ValueError) as exc:
        raise UsageError(f"{p12}: {subject}kan inte läsas som PKCS#12 ({exc})") from exc
    if signer is None:
        whose = f" för {what}" if what else ""
        raise UsageError(f"{p12}: fel lösenord{whose} ({variable}) eller ingen nyckel i filen")
    return signer


def sign(pdf: bytes, p12: Path, passphrase: bytes | None) -> bytes:
    """`pdf` with one more revision: an invisible PAdES signature by the key in `p12`."""
    signer = load_signer(p12, passphrase, "BESLUTSGEN_P12_PASSWORD")
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        existing = len(PdfFileReader(io.BytesIO(pdf)).embedded_signatures)
        field = FIELD if existing == 0 else f"{FIELD}{existing + 1}"
        meta = signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256")
        output: io.BytesIO = signers.sign_pdf(writer, meta, signer=signer)
        return output.getvalue()
    except PdfError as exc:
        raise UsageError(f"filen kan inte signeras: {exc}") from exc


def load_roots(paths: list[Path]) -> list[asn1_x509.Certificate]:
    """Trust roots from PEM or DER files."""
    roots = []
    for path in paths:
        try:
            found = list(load_certs_from_pemder([str(path)]))  # type: ignore[no-untyped-call]
        except (OSError, ValueError) as exc:
            raise UsageError(f"{path}: kan inte läsas som certifikat ({exc})") from exc
        if not found:
            raise UsageError(f"{path}: inget certifikat i filen")
        roots += found
    return roots


@dataclass(frozen=True)
class SignerReport:
    """What a valid signature says, recorded because the certificate will expire long
    before the archive does."""

    field: str
    signer: str
    chain: tuple[tuple[str, str], ...]  # (subject, SHA-256 fingerprint), signer first
    signing_time: datetime
    digest_algorithm: str
    signature_mechanism: str
    coverage: str
    summary: str


@dataclass(frozen=True)
class Examination:
    """A signed protocol that passed every check."""

    signed_revision: bytes  # the bytes the first signature was applied to
    sha256: str
    signatures: tuple[SignerReport, ...]


def examine(
    signed: bytes, roots: list[asn1_x509.Certificate], generated: dict[str, int]
) -> Examination:
    """Every check, in the order the refusals are worth knowing; the first failing one
    refuses. `generated` maps the SHA-256 of each protocol PDF beslutsgen made for the
    meeting to its size."""
    quiet_pyhanko()
    try:
        reader = PdfFileReader(io.BytesIO(signed), strict=False)
        embedded = reader.embedded_signatures
    except (PdfError, ValueError) as exc:
        raise Refused("pdf", f"filen kan inte läsas som PDF ({exc})") from exc
    if not embedded:
        raise Refused("inte signerad", "filen har ingen signatur")
    reports = tuple(_check_signature(sig, roots) for sig in embedded)
    if not _PDFA_PART.search(signed):  # PDF/A keeps its XMP uncompressed: readable as is
        raise Refused("inte PDF/A", "PDF/A-2-identifikationen (pdfaid:part 2) saknas")
    # An incremental signature only appends: the document as generated is a prefix of the
    # signed file, ending before the first signature's revision.
    byte_range = [int(n) for n in embedded[0].sig_object["/ByteRange"]]
    covered = byte_range[2] + byte_range[3]
    original = next(
        (
            signed[:size]
            for digest, size in generated.items()
            if size < covered and hashlib.sha256(signed[:size]).hexdigest() == digest
        ),
        None,
    )
    # ... and the first signature must be in the very next revision: nothing may have
    # been appended between the generated protocol and the signature.
    if original is not None:
        revisions = PdfFileReader(io.BytesIO(original), strict=False).xrefs.total_revisions
        if embedded[0].signed_revision != revisions:
            original = None
    if original is None:
        raise Refused(
            "annat dokument",
            "det signerade dokumentet är inte protokollet som beslutsgen skapade för "
            f"sammanträdet ({_none_of(len(generated))} är början av filen)",
        )
    return Examination(original, hashlib.sha256(original).hexdigest(), reports)


def _none_of(count: int) -> str:
    if count == 1:
        return "det renderade protokollet"
    return f"inget av de {count} renderade protokollen"


def _check_signature(sig: EmbeddedPdfSignature, roots: list[asn1_x509.Certificate]) -> SignerReport:
    claimed = sig.self_reported_timestamp
    if claimed is None:
        raise Refused("bruten signatur", f"signaturen {sig.field_name!r} saknar signeringstid")
    context = ValidationContext(
        trust_roots=roots,
        allow_fetching=False,
        revocation_mode="soft-fail",
        moment=claimed,
        best_signature_time=claimed,
    )
    name = sig.field_name or "?"
    try:
        status = validate_pdf_signature(sig, context)
    except (PdfError, ValueError) as exc:
        raise Refused("bruten signatur", f"signaturen {name!r} kan inte prövas ({exc})") from exc
    if not (status.intact and status.valid):
        raise Refused(
            "bruten signatur",
            f"signaturen {name!r} stämmer inte med innehållet: filen har ändrats i den del "
            "som signerades, eller signaturen är skadad",
        )
    level = status.modification_level
    if (level is not None and level > ModificationLevel.FORM_FILLING) or not status.docmdp_ok:
        raise Refused(
            "ändrad efter signering",
            f"filen har ändrats efter signaturen {name!r} på ett sätt som inte är tillåtet "
            f"({level.name if level else 'okänd ändring'})",
        )
    if not status.trusted:
        raise Refused(
            "ej betrodd undertecknare",
            _trust_problem(status, claimed),
        )
    cert = status.signing_cert
    chain = _chain(status)
    return SignerReport(
        field=name,
        signer=cert.subject.human_friendly,
        chain=chain,
        signing_time=claimed,
        digest_algorithm=status.md_algorithm,
        signature_mechanism=status.pkcs7_signature_mechanism,
        coverage=status.coverage.name if status.coverage else "",
        summary=status.summary(),
    )


def _trust_problem(status: PdfSignatureStatus, claimed: datetime) -> str:
    cert = status.signing_cert
    subject = cert.subject.human_friendly
    valid = cert["tbs_certificate"]["validity"]
    not_before = valid["not_before"].native
    not_after = valid["not_after"].native
    if claimed is not None and not (not_before <= claimed <= not_after):
        return (
            f"certifikatet för {subject} gällde {not_before:%Y-%m-%d}–{not_after:%Y-%m-%d}, "
            f"inte när det signerade {claimed:%Y-%m-%d %H:%M}"
        )
    return f"certifikatet för {subject} leder inte till någon betrodd rot i profilen"


def _chain(status: PdfSignatureStatus) -> tuple[tuple[str, str], ...]:
    path = status.validation_path
    certs = list(path) if path is not None else [status.signing_cert]
    ordered = list(reversed(certs))  # signer first
    return tuple((c.subject.human_friendly, hashlib.sha256(c.dump()).hexdigest()) for c in ordered)
