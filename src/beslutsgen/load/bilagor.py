"""A case's bilagor that are files: each one inside the project, of a kind we can pass on
(a PDF that opens, or an Office or ODF document), under the profile's size limit; its
SHA-256 and page count recorded, so the handlingar and the archive carry exactly what was
checked.

Nothing is trusted from the path: an absolute path or `..` is refused as written, and a
path that resolves (through a symlink) outside the project is refused as found.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pikepdf

from beslutsgen.errors import Problem
from beslutsgen.inputfiles import Unreadable, regular_size, size_text
from beslutsgen.load.files import where
from beslutsgen.load.messages import key_path
from beslutsgen.load.yamlsource import Loc, Located
from beslutsgen.model.arende import Arende, Bilaga

__all__ = ["MIMETYPES", "OFFICE_KINDS", "Bilagefil", "check_bilagor", "describe", "file_sha256"]

CHUNK = 1024 * 1024
DRIVE = re.compile(r"^[A-Za-z]:")  # C:\\bilagor\\x.pdf, absolute on Windows
# What each Office/ODF format is, as its package says it: OOXML names its main part in
# [Content_Types].xml, ODF writes its media type as the first entry, `mimetype`.
OFFICE_KINDS = {
    ".docx": ("ooxml", "wordprocessingml"),
    ".xlsx": ("ooxml", "spreadsheetml"),
    ".pptx": ("ooxml", "presentationml"),
    ".odt": ("odf", "application/vnd.oasis.opendocument.text"),
    ".ods": ("odf", "application/vnd.oasis.opendocument.spreadsheet"),
    ".odp": ("odf", "application/vnd.oasis.opendocument.presentation"),
}
# The IANA media types of the kinds a bilaga may be: what the archive and the mail say.
MIMETYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}
KINDS_TEXT = "pdf, " + ", ".join(suffix[1:] for suffix in OFFICE_KINDS)


@dataclass(frozen=True)
class Bilagefil:
    """One bilaga file as it was checked: what the handlingar list and the archive keep."""

    nummer: int  # its number among the case's bilagor, from 1
    titel: str
    path: Path  # resolved, inside the project
    fil: str  # as written, relative to the project root
    sha256: str
    storlek: int  # bytes
    sidor: int | None  # pages of a PDF; None for an Office/ODF document

    @property
    def is_pdf(self) -> bool:
        return self.path.suffix.lower() == ".pdf"


def check_bilagor(
    shown: str, located: Located, arende: Arende, root: Path, limit: int
) -> tuple[tuple[Bilagefil, ...], list[Problem]]:
    """Every bilaga of `arende` that names a file, checked; the problems at each `fil:`."""
    found: list[Bilagefil] = []
    problems: list[Problem] = []
    for index, bilaga in enumerate(arende.bilagor):
        if not isinstance(bilaga, Bilaga):
            continue
        loc: Loc = ("bilagor", index, "fil")
        try:
            found.append(_check(index + 1, bilaga, root, limit))
        except Unreadable as exc:
            message = f"bilagan {bilaga.fil!r}: {exc}"
            problems.append(Problem(shown, *where(located, loc), key_path(loc), message))
    return tuple(found), problems


def _check(nummer: int, bilaga: Bilaga, root: Path, limit: int) -> Bilagefil:
    path = _inside(bilaga.fil, root)
    hint = "dela upp den, eller höj gränser.bilaga_mb i beslutsgen.yaml"
    size = regular_size(path, limit, "filen", hint)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        pages = _pdf_pages(path)
    elif suffix in OFFICE_KINDS:
        _office_package(path, *OFFICE_KINDS[suffix])
        pages = None
    else:
        raise Unreadable(
            f"filer av typen {suffix or '(utan ändelse)'} kan inte bifogas; välj {KINDS_TEXT}"
        )
    return Bilagefil(nummer, bilaga.titel, path, bilaga.fil, file_sha256(path), size, pages)


def _inside(written: str, root: Path) -> Path:
    """The file `written` names, relative to the project root and resolved inside it."""
    pure = PurePosixPath(written.replace("\\", "/"))
    if pure.is_absolute() or Path(written).is_absolute() or DRIVE.match(written):
        raise Unreadable("skriv sökvägen relativt projektets rot, inte som absolut sökväg")
    if ".." in pure.parts:
        raise Unreadable("sökvägen får inte gå uppåt med ..; lägg filen i projektet")
    top = root.resolve()
    path = (top / pure).resolve()
    if not path.is_relative_to(top):
        raise Unreadable(f"filen ligger utanför projektet (länken leder till {path})")
    if not path.exists():
        raise Unreadable(f"filen finns inte (sökt som {path})")
    return path


def _pdf_pages(path: Path) -> int:
    """The page count of a PDF that opens as it is: not encrypted, not in need of repair."""
    with path.open("rb") as handle:
        if not handle.read(1024).lstrip().startswith(b"%PDF-"):
            raise Unreadable("filen är ingen PDF (den börjar inte med %PDF-)")
    try:
        with pikepdf.open(path, attempt_recovery=False) as pdf:
            if pdf.is_encrypted:
                raise Unreadable("PDF:en är krypterad; spara den utan lösenord och behörigheter")
            pages = len(pdf.pages)
    except pikepdf.PasswordError:
        raise Unreadable("PDF:en är krypterad med lösenord; spara den utan lösenord") from None
    except pikepdf.PdfError as exc:
        detail = _first_line(exc).replace(f"{path}: ", "")
        raise Unreadable(f"PDF:en är skadad och kan inte läsas ({detail})") from None
    if pages == 0:
        raise Unreadable("PDF:en har inga sidor")
    return pages


def _office_package(path: Path, family: str, expected: str) -> None:
    """An OOXML or ODF file must be the zip package its name says it is."""
    kind = path.suffix.lower()[1:]
    try:
        with zipfile.ZipFile(path) as package:
            if family == "odf":
                names = package.namelist()
                media = package.read("mimetype").decode("ascii", "replace") if names else ""
                if not names or names[0] != "mimetype" or media.strip() != expected:
                    raise Unreadable(f"filen är ingen {kind}-fil (fel mimetype i paketet)")
            else:
                types = package.read("[Content_Types].xml").decode("utf-8", "replace")
                if expected not in types:
                    raise Unreadable(f"filen är ingen {kind}-fil (paketets innehåll är ett annat)")
            broken = package.testzip()
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        raise Unreadable(
            f"filen är ingen hel {kind}-fil (skadad, krypterad eller av ett annat slag)"
        ) from None
    if broken is not None:
        raise Unreadable(f"filen är skadad ({broken} kan inte packas upp)")


def file_sha256(path: Path) -> str:
    """SHA-256 of a file read in chunks: a bilaga may be larger than memory allows."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def describe(fil: Bilagefil) -> str:
    """"12 sidor, 1,2 MB" or "docx, 40 kB": what a reader is about to open."""
    first = f"{fil.sidor} {'sida' if fil.sidor == 1 else 'sidor'}" if fil.sidor else (
        fil.path.suffix.lower()[1:]
    )
    return f"{first}, {size_text(fil.storlek)}"
