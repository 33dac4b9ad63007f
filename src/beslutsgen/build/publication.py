"""The rendition for publication: the same document with every personnummer and
e-mail address masked, and the §§ that are not to be published reduced to their heading.

A protocol may name a person by personnummer (a complaint, an appointment); the
archived master keeps it, the rendition published on the web must not (DOMAIN.md).
Masking keeps the date part and replaces the last four digits: "640823-XXXX", which
still tells a reader a personnummer stood there. An e-mail address (a person's, as a
rule) becomes "[e-postadress]". A § under sekretess (or marked `publiceras: false`)
keeps its number, heading and diarienummer and says why its text is left out; the
templates never see the rest, so an overridden template cannot publish it either.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

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


# An e-mail address as text holds one: a local part, @, a domain with at least one dot.
_EPOST = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@(?:[\w-]+\.)+[\w-]+")
EPOST_MASK = "[e-postadress]"


def mask_epost(text: str) -> str:
    """Every e-mail address in `text` replaced by "[e-postadress]"."""
    return _EPOST.sub(EPOST_MASK, text)


def for_publication(text: str) -> str:
    """`text` as it may be published: personnummer and e-mail addresses masked."""
    return mask_epost(mask_personnummer(text))


def masked(document: Document) -> Document:
    """`document` with every personnummer and e-mail address masked, in body, furniture
    and properties."""
    meta = document.meta
    meta = replace(
        meta,
        title=for_publication(meta.title),
        subject=for_publication(meta.subject),
        author=for_publication(meta.author),
        organ=for_publication(meta.organ),
        sender=tuple(for_publication(line) for line in meta.sender),
    )
    return Document(meta, tuple(_block(b) for b in document.blocks))


# What a § left out of the publication keeps: enough to say which § and what about.
KEPT = ("nummer", "rubrik", "diarienummer", "omedelbart_justerad", "justerad", "anslag",
        "sista_dag")


def left_out(sekretess: str | None, forvaringsplats: str) -> str:
    """Why a § is not published, in the words the protocol and the anslagstavla show."""
    if sekretess:
        return f"Paragrafen publiceras inte här: den omfattas av sekretess enligt {sekretess}."
    where = f" Protokollet finns hos {forvaringsplats}." if forvaringsplats else ""
    return f"Paragrafens text publiceras inte här.{where}"


def publication_context(context: dict[str, Any], why: dict[int, str]) -> dict[str, Any]:
    """The meeting's template context with each § in `why` (by number) emptied but for
    its heading, and the reason it is left out."""
    items = []
    for item in context["paragrafer"]:
        reason = why.get(item["nummer"])
        items.append(item if reason is None else {**_emptied(item), "utelämnad": reason})
    return {**context, "paragrafer": items}


def _emptied(item: dict[str, Any]) -> dict[str, Any]:
    def empty(value: object) -> object:
        if isinstance(value, bool):
            return False
        if isinstance(value, str):
            return ""
        return [] if isinstance(value, list) else None

    return {key: value if key in KEPT else empty(value) for key, value in item.items()}


def _runs(runs: Runs) -> Runs:
    return tuple(Run(for_publication(r.text), r.bold, r.italic) for r in runs)


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
                Signature(for_publication(p.name), for_publication(p.title))
                for p in block.people
            )
        )
    if isinstance(block, Fields):
        return Fields(tuple((_runs(label), _runs(value)) for label, value in block.rows))
    return block
