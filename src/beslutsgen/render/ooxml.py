"""Small helpers for WordprocessingML packages that python-docx has no API for."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from docx.opc.package import OpcPackage
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

ZIP_EPOCH = datetime(1980, 1, 1)
ZIP_LAST = datetime(2107, 12, 31, 23, 59, 58)
DEFLATE_LEVEL = 6
_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_UTF8_NAME = 0x800
_VERSION = 20  # 2.0: deflate
_MADE_BY = 3 << 8 | _VERSION  # Unix, so the permission bits below mean something
_PERMISSIONS = 0o644 << 16


def element(tag: str, **attrs: str) -> etree._Element:
    """A w: element with w: attributes, e.g. element("w:lang", val="sv-SE")."""
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


@dataclass(frozen=True)
class Member:
    """One zip entry, already deflated: its name, CRC-32, size and raw deflate stream."""

    name: str
    crc: int
    size: int
    deflated: bytes


def deflate(name: str, blob: bytes) -> Member:
    packer = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return Member(name, zlib.crc32(blob), len(blob), packer.compress(blob) + packer.flush())


class DeflatedPart(Part):
    """A part whose bytes never change (an embedded font): deflated once, when it is made,
    and copied as is into every package that contains it."""

    def __init__(self, partname: str, content_type: str, blob: bytes, member: Member) -> None:
        super().__init__(PackURI(partname), content_type, blob)
        self.member = replace(member, name=self.partname.membername)


def save_package(package: OpcPackage, when: datetime = ZIP_EPOCH) -> bytes:
    """The package as .docx bytes that depend only on its content.

    python-docx's own save stamps every zip entry with the current time; this writes
    the same entries (content types first, as readers expect) with a fixed date, and
    takes a `DeflatedPart` as it was deflated instead of deflating it again.
    """
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()  # type: ignore[no-untyped-call]
    types = _ContentTypesItem.from_parts(parts)  # type: ignore[no-untyped-call]
    members = [deflate("[Content_Types].xml", types.blob), deflate("_rels/.rels", package.rels.xml)]
    for part in parts:
        name = part.partname.membername
        members.append(part.member if isinstance(part, DeflatedPart) else deflate(name, part.blob))
        if len(part.rels):
            members.append(deflate(part.partname.rels_uri.membername, part.rels.xml))
    return zip_bytes(members, when)


def zip_bytes(members: Iterable[Member], when: datetime) -> bytes:
    """A zip of deflated members, every one dated `when` (local time, 2-second steps;
    a zip can tell only 1980–2107)."""
    when = min(max(when.replace(tzinfo=None), ZIP_EPOCH), ZIP_LAST)
    day = (when.year - 1980) << 9 | when.month << 5 | when.day
    clock = when.hour << 11 | when.minute << 5 | when.second // 2
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for member in members:
        name = member.name.encode("utf-8")
        flags = 0 if name.isascii() else _UTF8_NAME
        if len(central) == 0xFFFF or offset + len(member.deflated) > 0xFFFFFFFF:
            raise ValueError("the package is too large for a zip without ZIP64")
        sizes = (member.crc, len(member.deflated), member.size, len(name))
        common = (flags, zlib.DEFLATED, clock, day, *sizes)
        chunks += (_LOCAL.pack(b"PK\x03\x04", _VERSION, *common, 0), name, member.deflated)
        entry = (b"PK\x01\x02", _MADE_BY, _VERSION, *common, 0, 0, 0, 0, _PERMISSIONS, offset)
        central.append(_CENTRAL.pack(*entry) + name)
        offset += _LOCAL.size + len(name) + len(member.deflated)
    directory = b"".join(central)
    count = len(central)
    end = _END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)
    return b"".join((*chunks, directory, end))
