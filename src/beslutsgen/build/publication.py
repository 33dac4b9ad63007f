"""The rendition for publication: the same document with every personnummer masked.

A protocol may name a person by personnummer (a complaint, an appointment); the
archived master keeps it, the rendition published on the web must not (DOMAIN.md).
Masking keeps the date part and replaces the last four digits: "640823-XXXX", which
still tells a reader a personnummer stood there.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from beslutsgen.build.document import (
    Block,
    Document,
    Fields,
    Heading,
    ListBlock,
    Paragraph,
    Run,
    Runs,
    Signature,
    Signatures,
    Table,
)

# 6 or 8 date digits, an optional - or + (or a space), four digits; not part of a longer
# number. Samordningsnummer add 60 to the day.
_CANDIDATE = re.compile(r"(?<![\d-])(\d{2})?(\d{2})(\d{2})(\d{2})([-+ ]?)(\d{4})(?![\d-])")
MASK = "XXXX"


def _is_date(century: str | None, year: str, month: str, day: str) -> bool:
    """A birth date (or a samordningsnummer's day + 60); a 10-digit number is one if it is
    a date in either century (000229 is 29 February 2000, not a non-date of 1900)."""
    number = int(day)
    if number > 60:
        number -= 60  # samordningsnummer
    for prefix in [century] if century else ["19", "20"]:
        try:
            date(int(prefix + year), int(month), number)
        except ValueError:
            continue
        return True
    return False


def mask_personnummer(text: str) -> str:
    """Every personnummer and samordningsnummer in `text` with its last four digits masked."""

    def mask(match: re.Match[str]) -> str:
        century, year, month, day, separator, _ = match.groups()
        if not _is_date(century, year, month, day):
            return match.group(0)
        return f"{century or ''}{year}{month}{day}{separator}{MASK}"

    return _CANDIDATE.sub(mask, text)


def masked(document: Document) -> Document:
    """`document` with every personnummer masked, in body, furniture and properties."""
    meta = document.meta
    meta = replace(
        meta,
        title=mask_personnummer(meta.title),
        subject=mask_personnummer(meta.subject),
    )
    return Document(meta, tuple(_block(b) for b in document.blocks))


def _runs(runs: Runs) -> Runs:
    return tuple(Run(mask_personnummer(r.text), r.bold, r.italic) for r in runs)


def _block(block: Block) -> Block:
    if isinstance(block, Heading):
        return Heading(block.level, _runs(block.runs))
    if isinstance(block, Paragraph):
        return Paragraph(_runs(block.runs), block.style)
    if isinstance(block, ListBlock):
        items = tuple(tuple(_block(b) for b in item) for item in block.items)
        return ListBlock(block.ordered, items, block.start)
    if isinstance(block, Table):
        return Table(
            tuple(_runs(c) for c in block.header),
            tuple(tuple(_runs(c) for c in row) for row in block.rows),
            block.align,
            block.widths,
        )
    if isinstance(block, Signatures):
        return Signatures(
            tuple(
                Signature(mask_personnummer(p.name), mask_personnummer(p.title))
                for p in block.people
            )
        )
    if isinstance(block, Fields):
        return Fields(tuple((_runs(label), _runs(value)) for label, value in block.rows))
    return block
