"""Text types for the YAML models: what a plain field, a rich field and a dnr may hold.

Every YAML string passes through one of these. They reject control characters
(they break Word XML and PDF text extraction silently) and normalise whitespace,
so renderers can treat text as data without guessing.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\u2028\u2029]")
# Runs of whitespace fold to one space; a no-break space (as in "2 192 000") is kept.
_SPACE_RUN = re.compile(r"[^\S\u00a0]+")
# Em spaces, ideographic spaces and the like (pasted from Word) read as plain spaces.
_ODD_SPACE = re.compile(r"[^\S\n\u00a0]")
_DNR = re.compile(r"^[0-9A-Za-zÅÄÖåäöÆØæøÜü][0-9A-Za-zÅÄÖåäöÆØæøÜü ./:_-]*$")


def _reject_control(value: str) -> str:
    match = _CONTROL.search(value)
    if match:
        code = ord(match.group())
        raise ValueError(
            f"otillåtet styrtecken U+{code:04X} på position {match.start() + 1}; "
            "ta bort det (det syns inte men förstör dokumentet)"
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
    """Rich text keeps its line structure (Markdown needs it) but no control characters."""
    value = _reject_control(value.replace("\r\n", "\n")).replace("\t", "    ")
    value = _ODD_SPACE.sub(" ", value)
    lines = [line.rstrip() for line in value.strip("\n").split("\n")]
    value = "\n".join(lines).strip()
    if not value:
        raise ValueError("får inte vara tom")
    return value


def clean_dnr(value: str) -> str:
    """A diarienummer as registrators write it ("RS/595/2023", "RS 552-2025"), nothing else."""
    value = clean_plain(value)
    if ".." in value or not _DNR.match(value) or len(value) > 40:
        raise ValueError(
            f"ogiltigt diarienummer {value!r}: använd bokstäver, siffror, mellanslag och / - . : _ "
            '(högst 40 tecken, inte ".."), t.ex. "RS/595/2023" eller "RS 552-2025"'
        )
    return value


PlainText = Annotated[
    str,
    AfterValidator(clean_plain),
    Field(json_schema_extra={"description_sv": "En rad text; visas ordagrant."}),
]
RichText = Annotated[str, AfterValidator(clean_rich)]
Diarienummer = Annotated[str, AfterValidator(clean_dnr)]
