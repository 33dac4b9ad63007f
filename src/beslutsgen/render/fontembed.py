"""Fonts embedded in a DOCX as Word embeds them (ECMA-376 Part 1, §17.8.1 and §17.8.3.3).

Each face is a part `word/fonts/fontN.odttf`, related from word/fontTable.xml, whose
`w:font` names it in `w:embedRegular` … `w:embedBoldItalic` with the relationship and a
`w:fontKey` GUID. The part holds the font file with its first 32 bytes XOR-ed with the
key's 16 bytes taken in reverse order (the GUID 001B70DC-AA60-4AD5-90EC-18A0948E1EAE
gives the key AE 1E 8E 94 A0 18 EC 90 D5 4A 60 AA DC 70 1B 00): bytes 0–15 and 16–31
once each. The same XOR undoes it.

The parts are the same in every document, so they are made once per process: the key
comes from the file's SHA-256 (the same font, the same key, the same bytes) and the
obfuscated bytes are deflated once (`ooxml.DeflatedPart`).
"""

from __future__ import annotations

import hashlib
import struct
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from beslutsgen.model import fonts
from beslutsgen.render.ooxml import Member, deflate
from beslutsgen.render.wordml import R, W

FAMILY = fonts.BODY_FAMILIES[0]
# fontTable.xml's element for each face, in the order of fonts.DOCX_FACES.
SLOTS = ("embedRegular", "embedBold", "embedItalic", "embedBoldItalic")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
RELATIONSHIP = f"{R}/font"
# A fixed namespace: a key is the name-based UUID of "sha256:<the file's digest>" in it.
_KEY_SPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://beslutsgen/docx/embedded-font")
_OBFUSCATED = 32
_SANS_SERIF_STYLES = range(11, 14)  # PANOSE bSerifStyle: normal, obtuse, perpendicular sans


@dataclass(frozen=True)
class Face:
    """One embedded face: its fontTable element name, key and the zip member of its part."""

    slot: str
    key: str
    partname: str
    obfuscated: bytes
    member: Member


@dataclass(frozen=True)
class Family:
    """A family as fontTable.xml describes it, with its embedded faces."""

    name: str
    panose: str
    family: str
    signature: dict[str, str]
    faces: tuple[Face, ...]


def font_key(data: bytes) -> str:
    """The GUID that obfuscates a font file, in Word's form ({XXXXXXXX-…}), from its bytes."""
    name = "sha256:" + hashlib.sha256(data).hexdigest()
    return "{" + str(uuid.uuid5(_KEY_SPACE, name)).upper() + "}"


def key_bytes(key: str) -> bytes:
    """The 16 bytes XOR-ed into a font: the GUID's hex digit pairs, last pair first."""
    digits = key.strip("{}").replace("-", "")
    if len(digits) != 32:
        raise ValueError(f"not a GUID: {key!r}")
    return bytes.fromhex(digits)[::-1]


def obfuscate(data: bytes, key: str) -> bytes:
    """The font as an .odttf part stores it; applied to an .odttf it gives the font back."""
    mask = key_bytes(key) * 2
    head = bytes(a ^ b for a, b in zip(data[:_OBFUSCATED], mask, strict=False))
    return head + data[_OBFUSCATED:]


@cache
def bundled_family() -> Family:
    """The body family of the install, ready to embed (made once per process)."""
    faces = []
    for index, (slot, path) in enumerate(zip(SLOTS, fonts.docx_face_files(), strict=True)):
        data = path.read_bytes()
        key = font_key(data)
        obfuscated = obfuscate(data, key)
        partname = f"/word/fonts/font{index + 1}.odttf"
        faces.append(Face(slot, key, partname, obfuscated, deflate(partname[1:], obfuscated)))
    panose, family, signature = _describe(fonts.docx_face_files()[0])
    return Family(FAMILY, panose, family, signature, tuple(faces))


def _describe(path: Path) -> tuple[str, str, dict[str, str]]:
    """PANOSE, Word's family kind and the Unicode/code-page signature from the OS/2 table,
    so Word can pick a close substitute where it will not use the embedded face."""
    data = path.read_bytes()
    (count,) = struct.unpack_from(">H", data, 4)
    records = (struct.unpack_from(">4sLLL", data, 12 + 16 * i) for i in range(count))
    offset = next(off for tag, _, off, _ in records if tag == b"OS/2")
    panose = data[offset + 32 : offset + 42]
    ranges = struct.unpack_from(">4L", data, offset + 42)
    pages = struct.unpack_from(">2L", data, offset + 78)
    names = ("usb0", "usb1", "usb2", "usb3", "csb0", "csb1")
    signature = {name: f"{value:08X}" for name, value in zip(names, (*ranges, *pages), strict=True)}
    family = "swiss" if panose[1] in _SANS_SERIF_STYLES else "auto"
    return panose.hex().upper(), family, signature


def add_font_entry(table: etree._Element, family: Family, rel_ids: tuple[str, ...]) -> None:
    """Put the `w:font` of `family` into fontTable.xml's root, naming its embedded faces by
    relationship; an entry of the same name that was there is replaced in place."""
    font = etree.Element(f"{{{W}}}font")
    old = [f for f in table.iter(f"{{{W}}}font") if f.get(f"{{{W}}}name") == family.name]
    if old:
        old[0].addprevious(font)
        for entry in old:
            table.remove(entry)
    else:
        table.append(font)
    font.set(f"{{{W}}}name", family.name)

    def child(tag: str, **attrs: str) -> etree._Element:
        el = etree.SubElement(font, f"{{{W}}}{tag}")
        for key, value in attrs.items():
            el.set(f"{{{W}}}{key}", value)
        return el

    child("panose1", val=family.panose)
    child("charset", val="00")
    child("family", val=family.family)
    child("pitch", val="variable")
    child("sig", **family.signature)
    for face, rel_id in zip(family.faces, rel_ids, strict=True):
        child(face.slot, fontKey=face.key).set(f"{{{R}}}id", rel_id)
