"""Text as a reader finds it in our DOCX and PDF files, for golden and parity tests."""

from __future__ import annotations

import io
import re
import zipfile

import pypdf
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PT_PER_MM = 72 / 25.4
HEADER_MM, FOOTER_MM = 35, 25
_BROKEN_HYPHEN = re.compile(r"(?<=\w)-[ \t]*\n[ \t]*(?=\w)")


class _Numbering:
    """List labels as Word draws them ("1.", "•"), so DOCX text matches what a reader sees."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.levels: dict[str, dict[str, tuple[str, str]]] = {}
        self.starts: dict[str, dict[str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        if "word/numbering.xml" not in archive.namelist():
            return
        root = etree.fromstring(archive.read("word/numbering.xml"))
        abstract = {}
        for node in root.iter(f"{W}abstractNum"):
            abstract[node.get(f"{W}abstractNumId")] = {
                lvl.get(f"{W}ilvl"): (
                    lvl.find(f"{W}numFmt").get(f"{W}val"),
                    lvl.find(f"{W}lvlText").get(f"{W}val"),
                )
                for lvl in node.iter(f"{W}lvl")
            }
        for num in root.iter(f"{W}num"):
            num_id = num.get(f"{W}numId")
            self.levels[num_id] = abstract[num.find(f"{W}abstractNumId").get(f"{W}val")]
            self.starts[num_id] = {
                o.get(f"{W}ilvl"): int(o.find(f"{W}startOverride").get(f"{W}val"))
                for o in num.iter(f"{W}lvlOverride")
                if o.find(f"{W}startOverride") is not None
            }

    def label(self, p: etree._Element) -> str:
        num_pr = p.find(f"{W}pPr/{W}numPr")
        if num_pr is None or num_pr.find(f"{W}numId") is None:
            return ""
        num_id = num_pr.find(f"{W}numId").get(f"{W}val")
        ilvl_node = num_pr.find(f"{W}ilvl")
        ilvl = ilvl_node.get(f"{W}val") if ilvl_node is not None else "0"
        if num_id == "0" or num_id not in self.levels:
            return ""
        fmt, text = self.levels[num_id][ilvl]
        if fmt == "bullet":
            return text + " "
        level = int(ilvl)
        counters = self.counters.setdefault(num_id, [0] * 9)
        if counters[level] == 0:
            counters[level] = self.starts[num_id].get(ilvl, 1)
        else:
            counters[level] += 1
        for deeper in range(level + 1, 9):
            counters[deeper] = 0
        return text.replace(f"%{level + 1}", str(counters[level])) + " "


def docx_paragraphs(data: bytes) -> list[str]:
    """Body paragraphs in reading order with their list labels, table cells included;
    header and footer left out."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
        numbering = _Numbering(archive)
    paragraphs = []
    for p in root.iter(f"{W}p"):
        parts = [numbering.label(p)]
        for node in p.iter(f"{W}t", f"{W}br", f"{W}tab"):
            if node.tag == f"{W}t":
                parts.append(node.text or "")
            elif node.tag == f"{W}br":
                parts.append("\n")
            else:
                parts.append("\t")
        text = "".join(parts)
        if text.strip():
            paragraphs.append(text)
    return paragraphs


def docx_body_text(data: bytes) -> str:
    return "\n".join(docx_paragraphs(data))


def docx_part_text(data: bytes, part: str) -> str:
    """All text in one part, e.g. word/header1.xml."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read(part))
    return "".join(t.text or "" for t in root.iter(f"{W}t"))


def _page_body(page: pypdf.PageObject) -> str:
    height = float(page.mediabox.height)
    top = height - HEADER_MM * PT_PER_MM
    bottom = FOOTER_MM * PT_PER_MM
    parts: list[str] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if bottom < y < top:
            parts.append(text)

    page.extract_text(visitor_text=visit)
    return "".join(parts)


def pdf_body_text(data: bytes) -> str:
    """Text inside the page margins: header and footer (page furniture) left out."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(_page_body(page) for page in reader.pages)


def pdf_full_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def normalise(text: str) -> str:
    """Whitespace folded and line-end hyphen breaks joined: what both formats share."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    text = _BROKEN_HYPHEN.sub("-", text)
    return " ".join(text.split())
