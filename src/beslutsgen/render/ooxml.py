"""Small helpers for WordprocessingML packages that python-docx has no API for."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from docx.opc.package import OpcPackage
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

ZIP_EPOCH = datetime(1980, 1, 1)


def element(tag: str, **attrs: str) -> etree._Element:
    """A w: element with w: attributes, e.g. element("w:lang", val="sv-SE")."""
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def save_package(package: OpcPackage, when: datetime = ZIP_EPOCH) -> bytes:
    """The package as .docx bytes that depend only on its content.

    python-docx's own save stamps every zip entry with the current time; this writes
    the same entries (content types first, as readers expect) with a fixed date.
    """
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()  # type: ignore[no-untyped-call]
    stamp = when.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:

        def put(name: str, blob: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, blob, compresslevel=6)

        types = _ContentTypesItem.from_parts(parts)  # type: ignore[no-untyped-call]
        put("[Content_Types].xml", types.blob)
        put("_rels/.rels", package.rels.xml)
        for part in parts:
            put(part.partname.membername, part.blob)
            if len(part.rels):
                put(part.partname.rels_uri.membername, part.rels.xml)
    return out.getvalue()
