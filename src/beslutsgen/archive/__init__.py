"""The archive: a signed protocol checked, packaged for e-arkiv, sealed, kept, re-verified.

In: a signed protocol PDF, its meeting (load/, with the bilaga files of its ärenden as
checked there), the profile's trust roots and archive seal, the render register (which
PDFs beslutsgen generated), and the time and seal password from the caller.
Out: one write-once FGS/E-ARK package per meeting — METS (`mets`), PREMIS (`premis`),
the contents and their checks (`contents`), written by `package`, the METS sealed
(`seal`) and registered in a hash chain (`register`) — and, from `verify`, a report of
whatever no longer matches (`audit`). `underlag` gathers each ärende's tjänsteskrivelse
and bilaga files for the package; `signing` signs and examines PDF signatures,
`sip_profile` holds the SIP profile's assertions, `protocol` reads a signed protocol
back, `demopki` makes the demo PKI.
"""

from beslutsgen.archive.audit import Verification, verify
from beslutsgen.archive.ingest import Archived, archive
from beslutsgen.archive.signing import examine, sign

__all__ = ["Archived", "Verification", "archive", "examine", "sign", "verify"]
