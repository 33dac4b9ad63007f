"""Reading a user's file without trusting it: a regular file, and no more bytes than a limit.

`open()` on a FIFO waits for a writer forever and `/dev/zero` never ends, so the kind of
file is asked first, and the size before a byte is read; a file that grows while it is
read is still cut off at the limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MEGABYTE = 1024 * 1024
DEFAULT_YAML_LIMIT = 2 * MEGABYTE


class Unreadable(Exception):
    """Why a file was not read, in words for the user (Swedish, without the path)."""


def size_text(size: int) -> str:
    """1.5 MB as the Swedish write it: "1,5 MB"; small files in kB."""
    if size >= MEGABYTE:
        return f"{size / MEGABYTE:.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} kB"


def regular_size(path: Path, limit: int, what: str = "filen", hint: str = "") -> int:
    """The size of `path` if it is a regular file of at most `limit` bytes (nothing is
    read); `hint` says how to lift the limit."""
    try:
        info = path.stat()
    except OSError as exc:
        raise Unreadable(f"{what} kan inte läsas: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        if stat.S_ISDIR(info.st_mode):
            raise Unreadable(f"{what} är en mapp")
        raise Unreadable(f"{what} är ingen vanlig fil (en enhet, en rörledning eller liknande)")
    if info.st_size > limit:
        raise Unreadable(_too_big(what, info.st_size, limit, hint))
    return info.st_size


def read_limited(path: Path, limit: int, what: str = "filen", hint: str = "") -> bytes:
    """The bytes of `path` if it is a regular file of at most `limit` bytes; `hint` says
    how to lift the limit."""
    regular_size(path, limit, what, hint)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise Unreadable(f"{what} kan inte läsas: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise Unreadable(_too_big(what, len(data), limit, hint))
    return data


def _too_big(what: str, size: int, limit: int, hint: str) -> str:
    message = f"{what} är {size_text(size)}, större än gränsen {size_text(limit)}"
    return f"{message}; {hint}" if hint else message
