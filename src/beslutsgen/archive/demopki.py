"""A throwaway PKI for the demo and the tests: root CAs, signer and archive seal certificates.

Real protocols are signed through an e-signing service whose roots the profile trusts;
this exists so `make demo` can run render → sign → archive → verify, and so the tests can
make expired, untrusted and valid signers.

`Authority.make()` is a self-signed root; `authority.issue(...)` a signer certificate under
it, valid for the window asked for (expired and not-yet-valid ones included: pyHanko signs
with whatever key it is given and records "now" as the signing time). `Identity.write_p12`
gives the PKCS#12 file `beslutsgen sign` reads. EC P-256 keys: fast to make.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

ORGANISATION = "Region Provland (test)"
DEMO_PASSWORD = b"demo"


def name(common: str, organisation: str = ORGANISATION) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def human_friendly(common: str, organisation: str = ORGANISATION) -> str:
    """The subject as asn1crypto's `human_friendly` (and so beslutsgen's messages) show it."""
    return f"Common Name: {common}, Organization: {organisation}, Country: SE"


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass(frozen=True)
class Identity:
    """A signer: key, certificate, and the chain above it (root last)."""

    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...]

    @property
    def not_before(self) -> datetime:
        return self.cert.not_valid_before_utc

    @property
    def not_after(self) -> datetime:
        return self.cert.not_valid_after_utc

    def write_p12(self, path: Path, password: bytes | None) -> Path:
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(password)
            if password
            else serialization.NoEncryption()
        )
        path.write_bytes(
            pkcs12.serialize_key_and_certificates(
                b"signer", self.key, self.cert, list(self.chain), encryption
            )
        )
        return path


@dataclass(frozen=True)
class Authority:
    """A self-signed root CA."""

    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    @classmethod
    def make(cls, common: str = "Test rot-CA", organisation: str = ORGANISATION) -> Authority:
        now = datetime.now(UTC)
        key = ec.generate_private_key(ec.SECP256R1())
        subject = name(common, organisation)
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=3650))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_usage(ca=True), critical=True)
            .sign(key, hashes.SHA256())
        )
        return cls(key, cert)

    def write_pem(self, path: Path) -> Path:
        path.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))
        return path

    def issue(
        self,
        common: str,
        *,
        valid_from: timedelta = timedelta(days=-1),
        valid_to: timedelta = timedelta(days=365),
        organisation: str = ORGANISATION,
    ) -> Identity:
        """A signer certificate valid from now + `valid_from` to now + `valid_to`.
        Whole seconds: X.509 validity has no finer resolution."""
        now = datetime.now(UTC).replace(microsecond=0)
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            x509.CertificateBuilder()
            .subject_name(name(common, organisation))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now + valid_from)
            .not_valid_after(now + valid_to)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(ca=False), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        return Identity(key, cert, (self.cert,))

    def valid(self, common: str) -> Identity:
        return self.issue(common)

    def expired(self, common: str) -> Identity:
        """Valid for a year that ended a month ago."""
        return self.issue(common, valid_from=timedelta(days=-395), valid_to=timedelta(days=-30))

    def not_yet_valid(self, common: str) -> Identity:
        """Valid from next month."""
        return self.issue(common, valid_from=timedelta(days=30), valid_to=timedelta(days=395))


def write_demo(folder: Path, organisation: str) -> tuple[Path, Path, Path]:
    """A demo root (demo-ca.pem), the ordförande's key (ordforande.p12) and the archive
    seal (arkivsigill.p12) under it; both keys with the password "demo"."""
    folder.mkdir(parents=True, exist_ok=True)
    root = Authority.make("Demo rot-CA", organisation)
    signer = root.issue("Tomas Andreasson", organisation=organisation)
    seal = root.issue(f"{organisation} arkivsigill", organisation=organisation)
    return (
        root.write_pem(folder / "demo-ca.pem"),
        signer.write_p12(folder / "ordforande.p12", DEMO_PASSWORD),
        seal.write_p12(folder / "arkivsigill.p12", DEMO_PASSWORD),
    )
