"""Re-publishing without re-rendering: each published PDF is recorded in the site's
manifest under a content key (everything that decides its bytes: the document's block
tree and style, the logo's bytes, beslutsgen's and Typst's versions). A later publish
takes a PDF from the previous site only when its key is the same and the file there
still has the SHA-256 the manifest recorded; anything else is rendered again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from importlib import metadata

from beslutsgen import __version__
from beslutsgen.build.tjanssteskrivelse import Built

MANIFEST = "publicerat.json"  # under the site's .beslutsgen/ folder
FORMAT = 1

# (file name, content key) → the bytes published before, or None when not known.
Previous = Callable[[str, str], bytes | None]


def content_key(built: Built) -> str:
    """The SHA-256 of everything the PDF of `built` is made from."""
    digest = hashlib.sha256()
    digest.update(f"beslutsgen {__version__} typst {metadata.version('typst')}\n".encode())
    digest.update(repr(built.document).encode("utf-8"))
    digest.update(repr(built.style).encode("utf-8"))
    if built.style.logo is not None:
        digest.update(hashlib.sha256(built.style.logo.read_bytes()).digest())
    return digest.hexdigest()


def manifest(entries: dict[str, tuple[str, bytes]]) -> bytes:
    """The manifest of the published PDFs: file name → its content key and SHA-256."""
    documents = {
        name: {"nyckel": key, "sha256": hashlib.sha256(data).hexdigest()}
        for name, (key, data) in sorted(entries.items())
    }
    text = json.dumps({"format": FORMAT, "dokument": documents}, indent=1, sort_keys=True)
    return (text + "\n").encode("utf-8")


def read_manifest(data: bytes) -> dict[str, tuple[str, str]]:
    """File name → (content key, SHA-256) from a manifest; empty when it is not one."""
    try:
        parsed = json.loads(data)
        documents = parsed["dokument"] if parsed.get("format") == FORMAT else {}
        return {
            str(name): (str(entry["nyckel"]), str(entry["sha256"]))
            for name, entry in documents.items()
        }
    except (ValueError, TypeError, KeyError, AttributeError):
        return {}
