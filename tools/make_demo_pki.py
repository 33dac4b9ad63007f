"""A demo PKI for `make demo`: a root CA and the ordförande's signing key, made afresh.

Writes into the folder given (default output/demo-pki): demo-ca.pem (the trust root the
sample profile names) and ordforande.p12 (key and certificate, password "demo"). Real
organisations sign with their e-signing service; this only lets the demo run the whole
chain render → sign → archive → verify.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSWORD = b"demo"


def name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Region Jämtland Härjedalen (demo)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def usage(*, ca: bool) -> x509.KeyUsage:
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


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("Demo rot-CA"))
        .issuer_name(name("Demo rot-CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage(ca=True), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("Tomas Andreasson"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage(ca=False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    (folder / "demo-ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    bundle = pkcs12.serialize_key_and_certificates(
        b"ordforande", key, cert, [ca], serialization.BestAvailableEncryption(PASSWORD)
    )
    (folder / "ordforande.p12").write_bytes(bundle)
    print(folder / "demo-ca.pem")
    print(folder / "ordforande.p12")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "output/demo-pki"))
