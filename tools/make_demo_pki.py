"""A demo PKI for `make demo`: a root CA and the ordförande's signing key, made afresh.

Writes into the folder given (default output/demo-pki): demo-ca.pem (the trust root the
sample profile names), ordforande.p12 (the ordförande's key and certificate) and
arkivsigill.p12 (the archive seal the profile's arkiv.sigill names); passwords "demo".
"""

from __future__ import annotations

import sys
from pathlib import Path

from beslutsgen.archive.demopki import write_demo

if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "output/demo-pki")
    for path in write_demo(folder, "Region Jämtland Härjedalen (demo)"):
        print(path)
