"""Small helpers for WordprocessingML that python-docx has no API for."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def element(tag: str, **attrs: str) -> etree._Element:
    """A w: element with w: attributes, e.g. element("w:lang", val="sv-SE")."""
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def deterministic_zip(data: bytes, when: datetime | None = None) -> bytes:
    """Re-pack a DOCX so its bytes depend only on its content: fixed dates, stable order.

    [Content_Types].xml stays first (some readers sniff it); the rest is sorted.
    """
    stamp = when.timetuple()[:6] if when else ZIP_EPOCH
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    ordered = [n for n in names if n == "[Content_Types].xml"] + sorted(
        n for n in names if n != "[Content_Types].xml"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name), compresslevel=6)
    return out.getvalue()
