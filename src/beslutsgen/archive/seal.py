"""The archive seal: a detached CMS signature over each package's METS.xml.

METS.xml names every file of the package with its SHA-256 (the representation's METS too,
which names the data files), so a valid seal over its bytes vouches for the whole package.
The seal is made with the organisation's archive seal certificate (`arkiv.sigill` in the
profile) when the package is written, kept beside METS as METS.xml.p7s (DER), and checked
by `verify` offline against the trust roots recorded when the package was archived: who
swaps a file and fixes the checksums (and the register) cannot make a new seal without
the seal's key.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from pyhanko.sign import signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko_certvalidator import ValidationContext

from beslutsgen.archive.signing import load_signer, quiet_pyhanko
from beslutsgen.errors import UsageError

SIGILL_PASSWORD_VARIABLE = "BESLUTSGEN_SIGILL_PASSWORD"


def load_sealer(p12: Path, password: bytes | None) -> signers.SimpleSigner:
    """The archive seal's key and certificate from a PKCS#12 file."""
    return load_signer(p12, password, SIGILL_PASSWORD_VARIABLE, "arkivsigillet")


def make_seal(signer: signers.SimpleSigner, data: bytes, when: datetime) -> bytes:
    """A detached CMS SignedData (DER) over `data`, stating `when` as its signing time."""
    quiet_pyhanko()
    attributes = PdfCMSSignedAttributes(signing_time=when)
    try:
        signed = asyncio.run(
            signer.async_sign_general_data(
                data, "sha256", detached=True, signed_attr_settings=attributes
            )
        )
    except SigningError as exc:
        raise UsageError(f"arkivsigillet kan inte skapas: {exc}") from exc
    return bytes(signed.dump())


@dataclass(frozen=True)
class Seal:
    """A valid seal: who made it and when it says it did."""

    signer: str
    signing_time: datetime
    sha256: str  # of the seal file


class SealError(Exception):
    """The seal does not vouch for METS.xml; the message says why, in Swedish."""


def check_seal(data: bytes, seal: bytes, roots: list[asn1_x509.Certificate]) -> Seal:
    """The seal over `data`, validated against `roots` at the time it states; SealError
    when it is unreadable, does not match, or its certificate is not trusted then."""
    quiet_pyhanko()
    signed_data = _signed_data(seal)
    infos = signed_data["signer_infos"]
    if len(infos) != 1:
        raise SealError(f"sigillet har {len(infos)} undertecknare, ska ha 1")
    claimed = _signing_time(infos[0])
    context = ValidationContext(
        trust_roots=roots,
        allow_fetching=False,
        revocation_mode="soft-fail",
        moment=claimed,
        best_signature_time=claimed,
    )
    try:
        status = asyncio.run(async_validate_detached_cms(data, signed_data, context))
    except (ValueError, SigningError) as exc:
        raise SealError(f"sigillet kan inte prövas ({exc})") from exc
    if not (status.intact and status.valid):
        raise SealError("sigillet stämmer inte med METS.xml: METS har ändrats efter förseglingen")
    subject = status.signing_cert.subject.human_friendly
    if not status.trusted:
        validity = status.signing_cert["tbs_certificate"]["validity"]
        start, end = validity["not_before"].native, validity["not_after"].native
        if not start <= claimed <= end:
            raise SealError(
                f"sigillets certifikat för {subject} gällde {start:%Y-%m-%d}–{end:%Y-%m-%d}, "
                f"inte när paketet förseglades {claimed:%Y-%m-%d %H:%M}"
            )
        raise SealError(
            f"sigillets certifikat för {subject} leder inte till någon betrodd rot i registret"
        )
    return Seal(subject, claimed, hashlib.sha256(seal).hexdigest())


def _signed_data(seal: bytes) -> cms.SignedData:
    try:
        info = cms.ContentInfo.load(seal)
        if info["content_type"].native != "signed_data":
            raise ValueError(info["content_type"].native)
        signed: cms.SignedData = info["content"]
        signed.native  # noqa: B018 -- parses every part now, not half-way through checking
    except (ValueError, TypeError, KeyError) as exc:
        raise SealError("sigillet kan inte läsas som CMS-signatur (PKCS#7)") from exc
    return signed


def _signing_time(info: cms.SignerInfo) -> datetime:
    for attribute in info["signed_attrs"]:
        if attribute["type"].native == "signing_time":
            moment: datetime = attribute["values"][0].native
            return moment
    raise SealError("sigillet saknar signeringstid")
