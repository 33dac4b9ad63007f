"""Is a logo an image both renderers can place? Decided at validation, never at render time.

A truncated PNG used to pass a check of its first bytes, then crash the DOCX writer and
stop Typst with a message naming a temporary file. Here the whole image is decoded by
Pillow, with limits on the file size and the number of pixels (a small file can unpack
into gigabytes), and its header is read the way the DOCX writer will read it.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from beslutsgen.inputfiles import MEGABYTE, Unreadable, read_limited

LOGO_LIMIT = 10 * MEGABYTE
PIXEL_LIMIT = 25_000_000  # 5000 × 5000: far more than a 9 mm high logo needs
FORMATS = ("PNG", "JPEG")


def check_logo(path: Path, shown: str) -> None:
    """Raise ValueError (a message for the user) unless `path` is a whole PNG or JPEG."""
    try:
        data = read_limited(path, LOGO_LIMIT, f"logotypen {shown!r}", "spara en mindre")
    except Unreadable as exc:
        raise ValueError(str(exc)) from None
    if not data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        raise ValueError(f"logotypen {shown!r} är varken PNG eller JPEG")
    _decode(data, shown)
    _docx_header(data, shown)


def _decode(data: bytes, shown: str) -> None:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(FORMATS)) as image:
                width, height = image.size
                if width * height > PIXEL_LIMIT:
                    raise ValueError(
                        f"logotypen {shown!r} är {width} × {height} bildpunkter, fler än "
                        f"{PIXEL_LIMIT // 1_000_000} miljoner; spara en mindre version"
                    )
                image.load()  # every pixel: a truncated or corrupt file fails here
    except ValueError:
        raise
    except (OSError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValueError(
            f"logotypen {shown!r} är en skadad eller ofullständig bild; "
            "spara om den som PNG eller JPEG"
        ) from None


def _docx_header(data: bytes, shown: str) -> None:
    """python-docx reads size and resolution from the header itself; it must manage too."""
    from docx.image.image import Image as DocxImage

    try:
        DocxImage.from_blob(data)
    except Exception:  # python-docx raises many kinds for a header it cannot read
        raise ValueError(
            f"logotypen {shown!r} har ett bildhuvud som Word-filen inte kan läsa; "
            "spara om den som PNG eller JPEG"
        ) from None
