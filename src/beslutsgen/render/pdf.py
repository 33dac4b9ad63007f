"""Block tree → PDF/A-2a + PDF/UA-1 through Typst, in one pass, fonts from the install.

The Typst source (memo.typ) is fixed and trusted; the document travels as JSON in
`sys.inputs`, so user text is only ever displayed, never evaluated. One compiler
per process (creating it loads the fonts), handed the source on every compile.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import typst

from beslutsgen.build.document import Block, Document
from beslutsgen.errors import RenderError
from beslutsgen.model import fonts
from beslutsgen.model.profile import Style
from beslutsgen.render.geometry import GEOMETRY

SOURCE = (Path(__file__).resolve().parent / "memo.typ").read_bytes()
STANDARDS: typst.PDFStandards = ["a-2a", "ua-1"]
BLOCK_TYPES = {
    "Heading": "heading",
    "Paragraph": "paragraph",
    "ListBlock": "list",
    "Table": "table",
    "Signatures": "signatures",
    "Fields": "fields",
    "PageBreak": "pagebreak",
    "Contents": "contents",
}


class PdfRenderer:
    """Compiles many documents with one Typst compiler."""

    def __init__(self) -> None:
        # Typst reads fonts from folders only; a private folder of links gives it exactly ours.
        self._scratch = tempfile.TemporaryDirectory(prefix="beslutsgen-typst-")
        root = Path(self._scratch.name) / "root"
        font_dir = Path(self._scratch.name) / "fonts"
        root.mkdir()
        self._root = root
        self._logos: dict[Path, str] = {}
        font_dir.mkdir()
        for path in fonts.font_files():
            (font_dir / path.name).symlink_to(path)
        book = typst.Fonts(
            include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(font_dir)]
        )
        self._compiler = typst.Compiler(
            SOURCE, root=str(root), font_paths=book, ignore_system_fonts=True
        )

    def _stage_logo(self, logo: Path) -> str:
        """Copy the logo into Typst's private root (the only folder it may read from)."""
        if logo not in self._logos:
            data = logo.read_bytes()
            name = f"logo-{hashlib.sha256(data).hexdigest()[:16]}{logo.suffix.lower()}"
            (self._root / name).write_bytes(data)
            self._logos[logo] = f"/{name}"
        return self._logos[logo]

    def render(self, document: Document, style: Style) -> bytes:
        """One document as PDF bytes, identical for identical input."""
        return self.render_parts([(document, style)])

    def render_parts(self, parts: Sequence[tuple[Document, Style]]) -> bytes:
        """Several documents as one PDF/A-2a + PDF/UA-1 file, in one Typst pass.

        Each part starts on a new page and keeps its own page furniture: header, footer
        with "Sida X (Y)" counted within the part, sign boxes, logo and style. Its
        headings are tagged as in a document of its own, so each part's first heading is
        a top-level bookmark with the part's other headings under it. The file's own
        properties (title, author, subject, keywords, date, and the timestamp that seeds
        the XMP ids) are the first part's: a bundle is presented as its first document
        (a cover letter, a kallelse) followed by the documents it carries. One part gives
        exactly the bytes of `render`.
        """
        if not parts:
            raise RenderError("nothing to render: no parts")
        stamp = datetime.combine(parts[0][0].meta.date, time(12, 0), tzinfo=UTC)
        data = {
            "geometry": GEOMETRY,
            "parts": [self._part(document, style) for document, style in parts],
        }
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        try:
            pdf = self._compiler.compile(
                input=SOURCE,
                format="pdf",
                sys_inputs={"document": payload},
                pdf_standards=STANDARDS,
                timestamp=stamp,
            )
        except typst.TypstError as exc:
            raise RenderError(f"typst: {exc.message}\n{exc.diagnostic}") from None
        if not isinstance(pdf, bytes):  # pragma: no cover - single-file PDF output
            raise RenderError("typst returned no PDF")
        return pdf

    def _part(self, document: Document, style: Style) -> dict[str, Any]:
        data = to_json(document, style)
        data["style"]["logo"] = self._stage_logo(style.logo) if style.logo else None
        return data


def to_json(document: Document, style: Style) -> dict[str, Any]:
    meta = document.meta
    return {
        "meta": {
            "doc_type": meta.doc_type,
            "title": meta.title,
            "organisation": meta.organisation,
            "organ": meta.organ,
            "date": meta.date.isoformat(),
            "year": meta.date.year,
            "month": meta.date.month,
            "day": meta.date.day,
            "dnr": meta.dnr,
            "author": meta.author,
            "sender": list(meta.sender),
            "subject": meta.subject,
            "date_label": meta.date_label,
            "sign_boxes": list(meta.sign_boxes),
            "bundle": meta.bundle,
        },
        "style": {
            "fonts": [style.font, *fonts.FALLBACK_FAMILIES],
            "size": style.size,
            "logo": None,
        },
        "blocks": [_block(b) for b in document.blocks],
    }


def _block(block: Block) -> dict[str, Any]:
    data: dict[str, Any] = {"type": BLOCK_TYPES[type(block).__name__]}
    for f in dataclasses.fields(block):
        value = getattr(block, f.name)
        if f.name == "items":
            value = [[_block(b) for b in item] for item in value]
        elif f.name == "entries":
            value = [_plain(entry) for entry in value]
        data[f.name] = _plain(value)
    return data


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value
