"""Does the package's descriptive metadata describe the protocol that was signed?

arende.xml says which organ met when and which §§ the protocol has; the signed master
says so itself: its document title is "Protokoll <organ> <datum>" (beslutsgen writes it,
PDF/A keeps it in the XMP and the document information) and each § starts with a heading
"§ <nummer> <rubrik>". A package whose metadata was made for another protocol, or whose
protocol was swapped for another one, disagrees here even when every checksum matches.
"""

from __future__ import annotations

import io
import re

import pypdf
from lxml import etree

from beslutsgen.archive.contents import ARKIV_NS, DESCRIPTIVE
from beslutsgen.archive.sip_profile import parse

_A = f"{{{ARKIV_NS}}}"
_TITLE = re.compile(r"^Protokoll (?P<organ>.+) (?P<datum>\d{4}-\d{2}-\d{2})$")
_HEADING = re.compile(r"^§ (\d+) \S", re.MULTILINE)


def _described(data: bytes) -> tuple[str, str, list[int]] | str:
    """(organ, datum, §§) from arende.xml, or why it cannot be read."""
    try:
        root = parse(data)
    except etree.XMLSyntaxError as exc:
        return f"går inte att läsa som XML ({exc})"
    organ = root.findtext(f"{_A}organ") or ""
    datum = root.findtext(f"{_A}sammantrade/{_A}datum") or ""
    numbers = [int(p.get("nummer", "0")) for p in root.findall(f"{_A}paragraf")]
    return organ, datum, numbers


def _stated(pdf: bytes) -> tuple[str, str, list[int]] | str:
    """(organ, datum, §§) from the protocol itself, or why it cannot be read."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(pdf), strict=False)
        metadata = reader.metadata
        title = str(metadata.get("/Title") or "") if metadata is not None else ""
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (pypdf.errors.PyPdfError, ValueError, KeyError) as exc:
        return f"protokollet kan inte läsas ({exc})"
    found = _TITLE.match(title.strip())
    if found is None:
        return f"protokollets titel {title!r} anger inte organ och datum"
    numbers = [int(n) for n in _HEADING.findall(text)]
    return found["organ"], found["datum"], list(dict.fromkeys(numbers))


def _span(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers) or "inga"


def disagreements(descriptive: bytes, master: bytes, master_name: str) -> list[str]:
    """One line per way arende.xml and the signed protocol disagree."""
    described, stated = _described(descriptive), _stated(master)
    if isinstance(described, str):
        return [f"{DESCRIPTIVE}: {described}"]
    if isinstance(stated, str):
        return [f"{master_name}: {stated}"]
    findings = []
    for what, ours, theirs in (
        ("organ", described[0], stated[0]),
        ("datum", described[1], stated[1]),
    ):
        if ours != theirs:
            findings.append(
                f"{DESCRIPTIVE}: {what} är {ours!r}, det signerade protokollet säger {theirs!r}"
            )
    if described[2] != stated[2]:
        findings.append(
            f"{DESCRIPTIVE}: §§ {_span(described[2])}, det signerade protokollet har "
            f"§§ {_span(stated[2])}"
        )
    return findings
