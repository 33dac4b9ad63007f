"""The grammar of a rich-text field, and what in it cannot be shown.

One markdown-it parser knows what the schema promises — paragraphs, `-` bullets, `1.`
numbers, *emphasis*, tables — and nothing else; `document.parse_rich` builds blocks from
its tokens. Validation uses the same tokens to refuse, with the line, what a renderer
would drop: Word has nine list levels, and markdown-it silently discards the cells of a
table row beyond the number of header cells.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

MAX_LIST_DEPTH = 9  # Word's list levels (w:ilvl 0–8); the PDF follows the DOCX


def _parser() -> MarkdownIt:
    # markdown-it stops nesting at maxNesting tokens (20: ten lists) and reads the rest as
    # text; a higher bound lets validation count the levels that were written.
    options = {"html": False, "typographer": False, "linkify": False, "maxNesting": 200}
    md = MarkdownIt("zero", options)
    md.enable(["list", "table", "newline", "emphasis"])
    return md


PARSER = _parser()

# The schema promises "-" bullets and "1." numbers only; markdown-it would also read
# "+ x", "* x" and "1) x" as lists. Their markers are swapped for private-use stand-ins
# before parsing and put back in the text afterwards, so they stay literal.
_OTHER_MARKERS = re.compile(
    r"^((?: *(?:-|\d{1,9}\.)[ \t]+)*)( *)(?:([+*])|(\d{1,9})\))(?=[ \t]|$)", re.MULTILINE
)
_STAND_IN = {"+": "\ue000", "*": "\ue001", ")": "\ue002"}
_RESTORE = str.maketrans({v: k for k, v in _STAND_IN.items()})


def _protect(match: re.Match[str]) -> str:
    markers, indent, bullet, number = match.groups()
    return markers + indent + (_STAND_IN[bullet] if bullet else number + _STAND_IN[")"])


def tokens(text: str) -> list[Token]:
    """markdown-it's tokens for a rich-text field, the literal markers restored."""
    found = PARSER.parse(_OTHER_MARKERS.sub(_protect, text))
    for token in found:
        for child in token.children or []:
            child.content = child.content.translate(_RESTORE)
    return found


class Unrenderable(ValueError):
    """Rich text that parses but cannot be shown whole; `line` counts from 0 in the text."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def check_renderable(text: str) -> None:
    """Raise Unrenderable for a list nested too deep or a table row too wide (the first
    in the text)."""
    lines = text.split("\n")
    depth = deepest = 0
    too_deep: Token | None = None
    for token in tokens(text):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            deepest = max(deepest, depth)
            if depth > MAX_LIST_DEPTH and too_deep is None:
                too_deep = token
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "table_open" and token.map and too_deep is None:
            _check_table(lines, token.map)
    if too_deep is not None:
        raise Unrenderable(
            too_deep.map[0] if too_deep.map else 0,
            f"listan är nästlad i {deepest} nivåer; högst {MAX_LIST_DEPTH} "
            "(Word har nio listnivåer): flytta ut de djupaste punkterna",
        )


_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def _cells(line: str) -> int:
    row = line.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return len(_UNESCAPED_PIPE.split(row))


def _check_table(lines: list[str], span: list[int]) -> None:
    start, end = span
    width = _cells(lines[start])
    for number in range(start + 2, end):  # the header, the delimiter row, then the body
        found = _cells(lines[number])
        if found > width:
            raise Unrenderable(
                number,
                f"tabellraden har {found} celler men rubrikraden {width}; lägg till "
                "kolumner i rubrikraden eller ta bort celler (annars försvinner text)",
            )
