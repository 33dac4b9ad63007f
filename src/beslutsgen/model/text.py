"""Text types for the YAML models: what a plain field, a rich field and a dnr may hold.

Every YAML string passes through one of these. They reject control characters
(they break Word XML and PDF text extraction silently) and normalise whitespace,
so renderers can treat text as data without guessing.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

from beslutsgen.model.richtext import Unrenderable, check_renderable

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\u2028\u2029]")
# Bidirectional embeddings, overrides and isolates (and the invisible direction marks):
# they reorder what a reader sees without changing what is stored ("Faktura \u202efdp.exe"
# reads as "Faktura exe.pdf"), so a decision could say one thing and show another.
_BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Runs of whitespace fold to one space; a no-break space (as in "2 192 000") is kept.
_SPACE_RUN = re.compile(r"[^\S\u00a0]+")
# Em spaces, ideographic spaces and the like (pasted from Word) read as plain spaces.
_ODD_SPACE = re.compile(r"[^\S\n\u00a0]")
_DNR = re.compile(r"^[0-9A-Za-zÅÄÖåäöÆØæøÜü][0-9A-Za-zÅÄÖåäöÆØæøÜü ./:_-]*$")


def refused_character(char: str) -> bool:
    """Whether validation refuses `char` wherever it is written (so nothing else need
    judge it, e.g. whether a font has a glyph for it)."""
    return bool(_CONTROL.match(char) or _BIDI.match(char))


def _reject_control(value: str) -> str:
    match = _CONTROL.search(value)
    if match:
        code = ord(match.group())
        raise ValueError(
            f"otillåtet styrtecken U+{code:04X} på position {match.start() + 1}; "
            "ta bort det (det syns inte men förstör dokumentet)"
        )
    match = _BIDI.search(value)
    if match:
        code = ord(match.group())
        raise ValueError(
            f"otillåtet riktningstecken U+{code:04X} på position {match.start() + 1}; "
            "ta bort det (det syns inte men vänder ordningen på texten som läsaren ser)"
        )
    return value


def clean_plain(value: str) -> str:
    """One line of text: control characters refused, runs of whitespace folded to one space."""
    value = _reject_control(value.replace("\t", " "))
    value = _SPACE_RUN.sub(" ", value).strip(" \u00a0")
    if not value:
        raise ValueError("får inte vara tom")
    return value


def clean_rich(value: str) -> str:
    """Rich text keeps its line structure (Markdown needs it) but no control characters,
    and nothing a renderer could not show whole."""
    value = _reject_control(value.replace("\r\n", "\n")).replace("\t", "    ")
    value = _ODD_SPACE.sub(" ", value)
    lines = [line.rstrip() for line in value.split("\n")]
    blank_before = next((i for i, line in enumerate(lines) if line.strip()), 0)
    value = "\n".join(lines).strip()
    if not value:
        raise ValueError("får inte vara tom")
    try:
        check_renderable(value)
    except Unrenderable as exc:  # its line counted in the text as written
        raise Unrenderable(exc.line + blank_before, str(exc)) from None
    return value


def clean_dnr(value: str) -> str:
    """A diarienummer as registrators write it ("RS/595/2023", "RS 552-2025"), nothing else."""
    value = clean_plain(value)
    if ".." in value or not _DNR.match(value) or len(value) > 40:
        shown = repr(value) if len(value) <= 60 else f"{value[:40]!r}… ({len(value)} tecken)"
        raise ValueError(
            f"ogiltigt diarienummer {shown}: använd bokstäver, siffror, mellanslag och / - . : _ "
            '(högst 40 tecken, inte ".."), t.ex. "RS/595/2023" eller "RS 552-2025"'
        )
    return value


PlainText = Annotated[
    str,
    AfterValidator(clean_plain),
    Field(json_schema_extra={"description_sv": "En rad text; visas ordagrant."}),
]
# Organisation, organ, avdelning, handläggare stand in the header or footer of every page,
# one line in a narrow column; a longer value would run into the body text.
FURNITURE_LIMIT = 150


def clean_furniture(value: str) -> str:
    """A plain value that is printed in the page furniture: short enough to fit there."""
    value = clean_plain(value)
    if len(value) > FURNITURE_LIMIT:
        raise ValueError(
            f"högst {FURNITURE_LIMIT} tecken (står i sidhuvudet eller sidfoten på varje sida), "
            f"här {len(value)}"
        )
    return value


FurnitureText = Annotated[
    str,
    AfterValidator(clean_furniture),
    Field(json_schema_extra={"description_sv": "En rad i sidhuvud eller sidfot; visas ordagrant."}),
]
RichText = Annotated[str, AfterValidator(clean_rich)]
Diarienummer = Annotated[str, AfterValidator(clean_dnr)]
