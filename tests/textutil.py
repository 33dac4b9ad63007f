"""Text as a reader finds it in our DOCX and PDF files, for golden and parity tests."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import pypdf
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# PDF lines may wrap after a hyphen, dash, slash or backslash, where the DOCX has either
# nothing or a space; dropping whitespace after those marks on both sides makes the
# comparison independent of where the PDF happened to break a line.
_AFTER_MARK = re.compile(r"(?<=[-‐–—/\\])\s+")


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


R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def docx_furniture_part(data: bytes, kind: str, first_page: bool = True) -> str:
    """The zip name of the header or footer part (`kind` "header"/"footer") Word shows on
    page 1 (`first_page`) or on the following pages, as the body's section properties say."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = etree.fromstring(archive.read("word/document.xml")).find(f"{W}body")
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
    sect = body.find(f"{W}sectPr")
    wanted = "first" if first_page and sect.find(f"{W}titlePg") is not None else "default"
    refs = {
        ref.get(f"{W}type"): ref.get(f"{R}id") for ref in sect.iter(f"{W}{kind}Reference")
    }
    targets = {rel.get("Id"): rel.get("Target") for rel in rels.iter(f"{PKG_REL}Relationship")}
    return "word/" + targets[refs[wanted]].lstrip("/").removeprefix("word/")


def docx_part_paragraphs(data: bytes, part: str, fields: dict[str, str] | None = None) -> list[str]:
    """Paragraph texts of one part (tabs kept). A field (PAGE, NUMPAGES …) is shown as
    `fields[instruction]` when given, else as "{INSTRUCTION}", never as its cached result."""
    fields = fields or {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read(part))
    out = []
    for p in root.iter(f"{W}p"):
        parts: list[str] = []
        instr: list[str] | None = None  # inside begin…separate: collecting the instruction
        in_result = False  # inside separate…end: the cached result, replaced
        for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}fldChar", f"{W}instrText",
                           f"{W}fldSimple"):
            if node.tag == f"{W}fldChar":
                kind = node.get(f"{W}fldCharType")
                if kind == "begin":
                    instr = []
                elif kind == "separate":
                    in_result = True
                elif kind == "end" and instr is not None:
                    name = " ".join(instr).split()[0] if "".join(instr).strip() else ""
                    parts.append(fields.get(name, "{" + name + "}"))
                    instr, in_result = None, False
            elif node.tag == f"{W}instrText":
                if instr is not None:
                    instr.append(node.text or "")
            elif node.tag == f"{W}fldSimple":
                name = (node.get(f"{W}instr") or "").split()[0]
                parts.append(fields.get(name, "{" + name + "}"))
            elif instr is not None or in_result or _inside_fld_simple(node):
                continue
            elif node.tag == f"{W}t":
                parts.append(node.text or "")
            else:
                parts.append("\t" if node.tag == f"{W}tab" else "\n")
        out.append("".join(parts))
    return out


def _inside_fld_simple(node: etree._Element) -> bool:
    return any(a.tag == f"{W}fldSimple" for a in node.iterancestors())


def docx_field_instructions(data: bytes, part: str) -> list[str]:
    """The instructions of every field in one part, e.g. ["PAGE", "NUMPAGES"]."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read(part))
    found = []
    for p in root.iter(f"{W}p"):
        instr: list[str] | None = None
        for node in p.iter(f"{W}fldChar", f"{W}instrText", f"{W}fldSimple"):
            if node.tag == f"{W}fldSimple":
                found.append(" ".join((node.get(f"{W}instr") or "").split()))
            elif node.tag == f"{W}instrText" and instr is not None:
                instr.append(node.text or "")
            elif node.tag == f"{W}fldChar" and node.get(f"{W}fldCharType") == "begin":
                instr = []
            elif node.tag == f"{W}fldChar" and node.get(f"{W}fldCharType") == "end":
                if instr is not None:
                    found.append(" ".join("".join(instr).split()))
                instr = None
    return found


@dataclass(frozen=True)
class PageText:
    """One PDF page split as a reader sees it: running header, body, running footer."""

    header: str
    body: str
    footer: str


def _page_parts(page: pypdf.PageObject) -> PageText:
    """Page furniture is what the PDF marks as /Artifact (PDF/UA requires it); artifacts in
    the upper half are the header, in the lower half the footer. Everything else is body."""
    middle = float(page.mediabox.height) / 2
    open_marks: list[bool] = []
    header: list[str] = []
    body: list[str] = []
    footer: list[str] = []

    def before(operator: bytes, operands: list[object], *_: object) -> None:
        if operator in (b"BDC", b"BMC"):
            open_marks.append(bool(operands) and operands[0] == "/Artifact")
        elif operator == b"EMC" and open_marks:
            open_marks.pop()

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if not any(open_marks):
            body.append(text)
            return
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        (header if y > middle else footer).append(text)

    page.extract_text(visitor_operand_before=before, visitor_text=visit)
    return PageText("".join(header), "".join(body), "".join(footer))


def pdf_pages(data: bytes) -> list[PageText]:
    """Header, body and footer text of every page, in page order."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [_page_parts(page) for page in reader.pages]


def pdf_body_text(data: bytes) -> str:
    """The text outside page furniture (running header and footer left out)."""
    return "\n".join(page.body for page in pdf_pages(data))


def pdf_full_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def normalise(text: str) -> str:
    """Whitespace folded, and none after a hyphen, dash, slash or backslash (where a PDF
    line may wrap): what both formats share."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return _AFTER_MARK.sub("", " ".join(text.split()))
