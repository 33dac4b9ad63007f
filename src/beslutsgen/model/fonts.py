"""The fonts that ship with the install, so the PDF never depends on the machine.

Source Sans Pro (OFL, from the font-source-sans-pro wheel) sets the text; Noto
Sans, Noto Sans Symbols and Noto Emoji (OFL, from the manimgx-fonts wheel) catch
what it lacks (Ŋ in italics, symbols, emoji). A character none of them has cannot be
shown in a PDF/A, so validation asks `missing_glyphs` first and names the character
and the line.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from functools import cache
from pathlib import Path

BODY_FAMILIES = ("Source Sans Pro",)
BODY_FACES = ("Regular", "It", "Semibold", "SemiboldIt", "Bold", "BoldIt")
# The four faces Word knows a family by (regular, bold, italic, bold italic), as the DOCX
# embeds them.
DOCX_FACES = ("Regular", "Bold", "It", "BoldIt")
# Noto Sans first: Source Sans Pro's italics lack Ŋŋ Ŧŧ, which Sámi text needs.
FALLBACK_FILES = (
    "NotoSans[wght].ttf",
    "NotoSans-Italic[wght].ttf",
    "NotoSansSymbols[wght].ttf",
    "NotoEmoji[wght].ttf",
)
FALLBACK_FAMILIES = ("Noto Sans", "Noto Sans Symbols", "Noto Emoji")
# Everything in these ranges is in Source Sans Pro; checking them would only cost time.
_ALWAYS_PRESENT = frozenset(range(0x20, 0x17F))


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:  # pragma: no cover - install is broken
        raise RuntimeError(f"font package {name} is not installed")
    return Path(spec.origin).parent


@cache
def font_files() -> tuple[Path, ...]:
    """The exact files handed to Typst: body faces first, then the fallbacks."""
    body_dir = _package_dir("font_source_sans_pro") / "files"
    fallback_dir = _package_dir("manimgx_fonts")
    body = [body_dir / f"SourceSansPro-{face}.ttf" for face in BODY_FACES]
    return (*body, *(fallback_dir / name for name in FALLBACK_FILES))


def docx_face_files() -> tuple[Path, ...]:
    """The body family's files for `DOCX_FACES`, in that order (for embedding in a DOCX)."""
    body_dir = _package_dir("font_source_sans_pro") / "files"
    return tuple(body_dir / f"SourceSansPro-{face}.ttf" for face in DOCX_FACES)


@cache
def _coverage() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    for path in font_files():
        with TTFont(path, lazy=True) as font:
            covered.update(font.getBestCmap().keys())
    return frozenset(covered)


def missing_glyphs(text: str) -> set[str]:
    """Characters of `text` that no bundled font can draw (whitespace is always fine)."""
    # Control characters are refused by validation with their own message, and the text
    # types turn every space but the no-break space into a plain one.
    rare = {
        c
        for c in text
        if ord(c) not in _ALWAYS_PRESENT and not c.isspace() and unicodedata.category(c) != "Cc"
    }
    if not rare:
        return set()
    covered = _coverage()
    # Variation selectors and joiners shape emoji; they need no glyph of their own.
    return {c for c in rare if ord(c) not in covered and not _is_shaping_mark(c)}


def _is_shaping_mark(char: str) -> bool:
    code = ord(char)
    return code in (0x200D, 0x200C) or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF
