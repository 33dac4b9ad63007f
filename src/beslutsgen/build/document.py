"""The block tree both renderers consume, and the Markdown parsers that build it.

Two parsers with different powers:
- `parse_rich` reads a user's rich-text field. Only what the schema promises is
  recognised (paragraphs, lists, *emphasis*, tables); everything else — headings,
  HTML, links, code, backslash escapes, entities — stays literal text.
- `parse_template` reads what a Jinja template produced. Templates are trusted and
  every data value in them arrives backslash-escaped, so this parser may know more:
  headings, thematic breaks (page breaks) and `:::` containers for signatures,
  small print and already-parsed rich text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Literal, TypeAlias

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from beslutsgen.errors import RenderError
from beslutsgen.model import richtext


@dataclass(frozen=True)
class Run:
    """A stretch of text with one look. A "\\n" in `text` is a line break."""

    text: str
    bold: bool = False
    italic: bool = False


Runs: TypeAlias = tuple[Run, ...]


@dataclass(frozen=True)
class Heading:
    level: int
    runs: Runs


@dataclass(frozen=True)
class Paragraph:
    runs: Runs
    style: Literal["body", "small"] = "body"


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[tuple[Block, ...], ...]
    start: int = 1


@dataclass(frozen=True)
class Table:
    header: tuple[Runs, ...]
    rows: tuple[tuple[Runs, ...], ...]
    align: tuple[Literal["left", "right", "center"], ...]
    widths: tuple[float, ...] = ()

    @staticmethod
    def column_widths(
        header: tuple[Runs, ...], rows: tuple[tuple[Runs, ...], ...]
    ) -> tuple[float, ...]:
        """Shares of the text width per column, from the content, so both formats agree.

        Every column first gets room for its longest word (a word cannot be broken, and a
        column narrower than it lets text run into the next); what is left of the line goes
        to the columns whose cells would otherwise wrap, in proportion to what they lack."""
        least, wanted = [], []
        for column in range(len(header)):
            texts = [plain_text(header[column])] + [plain_text(row[column]) for row in rows]
            longest_word = max((len(word) for text in texts for word in text.split()), default=1)
            longest_cell = max((len(text) for text in texts), default=1)
            least.append(longest_word + 3)  # cell padding and bold headers
            wanted.append(max(longest_word + 3, min(longest_cell, 40) + 3))
        spare = max(0, LINE_CHARACTERS - sum(least))
        lacking = sum(w - m for w, m in zip(wanted, least, strict=True))
        if lacking:
            shares = [m + spare * (w - m) / lacking for w, m in zip(wanted, least, strict=True)]
        else:
            shares = [float(m) for m in least]
        total = sum(shares)
        return tuple(round(share / total, 4) for share in shares)


LINE_CHARACTERS = 90  # about what a line of 11 pt Source Sans on A4 between 25 mm margins holds


@dataclass(frozen=True)
class Signature:
    name: str
    title: str


@dataclass(frozen=True)
class Signatures:
    people: tuple[Signature, ...]


@dataclass(frozen=True)
class Fields:
    """Label–value pairs side by side, as a protocol's head and an anslagsbevis show them."""

    rows: tuple[tuple[Runs, Runs], ...]


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class ContentsEntry:
    """One line of a table of contents: its text, its depth (1 or 2) and, for a line that
    names a part of a multi-part PDF, that part's index (the PDF shows its page)."""

    runs: Runs
    level: int = 1
    part: int | None = None


@dataclass(frozen=True)
class Contents:
    """A table of contents over the parts of one PDF (the handlingar): built in code, never
    from a template, since only the renderer knows where each part begins."""

    entries: tuple[ContentsEntry, ...]


Block: TypeAlias = (
    Heading | Paragraph | ListBlock | Table | Signatures | Fields | PageBreak | Contents
)


@dataclass(frozen=True)
class Meta:
    """Page furniture and document properties, identical in DOCX and PDF."""

    doc_type: str
    title: str
    organisation: str
    organ: str
    date: date
    dnr: str
    author: str
    sender: tuple[str, ...] = ()
    subject: str = ""
    lang: str = "sv-SE"
    date_label: str = "Datum"
    sign_boxes: tuple[str, ...] = ()
    """Labelled boxes in the footer of every page ("Justerandes sign") for handwritten
    initials; an empty `dnr` leaves the Diarienummer line out."""
    bundle: str = ""
    """The bundle a part belongs to ("Handlingar till Regionstyrelsen 2025-11-25"), shown
    in its footer with the page within the whole file; empty for a document of its own."""


@dataclass(frozen=True)
class Document:
    meta: Meta
    blocks: tuple[Block, ...]


@dataclass
class RichRegistry:
    """Rich-text fields parsed ahead of the template and spliced back by number."""

    parts: list[tuple[Block, ...]] = field(default_factory=list)

    def add(self, blocks: tuple[Block, ...]) -> int:
        self.parts.append(blocks)
        return len(self.parts) - 1


def _template_parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "typographer": False, "linkify": False})
    md.enable(["heading", "list", "table", "hr", "newline", "escape", "emphasis"])
    for name in ("signatures", "fields", "small", "rich"):
        md.use(container_plugin, name=name)
    return md


TEMPLATE = _template_parser()


@lru_cache(maxsize=1024)
def parse_rich(text: str) -> tuple[Block, ...]:
    """A user's rich-text field → blocks; anything outside the schema stays literal.

    Cached: a § is told in the protocol and again in its utdrag, and blocks are immutable."""
    return _Builder(richtext.tokens(text), None).blocks()


def parse_template(text: str, registry: RichRegistry) -> tuple[Block, ...]:
    """A rendered template → blocks, splicing in the rich-text parts it references."""
    return _Builder(TEMPLATE.parse(text), registry).blocks()


class _Builder:
    """Walks markdown-it's flat token stream and builds nested blocks."""

    def __init__(self, tokens: list[Token], registry: RichRegistry | None) -> None:
        self.tokens = tokens
        self.pos = 0
        self.registry = registry

    def blocks(
        self, until: str | None = None, style: Literal["body", "small"] = "body"
    ) -> tuple[Block, ...]:
        out: list[Block] = []
        while self.pos < len(self.tokens):
            tok = self.tokens[self.pos]
            if until and tok.type == until:
                self.pos += 1
                return tuple(out)
            out.extend(self._block(tok, style))
        if until:
            raise RenderError(f"unclosed {until}")
        return tuple(out)

    def _block(self, tok: Token, style: Literal["body", "small"]) -> list[Block]:
        kind = tok.type
        self.pos += 1
        if kind == "paragraph_open":
            runs = self._inline()
            self._expect("paragraph_close")
            return [Paragraph(runs, style)]
        if kind == "heading_open":
            runs = self._inline()
            self._expect("heading_close")
            return [Heading(int(tok.tag[1]), runs)]
        if kind in ("bullet_list_open", "ordered_list_open"):
            ordered = kind == "ordered_list_open"
            start = int(tok.attrGet("start") or 1) if ordered else 1
            close = kind.replace("_open", "_close")
            items: list[tuple[Block, ...]] = []
            while self.tokens[self.pos].type == "list_item_open":
                self.pos += 1
                items.append(self.blocks("list_item_close", style))
            self._expect(close)
            return [ListBlock(ordered, tuple(items), start)]
        if kind == "table_open":
            return [self._table()]
        if kind == "hr":
            return [PageBreak()]
        if kind == "container_small_open":
            return list(self.blocks("container_small_close", "small"))
        if kind == "container_signatures_open":
            return [self._signatures()]
        if kind == "container_fields_open":
            return [self._fields()]
        if kind == "container_rich_open":
            assert self.registry is not None
            index = int(tok.info.split()[-1])
            self._expect("container_rich_close")
            return list(self.registry.parts[index])
        raise RenderError(f"unsupported markdown token {kind}")

    def _expect(self, kind: str) -> None:
        tok = self.tokens[self.pos]
        if tok.type != kind:
            raise RenderError(f"expected {kind}, got {tok.type}")
        self.pos += 1

    def _inline(self) -> Runs:
        tok = self.tokens[self.pos]
        self.pos += 1
        return inline_runs(tok.children or [])

    def _table(self) -> Table:
        header: list[Runs] = []
        rows: list[tuple[Runs, ...]] = []
        align: list[Literal["left", "right", "center"]] = []
        row: list[Runs] = []
        while True:
            tok = self.tokens[self.pos]
            self.pos += 1
            if tok.type == "table_close":
                break
            if tok.type in ("th_open", "td_open"):
                if tok.type == "th_open":
                    style = str(tok.attrGet("style") or "")
                    align.append(
                        "right" if "right" in style else "center" if "center" in style else "left"
                    )
                row.append(self._inline())
            elif tok.type == "tr_close":
                if not header:
                    header = row
                else:
                    rows.append(tuple(row))
                row = []
        width = len(header)
        padded = tuple(tuple(r) + ((),) * (width - len(r)) for r in rows)
        head = tuple(header)
        return Table(head, padded, tuple(align), Table.column_widths(head, padded))

    def _pairs(self, container: str) -> list[tuple[Runs, Runs]]:
        """A container's one list, each item split at its first line break."""
        pairs: list[tuple[Runs, Runs]] = []
        for block in self.blocks(f"container_{container}_close"):
            if not isinstance(block, ListBlock):
                raise RenderError(f"a {container} container holds one list of two-line items")
            for item in block.items:
                paragraph = item[0]
                assert isinstance(paragraph, Paragraph)
                pairs.append(split_first_line(paragraph.runs))
        return pairs

    def _signatures(self) -> Signatures:
        return Signatures(
            tuple(
                Signature(plain_text(name).strip(), plain_text(title).strip())
                for name, title in self._pairs("signatures")
            )
        )

    def _fields(self) -> Fields:
        return Fields(tuple(self._pairs("fields")))


def split_first_line(runs: Runs) -> tuple[Runs, Runs]:
    """Runs before the first line break, and the runs after it (line breaks kept)."""
    for index, run in enumerate(runs):
        if "\n" in run.text:
            head, _, tail = run.text.partition("\n")
            first = (*runs[:index], Run(head, run.bold, run.italic)) if head else runs[:index]
            rest = (Run(tail, run.bold, run.italic),) if tail else ()
            return tuple(first), (*rest, *runs[index + 1 :])
    return runs, ()


def inline_runs(children: list[Token]) -> Runs:
    """Inline tokens → runs; adjacent runs with the same look are merged."""
    runs: list[Run] = []
    bold = italic = 0
    for child in children:
        kind = child.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind in ("text", "text_special"):
            _append(runs, Run(child.content, bold > 0, italic > 0))
        elif kind == "softbreak":
            _append(runs, Run(" ", bold > 0, italic > 0))
        elif kind == "hardbreak":
            _append(runs, Run("\n", bold > 0, italic > 0))
        else:
            raise RenderError(f"unsupported inline token {kind}")
    return tuple(runs)


def _append(runs: list[Run], run: Run) -> None:
    if runs and runs[-1].bold == run.bold and runs[-1].italic == run.italic:
        runs[-1] = Run(runs[-1].text + run.text, run.bold, run.italic)
    elif run.text:
        runs.append(run)


def plain_text(runs: Runs) -> str:
    """The text a reader sees, as both extractors should find it."""
    return "".join(r.text for r in runs)
